// A fake of the Tauri shell for the UI's tests (Vitest and the Playwright screens): every command
// of src-tauri/src/main.rs answered from memory, through @tauri-apps/api/mocks, so that the UI
// runs exactly as in the window. Corrections, decisions, imports and the profile change its state.
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";

import type {
  Correction,
  DecisionRecord,
  DossierRow,
  DossierRows,
  Filter,
  ListQuery,
  ImportEvent,
  ImportOutcome,
  PolicyCheck,
  PolicyRow,
  Profile,
  SessionState,
  TimelineEntry,
  WireError,
} from "../core";
import * as data from "./fixtures";

export interface FakeOptions {
  profile?: Profile;
  /** The original's bytes (a real PDF in the screens; none in Vitest, where pdf.js is not run). */
  original?: () => Promise<ArrayBuffer>;
  /** What the file pickers answer. */
  pick?: string[] | string | null;
  /** Commands that fail, with their error. */
  failures?: Record<string, WireError>;
  /** Delay of every answer, in milliseconds. */
  delay?: number;
  /** No dossier at start. */
  empty?: boolean;
  /** As many dossiers as this at start (copies of the fixtures'), for a long list. */
  many?: number;
  /** The app starts locked (the unlock screen); `newDataDir`: its key is yet to be created. */
  locked?: boolean;
  newDataDir?: boolean;
  /** Why the data directory cannot be unlocked (a key file missing…). */
  sessionProblem?: WireError;
  /** Pages read by OCR, with the mean confidence of their characters. */
  ocrPages?: Record<number, number>;
}

/** The passphrase the fake shell accepts. */
export const FAKE_PASSPHRASE = "phrase de passe de test";

export interface FakeBackend {
  calls: { cmd: string; args: Record<string, unknown> }[];
  rows: DossierRow[];
  corrections: Correction[];
  decisions: DecisionRecord[];
  profile: Profile;
  policies: PolicyRow[];
  exports: { kind: string; criteria: number[] }[];
  opened: { file: string; folder: boolean }[];
  timeline: TimelineEntry[];
  filters: Filter[];
  saved: { pseudonymised: boolean; decimalComma: boolean }[];
  session: SessionState;
}

const SESSION_COMMANDS = ["session_state", "unlock", "lock", "touch"];

type Channel = { id: number };

function setPointer(target: unknown, path: string, value: unknown): void {
  const keys = path.split("/").slice(1).map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
  let node = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (last !== undefined) node[last] = value;
}

function getPointer(target: unknown, path: string): unknown {
  let node = target as Record<string, unknown> | undefined;
  for (const key of path.split("/").slice(1)) node = node?.[key] as Record<string, unknown> | undefined;
  return node ?? null;
}

const error = (code: string, message: string): WireError => ({ code, message });

/** Lower case without accents, for matching what the user types. */
function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLocaleLowerCase("fr-FR");
}

/** What the engine's `dossier_rows` answers (src/app.rs, src/store/dossiers.rs `list_page`). */
export function queryRows(rows: DossierRow[], q: ListQuery): DossierRows {
  const words = folded(q.title ?? "").split(/\s+/).filter((w) => w !== "");
  const kept = rows.filter((d) => {
    if (q.status !== null && d.status !== q.status) return false;
    if (q.family !== null && !d.families.includes(q.family)) return false;
    if (q.ids.length > 0 && !q.ids.includes(d.id)) return false;
    const haystack = folded(`${d.title} ${d.mis_en_cause ?? ""}`);
    return words.every((w) => String(d.id) === w || haystack.includes(w));
  });
  const order = q.oldest_first ? 1 : -1;
  kept.sort((a, b) => (a.created === b.created ? (a.id - b.id) * order : a.created < b.created ? -order : order));
  const limit = q.limit === 0 ? 100 : q.limit;
  return { total: kept.length, rows: kept.slice(q.offset, q.offset + limit) };
}

