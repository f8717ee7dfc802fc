import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";

import type { DecisionRecord, Evidence, Profile, Proposal, WireError } from "../../core";
import { familyLabel, orientationLabel, useAppInfo } from "../AppInfoContext";
import { ErrorBanner } from "../components/ErrorBanner";
import { routeHref } from "../router";
import { formatDateTime, frenchSpacing, quoted } from "../shared/format";
import { EvidenceLinks } from "./FactsPanel";

interface DecisionProps {
  proposal: Proposal;
  /** A decision was already made: the form opens on demand, to revise it. */
  decided: boolean;
  profile: Profile | null;
  onDecide: (orientation: string | null, reason: string) => Promise<WireError | null>;
}

function DecisionForm({ proposal, decided, profile, onDecide }: DecisionProps) {
  const info = useAppInfo();
  const [revising, setRevising] = useState(false);
  const [other, setOther] = useState(false);
  const [orientation, setOrientation] = useState("");
  const [reason, setReason] = useState("");
  const [failure, setFailure] = useState<WireError | null>(null);
  const [invalid, setInvalid] = useState<{ orientation?: string; reason?: string }>({});
  const [saving, setSaving] = useState(false);
  const noProfile = profile !== null && profile.name.trim() === "";

  const decide = async (chosen: string | null, why: string) => {
    setSaving(true);
    setFailure(null);
    const error = await onDecide(chosen, why);
    setSaving(false);
    if (error) setFailure(error);
    else {
      setOther(false);
      setRevising(false);
      setReason("");
      setOrientation("");
    }
  };

  const submitOther = () => {
    const problems: { orientation?: string; reason?: string } = {};
    if (orientation === "") problems.orientation = "Choisissez l'orientation retenue.";
    if (orientation !== proposal.orientation && reason.trim() === "")
      problems.reason = "Indiquez pourquoi vous retenez une autre orientation que la proposition.";
    setInvalid(problems);
    if (problems.orientation || problems.reason) return;
    void decide(orientation, reason.trim());
  };

  return (
    <section className="decision fr-mt-3w" aria-labelledby="decision-title">
      <h3 id="decision-title" className="fr-h6 fr-mb-1w">
        {decided ? "Revenir sur la décision" : "Votre décision"}
      </h3>
      {noProfile && (
        <Alert
          severity="warning"
          small
          className="fr-mb-2w"
          description={
            <>
              Renseignez d'abord votre nom et votre fonction dans les{" "}
              <a href={routeHref({ page: "parametres" })}>paramètres</a>{"\u00a0"}: ils sont inscrits dans chaque décision.
            </>
          }
        />
      )}
      {failure && <ErrorBanner error={failure} level={4} />}
      {decided && !revising ? (
        <>
          <p className="fr-text--sm">
            La décision est enregistrée. Une nouvelle décision s'ajoute au journal, elle ne remplace pas la précédente.
          </p>
          <Button priority="secondary" onClick={() => setRevising(true)}>
            Prendre une nouvelle décision…
          </Button>
        </>
      ) : !other ? (
        <div className="decision__actions">
          <Button
            iconId="fr-icon-check-line"
            disabled={saving || noProfile}
            onClick={() => void decide(null, "")}
          >
            Accepter la proposition
          </Button>
          <Button priority="secondary" disabled={saving || noProfile} onClick={() => setOther(true)}>
            Retenir une autre orientation…
          </Button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submitOther();
          }}
        >
          <Select
            label="Orientation retenue"
            state={invalid.orientation ? "error" : "default"}
            stateRelatedMessage={invalid.orientation}
            nativeSelectProps={{ value: orientation, onChange: (e) => setOrientation(e.target.value) }}
          >
            <option value="" disabled>
              Choisir une orientation
            </option>
            {(info?.orientations ?? [])
              .filter((o) => o.id !== "a_examiner")
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                  {o.id === proposal.orientation ? " (proposée)" : ""}
                </option>
              ))}
          </Select>
          <Input
            label="Raison"
            hintText={"Obligatoire quand l'orientation diffère de la proposition\u00a0; inscrite au journal"}
            textArea
            state={invalid.reason ? "error" : "default"}
            stateRelatedMessage={invalid.reason}
            nativeTextAreaProps={{ value: reason, onChange: (e) => setReason(e.target.value), rows: 3 }}
          />
          <div className="decision__actions">
            <Button type="submit" disabled={saving}>
              {saving ? "Enregistrement…" : "Valider cette orientation"}
            </Button>
            <Button type="button" priority="secondary" onClick={() => setOther(false)}>
              Annuler
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

function LastDecision({ decision }: { decision: DecisionRecord }) {
  const info = useAppInfo();
  return (
    <Alert
      severity="success"
      role="status"
      small
      className="fr-mb-2w decision-done"
      description={
        <>
          <strong>Décision validée{"\u00a0"}: {orientationLabel(info, decision.orientation)}</strong>
          <br />
          {decision.accepted ? "Proposition acceptée" : `Proposition écartée (${orientationLabel(info, decision.proposed)})`} par{" "}
          {decision.actor}
          {decision.actor_function ? `, ${decision.actor_function}` : ""}, le {formatDateTime(decision.at)}.
          {decision.reason && (
            <>
              <br />
              Raison{"\u00a0"}: {frenchSpacing(decision.reason)}
            </>
          )}
        </>
      }
    />
  );
}

