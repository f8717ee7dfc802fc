// The one door to the Rust shell: every Tauri command goes through `command()`.
import { Channel, invoke } from "@tauri-apps/api/core";

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
import type { WireError } from "../bindings/WireError";
import { err, ok, type Result } from "../result";

type None = Record<string, never>;

/** The commands of src-tauri/src/main.rs: their arguments and what they return. */
export interface Commands {
  session_state: { args: None; result: SessionState };
  unlock: { args: { passphrase: string }; result: SessionState };
  lock: { args: None; result: SessionState };
  touch: { args: None; result: null };
  set_lock_minutes: { args: { minutes: number }; result: number };
  list_dossiers: { args: { query: ListQuery }; result: DossierRows };
  import_files: { args: { paths: string[]; events: Channel<ImportEvent> }; result: ImportOutcome[] };
  cancel_import: { args: None; result: null };
  show_dossier: { args: { dossier: number }; result: DossierDetail };
  dossier_facts: { args: { dossier: number }; result: DocumentFacts };
  correct_fact: { args: { dossier: number; path: string; value: unknown; reason: string }; result: Correction };
  propose: { args: { dossier: number }; result: Proposal };
  decide: { args: { dossier: number; orientation: string | null; reason: string }; result: Decided };
  decisions: { args: { dossier: number }; result: DecisionRecord[] };
  search: { args: { query: string; limit: number }; result: SearchHit[] };
  document_original: { args: { document: number }; result: ArrayBuffer };
  document_page: { args: { document: number; page: number }; result: PageView };
  evidence_boxes: { args: { document: number; page: number; start: number; end: number }; result: Rect[] };
  list_policies: { args: None; result: PolicyRow[] };
  active_policy: { args: None; result: ActivePolicy };
  check_policy: { args: { path: string }; result: PolicyCheck };
  add_policy: { args: { path: string; activate: boolean }; result: PolicyRow };
  activate_policy: { args: { id: number }; result: PolicyRow };
  get_profile: { args: None; result: Profile };
  set_profile: { args: { profile: Profile }; result: Profile };
  app_info: { args: None; result: AppInfo };
  export_draft: { args: { dossier: number; kind: string; criteria: number[] }; result: ExportedDraft };
  open_draft: { args: { file: string; folder: boolean }; result: null };
  set_status: { args: { dossier: number; status: string }; result: Status };
  timeline: { args: { dossier: number }; result: TimelineEntry[] };
  deadlines: { args: { dossier: number }; result: Deadline[] };
  related: { args: { dossier: number }; result: RelatedDossier[] };
  figures: { args: { filter: Filter }; result: Figures };
  save_figures: {
    args: { filter: Filter; pseudonymised: boolean; decimalComma: boolean; path: string };
    result: SavedFile;
  };
}

export type CommandName = keyof Commands;

/** Error code given to failures of the bridge itself (not an engine error). */
export const IPC_FAILURE = "ipc.failure";

/** Calls a command; never throws: errors come back as `{code, message}`. */
export async function command<K extends CommandName>(
  name: K,
  args: Commands[K]["args"],
): Promise<Result<Commands[K]["result"]>> {
  try {
    return ok(await invoke<Commands[K]["result"]>(name, args));
  } catch (e) {
    return err(toWireError(e));
  }
}

/** A channel the shell reports on (import progress). */
export function channel<T>(onMessage: (message: T) => void): Channel<T> {
  return new Channel<T>(onMessage);
}

/** The engine rejects with `{code, message}`; anything else is a failure of the bridge. */
export function toWireError(e: unknown): WireError {
  if (isWireError(e)) {
    return { code: e.code, message: e.message };
  }
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
  return { code: IPC_FAILURE, message: message ?? "" };
}

function isWireError(e: unknown): e is WireError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as Record<string, unknown>).code === "string" &&
    typeof (e as Record<string, unknown>).message === "string"
  );
}