/** `count` dossiers, most recent first, made from the fixtures' four. */
function manyRows(count: number): DossierRow[] {
  const base = data.rows();
  return Array.from({ length: count }, (_, i) => {
    const row = base[i % base.length] as DossierRow;
    return { ...row, id: count - i, title: `${row.title}-${count - i}` };
  });
}

export function installFakeBackend(options: FakeOptions = {}): FakeBackend {
  const state: FakeBackend = {
    calls: [],
    rows: options.empty
      ? []
      : options.many
        ? manyRows(options.many)
        : data.rows(),
    corrections: [],
    decisions: [],
    profile: options.profile ?? { name: "Claire DURAND", function: "substitut du procureur de la République", court: "Melun" },
    policies: [],
    exports: [],
    opened: [],
    timeline: [],
    filters: [],
    saved: [],
    session: {
      locked: options.locked ?? false,
      new_data_dir: options.newDataDir ?? false,
      data_dir: "/home/magistrat/.local/share/permanence",
      problem: options.sessionProblem ?? null,
      lock_minutes: 10,
    },
  };
  const facts = data.facts();
  const proposal = data.proposal();
  let nextDossier = 10;
  let nextId = 1;
  const sendIndex = new Map<number, number>();

  const send = (channel: Channel, message: ImportEvent) => {
    const index = sendIndex.get(channel.id) ?? 0;
    sendIndex.set(channel.id, index + 1);
    window.__TAURI_INTERNALS__.runCallback(channel.id, { index, message });
  };

  const handle = async (cmd: string, args: Record<string, unknown>): Promise<unknown> => {
    state.calls.push({ cmd, args });
    const failure = options.failures?.[cmd];
    if (failure) throw failure;
    if (state.session.locked && !SESSION_COMMANDS.includes(cmd) && !cmd.startsWith("plugin:"))
      throw error("session.locked", "Permanence est verrouillée : saisissez la phrase de passe pour continuer");
    const dossier = args.dossier as number;
    switch (cmd) {
      case "session_state":
        return { ...state.session };
      case "unlock": {
        const passphrase = args.passphrase as string;
        if (state.session.new_data_dir && [...passphrase].length < 8)
          throw error("crypto.passphrase_too_short", "la phrase de passe doit compter au moins 8 caractères");
        if (!state.session.new_data_dir && passphrase !== FAKE_PASSPHRASE)
          throw error(
            "crypto.wrong_passphrase",
            `phrase de passe incorrecte : le dossier de données «\u00a0${state.session.data_dir}\u00a0» n'a pas été ouvert et rien n'a été modifié`,
          );
        state.session = { ...state.session, locked: false, new_data_dir: false };
        return { ...state.session };
      }
      case "lock":
        state.session = { ...state.session, locked: true };
        return { ...state.session };
      case "touch":
        return null;
      case "set_lock_minutes": {
        const minutes = args.minutes as number;
        if (minutes < 1 || minutes > 600)
          throw error("crypto.lock_delay", `le délai de verrouillage doit être compris entre 1 et 600 minutes (${minutes} demandé)`);
        state.session = { ...state.session, lock_minutes: minutes };
        return minutes;
      }
      case "list_dossiers":
        return queryRows(JSON.parse(JSON.stringify(state.rows)) as DossierRow[], args.query as ListQuery);
      case "app_info":
        return data.appInfo();
      case "cancel_import":
        return null;
      case "import_files": {
        const paths = args.paths as string[];
        const channel = args.events as Channel;
        const outcomes: ImportOutcome[] = [];
        for (const [index, path] of paths.entries()) {
          const name = path.split(/[\\/]/).pop() ?? path;
          send(channel, { kind: "started", index, name });
          if (name.includes("abime")) {
            const e = error("pdf.corrupt", `le fichier «\u00a0${path}\u00a0» est endommagé ou illisible (structure PDF invalide)`);
            send(channel, { kind: "failed", index, error: e });
            outcomes.push({ name, imported: null, error: e });
            continue;
          }
          if (name.includes("double")) {
            const imported = { dossier: data.DOSSIER, document: data.DOSSIER, pages: 10, duplicate: true };
            send(channel, { kind: "imported", index, imported });
            outcomes.push({ name, imported, error: null });
            continue;
          }
          for (let page = 1; page <= 10; page++) {
            send(channel, { kind: "progress", index, pages_done: page, pages_total: 10, ocr_done: 0, ocr_total: 0 });
            if (options.delay) await new Promise((r) => setTimeout(r, options.delay));
          }
          const id = nextDossier++;
          state.rows.unshift({
            id,
            title: name.replace(/\.[^.]+$/, ""),
            status: "recu",
            created: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
            documents: 1,
            families: ["alcool_contravention", "stupefiants"],
            mis_en_cause: "Noé Jacques Joseph KOWALSKI",
            facts_date: "2025-12-01",
            decided: null,
            deadline: null,
          });
          const imported = { dossier: id, document: id, pages: 10, duplicate: false };
          send(channel, { kind: "imported", index, imported });
          outcomes.push({ name, imported, error: null });
        }
        return outcomes;
      }
      case "show_dossier": {
        const row = state.rows.find((r) => r.id === dossier);
        if (!row) throw error("store.no_such_dossier", `le dossier n°\u00a0${dossier} n'existe pas`);
        const detail = data.detail();
        return { ...detail, ...{ id: row.id, title: row.title, status: row.status, created: row.created } };
      }
      case "dossier_facts": {
        const current = JSON.parse(JSON.stringify(facts.extracted));
        for (const c of state.corrections) setPointer(current, c.path, c.value);
        return { ...facts, corrections: state.corrections, facts: current };
      }
      case "correct_fact": {
        const path = args.path as string;
        const current = JSON.parse(JSON.stringify(facts.extracted));
        for (const c of state.corrections) setPointer(current, c.path, c.value);
        const correction: Correction = {
          id: nextId++,
          document: facts.document,
          path,
          value: args.value,
          previous: getPointer(current, path),
          reason: args.reason as string,
          actor: state.profile.name,
          at: "2026-12-02T10:00:00Z",
        };
        state.corrections.push(correction);
        return correction;
      }
      case "propose":
        return proposal;
      case "decide": {
        if (state.profile.name.trim() === "")
          throw error("decision.no_profile", "aucun profil n'est renseigné : indiquez votre nom et votre fonction avant de décider");
        const orientation = (args.orientation as string | null) ?? proposal.orientation;
        if (orientation !== proposal.orientation && (args.reason as string).trim() === "")
          throw error("decision.reason_required", "l'orientation retenue diffère de la proposition : indiquez-en la raison");
        const decision: DecisionRecord = {
          id: nextId++,
          dossier,
          proposed: proposal.orientation,
          orientation,
          accepted: orientation === proposal.orientation,
          reason: args.reason as string,
          policy_name: proposal.policy.name,
          policy_version: proposal.policy.version,
          actor: state.profile.name,
          actor_function: state.profile.function,
          at: "2026-12-02T10:05:00Z",
        };
        state.decisions.push(decision);
        const row = state.rows.find((r) => r.id === dossier);
        if (row) {
          row.status = "decision_validee";
          row.decided = orientation;
        }
        return { decision, proposal };
      }
      case "decisions":
        return state.decisions.filter((d) => d.dossier === dossier);
      case "search":
        return (args.query as string).trim() === "" ? [] : data.hits();
      case "document_original":
        if (!options.original) throw error("store.io", "aucun original dans ce test");
        return options.original();
      case "document_page": {
        const page = data.pages()[(args.page as number) - 1];
        if (!page) throw error("pdf.no_such_page", `la page ${String(args.page)} n'existe pas`);
        const ocr = options.ocrPages?.[args.page as number];
        return ocr === undefined ? { ...page, document: args.document } : { ...page, document: args.document, ocr_confidence: ocr };
      }
      case "evidence_boxes":
        // The box the engine gives for the alcohol rate of page 5 (measured in the real window).
        return [{ left: 344, bottom: 512, right: 467, top: 526 }];
      case "list_policies":
        return state.policies;
      case "active_policy": {
        const view = data.policy();
        const active = state.policies.find((p) => p.active);
        return active ? { ...view, stored: active, name: active.name, version: active.version } : view;
      }
      case "check_policy": {
        const path = args.path as string;
        const result: PolicyCheck = path.includes("erreur")
          ? {
              file: path,
              valid: false,
              name: null,
              version: null,
              rules: [],
              problems: [
                { code: "policy.unknown_value", line: 12, column: 15, message: "«\u00a0inconnue\u00a0» n'est pas une orientation connue" },
                { code: "policy.threshold", line: 30, column: 1, message: "le seuil minimal dépasse le seuil maximal" },
              ],
            }
          : { file: path, valid: true, name: "Politique de Melun", version: "2026.2", rules: data.policy().rules, problems: [] };
        return result;
      }
      case "add_policy": {
        for (const p of state.policies) p.active = false;
        const row: PolicyRow = {
          id: nextId++,
          name: "Politique de Melun",
          version: "2026.2",
          author: "Parquet de Melun",
          effective: "2026-12-01",
          file: args.path as string,
          added: "2026-12-02T10:00:00Z",
          active: args.activate as boolean,
        };
        state.policies.push(row);
        return row;
      }
      case "activate_policy": {
        const row = state.policies.find((p) => p.id === args.id);
        if (!row) throw error("store.no_such_policy", `la politique pénale n°\u00a0${String(args.id)} n'existe pas`);
        for (const p of state.policies) p.active = p === row;
        return row;
      }
      case "get_profile":
        return { ...state.profile };
      case "set_profile":
        state.profile = { ...(args.profile as Profile) };
        return { ...state.profile };
      case "export_draft": {
        const kind = args.kind as string;
        state.exports.push({ kind, criteria: args.criteria as number[] });
        const row = state.rows.find((r) => r.id === dossier);
        if (row) row.status = "actes_produits";
        return { file: `/home/magistrat/.local/share/permanence/actes/dossier-${dossier}/${kind}-20261202-100500.docx`, kind, bytes: 18342 };
      }
      case "open_draft":
        state.opened.push({ file: args.file as string, folder: args.folder as boolean });
        return null;
      case "set_status": {
        const row = state.rows.find((r) => r.id === dossier);
        const status = args.status as string;
        if (!row) throw error("store.no_such_dossier", `le dossier n°\u00a0${dossier} n'existe pas`);
        if ((status === "decision_validee" || status === "actes_produits") && row.decided === null)
          throw error(
            "tracking.refused",
            `le dossier n°\u00a0${dossier} ne peut pas passer au statut «\u00a0décision validée\u00a0» : aucune décision n'a été validée`,
          );
        row.status = status;
        state.timeline.push({ at: "2026-12-02T10:10:00Z", actor: state.profile.name, event: "status_changed", label: `Statut changé : ${status.replace("_", " ")}` });
        return status;
      }
      case "timeline":
        return [...data.timeline(), ...state.timeline];
      case "deadlines":
        return data.deadlines();
      case "related":
        return data.related();
      case "figures":
        state.filters.push(args.filter as Filter);
        return data.figures();
      case "save_figures":
        state.saved.push({ pseudonymised: args.pseudonymised as boolean, decimalComma: args.decimalComma as boolean });
        return { file: args.path as string, bytes: 2048 };
      case "plugin:dialog|save":
        return typeof options.pick === "string" ? options.pick : null;
      case "plugin:dialog|open":
        return options.pick ?? null;
      default:
        throw new Error(`commande inconnue du faux moteur : ${cmd}`);
    }
  };

  mockWindows("main");
  mockIPC(
    async (cmd, args) => {
      const answer = await handle(cmd, (args ?? {}) as Record<string, unknown>);
      if (options.delay) await new Promise((r) => setTimeout(r, options.delay));
      return answer;
    },
    { shouldMockEvents: true },
  );
  return state;
}

declare global {
  interface Window {
    __TAURI_INTERNALS__: { runCallback(id: number, data: unknown): void };
  }
}
