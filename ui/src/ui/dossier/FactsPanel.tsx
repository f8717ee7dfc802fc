import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useId, useState } from "react";

import type { Evidence, WireError } from "../../core";
import { ErrorBanner } from "../components/ErrorBanner";
import { frenchSpacing, pagesLabel } from "../shared/format";
import {
  fieldText,
  jsonText,
  ocrBadge,
  ocrConfidence,
  parseField,
  type EditField,
  type FactGroup,
  type FactItem,
} from "./facts";

/** The page links of a fact's sources: "p. 2", "p. 5"… */
export function EvidenceLinks({
  evidence,
  onShow,
  what,
}: {
  evidence: Evidence[];
  onShow: (e: Evidence) => void;
  what: string;
}) {
  // One link per page: the first evidence read on it.
  const byPage = new Map<number, Evidence>();
  for (const e of evidence) if (!byPage.has(e.page)) byPage.set(e.page, e);
  if (byPage.size === 0) return null;
  return (
    <span className="evidence-links">
      <span className="fr-sr-only">Sources de «{"\u00a0"}{what}{"\u00a0"}»{"\u00a0"}:</span>
      {[...byPage.values()].slice(0, 4).map((e) => (
        <button
          key={e.page}
          type="button"
          className="evidence-link"
          data-source-text
          title={`Voir la source${"\u00a0"}: «${"\u00a0"}${e.text}${"\u00a0"}»`}
          onClick={() => onShow(e)}
        >
          {pagesLabel(e.page, e.page)}
        </button>
      ))}
    </span>
  );
}

interface CorrectionFormProps {
  item: FactItem;
  onSave: (changes: { path: string; value: unknown }[], reason: string) => Promise<WireError | null>;
  onClose: () => void;
}

