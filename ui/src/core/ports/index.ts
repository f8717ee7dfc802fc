// What the UI may ask of the engine and of the desktop, whatever carries the request (the Tauri
// shell, or a fake in tests).
import type { ActivePolicy } from "../bindings/ActivePolicy";
import type { AppInfo } from "../bindings/AppInfo";
import type { Correction } from "../bindings/Correction";
import type { DecisionRecord } from "../bindings/DecisionRecord";
import type { Decided } from "../bindings/Decided";
import type { DocumentFacts } from "../bindings/DocumentFacts";
import type { DossierDetail } from "../bindings/DossierDetail";
import type { DossierRow } from "../bindings/DossierRow";
import type { ExportedDraft } from "../bindings/ExportedDraft";
import type { ImportEvent } from "../bindings/ImportEvent";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { PageView } from "../bindings/PageView";
import type { PolicyCheck } from "../bindings/PolicyCheck";
import type { PolicyRow } from "../bindings/PolicyRow";
import type { Profile } from "../bindings/Profile";
import type { Proposal } from "../bindings/Proposal";
import type { Rect } from "../bindings/Rect";
import type { SearchHit } from "../bindings/SearchHit";
import type { Result } from "../result";

export interface Dossiers {
  /** Every dossier, most recent first, with its offence families and last decision. */
  list(): Promise<Result<DossierRow[]>>;
  show(dossier: number): Promise<Result<DossierDetail>>;
  facts(dossier: number): Promise<Result<DocumentFacts>>;
  /** Corrects one fact (a JSON pointer into the facts); journaled by the engine. */
  correct(dossier: number, path: string, value: unknown, reason: string): Promise<Result<Correction>>;
  propose(dossier: number): Promise<Result<Proposal>>;
  /** `orientation` null: the proposal accepted. */
  decide(dossier: number, orientation: string | null, reason: string): Promise<Result<Decided>>;
  decisions(dossier: number): Promise<Result<DecisionRecord[]>>;
  exportDraft(dossier: number, kind: string): Promise<Result<ExportedDraft>>;
}

export interface Imports {
  /** Imports files (paths), each into a new dossier, reporting each step as it goes. */
  importFiles(paths: string[], onEvent: (event: ImportEvent) => void): Promise<Result<ImportOutcome[]>>;
}

export interface Documents {
  /** The original file, byte for byte. */
  original(document: number): Promise<Result<Uint8Array>>;
  page(document: number, page: number): Promise<Result<PageView>>;
  /** Rectangles (PDF points) over characters `start..end` of a page's text. */
  evidenceBoxes(document: number, page: number, start: number, end: number): Promise<Result<Rect[]>>;
}

export interface Search {
  search(query: string, limit: number): Promise<Result<SearchHit[]>>;
}

export interface Policies {
  list(): Promise<Result<PolicyRow[]>>;
  active(): Promise<Result<ActivePolicy>>;
  check(path: string): Promise<Result<PolicyCheck>>;
  add(path: string, activate: boolean): Promise<Result<PolicyRow>>;
  activate(id: number): Promise<Result<PolicyRow>>;
}

export interface Settings {
  profile(): Promise<Result<Profile>>;
  saveProfile(profile: Profile): Promise<Result<Profile>>;
  info(): Promise<Result<AppInfo>>;
}

/** Files dragged over the window, as the system reports them. */
export type DropEvent = { type: "enter"; paths: string[] } | { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

export interface Desktop {
  /** The system's file picker for procedures (PDF or text); null when cancelled. */
  pickProcedures(): Promise<Result<string[] | null>>;
  /** The system's file picker for a policy file (TOML); null when cancelled. */
  pickPolicy(): Promise<Result<string | null>>;
  /** Calls `handler` for every drag and drop of files on the window; returns how to stop. */
  onFileDrop(handler: (event: DropEvent) => void): Promise<() => void>;
}
