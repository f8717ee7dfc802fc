import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";

import type { ImportEvent } from "../bindings/ImportEvent";
import { rows } from "../../test/fixtures";
import { command, IPC_FAILURE, toWireError } from "./commands";
import { tauriDocuments, tauriImports } from "./tauri";

const QUERY = { status: null, family: null, title: null, ids: [], oldest_first: false, offset: 0, limit: 50 };

describe("command()", () => {
  it("returns the command's value", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === "list_dossiers" ? rows() : undefined;
    });

    const result = await command("list_dossiers", { query: QUERY });

    expect(result).toEqual({ ok: true, value: rows() });
    expect(calls).toEqual([["list_dossiers", { query: QUERY }]]);
  });

  it("passes the arguments under the names the shell's commands take", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });

    await command("correct_fact", { dossier: 3, path: "/alcohol/value", value: 0.62, reason: "ticket" });
    await command("decide", { dossier: 3, orientation: null, reason: "" });
    await command("evidence_boxes", { document: 3, page: 5, start: 10, end: 20 });

    expect(calls).toEqual([
      ["correct_fact", { dossier: 3, path: "/alcohol/value", value: 0.62, reason: "ticket" }],
      ["decide", { dossier: 3, orientation: null, reason: "" }],
      ["evidence_boxes", { document: 3, page: 5, start: 10, end: 20 }],
    ]);
  });

  it("returns the engine's {code, message} error unchanged", async () => {
    const engineError = {
      code: "store.data_dir_unavailable",
      message: "le dossier de données « /données » n'est pas utilisable : il n'est pas accessible en écriture",
    };
    mockIPC(() => {
      throw engineError;
    });

    const result = await command("list_dossiers", { query: QUERY });

    expect(result).toEqual({ ok: false, error: engineError });
  });

  it("turns a failure of the bridge into an ipc.failure error", async () => {
    mockIPC(() => Promise.reject("Command list_dossiers not allowed by ACL"));

    const result = await command("list_dossiers", { query: QUERY });

    expect(result).toEqual({
      ok: false,
      error: { code: IPC_FAILURE, message: "Command list_dossiers not allowed by ACL" },
    });
  });
});

describe("adapters", () => {
  it("delivers import progress from the shell's channel, in order", async () => {
    mockIPC((cmd, args) => {
      if (cmd !== "import_files") return undefined;
      const channel = (args as { events: { id: number } }).events;
      const events: ImportEvent[] = [
        { kind: "started", index: 0, name: "pv.pdf" },
        { kind: "progress", index: 0, pages_done: 1, pages_total: 2, ocr_done: 0, ocr_total: 0 },
        { kind: "progress", index: 0, pages_done: 2, pages_total: 2, ocr_done: 0, ocr_total: 0 },
      ];
      // Delivered out of order: the channel puts them back in order.
      for (const i of [1, 0, 2]) window.__TAURI_INTERNALS__.runCallback(channel.id, { index: i, message: events[i] });
      return [{ name: "pv.pdf", imported: { dossier: 1, document: 1, pages: 2, duplicate: false }, error: null }];
    });
    const seen: ImportEvent[] = [];

    const result = await tauriImports.importFiles(["/tmp/pv.pdf"], (e) => seen.push(e));

    expect(result.ok).toBe(true);
    expect(seen.map((e) => e.kind)).toEqual(["started", "progress", "progress"]);
    expect(seen[2]).toEqual({ kind: "progress", index: 0, pages_done: 2, pages_total: 2, ocr_done: 0, ocr_total: 0 });
  });

  it("gives the original's bytes as a Uint8Array", async () => {
    mockIPC(() => new Uint8Array([0x25, 0x50, 0x44, 0x46]).buffer);

    const result = await tauriDocuments.original(3);

    expect(result.ok && Array.from(result.value)).toEqual([0x25, 0x50, 0x44, 0x46]);
  });
});

describe("toWireError()", () => {
  it("keeps only code and message", () => {
    expect(toWireError({ code: "store.corrupt", message: "base endommagée", extra: 1 })).toEqual({
      code: "store.corrupt",
      message: "base endommagée",
    });
  });

  it("reads thrown Error objects", () => {
    expect(toWireError(new Error("boom"))).toEqual({ code: IPC_FAILURE, message: "boom" });
  });
});
