import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { renderApp } from "../../test/render";

// pdf.js does not run in jsdom: a document whose pages draw nothing stands in for it.
vi.mock("../dossier/pdfjs", () => ({
  openPdf: async () => ({
    numPages: 10,
    getPage: async () => ({
      getViewport: ({ scale }: { scale: number }) => ({
        width: 595 * scale,
        height: 842 * scale,
        convertToViewportRectangle: ([a = 0, b = 0, c = 0, d = 0]: number[]) => [a * scale, (842 - b) * scale, c * scale, (842 - d) * scale],
      }),
      render: () => ({ promise: Promise.resolve(), cancel: () => {} }),
    }),
    destroy: async () => {},
  }),
}));

const original = async () => new Uint8Array([0x25, 0x50, 0x44, 0x46]).buffer;

async function openDossier(options = {}) {
  const app = renderApp("#/dossiers/3", { original, ...options });
  await screen.findByRole("heading", { level: 1, name: "stup-recidive-gendarmerie" });
  return app;
}

function fact(key: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-fact="${key}"]`);
  if (!element) throw new Error(`fait ${key} absent`);
  return element;
}

describe("DossierPage", () => {
  it("shows the pieces, the page and the facts grouped, with the proposal", async () => {
    await openDossier();

    const pieces = screen.getByRole("navigation", { name: "Pièces" });
    expect(within(pieces).getAllByRole("button")[0]?.textContent).toContain("D1 — PV d'interpellation");
    expect(screen.getByText("Page 1 sur 10")).toBeTruthy();
    for (const title of ["Personnes", "Infractions", "Alcoolémie", "Permis", "Antécédents", "Blessures", "Garde à vue"]) {
      expect(screen.getByRole("heading", { level: 3, name: title })).toBeTruthy();
    }
    expect(fact("alcohol-value").querySelector(".fact__value")?.textContent).toBe("0,33\u00a0mg/L");
    expect(document.querySelector(".proposal-summary__label")?.textContent).toBe("CRPC sur déferrement");
  });

  it("opens a fact's page with its evidence when its source is clicked", async () => {
    const { backend } = await openDossier();

    fireEvent.click(within(fact("alcohol-value")).getByRole("button", { name: "p.\u00a05" }));

    await waitFor(() => expect(window.location.hash).toBe("#/dossiers/3?document=3&page=5"));
    expect(await screen.findByText("Page 5 sur 10")).toBeTruthy();
    expect(document.querySelector(".viewer__source")?.textContent).toBe(
      "Source surlignée\u00a0: «\u00a00,34 milligramme par litre\u00a0»",
    );
    await waitFor(() => expect(document.querySelectorAll(".pdf-highlight")).toHaveLength(1));
    expect(backend.calls.find((c) => c.cmd === "evidence_boxes")?.args).toEqual({ document: 3, page: 5, start: 1088, end: 1114 });
  });

  it("shows a scanned page as its image and says its text was read by OCR", async () => {
    await openDossier({ ocrPages: { 5: 87.6 } });
    expect(document.querySelector(".viewer__ocr")).toBeNull();
    fireEvent.click(within(fact("alcohol-value")).getByRole("button", { name: "p.\u00a05" }));
    expect(await screen.findByText("Page 5 sur 10")).toBeTruthy();
    await waitFor(() =>
      expect(document.querySelector(".viewer__ocr--done")?.textContent).toBe(
        "Page scannée, texte lu par reconnaissance de caractères (confiance\u00a0: 88\u00a0%)\u00a0: vérifiez les valeurs sur l'image.",
      ),
    );
    // The scan itself, with the evidence's box over it (not the text view).
    await waitFor(() => expect(document.querySelectorAll(".pdf-highlight")).toHaveLength(1));
  });

  it("turns pages with Page Down and Page Up in the viewer", async () => {
    await openDossier();
    const viewer = screen.getByRole("region", { name: /^Contenu, page 1 sur 10/ });
    fireEvent.keyDown(viewer, { key: "PageDown" });
    await waitFor(() => expect(window.location.hash).toBe("#/dossiers/3?document=3&page=2"));
    fireEvent.keyDown(screen.getByRole("region", { name: /^Contenu, page 2 sur 10/ }), { key: "PageUp" });
    await waitFor(() => expect(window.location.hash).toBe("#/dossiers/3?document=3&page=1"));
  });

  it("shows the page's text with the evidence marked, for reading without the drawing", async () => {
    await openDossier();
    fireEvent.click(within(fact("alcohol-value")).getByRole("button", { name: "p.\u00a05" }));
    await screen.findByText("Page 5 sur 10");
    fireEvent.click(screen.getByRole("button", { name: "Voir le texte" }));
    expect(document.querySelector(".page-text__mark")?.textContent).toBe("0,34 milligramme par litre");
  });

  it("corrects a fact in place, with its reason, and shows what was read", async () => {
    const { backend } = await openDossier();

    fireEvent.click(within(fact("facts-commune")).getByRole("button", { name: /Corriger/ }));
    const form = within(fact("facts-commune")).getByRole("form", { name: "Corriger «\u00a0Commune\u00a0»" });
    fireEvent.change(within(form).getByLabelText(/^Commune/), { target: { value: "Fontainebleau" } });
    fireEvent.change(within(form).getByLabelText(/Raison de la correction/), { target: { value: "PV de saisine" } });
    fireEvent.click(within(form).getByRole("button", { name: "Enregistrer la correction" }));

    await waitFor(() => expect(within(fact("facts-commune")).getByText("Fontainebleau")).toBeTruthy());
    expect(within(fact("facts-commune")).getByText("Corrigé")).toBeTruthy();
    expect(fact("facts-commune").textContent).toContain("Lu dans la procédure\u00a0: Avon");
    expect(backend.corrections).toMatchObject([{ path: "/facts/commune", value: "Fontainebleau", reason: "PV de saisine" }]);
  });

  it("refuses a value that is not a number before asking the engine", async () => {
    const { backend } = await openDossier();
    fireEvent.click(within(fact("alcohol-value")).getByRole("button", { name: /Corriger/ }));
    fireEvent.change(screen.getByLabelText(/^Taux retenu \(mg\/L\)/), { target: { value: "beaucoup" } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer la correction" }));
    expect(await screen.findByText("Indiquez un nombre, par exemple 0,62.")).toBeTruthy();
    expect(backend.calls.some((c) => c.cmd === "correct_fact")).toBe(false);
  });

  it("shows the proposal with its rules and legal frame, and records the decision accepted", async () => {
    const { backend } = await openDossier();

    fireEvent.click(screen.getByRole("tab", { name: "Orientation" }));
    expect(screen.getByRole("tab", { name: "Orientation" }).getAttribute("aria-selected")).toBe("true");
    expect(document.querySelector(".proposal__label")?.textContent).toBe("CRPC sur déferrement");
    expect(screen.getByText("Règle r3-recidive-alcool-stupefiants")).toBeTruthy();
    expect(screen.getAllByText("Imposée par la loi").length).toBeGreaterThan(0);
    expect(screen.getByRole("heading", { name: "Cadre légal" })).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Accepter la proposition" }));

    const done = await screen.findByText("Décision validée\u00a0: CRPC sur déferrement", { normalizer: (t) => t });
    expect(done.tagName).toBe("STRONG");
    expect(document.querySelector(".proposal-summary__kicker")?.textContent).toBe("Orientation décidée");
    expect(backend.decisions).toMatchObject([{ dossier: 3, orientation: "crpc_deferement", accepted: true }]);
  });

  it("asks for a reason when another orientation is chosen", async () => {
    const { backend } = await openDossier();
    fireEvent.click(screen.getByRole("tab", { name: "Orientation" }));
    fireEvent.click(screen.getByRole("button", { name: "Retenir une autre orientation…" }));
    fireEvent.change(screen.getByLabelText("Orientation retenue"), { target: { value: "composition_penale" } });
    fireEvent.click(screen.getByRole("button", { name: "Valider cette orientation" }));
    expect(await screen.findByText("Indiquez pourquoi vous retenez une autre orientation que la proposition.")).toBeTruthy();
    expect(backend.decisions).toEqual([]);

    fireEvent.change(screen.getByLabelText(/^Raison/), { target: { value: "Premier fait depuis 2019" } });
    fireEvent.click(screen.getByRole("button", { name: "Valider cette orientation" }));
    await screen.findByText("Décision validée\u00a0: Composition pénale", { normalizer: (t) => t });
    expect(backend.decisions).toMatchObject([{ orientation: "composition_penale", accepted: false, reason: "Premier fait depuis 2019" }]);
  });

  it("asks for the profile before any decision", async () => {
    await openDossier({ profile: { name: "", function: "", court: "" } });
    fireEvent.click(screen.getByRole("tab", { name: "Orientation" }));
    expect(await screen.findByText(/Renseignez d'abord votre nom et votre fonction/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Accepter la proposition" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("writes a draft, says where, and opens it or its folder", async () => {
    const { backend } = await openDossier();
    fireEvent.click(screen.getByRole("tab", { name: "Orientation" }));
    fireEvent.click(await screen.findByRole("button", { name: "Fiche de synthèse" }));
    const done = await screen.findByText(/Acte enregistré : « .*\/actes\/dossier-3\/synthese-.*\.docx »/);
    expect(done).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Ouvrir dans le traitement de texte" }));
    fireEvent.click(screen.getByRole("button", { name: "Afficher dans le dossier" }));
    await waitFor(() => expect(backend.opened.map((o) => o.folder)).toEqual([false, true]));
    expect(backend.exports).toEqual([{ kind: "synthese", criteria: [] }]);
  });

  it("sends the article 144 criteria ticked with the requête au JLD only", async () => {
    const { backend } = await openDossier();
    fireEvent.click(screen.getByRole("tab", { name: "Orientation" }));
    fireEvent.click(await screen.findByText(/Critères de l'article 144/));
    fireEvent.click(screen.getByLabelText(/^2° Empêcher une pression sur les témoins/));
    fireEvent.click(screen.getByLabelText(/^5° Garantir le maintien/));
    fireEvent.click(screen.getByRole("button", { name: "Requête au juge des libertés et de la détention" }));
    await screen.findByText(/Acte enregistré/);
    fireEvent.click(screen.getByRole("button", { name: "Fiche de synthèse" }));
    await waitFor(() =>
      expect(backend.exports).toEqual([
        { kind: "jld", criteria: [2, 5] },
        { kind: "synthese", criteria: [] },
      ]),
    );
  });

  it("follows the dossier: status checked by the engine, deadlines, the same person elsewhere, timeline", async () => {
    const { backend } = await openDossier();
    fireEvent.click(screen.getByRole("tab", { name: "Suivi" }));
    expect(await screen.findByText("Procédure importée")).toBeTruthy();
    expect(screen.getByText("Proposition d'orientation : CRPC sur déferrement")).toBeTruthy();
    const deadline = document.querySelector('[data-deadline="depassee"]');
    expect(deadline?.textContent).toContain("Fin de la garde à vue (24\u00a0heures)");
    expect(deadline?.textContent).toContain("2\u00a0décembre\u00a02025 à 08\u00a0h\u00a015 (dépassée)");
    const related = screen.getByRole("link", { name: "Dossier n°\u00a04 — stup-copie" });
    expect(related.getAttribute("href")).toBe("#/dossiers/4");
    expect(screen.getByText("même nom, prénoms, date et lieu de naissance")).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Statut du dossier"), { target: { value: "decision_validee" } });
    fireEvent.click(screen.getByRole("button", { name: "Changer le statut" }));
    const refused = await screen.findByRole("alert");
    expect(refused.textContent).toContain("Ce changement de statut n'est pas possible.");
    expect(refused.textContent).toContain("aucune décision n'a été validée");

    fireEvent.change(screen.getByLabelText("Statut du dossier"), { target: { value: "en_examen" } });
    fireEvent.click(screen.getByRole("button", { name: "Changer le statut" }));
    await waitFor(() => expect(backend.rows.find((r) => r.id === 3)?.status).toBe("en_examen"));
    expect(await screen.findByText("Statut changé : en examen")).toBeTruthy();
  });

  it("moves between tabs with the arrow keys", async () => {
    await openDossier();
    const facts = screen.getByRole("tab", { name: "Faits" });
    facts.focus();
    fireEvent.keyDown(facts, { key: "ArrowRight" });
    expect(document.activeElement?.textContent).toBe("Orientation");
    fireEvent.keyDown(document.activeElement as Element, { key: "End" });
    expect(screen.getByRole("tab", { name: "Suivi" }).getAttribute("aria-selected")).toBe("true");
    expect(await screen.findByText("Procédure importée")).toBeTruthy();
  });
});
