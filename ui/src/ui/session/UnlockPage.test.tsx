import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { FAKE_PASSPHRASE } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

const field = () => screen.getByLabelText(/^Phrase de passe/) as HTMLInputElement;
const type = (input: HTMLElement, value: string) => fireEvent.change(input, { target: { value } });

describe("UnlockPage", () => {
  it("asks for the passphrase first, focused, and refuses a wrong one in French", async () => {
    const { backend } = renderApp("#/dossiers", { locked: true });
    expect(await screen.findByRole("heading", { level: 1, name: "Permanence est verrouillée" })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(field()));
    expect(field().type).toBe("password");
    expect(backend.calls.some((c) => c.cmd === "list_dossiers" || c.cmd === "app_info")).toBe(false);

    type(field(), "pas la bonne");
    fireEvent.click(screen.getByRole("button", { name: "Déverrouiller" }));
    const message = await screen.findByText(/^Phrase de passe incorrecte\./);
    expect(field().getAttribute("aria-describedby") ?? "").toContain(message.id);
    expect(field().value).toBe("");
    expect(document.activeElement).toBe(field());

    type(field(), FAKE_PASSPHRASE);
    fireEvent.click(screen.getByRole("button", { name: "Déverrouiller" }));
    expect(await screen.findByRole("table", { name: "Liste des dossiers" })).toBeTruthy();
    expect(backend.calls.find((c) => c.cmd === "unlock")?.args).toEqual({ passphrase: "pas la bonne" });
  });

  it("creates the key of a new data directory: twice the same passphrase, and says a lost one loses the data", async () => {
    const { backend } = renderApp("#/dossiers", { locked: true, newDataDir: true });
    expect(await screen.findByRole("heading", { level: 1, name: "Protéger les données de ce poste" })).toBeTruthy();
    expect(screen.getByText(/Si elle est perdue, les données sont perdues/)).toBeTruthy();

    type(field(), "court");
    fireEvent.click(screen.getByRole("button", { name: "Chiffrer et ouvrir" }));
    expect(await screen.findByText("La phrase de passe doit compter au moins 8 caractères.")).toBeTruthy();

    type(field(), "une longue phrase");
    type(screen.getByLabelText("Confirmez la phrase de passe"), "une autre phrase");
    fireEvent.click(screen.getByRole("button", { name: "Chiffrer et ouvrir" }));
    expect(await screen.findByText(/Les deux saisies diffèrent/)).toBeTruthy();
    expect(backend.calls.some((c) => c.cmd === "unlock")).toBe(false);

    type(screen.getByLabelText("Confirmez la phrase de passe"), "une longue phrase");
    fireEvent.click(screen.getByRole("button", { name: "Chiffrer et ouvrir" }));
    expect(await screen.findByRole("table", { name: "Liste des dossiers" })).toBeTruthy();
  });

  it("shows why a data directory cannot be unlocked, without a form", async () => {
    renderApp("#/dossiers", {
      locked: true,
      sessionProblem: {
        code: "crypto.key_file_missing",
        message: "la clé de chiffrement «\u00a0/données/permanence.key\u00a0» est introuvable",
      },
    });
    expect(await screen.findByText("La clé de chiffrement de ce poste est introuvable.")).toBeTruthy();
    expect(screen.queryByLabelText(/^Phrase de passe/)).toBeNull();
  });

  it("locks with « Verrouiller », and when the shell says it locked itself", async () => {
    const { backend } = renderApp("#/dossiers");
    const [lock] = await screen.findAllByRole("button", { name: /Verrouiller/ });
    if (lock) fireEvent.click(lock);
    expect(await screen.findByRole("heading", { level: 1, name: "Permanence est verrouillée" })).toBeTruthy();
    expect(backend.calls.some((c) => c.cmd === "lock")).toBe(true);

    type(field(), FAKE_PASSPHRASE);
    fireEvent.click(screen.getByRole("button", { name: "Déverrouiller" }));
    expect(await screen.findByRole("table", { name: "Liste des dossiers" })).toBeTruthy();
    const { emit } = await import("@tauri-apps/api/event");
    await emit("session-verrouillee");
    expect(await screen.findByRole("heading", { level: 1, name: "Permanence est verrouillée" })).toBeTruthy();
  });
});

describe("SettingsPage lock delay", () => {
  it("saves the minutes without activity before locking, from 1 to 600", async () => {
    const { backend } = renderApp("#/parametres");
    const input = await screen.findByLabelText(/Délai avant verrouillage/);
    expect((input as HTMLInputElement).value).toBe("10");
    type(input, "0");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le délai" }));
    expect(await screen.findByText(/Indiquez un nombre entier de minutes/)).toBeTruthy();
    type(input, "25");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le délai" }));
    expect(await screen.findByText("Délai de verrouillage enregistré.")).toBeTruthy();
    expect(backend.calls.find((c) => c.cmd === "set_lock_minutes")?.args).toEqual({ minutes: 25 });
  });
});
