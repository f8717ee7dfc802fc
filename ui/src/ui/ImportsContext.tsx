import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import type { ImportEvent, ImportedFile, WireError } from "../core";
import { useCore } from "./CoreContext";
import { navigate } from "./router";

/** One file of an import, as its progress bar shows it. */
export interface FileImport {
  name: string;
  state: "waiting" | "reading" | "imported" | "duplicate" | "failed";
  pagesDone: number;
  pagesTotal: number;
  /** Pages recognised by OCR, out of the scanned pages found so far. */
  ocrDone: number;
  ocrTotal: number;
  imported: ImportedFile | null;
  error: WireError | null;
}

export interface ImportBatch {
  id: number;
  files: FileImport[];
  done: boolean;
}

interface Imports {
  batches: ImportBatch[];
  /** Files are being dragged over the window. */
  dragging: number | null;
  /** Bumped when an import has stored something: lists reload. */
  version: number;
  importPaths(paths: string[]): Promise<void>;
  pickAndImport(): Promise<void>;
  /** Cancels the import in progress. */
  cancel(): Promise<void>;
  dismiss(id: number): void;
  pickError: WireError | null;
}

const ImportsContext = createContext<Imports | null>(null);

/** "C:\\Procédures\\pv.pdf" or "/home/x/pv.pdf" → "pv.pdf" */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter((p) => p !== "").pop() ?? path;
}

export function applyEvent(files: FileImport[], event: ImportEvent): FileImport[] {
  return files.map((file, index) => {
    if (index !== event.index) return file;
    switch (event.kind) {
      case "started":
        return { ...file, name: event.name, state: "reading" };
      case "progress":
        return {
          ...file,
          state: "reading",
          pagesDone: event.pages_done,
          pagesTotal: event.pages_total,
          ocrDone: event.ocr_done,
          ocrTotal: event.ocr_total,
        };
      case "imported":
        return {
          ...file,
          state: event.imported.duplicate ? "duplicate" : "imported",
          imported: event.imported,
          pagesDone: event.imported.pages,
          pagesTotal: event.imported.pages,
        };
      case "failed":
        return { ...file, state: "failed", error: event.error };
    }
  });
}

let nextBatch = 1;

/**
 * Imports from a drop anywhere on the window or from the file picker: one batch per gesture,
 * one progress bar per file. A single procedure imported opens its dossier.
 */
export function ImportsProvider({ children }: { children: ReactNode }) {
  const { imports, desktop } = useCore();
  const [batches, setBatches] = useState<ImportBatch[]>([]);
  const [dragging, setDragging] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [pickError, setPickError] = useState<WireError | null>(null);

  const importPaths = useCallback(
    async (paths: string[]) => {
      if (paths.length === 0) return;
      performance.mark("permanence:import-start");
      const id = nextBatch++;
      const files: FileImport[] = paths.map((path) => ({
        name: baseName(path),
        state: "waiting",
        pagesDone: 0,
        pagesTotal: 0,
        ocrDone: 0,
        ocrTotal: 0,
        imported: null,
        error: null,
      }));
      setBatches((all) => [{ id, files, done: false }, ...all]);
      navigate({ page: "dossiers" });
      const update = (change: (files: FileImport[]) => FileImport[]) =>
        setBatches((all) => all.map((b) => (b.id === id ? { ...b, files: change(b.files) } : b)));
      const result = await imports.importFiles(paths, (event) => update((current) => applyEvent(current, event)));
      setBatches((all) => all.map((b) => (b.id === id ? { ...b, done: true } : b)));
      if (!result.ok) {
        update((current) =>
          current.map((f) => (f.state === "imported" || f.state === "duplicate" ? f : { ...f, state: "failed", error: result.error })),
        );
        return;
      }
      const only = result.value.length === 1 ? result.value[0]?.imported : null;
      if (only && !only.duplicate) {
        // One procedure: its dossier opens (the list reloads when it is shown again).
        navigate({ page: "dossier", id: only.dossier, document: null, pageNumber: null });
        return;
      }
      if (result.value.some((o) => o.imported !== null && !o.imported.duplicate)) setVersion((v) => v + 1);
    },
    [imports],
  );

  const pickAndImport = useCallback(async () => {
    setPickError(null);
    const picked = await desktop.pickProcedures();
    if (!picked.ok) {
      setPickError(picked.error);
      return;
    }
    if (picked.value !== null) await importPaths(picked.value);
  }, [desktop, importPaths]);

  // The latest importPaths, for the drop listener registered once.
  const latest = useRef(importPaths);
  useEffect(() => {
    latest.current = importPaths;
  }, [importPaths]);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let live = true;
    void desktop
      .onFileDrop((event) => {
        switch (event.type) {
          case "enter":
            setDragging(event.paths.length);
            break;
          case "over":
            setDragging((d) => d ?? 0);
            break;
          case "leave":
            setDragging(null);
            break;
          case "drop":
            setDragging(null);
            void latest.current(event.paths);
            break;
        }
      })
      .then((unlisten) => {
        if (live) stop = unlisten;
        else unlisten();
      })
      .catch(() => {
        // Without the drop events the file picker still imports.
      });
    return () => {
      live = false;
      stop?.();
    };
  }, [desktop]);

  const dismiss = useCallback((id: number) => setBatches((all) => all.filter((b) => b.id !== id)), []);

  const cancel = useCallback(async () => {
    await imports.cancel();
  }, [imports]);

  const value = useMemo(
    () => ({ batches, dragging, version, importPaths, pickAndImport, cancel, dismiss, pickError }),
    [batches, dragging, version, importPaths, pickAndImport, cancel, dismiss, pickError],
  );
  return <ImportsContext.Provider value={value}>{children}</ImportsContext.Provider>;
}

export function useImports(): Imports {
  const imports = useContext(ImportsContext);
  if (imports === null) {
    throw new Error("useImports() hors de <ImportsProvider>");
  }
  return imports;
}
