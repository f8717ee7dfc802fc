// The facts of a dossier as the Faits panel lists them: groups of items, each with what was read,
// where (evidence), what the magistrate corrected, and the fields a correction may change
// (JSON pointers into the facts, as the engine's `correct` takes them).
import type { AppInfo, Correction, Evidence, Facts } from "../../core";
import { familyLabel } from "../AppInfoContext";
import { formatDay, formatNumber, formatRate, formatTime, personName } from "../shared/format";
import { alcoholMethodLabel, LICENCE_STATUSES, licenceLabel, roleLabel } from "../shared/labels";

export type FieldKind = "text" | "decimal" | "integer" | "date" | "select" | "boolean";

export interface EditField {
  path: string;
  label: string;
  kind: FieldKind;
  /** The value now (corrected if it was), as JSON. */
  value: unknown;
  /** May be emptied (the fact becomes unknown). */
  nullable: boolean;
  options?: { id: string; label: string }[];
  hint?: string;
}

export interface FactItem {
  key: string;
  label: string;
  /** What the panel shows, in French. */
  value: string;
  /** The value is unknown (shown dimmed). */
  unknown?: boolean;
  evidence: Evidence[];
  fields: EditField[];
  /** The corrections that changed one of its fields, latest last. */
  corrections: Correction[];
}

export interface FactGroup {
  id: string;
  title: string;
  items: FactItem[];
  /** Said when the group has no item. */
  empty: string;
}

const BOOLEAN_OPTIONS = [
  { id: "true", label: "Oui" },
  { id: "false", label: "Non" },
];

function correctionsOf(corrections: Correction[], fields: EditField[]): Correction[] {
  const paths = new Set(fields.map((f) => f.path));
  return corrections.filter((c) => paths.has(c.path) || [...paths].some((p) => c.path.startsWith(`${p}/`)));
}

function item(
  corrections: Correction[],
  key: string,
  label: string,
  value: string | null,
  evidence: Evidence[],
  fields: EditField[],
): FactItem {
  return {
    key,
    label,
    value: value ?? "Non relevé",
    unknown: value === null,
    evidence,
    fields,
    corrections: correctionsOf(corrections, fields),
  };
}

function yesNo(value: boolean | null, unknown: string): string {
  return value === null ? unknown : value ? "Oui" : "Non";
}

/** A value as the correction form shows it in its input. */
/** The lowest OCR confidence (0–100) of a fact's evidence, or null when none was read by OCR. */
export function ocrConfidence(evidence: Evidence[]): number | null {
  const read = evidence.flatMap((e) => (e.ocr_confidence === undefined ? [] : [e.ocr_confidence]));
  return read.length === 0 ? null : Math.min(...read);
}

/** The badge of a fact read by OCR: « lu par OCR » with its confidence. */
export function ocrBadge(confidence: number): string {
  return `lu par OCR (confiance${"\u00a0"}: ${confidence}${"\u00a0"}%)`;
}

