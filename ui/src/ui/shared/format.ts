// How engine values read in French.

const NBSP = "\u00a0";

/** "25 novembre 2026 à 09:12", in the computer's time zone; the raw text if it is not a date. */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return new Intl.DateTimeFormat("fr-FR", {
    dateStyle: "long",
    timeStyle: "short",
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(date);
}

/** "20/11/2026": a stored date-time, short, for tables. */
export function formatShortDate(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return new Intl.DateTimeFormat("fr-FR", {
    dateStyle: "short",
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(date);
}

const MONTHS = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
];

/** A calendar date of the facts ("2026-11-20" → "20 novembre 2026"; "1er" for the first). */
export function formatDay(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) {
    return date;
  }
  const [, year, month, day] = match;
  const d = Number(day);
  const name = MONTHS[Number(month) - 1];
  if (name === undefined) {
    return date;
  }
  return `${d === 1 ? "1er" : d}${NBSP}${name}${NBSP}${year}`;
}

/** "23:40" → "23 h 40"; "2026-11-20T23:40" → "20 novembre 2026 à 23 h 40". */
export function formatTime(time: string): string {
  const dateTime = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})/.exec(time);
  if (dateTime !== null) {
    const [, day, hours, minutes] = dateTime;
    return `${formatDay(day ?? "")} à ${hours}${NBSP}h${NBSP}${minutes}`;
  }
  const match = /^(\d{1,2}):(\d{2})/.exec(time);
  if (match === null) {
    return time;
  }
  return `${match[1]}${NBSP}h${NBSP}${match[2]}`;
}

/** A decimal the French way: 0.62 → "0,62". */
export function formatNumber(value: number, maximumFractionDigits = 2): string {
  return value.toLocaleString("fr-FR", { maximumFractionDigits });
}

/** "0,62 mg/L", "0,298 mg/L" (rates keep their thousandths). */
export function formatRate(value: number, unit: string): string {
  return `${formatNumber(value, 3)}${NBSP}${unit}`;
}

/** A French decimal typed by a user ("0,62", "0.62") as a number, or null. */
export function parseDecimal(text: string): number | null {
  const cleaned = text.trim().replace(/\s/g, "").replace(",", ".");
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) {
    return null;
  }
  return Number(cleaned);
}

/** "1 document", "2 documents", "aucun document". */
export function countLabel(count: number, singular: string, plural: string, none: string): string {
  if (count === 0) {
    return none;
  }
  return `${count.toLocaleString("fr-FR")}${NBSP}${count === 1 ? singular : plural}`;
}

/** "p. 3" or "p. 3 à 5". */
export function pagesLabel(first: number, last: number): string {
  return first === last ? `p.${NBSP}${first}` : `p.${NBSP}${first} à ${last}`;
}

/** « text », with the non-breaking spaces French typography puts inside guillemets. */
export function quoted(text: string): string {
  return `«${NBSP}${text}${NBSP}»`;
}

/** "Jean DUPONT" from given names and surname. */
export function personName(givenNames: string, surname: string): string {
  return [givenNames.trim(), surname.trim()].filter((part) => part !== "").join(" ");
}

/**
 * French spacing in a text written elsewhere (a policy file, an engine message): a non-breaking
 * space before « : ; ! ? » and inside guillemets, where a plain one was typed.
 */
export function frenchSpacing(text: string): string {
  return text.replace(/ ([:;!?»])/g, `${NBSP}$1`).replace(/« /g, `«${NBSP}`);
}
