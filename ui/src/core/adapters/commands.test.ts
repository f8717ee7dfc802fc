import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";

import { dossierRecu } from "../../test/fixtures";
import { command, IPC_FAILURE, toWireError } from "./commands";

describe("command()", () => {
  it("returns the command's value", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === "list_dossiers" ? [dossierRecu] : undefined;
    });

    const result = await command("list_dossiers", {});

    expect(result).toEqual({ ok: true, value: [dossierRecu] });
    expect(calls).toEqual([["list_dossiers", {}]]);
  });

  it("returns the engine's {code, message} error unchanged", async () => {
    const engineError = {
      code: "store.data_dir_unavailable",
      message: "le dossier de données « /données » n'est pas utilisable : il n'est pas accessible en écriture",
    };
    mockIPC(() => {
      throw engineError;
    });

    const result = await command("list_dossiers", {});

    expect(result).toEqual({ ok: false, error: engineError });
  });

  it("turns a failure of the bridge into an ipc.failure error", async () => {
    mockIPC(() => Promise.reject("Command list_dossiers not allowed by ACL"));

    const result = await command("list_dossiers", {});

    expect(result).toEqual({
      ok: false,
      error: { code: IPC_FAILURE, message: "Command list_dossiers not allowed by ACL" },
    });
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
