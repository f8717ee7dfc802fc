import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderApp } from "../../test/render";
import { Snippet } from "./SearchPage";

describe("SearchPage", () => {
  it("searches with Enter and lists the pages with their matches marked", async () => {
    const { backend } = renderApp("#/recherche");
    const box = await screen.findByRole("searchbox");
    expect(document.activeElement).toBe(box);

    fireEvent.change(box, { target: { value: "éthylomètre" } });
    fireEvent.keyDown(box, { key: "Enter" });

    await waitFor(() => expect(window.location.hash).toBe("#/recherche?q=%C3%A9thylom%C3%A8tre"));
    const results = await screen.findAllByRole("link", { name: /^Page \d+/ });
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]?.getAttribute("href")).toBe("#/dossiers/3?document=3&page=5");
    expect(results[0]?.querySelector("mark")?.textContent).toBe("ÉTHYLOMÈTRE");
    expect(document.querySelector(".search__count")?.textContent).toMatch(/^\d+\u00a0pages? trouvées? pour «\u00a0éthylomètre\u00a0»\.$/);
    expect(backend.calls.find((c) => c.cmd === "search")?.args).toEqual({ query: "éthylomètre", limit: 50 });
  });

  it("draws snippets without interpreting them as HTML", () => {
    render(<Snippet html={"L&#x27;état &lt;b&gt; <mark>éthylomètre</mark> &amp; fin"} />);
    const snippet = document.querySelector(".snippet");
    expect(snippet?.textContent).toBe("L'état <b> éthylomètre & fin");
    expect(snippet?.querySelectorAll("b")).toHaveLength(0);
    expect(snippet?.querySelector("mark")?.textContent).toBe("éthylomètre");
  });
});

describe("PolicyPage", () => {
  it("shows the active policy with its rules and its file", async () => {
    renderApp("#/politique");
    expect(await screen.findByRole("heading", { name: /Politique active\u00a0: Politique routière \(exemple\)/ })).toBeTruthy();
    expect(screen.getByText("Exemple fourni")).toBeTruthy();
    const rules = screen.getByRole("table", { name: /Règles de la politique active/ });
    expect(within(rules).getAllByRole("row").length).toBe(16);
    expect(screen.getByText("Voir le fichier de la politique")).toBeTruthy();
  });

  it("lists every error of a broken policy with its line, and keeps the active one", async () => {
    const { backend } = renderApp("#/politique", { pick: "/home/claire/politique-erreur.toml" });
    fireEvent.click(await screen.findByRole("button", { name: "Charger une autre politique…" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("La politique «\u00a0/home/claire/politique-erreur.toml\u00a0» contient 2\u00a0erreurs");
    expect(alert.textContent).toContain("Ligne 12, colonne 15\u00a0: «\u00a0inconnue\u00a0» n'est pas une orientation connue");
    expect(alert.textContent).toContain("Ligne 30, colonne 1\u00a0: le seuil minimal dépasse le seuil maximal");
    expect(backend.calls.some((c) => c.cmd === "add_policy")).toBe(false);
  });

  it("checks a valid policy, then keeps and activates it", async () => {
    const { backend } = renderApp("#/politique", { pick: "/home/claire/politique-melun.toml" });
    fireEvent.click(await screen.findByRole("button", { name: "Charger une autre politique…" }));
    fireEvent.click(await screen.findByRole("button", { name: "Enregistrer et activer cette politique" }));

    expect(await screen.findByText(/est maintenant active/)).toBeTruthy();
    expect(backend.calls.find((c) => c.cmd === "add_policy")?.args).toEqual({ path: "/home/claire/politique-melun.toml", activate: true });
    expect(await screen.findByRole("heading", { name: /Politique active\u00a0: Politique de Melun/ })).toBeTruthy();
    expect(screen.getByText("Active")).toBeTruthy();
  });
});

describe("SettingsPage", () => {
  it("saves the magistrate's profile and shows the data folder", async () => {
    const { backend } = renderApp("#/parametres", { profile: { name: "", function: "", court: "" } });
    const name = await screen.findByLabelText(/^Prénom et nom/);
    await waitFor(() => expect((name as HTMLInputElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    expect(await screen.findByText("Indiquez votre nom.")).toBeTruthy();

    fireEvent.change(name, { target: { value: "  Claire DURAND " } });
    fireEvent.change(screen.getByLabelText(/^Fonction/), { target: { value: "vice-procureur de la République" } });
    fireEvent.change(screen.getByLabelText(/^Tribunal judiciaire/), { target: { value: "Melun" } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));

    expect(await screen.findByText("Profil enregistré.")).toBeTruthy();
    expect(backend.profile).toEqual({ name: "Claire DURAND", function: "vice-procureur de la République", court: "Melun" });
    expect(await screen.findByText("/home/claire/.local/share/permanence")).toBeTruthy();
  });
});