export function OrientationPanel({
  proposal,
  decisions,
  profile,
  onShow,
  onDecide,
}: {
  proposal: Proposal;
  decisions: DecisionRecord[];
  profile: Profile | null;
  onShow: (e: Evidence) => void;
  onDecide: (orientation: string | null, reason: string) => Promise<WireError | null>;
}) {
  const info = useAppInfo();
  const last = decisions[decisions.length - 1];
  return (
    <div className="orientation">
      {last && <LastDecision decision={last} />}
      <div className="proposal fr-p-2w">
        <p className="proposal__kicker fr-mb-0">Orientation proposée</p>
        <p className="proposal__label fr-h4 fr-mb-1v" data-orientation={proposal.orientation}>
          {proposal.orientation_label}
        </p>
        <p className="fr-text--sm fr-mb-0">
          Selon la politique {quoted(proposal.policy.name)}, version {proposal.policy.version}.
        </p>
      </div>

      {proposal.missing.length > 0 && (
        <Alert
          severity="warning"
          small
          role="status"
          className="fr-mt-2w"
          description={
            <>
              <strong>À vérifier{"\u00a0"}:</strong>
              <ul className="fr-mb-0">
                {proposal.missing.map((m) => (
                  <li key={m}>{frenchSpacing(m)}</li>
                ))}
              </ul>
            </>
          }
        />
      )}

      <h3 className="orientation__title">Mesures</h3>
      {proposal.measures.length === 0 ? (
        <p className="facts__empty">Aucune mesure proposée.</p>
      ) : (
        <ul className="measures">
          {proposal.measures.map((m, i) => (
            <li key={`${m.kind}-${i}`}>
              {frenchSpacing(m.label)}{" "}
              {m.mandatory && (
                <Badge small severity="warning" noIcon as="span">
                  Imposée par la loi
                </Badge>
              )}
            </li>
          ))}
        </ul>
      )}

      <h3 className="orientation__title">Règles appliquées</h3>
      {proposal.rules.length === 0 ? (
        <p className="facts__empty">Aucune règle de la politique ne s'applique.</p>
      ) : (
        <ul className="rules">
          {proposal.rules.map((rule) => (
            <li key={rule.id} className={rule.decisive ? "rule rule--decisive" : "rule"}>
              <div className="rule__head fr-mb-1v">
                <span className="rule__orientation">{orientationLabel(info, rule.orientation)}</span>
                {rule.decisive && (
                  <Badge small severity="info" noIcon as="span">
                    Déterminante
                  </Badge>
                )}
              </div>
              <p className="rule__explanation fr-text--sm fr-mb-1v">{frenchSpacing(rule.explanation)}</p>
              {rule.legal_basis && <p className="rule__basis fr-text--xs fr-mb-1v">{frenchSpacing(rule.legal_basis)}</p>}
              <ul className="rule__conditions">
                {rule.conditions.map((c, i) => (
                  <li key={i}>
                    {frenchSpacing(c.reason)} <EvidenceLinks evidence={c.evidence} onShow={onShow} what={c.reason} />
                  </li>
                ))}
              </ul>
              <p className="rule__id fr-text--xs fr-mb-0">Règle {rule.id}</p>
            </li>
          ))}
        </ul>
      )}

      {proposal.undetermined.length > 0 && (
        <>
          <h3 className="orientation__title">Règles indéterminées</h3>
          <p className="fr-text--sm">Elles pourraient s'appliquer, mais la procédure ne dit pas tout ce qu'elles lisent.</p>
          <ul className="rules">
            {proposal.undetermined.map((rule) => (
              <li key={rule.id} className="rule rule--undetermined">
                <div className="rule__head fr-mb-1v">
                  <span className="rule__orientation">{orientationLabel(info, rule.orientation)}</span>
                </div>
                <ul className="rule__conditions">
                  {rule.missing.map((m) => (
                    <li key={m}>{frenchSpacing(m)}</li>
                  ))}
                </ul>
                <p className="rule__id fr-text--xs fr-mb-0">Règle {rule.id}</p>
              </li>
            ))}
          </ul>
        </>
      )}

      <h3 className="orientation__title">Cadre légal</h3>
      {proposal.legal_frame.offences.length === 0 && proposal.legal_frame.mandatory.length === 0 ? (
        <p className="facts__empty">Aucun texte n'a pu être rattaché.</p>
      ) : (
        <ul className="legal">
          {proposal.legal_frame.offences.map((o, i) => (
            <li key={`${o.family}-${i}`}>
              <strong>{frenchSpacing(o.entry?.label ?? o.label)}</strong>
              <span className="legal__sub">
                {familyLabel(info, o.family)}
                {o.natinf ? ` — NATINF n°\u00a0${o.natinf}` : ""}
                {o.entry ? ` — ${o.entry.nature}` : ""}
              </span>
              {o.entry?.defined_by && <span className="legal__sub">Défini par {frenchSpacing(o.entry.defined_by)}</span>}
              {o.entry?.repressed_by && <span className="legal__sub">Réprimé par {frenchSpacing(o.entry.repressed_by)}</span>}
            </li>
          ))}
          {proposal.legal_frame.mandatory.map((m) => (
            <li key={m.id}>
              <strong>{frenchSpacing(m.text)}</strong>
              <span className="legal__sub">{frenchSpacing(m.legal_basis)}</span>
              <ul className="rule__conditions">
                {m.conditions.map((c, i) => (
                  <li key={i}>
                    {frenchSpacing(c.reason)} <EvidenceLinks evidence={c.evidence} onShow={onShow} what={c.reason} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}

      <DecisionForm proposal={proposal} decided={last !== undefined} profile={profile} onDecide={onDecide} />
    </div>
  );
}