function FieldInput({ field, value, onChange, error }: { field: EditField; value: string; onChange: (v: string) => void; error?: string | undefined }) {
  const state = error ? "error" : "default";
  if (field.kind === "select" || field.kind === "boolean") {
    return (
      <Select
        label={field.label}
        state={state}
        stateRelatedMessage={error}
        nativeSelectProps={{ value, onChange: (e) => onChange(e.target.value) }}
      >
        {field.nullable && <option value="">Inconnu</option>}
        {(field.options ?? []).map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </Select>
    );
  }
  return (
    <Input
      label={field.label}
      hintText={field.hint ?? (field.kind === "date" ? "Au format JJ/MM/AAAA" : field.nullable ? "Laisser vide si inconnu" : undefined)}
      state={state}
      stateRelatedMessage={error}
      nativeInputProps={{
        value,
        onChange: (e) => onChange(e.target.value),
        inputMode: field.kind === "decimal" ? "decimal" : field.kind === "integer" ? "numeric" : undefined,
        autoComplete: "off",
      }}
    />
  );
}

function CorrectionForm({ item, onSave, onClose }: CorrectionFormProps) {
  const [texts, setTexts] = useState<string[]>(() => item.fields.map(fieldText));
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<(string | undefined)[]>([]);
  const [failure, setFailure] = useState<WireError | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();

  const submit = async () => {
    const parsed = item.fields.map((f, i) => parseField(f, texts[i] ?? ""));
    const fieldErrors = parsed.map((p) => (p.ok ? undefined : p.reason));
    setErrors(fieldErrors);
    if (fieldErrors.some((e) => e !== undefined)) return;
    const changes = item.fields
      .map((f, i) => {
        const p = parsed[i];
        return p && p.ok ? { path: f.path, value: p.value, before: f.value } : null;
      })
      .filter((c): c is { path: string; value: unknown; before: unknown } => c !== null)
      .filter((c) => JSON.stringify(c.value) !== JSON.stringify(c.before ?? null))
      .map(({ path, value }) => ({ path, value }));
    if (changes.length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    const error = await onSave(changes, reason.trim());
    setSaving(false);
    if (error) setFailure(error);
    else onClose();
  };

  return (
    <form
      className="correction-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <p id={`${id}-title`} className="fr-text--bold fr-mb-1w">
        Corriger «{"\u00a0"}{item.label}{"\u00a0"}»
      </p>
      {item.fields.map((field, i) => (
        <FieldInput
          key={field.path}
          field={field}
          value={texts[i] ?? ""}
          error={errors[i]}
          onChange={(v) => setTexts((all) => all.map((t, j) => (j === i ? v : t)))}
        />
      ))}
      <Input
        label="Raison de la correction (facultative)"
        hintText="Inscrite au journal avec la correction"
        textArea
        nativeTextAreaProps={{ value: reason, onChange: (e) => setReason(e.target.value), rows: 2 }}
      />
      {failure && <ErrorBanner error={failure} level={4} />}
      <div className="correction-form__actions">
        <Button type="submit" size="small" disabled={saving}>
          {saving ? "Enregistrement…" : "Enregistrer la correction"}
        </Button>
        <Button type="button" size="small" priority="secondary" onClick={onClose}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

function FactRow({
  item,
  onShow,
  onCorrect,
}: {
  item: FactItem;
  onShow: (e: Evidence) => void;
  onCorrect: (changes: { path: string; value: unknown }[], reason: string) => Promise<WireError | null>;
}) {
  const [editing, setEditing] = useState(false);
  const last = item.corrections[item.corrections.length - 1];
  const first = item.corrections[0];
  const ocr = ocrConfidence(item.evidence);
  return (
    <li className="fact" data-fact={item.key}>
      <div className="fact__main">
        <span className="fact__label">{item.label}</span>
        <span className={item.unknown ? "fact__value fact__value--unknown" : "fact__value"}>{item.value}</span>
      </div>
      <div className="fact__meta">
        <EvidenceLinks evidence={item.evidence} onShow={onShow} what={item.label} />
        {ocr !== null && (
          <span title="Lu sur une page scannée par la reconnaissance de caractères : vérifiez la valeur sur la page.">
            <Badge small severity={ocr < 80 ? "warning" : "info"} noIcon as="span" className="fact__ocr">
              {ocrBadge(ocr)}
            </Badge>
          </span>
        )}
        {last && (
          <Badge small severity="warning" noIcon as="span" className="fact__corrected">
            Corrigé
          </Badge>
        )}
        {item.fields.length > 0 && !editing && (
          <Button
            size="small"
            priority="tertiary no outline"
            iconId="fr-icon-edit-line"
            title={`Corriger «${"\u00a0"}${item.label}${"\u00a0"}»`}
            onClick={() => setEditing(true)}
          >
            Corriger
          </Button>
        )}
      </div>
      {last && first && (
        <p className="fact__history">
          Lu dans la procédure{"\u00a0"}: {jsonText(first.previous)} — corrigé par {last.actor || "l'utilisateur"}
          {last.reason ? ` (${frenchSpacing(last.reason)})` : ""}
        </p>
      )}
      {editing && <CorrectionForm item={item} onSave={onCorrect} onClose={() => setEditing(false)} />}
    </li>
  );
}

export function FactsPanel({
  groups,
  onShow,
  onCorrect,
}: {
  groups: FactGroup[];
  onShow: (e: Evidence) => void;
  onCorrect: (changes: { path: string; value: unknown }[], reason: string) => Promise<WireError | null>;
}) {
  return (
    <div className="facts">
      {groups.map((group) => (
        <section key={group.id} className="facts__group" aria-labelledby={`faits-${group.id}`}>
          <h3 id={`faits-${group.id}`} className="facts__title">
            {group.title}
          </h3>
          {group.items.length === 0 ? (
            <p className="facts__empty">{group.empty}</p>
          ) : (
            <ul className="facts__items">
              {group.items.map((item) => (
                <FactRow key={item.key} item={item} onShow={onShow} onCorrect={onCorrect} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
