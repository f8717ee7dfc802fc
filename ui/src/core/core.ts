import { tauriDossiers } from "./adapters/tauriDossiers";
import type { Dossiers } from "./ports/Dossiers";

/** Everything the UI may ask of the engine. */
export interface Core {
  dossiers: Dossiers;
}

/** The core wired to the Tauri shell. */
export function createCore(): Core {
  return { dossiers: tauriDossiers };
}
