// The one door to the Rust shell: every Tauri command goes through `command()`.
import { invoke } from "@tauri-apps/api/core";

import type { DossierSummary } from "../bindings/DossierSummary";
import type { WireError } from "../bindings/WireError";
import { err, ok, type Result } from "../result";

/** The commands of src-tauri/src/main.rs: their arguments and what they return. */
export interface Commands {
  list_dossiers: { args: Record<string, never>; result: DossierSummary[] };
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
