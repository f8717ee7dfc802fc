import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { createCore } from "../../core";
import { dossierAncien, dossierRecu } from "../../test/fixtures";
import { CoreProvider } from "../CoreContext";
import { DossiersPage } from "./DossiersPage";

function cellTexts(row: HTMLElement): (string | null)[] {
  return within(row)
    .getAllByRole("cell")
    .map((cell) => cell.textContent);
}

function renderPage() {
  return render(
    <CoreProvider core={createCore()}>
      <DossiersPage />
    </CoreProvider>,
  );
}

describe("DossiersPage", () => {
  it("lists the dossiers with number, title, status in words and French date", async () => {
    mockIPC((cmd) => (cmd === "list_dossiers" ? [dossierRecu, dossierAncien] : undefined));

    renderPage();

    const table = await screen.findByRole("table", { name: "Liste des dossiers" });
    const rows = within(table).getAllByRole("row").slice(1).map(cellTexts);
    expect(rows).toEqual([
      [
        "12",
        "PV 2026-004512 conduite sous l'empire d'un état alcoolique",
        "reçu",
        "1\u00a0document",
        "20 novembre 2026 à 23:40",
      ],
      ["3", "Procédure 2026-000311", "reçu", "2\u00a0documents", "2 mars 2026 à 09:05"],
    ]);
    expect(screen.getByRole("heading", { name: "Dossiers" })).toBeTruthy();
    expect(document.querySelector(".page__count")?.textContent).toBe("2\u00a0dossiers");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says so when there is no dossier", async () => {
    mockIPC(() => []);

    renderPage();

    expect(await screen.findByText("Aucun dossier pour l'instant.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("shows an error banner in French when the command fails", async () => {
    mockIPC(() => {
      throw {
        code: "store.data_dir_unavailable",
        message: "le dossier de données « /srv/permanence » n'est pas utilisable : il n'est pas accessible en écriture",
      };
    });

    renderPage();

    const banner = await screen.findByRole("alert");
    expect(banner.textContent).toContain("Le dossier de données n'est pas accessible.");
    expect(banner.textContent).toContain(
      "Le dossier de données « /srv/permanence » n'est pas utilisable : il n'est pas accessible en écriture.",
    );
    expect(banner.textContent).toContain("Code\u00a0: store.data_dir_unavailable");
    expect(within(banner).getByRole("button", { name: "Réessayer" })).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("words a failure of the bridge without showing English as the main text", async () => {
    mockIPC(() => Promise.reject("Command list_dossiers not allowed by ACL"));

    renderPage();

    const banner = await screen.findByRole("alert");
    expect(banner.querySelector(".banner__title")?.textContent).toBe(
      "L'interface n'a pas pu joindre le moteur de Permanence.",
    );
    expect(banner.textContent).toContain("Fermez puis relancez Permanence.");
  });
});
