import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useCallback, useEffect, useState } from "react";

import type { Deadline, RelatedDossier, Role, TimelineEntry, WireError } from "../../core";
import { useAppInfo } from "../AppInfoContext";
import { useCore } from "../CoreContext";
import { DeadlineBadge } from "../components/DossierList";
import { ErrorBanner } from "../components/ErrorBanner";
import { routeHref } from "../router";
import { formatDateTime, formatShortDate, frenchSpacing } from "../shared/format";
import { roleLabel, STATUSES, statusLabel } from "../shared/labels";

type Tracking = { timeline: TimelineEntry[]; deadlines: Deadline[]; related: RelatedDossier[] };

/**
 * The dossier followed: its status (changed by hand, checked by the engine), its deadlines,
 * the other local dossiers of the same person, and its timeline from the journal.
 */
export function TrackingPanel({
  dossier,
  status,
  refresh,
  onChanged,
}: {
  dossier: number;
  status: string;
  /** Changes whenever the dossier was reloaded (a decision, a correction...). */
  refresh: unknown;
  onChanged: () => Promise<void>;
}) {
  const { dossiers } = useCore();
  const info = useAppInfo();
  const [tracking, setTracking] = useState<Tracking | null>(null);
  const [failure, setFailure] = useState<WireError | null>(null);
  const [wanted, setWanted] = useState(status);
  const [refused, setRefused] = useState<WireError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => setWanted(status), [status]);

  const load = useCallback(async () => {
    const [timeline, deadlines, related] = await Promise.all([
      dossiers.timeline(dossier),
      dossiers.deadlines(dossier),
      dossiers.related(dossier),
    ]);
    if (timeline.ok && deadlines.ok && related.ok) {
      setTracking({ timeline: timeline.value, deadlines: deadlines.value, related: related.value });
      setFailure(null);
    } else {
      const failed = [timeline, deadlines, related].find((r) => !r.ok);
      if (failed && !failed.ok) setFailure(failed.error);
    }
  }, [dossiers, dossier]);

  useEffect(() => {
    void load();
  }, [load, refresh]);

  const change = async () => {
    setBusy(true);
    setRefused(null);
    const result = await dossiers.setStatus(dossier, wanted);
    setBusy(false);
    if (!result.ok) {
      setRefused(result.error);
      return;
    }
    await onChanged();
  };

  const statuses = info?.statuses ?? STATUSES;

  return (
    <div className="tracking">
      <section aria-labelledby="tracking-status">
        <h3 id="tracking-status" className="fr-h6 fr-mb-1w">
          Statut
        </h3>
        <form
          className="tracking__status"
          onSubmit={(e) => {
            e.preventDefault();
            void change();
          }}
        >
          <Select
            label="Statut du dossier"
            nativeSelectProps={{ value: wanted, onChange: (e) => setWanted(e.target.value) }}
          >
            {statuses.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </Select>
          <Button type="submit" priority="secondary" size="small" disabled={busy || wanted === status}>
            Changer le statut
          </Button>
        </form>
        {refused && <ErrorBanner error={refused} level={4} />}
      </section>

      {failure && <ErrorBanner error={failure} level={4} onRetry={() => void load()} />}
      {tracking === null && failure === null && <p className="loading">Chargement du suivi…</p>}
      {tracking && (
        <>
          <section aria-labelledby="tracking-deadlines" className="fr-mt-3w">
            <h3 id="tracking-deadlines" className="fr-h6 fr-mb-1w">
              Échéances
            </h3>
            {tracking.deadlines.length === 0 ? (
              <p className="facts__empty">Aucune échéance en cours.</p>
            ) : (
              <ul className="tracking__list">
                {tracking.deadlines.map((d) => (
                  <li key={`${d.kind}-${d.due}`}>
                    <DeadlineBadge deadline={d} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="tracking-related" className="fr-mt-3w">
            <h3 id="tracking-related" className="fr-h6 fr-mb-1w">
              Autres dossiers de la personne
            </h3>
            {tracking.related.length === 0 ? (
              <p className="facts__empty">Aucun autre dossier de cette personne sur ce poste.</p>
            ) : (
              <ul className="tracking__list related">
                {tracking.related.map((r) => (
                  <li key={`${r.dossier}-${r.role}`} data-related={r.dossier}>
                    <a href={routeHref({ page: "dossier", id: r.dossier, document: null, pageNumber: null })}>
                      Dossier n°{"\u00a0"}
                      {r.dossier} — {r.title}
                    </a>
                    <span className="related__meta">
                      {roleLabel(r.role as Role)} · {statusLabel(r.status)} · reçu le{" "}
                      <time dateTime={r.created}>{formatShortDate(r.created)}</time>
                    </span>
                    <span className="related__reason">{frenchSpacing(r.reason)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="tracking-timeline" className="fr-mt-3w">
            <h3 id="tracking-timeline" className="fr-h6 fr-mb-1w">
              Historique
            </h3>
            {tracking.timeline.length === 0 ? (
              <p className="facts__empty">Aucun événement.</p>
            ) : (
              <ol className="journal">
                {[...tracking.timeline].reverse().map((entry, i) => (
                  <li key={`${entry.at}-${i}`} className="journal__entry">
                    <span className="journal__event">{frenchSpacing(entry.label)}</span>
                    <span className="journal__meta">
                      <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                      {entry.actor ? ` — ${entry.actor}` : ""}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </div>
  );
}
