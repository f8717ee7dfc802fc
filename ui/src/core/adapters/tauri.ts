// The ports, carried by the Tauri shell.
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save } from "@tauri-apps/plugin-dialog";

import type { Activity, Desktop, Documents, Dossiers, Imports, Policies, Search, Session, Settings } from "../ports";
import { err, ok, type Result } from "../result";
import { channel, command, toWireError } from "./commands";

export const tauriDossiers: Dossiers = {
  list: (query) => command("list_dossiers", { query }),
  show: (dossier) => command("show_dossier", { dossier }),
  facts: (dossier) => command("dossier_facts", { dossier }),
  correct: (dossier, path, value, reason) => command("correct_fact", { dossier, path, value, reason }),
  propose: (dossier) => command("propose", { dossier }),
  decide: (dossier, orientation, reason) => command("decide", { dossier, orientation, reason }),
  decisions: (dossier) => command("decisions", { dossier }),
  exportDraft: (dossier, kind, criteria) => command("export_draft", { dossier, kind, criteria }),
  openDraft: (file, folder) => command("open_draft", { file, folder }),
  setStatus: (dossier, status) => command("set_status", { dossier, status }),
  timeline: (dossier) => command("timeline", { dossier }),
  deadlines: (dossier) => command("deadlines", { dossier }),
  related: (dossier) => command("related", { dossier }),
};

export const tauriActivity: Activity = {
  figures: (filter) => command("figures", { filter }),
  save: (filter, pseudonymised, decimalComma, path) =>
    command("save_figures", { filter, pseudonymised, decimalComma, path }),
};

export const tauriImports: Imports = {
  importFiles: (paths, onEvent) => command("import_files", { paths, events: channel(onEvent) }),
  cancel: () => command("cancel_import", {}),
};

export const tauriDocuments: Documents = {
  original: async (document) => {
    const result = await command("document_original", { document });
    return result.ok ? ok(new Uint8Array(result.value)) : result;
  },
  page: (document, page) => command("document_page", { document, page }),
  evidenceBoxes: (document, page, start, end) => command("evidence_boxes", { document, page, start, end }),
};

export const tauriSearch: Search = {
  search: (query, limit) => command("search", { query, limit }),
};

export const tauriPolicies: Policies = {
  list: () => command("list_policies", {}),
  active: () => command("active_policy", {}),
  check: (path) => command("check_policy", { path }),
  add: (path, activate) => command("add_policy", { path, activate }),
  activate: (id) => command("activate_policy", { id }),
};

/** What the shell emits when it locks the app after the delay without activity. */
export const LOCKED_EVENT = "session-verrouillee";

export const tauriSession: Session = {
  state: () => command("session_state", {}),
  unlock: (passphrase) => command("unlock", { passphrase }),
  lock: () => command("lock", {}),
  touch: () => command("touch", {}),
  setLockMinutes: (minutes) => command("set_lock_minutes", { minutes }),
  onLocked: (handler) => listen(LOCKED_EVENT, () => handler()),
};

export const tauriSettings: Settings = {
  profile: () => command("get_profile", {}),
  saveProfile: (profile) => command("set_profile", { profile }),
  info: () => command("app_info", {}),
};

async function pick<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (e) {
    return err(toWireError(e));
  }
}

export const tauriDesktop: Desktop = {
  pickProcedures: () =>
    pick(async () => {
      const chosen = await open({
        title: "Importer des procédures",
        multiple: true,
        directory: false,
        filters: [{ name: "Procédures (PDF ou texte)", extensions: ["pdf", "PDF", "txt"] }],
      });
      return chosen === null ? null : Array.isArray(chosen) ? chosen : [chosen];
    }),
  pickPolicy: () =>
    pick(async () => {
      const chosen = await open({
        title: "Charger une politique pénale",
        multiple: false,
        directory: false,
        filters: [{ name: "Politique pénale (TOML)", extensions: ["toml"] }],
      });
      return typeof chosen === "string" ? chosen : null;
    }),
  pickCsvDestination: (defaultName) =>
    pick(async () => {
      const chosen = await save({
        title: "Enregistrer les chiffres",
        defaultPath: defaultName,
        filters: [{ name: "Tableur (CSV)", extensions: ["csv"] }],
      });
      return chosen ?? null;
    }),
  onFileDrop: async (handler) => {
    const stop = await getCurrentWebview().onDragDropEvent((event) => {
      const payload = event.payload;
      switch (payload.type) {
        case "enter":
          handler({ type: "enter", paths: payload.paths });
          break;
        case "over":
          handler({ type: "over" });
          break;
        case "drop":
          handler({ type: "drop", paths: payload.paths });
          break;
        case "leave":
          handler({ type: "leave" });
          break;
      }
    });
    return stop;
  },
};
