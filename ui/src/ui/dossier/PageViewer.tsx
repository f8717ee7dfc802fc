import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useRef, useState } from "react";

import type { PageView, Rect, WireError } from "../../core";
import { useCore } from "../CoreContext";
import { ErrorBanner } from "../components/ErrorBanner";
import type { PDFDocumentProxy } from "./pdfjs";

/** What the viewer marks: characters `start..end` of a page's text (a fact's evidence). */
export interface Highlight {
  page: number;
  start: number;
  end: number;
  text: string;
}

/** A page's text with characters `start..end` (Unicode scalar values) marked. */
export function MarkedText({ text, start, end }: { text: string; start?: number | undefined; end?: number | undefined }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: "center" });
  }, [start, end]);
  if (start === undefined || end === undefined || end <= start) {
    return <pre className="page-text">{text}</pre>;
  }
  const chars = Array.from(text);
  return (
    <pre className="page-text">
      {chars.slice(0, start).join("")}
      <mark ref={ref} className="page-text__mark">
        {chars.slice(start, end).join("")}
      </mark>
      {chars.slice(end).join("")}
    </pre>
  );
}

/** Zoom levels, as multiples of the width that fits the viewer. */
const ZOOMS = [1, 1.25, 1.5, 2];

type Loaded = { document: number; pdf: PDFDocumentProxy } | { document: number; error: WireError };

/** A PDF page drawn with pdf.js from the stored original, the evidence rectangles over it. */
function PdfPage({
  pdf,
  number,
  rects,
  label,
  zoom,
}: {
  pdf: PDFDocumentProxy;
  number: number;
  rects: Rect[];
  label: string;
  /** Times the width that fits the viewer. */
  zoom: number;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [view, setView] = useState<{ w: number; h: number; boxes: { x: number; y: number; w: number; h: number }[] } | null>(
    null,
  );
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (width === 0 || !canvas.current) return;
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<void> } | null = null;
    void (async () => {
      try {
        const page = await pdf.getPage(number);
        if (cancelled) return;
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (width / base.width) * zoom });
        const ratio = window.devicePixelRatio || 1;
        const target = canvas.current;
        if (!target) return;
        target.width = Math.floor(viewport.width * ratio);
        target.height = Math.floor(viewport.height * ratio);
        target.style.width = `${Math.floor(viewport.width)}px`;
        target.style.height = `${Math.floor(viewport.height)}px`;
        const context = target.getContext("2d");
        if (!context) return;
        task = page.render({
          canvas: target,
          canvasContext: context,
          viewport,
          transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
        });
        await task.promise;
        if (cancelled) return;
        const boxes = rects.map((r) => {
          const [x1, y1, x2, y2] = viewport.convertToViewportRectangle([r.left, r.bottom, r.right, r.top]);
          const pad = 2;
          return {
            x: Math.min(x1, x2) - pad,
            y: Math.min(y1, y2) - pad,
            w: Math.abs(x2 - x1) + 2 * pad,
            h: Math.abs(y2 - y1) + 2 * pad,
          };
        });
        setView({ w: viewport.width, h: viewport.height, boxes });
        setFailed(false);
      } catch (e) {
        if (!cancelled && !(e instanceof Error && e.name === "RenderingCancelledException")) setFailed(true);
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, number, width, rects, zoom]);

  const firstBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    firstBox.current?.scrollIntoView?.({ block: "center", behavior: "smooth" });
  }, [view]);

  return (
    <div ref={frame} className="pdf-page-frame">
      <div className="pdf-page" style={view ? { width: view.w, height: view.h } : undefined}>
        <canvas ref={canvas} role="img" aria-label={label} />
        {view?.boxes.map((b, i) => (
          <div
            key={i}
            ref={i === 0 ? firstBox : undefined}
            className="pdf-highlight"
            style={{ left: b.x, top: b.y, width: b.w, height: b.h }}
          />
        ))}
      </div>
      {failed && <p className="fr-error-text">Cette page n'a pas pu être dessinée. Son texte reste consultable.</p>}
    </div>
  );
}

