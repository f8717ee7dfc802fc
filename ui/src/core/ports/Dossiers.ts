import type { DossierSummary } from "../bindings/DossierSummary";
import type { Result } from "../result";

/** Reading dossiers, whatever carries the request (the Tauri shell, a fake in tests). */
export interface Dossiers {
  /** Every dossier, most recent first. */
  list(): Promise<Result<DossierSummary[]>>;
}
