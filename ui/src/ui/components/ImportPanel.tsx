import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";

import { useImports, type FileImport, type ImportBatch } from "../ImportsContext";
import { routeHref } from "../router";
import { errorText } from "../shared/errors";
import { countLabel } from "../shared/format";

function FileLine({ file, index, batch }: { file: FileImport; index: number; batch: number }) {
  const id = `import-${batch}-${index}`;
  const pages =
    file.pagesTotal > 0
      ? `${countLabel(file.pagesDone, "page lue", "pages lues", "aucune page lue")} sur ${file.pagesTotal.toLocaleString("fr-FR")}`
      : "";
  const ocr =
    file.ocrTotal > 0
      ? ` — ${countLabel(file.ocrDone, "page scannée reconnue", "pages scannées reconnues", "aucune page scannée reconnue")} sur ${file.ocrTotal.toLocaleString("fr-FR")}`
      : "";
  return (
    <li className="import-file" data-state={file.state}>
      <div className="import-file__head">
        <span className="import-file__name" id={`${id}-name`}>
          {file.name}
        </span>
        <span className="import-file__state">
          {file.state === "waiting" && "En attente"}
          {file.state === "reading" && (pages ? pages + ocr : "Lecture…")}
          {file.state === "imported" && file.imported && (
            <>
              {countLabel(file.imported.pages, "page", "pages", "aucune page")} — dossier n°{"\u00a0"}
              {file.imported.dossier}{" "}
              <a
                className="fr-link fr-link--sm"
                href={routeHref({ page: "dossier", id: file.imported.dossier, document: null, pageNumber: null })}
              >
                Ouvrir le dossier
              </a>
            </>
          )}
          {file.state === "duplicate" && file.imported && "Déjà importé"}
          {file.state === "failed" && "Refusé"}
        </span>
      </div>
      {(file.state === "waiting" || file.state === "reading") && (
        <progress
          className="import-file__bar"
          aria-labelledby={`${id}-name`}
          aria-valuetext={pages || "en attente"}
          max={Math.max(file.pagesTotal, 1)}
          value={file.pagesDone}
        />
      )}
      {file.state === "duplicate" && file.imported && (
        <p className="fr-message fr-message--info fr-mt-1v">
          Ce fichier est déjà dans le dossier n°{"\u00a0"}
          {file.imported.dossier}
          {"\u00a0"}: rien n'a été ajouté.{" "}
          <a
            className="fr-link fr-link--sm"
            href={routeHref({ page: "dossier", id: file.imported.dossier, document: null, pageNumber: null })}
          >
            Ouvrir ce dossier
          </a>
        </p>
      )}
      {file.state === "failed" && file.error && (
        <p className="fr-message fr-message--error fr-mt-1v">
          {errorText(file.error).detail} Rien n'a été enregistré pour ce fichier.
        </p>
      )}
    </li>
  );
}

function Batch({ batch }: { batch: ImportBatch }) {
  const { dismiss, cancel } = useImports();
  const failed = batch.files.filter((f) => f.state === "failed").length;
  const title = batch.done
    ? failed > 0
      ? `Import terminé${"\u00a0"}: ${countLabel(failed, "fichier refusé", "fichiers refusés", "")}`
      : "Import terminé"
    : `Import en cours${"\u00a0"}: ${countLabel(batch.files.length, "fichier", "fichiers", "aucun fichier")}`;
  return (
    <section className="import-batch fr-mb-2w" aria-label={title}>
      <div className="import-batch__head">
        <h2 className="fr-h6 fr-mb-0">{title}</h2>
        {batch.done ? (
          <Button priority="tertiary no outline" size="small" onClick={() => dismiss(batch.id)}>
            Masquer
          </Button>
        ) : (
          <Button priority="secondary" size="small" iconId="fr-icon-close-line" onClick={() => void cancel()}>
            Annuler l'import
          </Button>
        )}
      </div>
      <ul className="import-batch__files">
        {batch.files.map((file, index) => (
          <FileLine key={index} file={file} index={index} batch={batch.id} />
        ))}
      </ul>
    </section>
  );
}

/** The import area of the Dossiers screen: the picker button, the drop hint, each import's progress. */
export function ImportPanel() {
  const { batches, pickAndImport, pickError } = useImports();
  return (
    <div className="import-panel fr-mb-4w">
      <div className="import-panel__zone">
        <span className="fr-icon-upload-2-line import-panel__icon" aria-hidden="true" />
        <div className="import-panel__text">
          <p className="fr-text--bold fr-mb-0">Importer des procédures</p>
          <p className="fr-text--sm fr-mb-0">
            Déposez un ou plusieurs fichiers PDF n'importe où sur la fenêtre, ou choisissez-les. Chaque fichier devient
            un dossier.
          </p>
        </div>
        <Button iconId="fr-icon-folder-2-line" onClick={() => void pickAndImport()}>
          Choisir des fichiers…
        </Button>
      </div>
      {pickError && (
        <Alert
          className="fr-mt-2w"
          severity="error"
          small
          description={`${errorText(pickError).title} ${errorText(pickError).detail}`}
        />
      )}
      <div aria-live="polite" className="fr-mt-2w">
        {batches.map((batch) => (
          <Batch key={batch.id} batch={batch} />
        ))}
      </div>
    </div>
  );
}