export function PageViewer({
  document,
  pageCount,
  page,
  highlight,
  onPage,
}: {
  document: number;
  pageCount: number;
  page: number;
  highlight: Highlight | null;
  onPage: (page: number) => void;
}) {
  const { documents } = useCore();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [pageView, setPageView] = useState<PageView | null>(null);
  const [pageError, setPageError] = useState<WireError | null>(null);
  const [rects, setRects] = useState<Rect[]>([]);
  const [asText, setAsText] = useState(false);
  const [zoom, setZoom] = useState(0);
  const mark = highlight && highlight.page === page ? highlight : null;

  // The page's text and size (and whether it is a PDF at all).
  useEffect(() => {
    let live = true;
    setPageError(null);
    void documents.page(document, page).then((r) => {
      if (!live) return;
      if (r.ok) setPageView(r.value);
      else setPageError(r.error);
    });
    return () => {
      live = false;
    };
  }, [documents, document, page]);

  const isPdf = pageView?.kind === "pdf";

  // The original, opened once per document.
  useEffect(() => {
    if (!isPdf || (loaded && loaded.document === document)) return;
    let live = true;
    void (async () => {
      const bytes = await documents.original(document);
      if (!live) return;
      if (!bytes.ok) {
        setLoaded({ document, error: bytes.error });
        return;
      }
      try {
        const { openPdf } = await import("./pdfjs");
        const pdf = await openPdf(bytes.value);
        if (live) setLoaded({ document, pdf });
      } catch (e) {
        if (live)
          setLoaded({
            document,
            error: { code: "pdf.viewer", message: e instanceof Error ? e.message : String(e) },
          });
      }
    })();
    return () => {
      live = false;
    };
  }, [documents, document, isPdf, loaded]);

  useEffect(() => {
    if (loaded && "pdf" in loaded) {
      const pdf = loaded.pdf;
      return () => void pdf.destroy();
    }
  }, [loaded]);

  // The evidence's rectangles on this page.
  useEffect(() => {
    setRects([]);
    if (!mark || !isPdf) return;
    let live = true;
    void documents.evidenceBoxes(document, mark.page, mark.start, mark.end).then((r) => {
      if (live && r.ok) setRects(r.value);
    });
    return () => {
      live = false;
    };
  }, [documents, document, mark, isPdf]);

  const label = `Page ${page} sur ${pageCount}`;
  const showText = !isPdf || asText || pageView?.needs_ocr === true;

  return (
    <div className="viewer">
      <div className="viewer__bar" role="toolbar" aria-label="Pages du document">
        <Button
          size="small"
          priority="tertiary"
          iconId="fr-icon-arrow-left-s-line"
          disabled={page <= 1}
          onClick={() => onPage(page - 1)}
        >
          Précédente
        </Button>
        <span className="viewer__position" aria-live="polite">
          {label}
        </span>
        <Button
          size="small"
          priority="tertiary"
          iconId="fr-icon-arrow-right-s-line"
          iconPosition="right"
          disabled={page >= pageCount}
          onClick={() => onPage(page + 1)}
        >
          Suivante
        </Button>
        {isPdf && !asText && (
          <span className="viewer__zoom">
            <Button
              size="small"
              priority="tertiary no outline"
              iconId="fr-icon-zoom-out-line"
              title="Réduire"
              disabled={zoom === 0}
              onClick={() => setZoom((z) => Math.max(0, z - 1))}
            />
            <span className="viewer__zoom-level">{Math.round((ZOOMS[zoom] ?? 1) * 100)}{"\u00a0"}%</span>
            <Button
              size="small"
              priority="tertiary no outline"
              iconId="fr-icon-zoom-in-line"
              title="Agrandir"
              disabled={zoom === ZOOMS.length - 1}
              onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))}
            />
          </span>
        )}
        {isPdf && (
          <Button size="small" priority="tertiary no outline" onClick={() => setAsText((t) => !t)} aria-pressed={asText}>
            {asText ? "Voir la page" : "Voir le texte"}
          </Button>
        )}
      </div>
      {mark && (
        <p className="viewer__source fr-text--sm">
          Source surlignée{"\u00a0"}: «{"\u00a0"}
          {mark.text}
          {"\u00a0"}»
        </p>
      )}
      {pageError && <ErrorBanner error={pageError} />}
      {pageView?.needs_ocr && (
        <p className="fr-text--sm viewer__ocr">
          Cette page n'a pas de texte lisible (document scanné)
          {"\u00a0"}: la reconnaissance de caractères n'a pas encore été faite.
        </p>
      )}
      {pageView?.ocr_confidence != null && (
        <p className="fr-text--sm viewer__ocr viewer__ocr--done">
          Page scannée, texte lu par reconnaissance de caractères (confiance{"\u00a0"}:{" "}
          {Math.round(pageView.ocr_confidence)}
          {"\u00a0"}%){"\u00a0"}: vérifiez les valeurs sur l'image.
        </p>
      )}
      <div
        className="viewer__page"
        tabIndex={0}
        role="region"
        aria-label={`Contenu, ${label.toLowerCase()} (Page précédente, Page suivante\u00a0: changer de page)`}
        onKeyDown={(e) => {
          if (e.key === "PageDown" && page < pageCount) onPage(page + 1);
          else if (e.key === "PageUp" && page > 1) onPage(page - 1);
          else return;
          e.preventDefault();
        }}
      >
        {showText && pageView && <MarkedText text={pageView.text} start={mark?.start} end={mark?.end} />}
        {!showText && loaded && "error" in loaded && <ErrorBanner error={loaded.error} />}
        {!showText && loaded && "pdf" in loaded && loaded.document === document && (
          <PdfPage pdf={loaded.pdf} number={page} rects={rects} label={label} zoom={ZOOMS[zoom] ?? 1} />
        )}
        {!showText && (!loaded || loaded.document !== document) && <p className="loading">Ouverture du document…</p>}
      </div>
    </div>
  );
}
