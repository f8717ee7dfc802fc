// pdf.js, loaded only when a page is first shown (it is large): its worker and its data files
// are bundled with the app (see scripts/copy-pdfjs-assets.mjs); nothing is fetched from outside.
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy, PDFPageProxy, PageViewport } from "pdfjs-dist";

export function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const base = new URL(import.meta.env.BASE_URL, window.location.href);
  return getDocument({
    data: bytes,
    // No eval (the CSP forbids it) and no WebAssembly: pdf.js's JavaScript paths are used.
    isEvalSupported: false,
    useWasm: false,
    useSystemFonts: false,
    standardFontDataUrl: new URL("pdfjs/standard_fonts/", base).href,
    cMapUrl: new URL("pdfjs/cmaps/", base).href,
    wasmUrl: new URL("pdfjs/wasm/", base).href,
    enableXfa: false,
  }).promise;
}
