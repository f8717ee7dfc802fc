import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";

import type { ExportedDraft, WireError } from "../../core";
import { useAppInfo } from "../AppInfoContext";
import { useCore } from "../CoreContext";
import { ErrorBanner } from "../components/ErrorBanner";
import { quoted } from "../shared/format";

/** One button per draft the engine writes (DOCX); each says where the file went, or why not. */
export function ExportPanel({ dossier }: { dossier: number }) {
  const { dossiers } = useCore();
  const info = useAppInfo();
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<ExportedDraft | null>(null);
  const [failure, setFailure] = useState<WireError | null>(null);

  const run = async (kind: string) => {
    setBusy(kind);
    setDone(null);
    setFailure(null);
    const result = await dossiers.exportDraft(dossier, kind);
    setBusy(null);
    if (result.ok) setDone(result.value);
    else setFailure(result.error);
  };

  return (
    <section className="exports fr-mt-4w" aria-labelledby="exports-title">
      <h3 id="exports-title" className="fr-h6 fr-mb-1w">
        Actes
      </h3>
      <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--icon-left">
        {(info?.drafts ?? []).map((d) => (
          <li key={d.id}>
            <Button
              priority="secondary"
              size="small"
              iconId="fr-icon-file-download-line"
              disabled={busy !== null}
              onClick={() => void run(d.id)}
              data-draft={d.id}
            >
              {busy === d.id ? "Rédaction…" : d.label}
            </Button>
          </li>
        ))}
      </ul>
      {done && (
        <Alert
          severity="success"
          role="status"
          small
          description={`Acte enregistré${"\u00a0"}: ${quoted(done.file)}.`}
        />
      )}
      {failure && <ErrorBanner error={failure} level={4} />}
    </section>
  );
}
