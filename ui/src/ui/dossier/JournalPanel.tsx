import type { JournalEntry } from "../../core";
import { formatDateTime } from "../shared/format";
import { eventLabel } from "../shared/labels";

export function JournalPanel({ journal }: { journal: JournalEntry[] }) {
  if (journal.length === 0) return <p className="facts__empty">Aucun événement.</p>;
  return (
    <ol className="journal">
      {[...journal].reverse().map((entry) => (
        <li key={entry.id} className="journal__entry">
          <span className="journal__event">{eventLabel(entry.event)}</span>
          <span className="journal__meta">
            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            {entry.actor ? ` — ${entry.actor}` : ""}
          </span>
        </li>
      ))}
    </ol>
  );
}
