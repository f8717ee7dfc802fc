import type { WireError } from "../../core";
import { errorText } from "../shared/errors";

export function ErrorBanner({ error, onRetry }: { error: WireError; onRetry?: () => void }) {
  const text = errorText(error);
  return (
    <div className="banner banner--error" role="alert">
      <p className="banner__title">{text.title}</p>
      <p>{text.detail}</p>
      <p className="banner__technical">{text.technical}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Réessayer
        </button>
      )}
    </div>
  );
}
