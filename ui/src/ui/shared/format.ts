// How engine values read in French.

/** Status codes stored by the engine, as words. */
const STATUS_LABELS: Record<string, string> = {
  recu: "reçu",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.replaceAll("_", " ");
}

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

/** "1 document", "2 documents", "aucun document". */
export function countLabel(count: number, singular: string, plural: string, none: string): string {
  if (count === 0) {
    return none;
  }
  return `${count.toLocaleString("fr-FR")}\u00a0${count === 1 ? singular : plural}`;
}
