import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Component, type ErrorInfo, type ReactNode } from "react";

/**
 * A screen that fails to draw says so in French instead of leaving the window blank; the other
 * screens stay usable (the header's links), and the error is kept for support.
 */
export class ScreenBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    // For support: where it failed (code only, never case data).
    console.error("écran en échec", error.message, error.stack, info.componentStack);
  }

  render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <Alert
        severity="error"
        title="Cet écran n'a pas pu s'afficher."
        description={
          <>
            <span>Les données ne sont pas touchées. Ouvrez un autre écran par le menu, ou relancez Permanence.</span>
            <span className="error-technical" data-screen-error>
              Détail technique{"\u00a0"}: {error.message}
            </span>
            <details className="error-technical">
              <summary>Pile d'appels</summary>
              <pre>{error.stack}</pre>
            </details>
          </>
        }
      />
    );
  }
}
