import { describe, expect, it } from "vitest";

import { appInfo, facts } from "../../test/fixtures";
import { factGroups, fieldText, jsonText, ocrBadge, ocrConfidence, parseField, type EditField } from "./facts";

describe("factGroups", () => {
  const read = facts();
  const groups = factGroups(read.facts, [], appInfo());
  const group = (id: string) => groups.find((g) => g.id === id);
  const item = (key: string) => groups.flatMap((g) => g.items).find((i) => i.key === key);

  it("groups the facts as the magistrate reads them", () => {
    expect(groups.map((g) => g.title)).toEqual([
      "Personnes",
      "Infractions",
      "Circonstances",
      "Alcoolémie",
      "Permis",
      "Antécédents",
      "Blessures",
      "Garde à vue",
    ]);
    expect(group("personnes")?.items[0]?.label).toBe("Mis en cause");
    expect(group("personnes")?.items[0]?.value).toBe("Noé Jacques Joseph KOWALSKI, né(e) le 6\u00a0mai\u00a01976 à Gap");
    expect(group("infractions")?.items.map((i) => i.label)).toEqual(["Alcool (contravention)", "Stupéfiants"]);
    expect(item("facts-commune")?.value).toBe("Avon");
    expect(item("facts-time")?.value).toBe("01\u00a0h\u00a015");
    expect(item("alcohol-value")?.value).toBe("0,33\u00a0mg/L");
    expect(item("alcohol-margin")?.value).toBe("0,298\u00a0mg/L");
    expect(item("alcohol-measures")?.value).toBe("0,34\u00a0mg/L puis 0,33\u00a0mg/L");
    expect(item("licence")?.value).toBe("Valide");
    expect(item("recidive")?.value).toBe("Oui");
  });

  it("keeps each fact's evidence and the JSON pointers a correction changes", () => {
    const rate = item("alcohol-value");
    expect(rate?.evidence[0]).toEqual({ page: 5, start: 1088, end: 1114, text: "0,34 milligramme par litre" });
    expect(rate?.fields.map((f) => f.path)).toEqual(["/alcohol/value"]);
    expect(item("person-0")?.fields.map((f) => f.path)).toEqual([
      "/persons/0/surname",
      "/persons/0/given_names",
      "/persons/0/birth_date",
      "/persons/0/birth_place",
    ]);
  });

  it("attaches the corrections of a fact's fields", () => {
    const correction = {
      id: 1,
      document: read.document,
      path: "/facts/commune",
      value: "Fontainebleau",
      previous: "Avon",
      reason: "",
      actor: "Claire DURAND",
      at: "2026-12-02T10:00:00Z",
    };
    const corrected = factGroups(read.facts, [correction], appInfo())
      .flatMap((g) => g.items)
      .find((i) => i.key === "facts-commune");
    expect(corrected?.corrections).toEqual([correction]);
  });

  it("says what is missing", () => {
    const none = { ...read.facts, alcohol: null, custody: null };
    const g = factGroups(none, [], appInfo());
    expect(g.find((x) => x.id === "alcoolemie")?.items).toEqual([]);
    expect(g.find((x) => x.id === "alcoolemie")?.empty).toBe("Aucune mesure d'alcoolémie relevée.");
    expect(g.find((x) => x.id === "garde-a-vue")?.empty).toBe("Aucune garde à vue relevée.");
  });
});

describe("parseField", () => {
  const field = (kind: EditField["kind"], nullable = true): EditField => ({ path: "/x", label: "x", kind, value: null, nullable });

  it("reads French decimals, integers, dates and yes/no", () => {
    expect(parseField(field("decimal"), "0,62")).toEqual({ ok: true, value: 0.62 });
    expect(parseField(field("decimal"), "abc")).toEqual({ ok: false, reason: "Indiquez un nombre, par exemple 0,62." });
    expect(parseField(field("integer"), "12")).toEqual({ ok: true, value: 12 });
    expect(parseField(field("integer"), "1,5").ok).toBe(false);
    expect(parseField(field("date"), "20/11/2026")).toEqual({ ok: true, value: "2026-11-20" });
    expect(parseField(field("date"), "2026-11-20")).toEqual({ ok: true, value: "2026-11-20" });
    expect(parseField(field("date"), "31/02/2026").ok).toBe(false);
    expect(parseField(field("boolean"), "true")).toEqual({ ok: true, value: true });
    expect(parseField(field("text"), "  Melun ")).toEqual({ ok: true, value: "Melun" });
  });

  it("empties a nullable field and refuses to empty the others", () => {
    expect(parseField(field("text"), "")).toEqual({ ok: true, value: null });
    expect(parseField(field("text", false), " ")).toEqual({ ok: false, reason: "Ce champ ne peut pas être vide." });
  });

  it("shows values the way they are typed back", () => {
    expect(fieldText({ ...field("decimal"), value: 0.298 })).toBe("0,298");
    expect(fieldText({ ...field("date"), value: "2025-12-01" })).toBe("01/12/2025");
    expect(fieldText(field("text"))).toBe("");
    expect(jsonText(true)).toBe("oui");
    expect(jsonText(null)).toBe("non relevé");
    expect(jsonText(0.5)).toBe("0,5");
  });
});

describe("facts read by OCR", () => {
  it("carry the lowest confidence of their evidence, in French", () => {
    const ev = (page: number, ocr_confidence?: number) => ({ page, start: 0, end: 4, text: "0,62", ...(ocr_confidence === undefined ? {} : { ocr_confidence }) });
    expect(ocrConfidence([ev(1)])).toBeNull();
    expect(ocrConfidence([])).toBeNull();
    expect(ocrConfidence([ev(1, 91), ev(2), ev(3, 74)])).toBe(74);
    expect(ocrBadge(74)).toBe("lu par OCR (confiance\u00a0: 74\u00a0%)");
  });
});
