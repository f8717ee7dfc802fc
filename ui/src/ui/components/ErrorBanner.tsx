import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";

import type { WireError } from "../../core";
import { errorText } from "../shared/errors";

/** An engine or bridge error, worded in French, with the code for support. */
export function ErrorBanner({
  error,
  onRetry,
  className,
  level = 2,
}: {
  error: WireError;
  onRetry?: () => void;
  className?: string;
  /** Its title's heading level: 2 under a page's title, deeper inside a panel. */
  level?: 2 | 3 | 4;
}) {
  const text = errorText(error);
  return (
    <Alert
      severity="error"
      as={`h${level}`}
      className={className ?? "fr-mb-2w"}
      title={text.title}
      description={
        <>
          <p className="fr-mb-0">{text.detail}</p>
          <p className="error-technical fr-mb-0">{text.technical}</p>
          {onRetry && (
            <Button size="small" priority="secondary" className="fr-mt-2w" onClick={onRetry}>
              Réessayer
            </Button>
          )}
        </>
      }
    />
  );
}
