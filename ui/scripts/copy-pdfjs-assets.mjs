// Copies pdf.js's data files (standard fonts, character maps, the JPEG 2000 decoder without
// WebAssembly) into public/pdfjs/, so that the built UI carries them: the window never fetches
// anything from outside the app.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ui = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(ui, "node_modules", "pdfjs-dist");
const to = join(ui, "public", "pdfjs");

rmSync(to, { recursive: true, force: true });
mkdirSync(join(to, "wasm"), { recursive: true });
cpSync(join(from, "standard_fonts"), join(to, "standard_fonts"), { recursive: true });
cpSync(join(from, "cmaps"), join(to, "cmaps"), { recursive: true });
cpSync(join(from, "wasm", "openjpeg_nowasm_fallback.js"), join(to, "wasm", "openjpeg_nowasm_fallback.js"));
for (const licence of ["LICENSE_OPENJPEG", "LICENSE_PDFJS_OPENJPEG"]) {
  cpSync(join(from, "wasm", licence), join(to, "wasm", licence));
}
