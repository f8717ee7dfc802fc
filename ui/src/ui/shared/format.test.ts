import { describe, expect, it } from "vitest";

import {
  countLabel,
  formatDateTime,
  formatDay,
  formatNumber,
  formatRate,
  formatTime,
  pagesLabel,
  parseDecimal,
  personName,
  quoted,
  frenchSpacing,
} from "./format";

describe("format", () => {
  it("writes dates the French way", () => {
    expect(formatDateTime("2026-11-25T09:12:33Z", "UTC")).toBe("25 novembre 2026 à 09:12");
    expect(formatDateTime("pas une date")).toBe("pas une date");
    expect(formatDay("2026-11-20")).toBe("20\u00a0novembre\u00a02026");
    expect(formatDay("2026-03-01")).toBe("1er\u00a0mars\u00a02026");
    expect(formatDay("hier")).toBe("hier");
  });

  it("writes hours with « h »", () => {
    expect(formatTime("23:40")).toBe("23\u00a0h\u00a040");
    expect(formatTime("2026-11-21T08:05")).toBe("21\u00a0novembre\u00a02026 à 08\u00a0h\u00a005");
  });

  it("writes and reads French decimals", () => {
    expect(formatNumber(0.62)).toBe("0,62");
    expect(formatRate(0.4, "mg/L")).toBe("0,4\u00a0mg/L");
    expect(parseDecimal("0,62")).toBe(0.62);
    expect(parseDecimal(" 1.5 ")).toBe(1.5);
    expect(parseDecimal("abc")).toBeNull();
    expect(parseDecimal("")).toBeNull();
  });

  it("counts in French", () => {
    expect(countLabel(0, "dossier", "dossiers", "aucun dossier")).toBe("aucun dossier");
    expect(countLabel(1, "dossier", "dossiers", "aucun dossier")).toBe("1\u00a0dossier");
    expect(countLabel(1200, "dossier", "dossiers", "aucun dossier")).toBe("1\u202f200\u00a0dossiers");
  });

  it("words pages, names and quotations", () => {
    expect(pagesLabel(3, 3)).toBe("p.\u00a03");
    expect(pagesLabel(3, 5)).toBe("p.\u00a03 à 5");
    expect(quoted("pv.pdf")).toBe("«\u00a0pv.pdf\u00a0»");
    expect(personName("Jean", "DUPONT")).toBe("Jean DUPONT");
    expect(personName("", "DUPONT")).toBe("DUPONT");
  });

  it("puts non-breaking spaces where a text typed elsewhere has plain ones", () => {
    expect(frenchSpacing("Récidive : déferrement ; annulation « du permis » !")).toBe(
      "Récidive\u00a0: déferrement\u00a0; annulation «\u00a0du permis\u00a0»\u00a0!",
    );
    expect(frenchSpacing("art. L. 234-1")).toBe("art. L. 234-1");
  });
});
