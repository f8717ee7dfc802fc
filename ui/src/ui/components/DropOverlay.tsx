import { useImports } from "../ImportsContext";
import { countLabel } from "../shared/format";

/** Shown over the whole window while files are dragged over it. */
export function DropOverlay() {
  const { dragging } = useImports();
  if (dragging === null) return null;
  return (
    <div className="drop-overlay" role="status" aria-live="polite">
      <div className="drop-overlay__box">
        <span className="fr-icon-upload-2-line drop-overlay__icon" aria-hidden="true" />
        <p className="fr-h4 fr-mb-1w">Déposez pour importer</p>
        <p className="fr-mb-0">
          {dragging > 0
            ? `${countLabel(dragging, "fichier", "fichiers", "aucun fichier")}\u00a0: chaque procédure devient un dossier.`
            : "Chaque procédure devient un dossier."}
        </p>
      </div>
    </div>
  );
}
