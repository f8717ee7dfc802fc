import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { useState } from "react";

import type { ExportedDraft, WireError } from "../../core";
import { useAppInfo } from "../AppInfoContext";
import { useCore } from "../CoreContext";
import { ErrorBanner } from "../components/ErrorBanner";
import { quoted } from "../shared/format";

/**
 * One button per draft the engine writes (DOCX, in the dossier's folder of the data directory);
 * each says where the file went, or why not, and opens it in the word processor or shows it in
 * its folder. The requête au JLD takes the article 144 criteria the magistrate ticks.
 */
export function ExportPanel({ dossier, onExported }: { dossier: number; onExported?: () => void }) {
  const { dossiers } = useCore();
  const info = useAppInfo();
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<ExportedDraft | null>(null);
  const [failure, setFailure] = useState<WireError | null>(null);
  const [criteria, setCriteria] = useState<number[]>([]);

  const run = async (kind: string) => {
    setBusy(kind);
    setDone(null);
    setFailure(null);
    const result = await dossiers.exportDraft(dossier, kind, kind === "jld" ? criteria : []);
    setBusy(null);
    if (result.ok) {
      setDone(result.value);
      onExported?.();
    } else setFailure(result.error);
  };

  const open = async (folder: boolean) => {
    if (!done) return;
    const result = await dossiers.openDraft(done.file, folder);
    if (!result.ok) setFailure(result.error);
  };

  const toggle = (n: number, on: boolean) =>
    setCriteria((list) => (on ? [...list, n].sort((a, b) => a - b) : list.filter((c) => c !== n)));

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
      {(info?.criteria_144.length ?? 0) > 0 && (
        <details className="exports__criteria">
          <summary>Critères de l'article 144 du code de procédure pénale (requête au JLD)</summary>
          <Checkbox
            small
            legend="Objectifs retenus pour la détention provisoire"
            options={(info?.criteria_144 ?? []).map((c) => ({
              label: `${c.id}° ${c.label}`,
              nativeInputProps: {
                checked: criteria.includes(Number(c.id)),
                onChange: (e) => toggle(Number(c.id), e.target.checked),
              },
            }))}
          />
        </details>
      )}
      {done && (
        <Alert
          severity="success"
          role="status"
          small
          description={
            <>
              <span>Acte enregistré{"\u00a0"}: {quoted(done.file)}.</span>
              <span className="exports__open">
                <Button priority="tertiary" size="small" onClick={() => void open(false)}>
                  Ouvrir dans le traitement de texte
                </Button>
                <Button priority="tertiary" size="small" onClick={() => void open(true)}>
                  Afficher dans le dossier
                </Button>
              </span>
            </>
          }
        />
      )}
      {failure && <ErrorBanner error={failure} level={4} />}
    </section>
  );
}
