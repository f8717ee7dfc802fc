import { describe, expect, it } from "vitest";

import { countLabel, formatDateTime, statusLabel } from "./format";

describe("format", () => {
  it("words statuses", () => {
    expect(statusLabel("recu")).toBe("reçu");
    expect(statusLabel("en_examen")).toBe("en examen");
  });

  it("writes dates the French way", () => {
    expect(formatDateTime("2026-11-25T09:12:33Z", "UTC")).toBe("25 novembre 2026 à 09:12");
    expect(formatDateTime("pas une date")).toBe("pas une date");
  });

  it("counts in French", () => {
    expect(countLabel(0, "dossier", "dossiers", "aucun dossier")).toBe("aucun dossier");
    expect(countLabel(1, "dossier", "dossiers", "aucun dossier")).toBe("1\u00a0dossier");
    expect(countLabel(1200, "dossier", "dossiers", "aucun dossier")).toBe("1\u202f200\u00a0dossiers");
  });
});
