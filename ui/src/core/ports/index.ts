// What the UI may ask of the engine and of the desktop, whatever carries the request (the Tauri
// shell, or a fake in tests).
import type { ActivePolicy } from "../bindings/ActivePolicy";
import type { AppInfo } from "../bindings/AppInfo";
import type { Correction } from "../bindings/Correction";
import type { DecisionRecord } from "../bindings/DecisionRecord";
import type { Decided } from "../bindings/Decided";
import type { DocumentFacts } from "../bindings/DocumentFacts";
import type { DossierDetail } from "../bindings/DossierDetail";
import type { Deadline } from "../bindings/Deadline";
import type { DossierRows } from "../bindings/DossierRows";
import type { Figures } from "../bindings/Figures";
import type { Filter } from "../bindings/Filter";
import type { ListQuery } from "../bindings/ListQuery";
import type { RelatedDossier } from "../bindings/RelatedDossier";
import type { SavedFile } from "../bindings/SavedFile";
import type { Status } from "../bindings/Status";
import type { TimelineEntry } from "../bindings/TimelineEntry";
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
import type { SessionState } from "../bindings/SessionState";
import type { Result } from "../result";

export interface Dossiers {
  /** A page of the dossiers (filters, words, order, paging done by the engine). */
  list(query: ListQuery): Promise<Result<DossierRows>>;
  show(dossier: number): Promise<Result<DossierDetail>>;
  facts(dossier: number): Promise<Result<DocumentFacts>>;
  /** Corrects one fact (a JSON pointer into the facts); journaled by the engine. */
  correct(dossier: number, path: string, value: unknown, reason: string): Promise<Result<Correction>>;
  propose(dossier: number): Promise<Result<Proposal>>;
  /** `orientation` null: the proposal accepted. */
  decide(dossier: number, orientation: string | null, reason: string): Promise<Result<Decided>>;
  decisions(dossier: number): Promise<Result<DecisionRecord[]>>;
  /** Writes a draft in the dossier's drafts folder; `criteria`: art. 144 criteria ticked (JLD). */
  exportDraft(dossier: number, kind: string, criteria: number[]): Promise<Result<ExportedDraft>>;
  /** Opens a draft the app wrote in the word processor, or (`folder`) shows it in its folder. */
  openDraft(file: string, folder: boolean): Promise<Result<null>>;
  setStatus(dossier: number, status: string): Promise<Result<Status>>;
  timeline(dossier: number): Promise<Result<TimelineEntry[]>>;
  deadlines(dossier: number): Promise<Result<Deadline[]>>;
  /** The other local dossiers of the same persons. */
  related(dossier: number): Promise<Result<RelatedDossier[]>>;
}

export interface Activity {
  figures(filter: Filter): Promise<Result<Figures>>;
  /** Writes the figures (or the pseudonymised list) as CSV at `path`. */
  save(filter: Filter, pseudonymised: boolean, decimalComma: boolean, path: string): Promise<Result<SavedFile>>;
}

export interface Imports {
  /** Imports files (paths), each into a new dossier, reporting each step as it goes. */
  importFiles(paths: string[], onEvent: (event: ImportEvent) => void): Promise<Result<ImportOutcome[]>>;
  /** Cancels the import in progress: the file being read, and those after it, store nothing. */
  cancel(): Promise<Result<null>>;
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

export interface Session {
  /** Locked or not, the data directory, and what stops it from being unlocked. */
  state(): Promise<Result<SessionState>>;
  /** Opens the data directory with the passphrase (creating its key when it is new). */
  unlock(passphrase: string): Promise<Result<SessionState>>;
  /** Drops the engine and its keys; every other command then answers `session.locked`. */
  lock(): Promise<Result<SessionState>>;
  /** The user is active (keeps the app from locking itself). */
  touch(): Promise<Result<null>>;
  /** Minutes without activity before the app locks itself. */
  setLockMinutes(minutes: number): Promise<Result<number>>;
  /** Calls `handler` when the shell locks the app after the delay; returns how to stop. */
  onLocked(handler: () => void): Promise<() => void>;
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
  /** The system's « save as » for a CSV file; null when cancelled. */
  pickCsvDestination(defaultName: string): Promise<Result<string | null>>;
  /** Calls `handler` for every drag and drop of files on the window; returns how to stop. */
  onFileDrop(handler: (event: DropEvent) => void): Promise<() => void>;
}
