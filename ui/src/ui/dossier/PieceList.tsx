import type { DocumentRow, Piece } from "../../core";
import { countLabel, formatDay, pagesLabel } from "../shared/format";
import { pieceKindLabel } from "../shared/labels";

export function PieceList({
  documents,
  document,
  pieces,
  factsDocument,
  page,
  onOpen,
}: {
  documents: DocumentRow[];
  document: number;
  pieces: Piece[];
  /** The document the pieces (and the facts) were read from. */
  factsDocument: number;
  page: number;
  onOpen: (document: number, page: number) => void;
}) {
  return (
    <nav className="pieces" aria-labelledby="pieces-title">
      <h2 id="pieces-title" className="pieces__title">
        Pièces
      </h2>
      {documents.length > 1 && (
        <ul className="pieces__documents">
          {documents.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                className="piece"
                aria-current={d.id === document ? "true" : undefined}
                onClick={() => onOpen(d.id, 1)}
              >
                <span className="piece__kind">Document n°{"\u00a0"}{d.id}</span>
                <span className="piece__title">{d.original_name}</span>
                <span className="piece__meta">{countLabel(d.pages, "page", "pages", "aucune page")}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {pieces.length === 0 ? (
        <p className="facts__empty">Aucune pièce distinguée dans ce document.</p>
      ) : (
        <ol className="pieces__list">
          {pieces.map((piece) => {
            const current = document === factsDocument && page >= piece.first_page && page <= piece.last_page;
            return (
              <li key={piece.index}>
                <button
                  type="button"
                  className="piece"
                  aria-current={current ? "true" : undefined}
                  onClick={() => onOpen(factsDocument, piece.first_page)}
                >
                  <span className="piece__kind">
                    {piece.cote ? `${piece.cote} — ` : ""}
                    {pieceKindLabel(piece.kind)}
                  </span>
                  <span className="piece__title">{piece.title}</span>
                  <span className="piece__meta">
                    {piece.date ? `${formatDay(piece.date)} · ` : ""}
                    {pagesLabel(piece.first_page, piece.last_page)}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </nav>
  );
}