export function fieldText(field: EditField): string {
  const v = field.value;
  if (v === null || v === undefined) return "";
  if (field.kind === "decimal" && typeof v === "number") return formatNumber(v, 3);
  if (field.kind === "date" && typeof v === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  return String(v);
}

export function factGroups(facts: Facts, corrections: Correction[], info: AppInfo | null): FactGroup[] {
  const c = corrections;
  const persons: FactItem[] = facts.persons.map((p, i) => {
    const born = [p.birth_date ? `né(e) le ${formatDay(p.birth_date)}` : null, p.birth_place ? `à ${p.birth_place}` : null]
      .filter((x) => x !== null)
      .join(" ");
    const name = personName(p.given_names, p.surname) || "Nom non relevé";
    const role = p.quality ? `${roleLabel(p.role)} (${p.quality})` : roleLabel(p.role);
    return item(c, `person-${i}`, role, born ? `${name}, ${born}` : name, p.evidence, [
      { path: `/persons/${i}/surname`, label: "Nom", kind: "text", value: p.surname, nullable: false },
      { path: `/persons/${i}/given_names`, label: "Prénoms", kind: "text", value: p.given_names, nullable: false },
      {
        path: `/persons/${i}/birth_date`,
        label: "Date de naissance",
        kind: "date",
        value: p.birth_date,
        nullable: true,
      },
      {
        path: `/persons/${i}/birth_place`,
        label: "Lieu de naissance",
        kind: "text",
        value: p.birth_place,
        nullable: true,
      },
    ]);
  });

  const families = (info?.families ?? []).map((f) => ({ id: f.id, label: f.label }));
  const offences: FactItem[] = facts.offences.map((o, i) =>
    item(
      c,
      `offence-${i}`,
      familyLabel(info, o.family),
      o.natinf ? `${o.label} (NATINF n°\u00a0${o.natinf})` : o.label,
      o.evidence,
      [
        { path: `/offences/${i}/family`, label: "Famille d'infraction", kind: "select", value: o.family, nullable: false, options: families },
        { path: `/offences/${i}/natinf`, label: "Code NATINF", kind: "text", value: o.natinf, nullable: true },
      ],
    ),
  );

  const when = facts.facts;
  const circumstances: FactItem[] = [
    item(c, "facts-date", "Date des faits", when.date ? formatDay(when.date) : null, when.evidence, [
      { path: "/facts/date", label: "Date des faits", kind: "date", value: when.date, nullable: true },
    ]),
    item(c, "facts-time", "Heure", when.time ? formatTime(when.time) : null, when.evidence, [
      { path: "/facts/time", label: "Heure (HH:MM)", kind: "text", value: when.time, nullable: true, hint: "Par exemple 23:40" },
    ]),
    item(c, "facts-commune", "Commune", when.commune, when.evidence, [
      { path: "/facts/commune", label: "Commune", kind: "text", value: when.commune, nullable: true },
    ]),
  ];
  if (facts.vehicle !== null) {
    const v = facts.vehicle;
    circumstances.push(
      item(c, "vehicle", "Véhicule", [v.description, v.plate ? `immatriculé ${v.plate}` : null].filter((x) => x).join(", ") || null, [], [
        { path: "/vehicle/description", label: "Véhicule", kind: "text", value: v.description, nullable: true },
        { path: "/vehicle/plate", label: "Immatriculation", kind: "text", value: v.plate, nullable: true },
      ]),
    );
  }
  if (facts.speed !== null) {
    const s = facts.speed;
    const parts = [
      s.retained !== null ? `${formatNumber(s.retained)}\u00a0km/h retenus` : null,
      s.measured !== null ? `${formatNumber(s.measured)}\u00a0km/h mesurés` : null,
      s.limit !== null ? `pour ${formatNumber(s.limit)}\u00a0km/h autorisés` : null,
    ].filter((x) => x !== null);
    circumstances.push(
      item(c, "speed", "Vitesse", parts.length > 0 ? parts.join(", ") : null, s.evidence, [
        { path: "/speed/retained", label: "Vitesse retenue (km/h)", kind: "decimal", value: s.retained, nullable: true },
        { path: "/speed/measured", label: "Vitesse mesurée (km/h)", kind: "decimal", value: s.measured, nullable: true },
        { path: "/speed/limit", label: "Vitesse autorisée (km/h)", kind: "decimal", value: s.limit, nullable: true },
      ]),
    );
  }

  const alcohol: FactItem[] = [];
  if (facts.alcohol !== null) {
    const a = facts.alcohol;
    alcohol.push(
      item(c, "alcohol-value", "Taux retenu", formatRate(a.value, a.unit), a.evidence, [
        { path: "/alcohol/value", label: `Taux retenu (${a.unit})`, kind: "decimal", value: a.value, nullable: false },
      ]),
      item(
        c,
        "alcohol-margin",
        "Après la marge d'erreur",
        a.after_margin !== null ? formatRate(a.after_margin, a.unit) : null,
        a.evidence,
        [
          {
            path: "/alcohol/after_margin",
            label: `Taux après la marge d'erreur (${a.unit})`,
            kind: "decimal",
            value: a.after_margin,
            nullable: true,
          },
        ],
      ),
      item(
        c,
        "alcohol-measures",
        "Mesures",
        a.measures.length > 0 ? a.measures.map((m) => formatRate(m, a.unit)).join(" puis ") : null,
        a.evidence,
        [],
      ),
      item(c, "alcohol-method", "Méthode", alcoholMethodLabel(a.method), a.evidence, []),
    );
  }

  const licence: FactItem[] = [
    item(c, "licence", "Permis de conduire", licenceLabel(facts.licence.status), facts.licence.evidence, [
      {
        path: "/licence/status",
        label: "Permis de conduire",
        kind: "select",
        value: facts.licence.status,
        nullable: false,
        options: LICENCE_STATUSES.map((s) => ({ id: s.id, label: s.label })),
      },
    ]),
  ];

  const antecedents: FactItem[] = [
    item(c, "recidive", "Récidive légale", yesNo(facts.recidive, "Non déterminée"), [], [
      { path: "/recidive", label: "Récidive légale", kind: "boolean", value: facts.recidive, nullable: true, options: BOOLEAN_OPTIONS },
    ]),
    ...facts.antecedents.map((a, i) =>
      item(
        c,
        `antecedent-${i}`,
        a.date ? `Condamnation du ${formatDay(a.date)}` : "Condamnation",
        a.family ? `${a.label} (${familyLabel(info, a.family)})` : a.label,
        a.evidence,
        [
          { path: `/antecedents/${i}/label`, label: "Condamnation", kind: "text", value: a.label, nullable: false },
          { path: `/antecedents/${i}/date`, label: "Date", kind: "date", value: a.date, nullable: true },
        ],
      ),
    ),
  ];

  const inj = facts.injuries;
  const injuries: FactItem[] = [
    item(c, "injuries-present", "Blessés", inj.present ? "Oui" : "Aucun blessé relevé", inj.evidence, [
      { path: "/injuries/present", label: "Blessés", kind: "boolean", value: inj.present, nullable: false, options: BOOLEAN_OPTIONS },
    ]),
    item(
      c,
      "injuries-itt",
      "Incapacité totale de travail",
      inj.itt_days !== null ? `${inj.itt_days}\u00a0jour${inj.itt_days > 1 ? "s" : ""}` : null,
      inj.evidence,
      [{ path: "/injuries/itt_days", label: "ITT (jours)", kind: "integer", value: inj.itt_days, nullable: true }],
    ),
    item(c, "injuries-deaths", "Décès", inj.deaths !== null ? String(inj.deaths) : null, inj.evidence, [
      { path: "/injuries/deaths", label: "Décès", kind: "integer", value: inj.deaths, nullable: true },
    ]),
  ];

  const custody: FactItem[] = [];
  if (facts.custody !== null) {
    const g = facts.custody;
    custody.push(
      item(c, "custody-start", "Début", g.start ? formatTime(g.start) : null, [], [
        { path: "/custody/start", label: "Début (AAAA-MM-JJTHH:MM)", kind: "text", value: g.start, nullable: true },
      ]),
      item(c, "custody-end", "Fin", g.end ? formatTime(g.end) : null, [], [
        { path: "/custody/end", label: "Fin (AAAA-MM-JJTHH:MM)", kind: "text", value: g.end, nullable: true },
      ]),
    );
  }

  return [
    { id: "personnes", title: "Personnes", items: persons, empty: "Aucune personne relevée." },
    { id: "infractions", title: "Infractions", items: offences, empty: "Aucune infraction relevée." },
    { id: "circonstances", title: "Circonstances", items: circumstances, empty: "" },
    { id: "alcoolemie", title: "Alcoolémie", items: alcohol, empty: "Aucune mesure d'alcoolémie relevée." },
    { id: "permis", title: "Permis", items: licence, empty: "" },
    { id: "antecedents", title: "Antécédents", items: antecedents, empty: "" },
    { id: "blessures", title: "Blessures", items: injuries, empty: "" },
    { id: "garde-a-vue", title: "Garde à vue", items: custody, empty: "Aucune garde à vue relevée." },
  ];
}

/** The JSON value the engine takes for what was typed in a field, or a French reason why not. */
export function parseField(field: EditField, text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const t = text.trim();
  if (t === "") {
    return field.nullable ? { ok: true, value: null } : { ok: false, reason: "Ce champ ne peut pas être vide." };
  }
  switch (field.kind) {
    case "decimal": {
      const n = Number(t.replace(/\s/g, "").replace(",", "."));
      return Number.isFinite(n) && /^-?[\d\s]+([.,]\d+)?$/.test(t)
        ? { ok: true, value: n }
        : { ok: false, reason: "Indiquez un nombre, par exemple 0,62." };
    }
    case "integer":
      return /^\d+$/.test(t) ? { ok: true, value: Number(t) } : { ok: false, reason: "Indiquez un nombre entier." };
    case "date": {
      const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
      const iso = french
        ? `${french[3]}-${french[2]?.padStart(2, "0")}-${french[1]?.padStart(2, "0")}`
        : /^\d{4}-\d{2}-\d{2}$/.test(t)
          ? t
          : null;
      const date = iso === null ? null : new Date(`${iso}T00:00:00Z`);
      return iso !== null && date !== null && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso)
        ? { ok: true, value: iso }
        : { ok: false, reason: "Indiquez une date valide, par exemple 20/11/2026." };
    }
    case "boolean":
      return t === "true" || t === "false" ? { ok: true, value: t === "true" } : { ok: false, reason: "Choisissez oui ou non." };
    case "select":
    case "text":
      return { ok: true, value: t };
  }
}

/** The correction's value as the panel words it ("lu : 0,62"). */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return "non relevé";
  if (typeof value === "boolean") return value ? "oui" : "non";
  if (typeof value === "number") return formatNumber(value, 3);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
