import {
  tauriActivity,
  tauriDesktop,
  tauriDocuments,
  tauriDossiers,
  tauriImports,
  tauriPolicies,
  tauriSearch,
  tauriSession,
  tauriSettings,
} from "./adapters/tauri";
import type { Activity, Desktop, Documents, Dossiers, Imports, Policies, Search, Session, Settings } from "./ports";

/** Everything the UI may ask of the engine and of the desktop. */
export interface Core {
  dossiers: Dossiers;
  imports: Imports;
  documents: Documents;
  search: Search;
  policies: Policies;
  session: Session;
  settings: Settings;
  activity: Activity;
  desktop: Desktop;
}

/** The core wired to the Tauri shell. */
export function createCore(): Core {
  return {
    dossiers: tauriDossiers,
    imports: tauriImports,
    documents: tauriDocuments,
    search: tauriSearch,
    policies: tauriPolicies,
    session: tauriSession,
    settings: tauriSettings,
    activity: tauriActivity,
    desktop: tauriDesktop,
  };
}
