import { emit } from "@tauri-apps/api/event";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { rows } from "../../test/fixtures";
import { renderApp } from "../../test/render";
import { queryRows } from "../../test/fakeBackend";
import { listQuery } from "./DossiersPage";

async function table() {
  return screen.findByRole("table", { name: "Liste des dossiers" });
}

function numbers(t: HTMLElement): string[] {
  return within(t)
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell")[0]?.textContent ?? "");
}

describe("DossiersPage", () => {
  it("lists the dossiers with their person, offences in French, status and date", async () => {
    renderApp("#/dossiers");

    const t = await table();
    expect(numbers(t)).toEqual(["4", "3", "2", "1"]);
    const row = within(t).getAllByRole("row")[2];
    expect(row?.textContent).toContain("stup-recidive-gendarmerie");
    expect(row?.textContent).toContain("Noé Jacques Joseph KOWALSKI");
    expect(row?.textContent).toContain("Faits du 1er\u00a0décembre\u00a02025");
    expect(row?.textContent).toContain("Alcool (contravention)");
    expect(row?.textContent).toContain("Stupéfiants");
    expect(row?.textContent).toContain("Reçu");
    expect(within(t).getByRole("link", { name: "stup-recidive-gendarmerie" }).getAttribute("href")).toBe("#/dossiers/3");
    expect(screen.getByRole("heading", { level: 1, name: "Dossiers" })).toBeTruthy();
    expect(document.querySelector(".page__count")?.textContent).toBe("4\u00a0dossiers");
  });

  it("filters by text, status and offence family, and sorts by date", async () => {
    renderApp("#/dossiers");
    const t = await table();

    const rowsShown = async (expected: string[]) =>
      waitFor(async () => expect(numbers(await table())).toEqual(expected));
    expect(numbers(t)).toEqual(["4", "3", "2", "1"]);
    fireEvent.change(screen.getByLabelText("Numéro, intitulé ou mis en cause"), { target: { value: "kowalski" } });
    await rowsShown(["3"]);
    expect(document.querySelector(".page__count")?.textContent).toBe("1\u00a0dossier sur 4");

    fireEvent.change(screen.getByLabelText("Numéro, intitulé ou mis en cause"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Statut"), { target: { value: "decision_validee" } });
    await rowsShown(["2"]);

    fireEvent.change(screen.getByLabelText("Statut"), { target: { value: "" } });
    await waitFor(() => expect(screen.getByRole("option", { name: "Excès de vitesse d'au moins 50\u00a0km/h" })).toBeTruthy());
    fireEvent.change(screen.getByLabelText("Infraction"), { target: { value: "exces_vitesse" } });
    await rowsShown(["4"]);

    fireEvent.change(screen.getByLabelText("Infraction"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Ordre"), { target: { value: "ancien" } });
    await rowsShown(["1", "2", "3", "4"]);
  });

  it("says so when no dossier matches, or when there is none", async () => {
    renderApp("#/dossiers");
    await table();
    fireEvent.change(screen.getByLabelText("Numéro, intitulé ou mis en cause"), { target: { value: "personne" } });
    expect(await screen.findByText("Aucun dossier ne correspond à ces critères.")).toBeTruthy();
  });

  it("shows an empty list for a new data directory", async () => {
    renderApp("#/dossiers", { empty: true });
    expect(await screen.findByText("Aucun dossier pour l'instant.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("shows the engine's error in French, with a retry", async () => {
    renderApp("#/dossiers", {
      failures: {
        list_dossiers: {
          code: "store.data_dir_unavailable",
          message: "le dossier de données «\u00a0/srv/permanence\u00a0» n'est pas utilisable\u00a0: il n'est pas accessible en écriture",
        },
      },
    });

    const banner = await screen.findByRole("alert");
    expect(banner.textContent).toContain("Le dossier de données n'est pas accessible.");
    expect(banner.textContent).toContain("Il n'est pas accessible en écriture.".slice(3));
    expect(banner.textContent).toContain("Code\u00a0: store.data_dir_unavailable");
    expect(within(banner).getByRole("button", { name: "Réessayer" })).toBeTruthy();
  });

  it("words a failure of the bridge without showing English as the main text", async () => {
    renderApp("#/dossiers", { failures: { list_dossiers: "Command list_dossiers not allowed by ACL" as never } });

    const banner = await screen.findByRole("alert");
    expect(banner.querySelector(".fr-alert__title")?.textContent).toBe("L'interface n'a pas pu joindre le moteur de Permanence.");
    expect(banner.textContent).toContain("Fermez puis relancez Permanence.");
  });

  it("imports picked files with a progress bar each, and says which were refused or already there", async () => {
    const { backend } = renderApp("#/dossiers", {
      pick: ["/home/claire/pv-nouveau.pdf", "/home/claire/pv-double.pdf", "/home/claire/pv-abime.pdf"],
    });
    await table();

    fireEvent.click(screen.getByRole("button", { name: "Choisir des fichiers…" }));

    const batch = await screen.findByRole("region", { name: /Import terminé/ }, { timeout: 5000 });
    expect(batch.textContent).toContain("1\u00a0fichier refusé");
    const files = within(batch).getAllByRole("listitem");
    expect(files[0]?.textContent).toContain("pv-nouveau.pdf");
    expect(files[0]?.textContent).toContain("dossier n°\u00a010");
    expect(files[1]?.textContent).toContain("Ce fichier est déjà dans le dossier n°\u00a03\u00a0: rien n'a été ajouté.");
    expect(files[2]?.textContent).toContain("Le fichier «\u00a0/home/claire/pv-abime.pdf\u00a0» est endommagé ou illisible");
    expect(files[2]?.textContent).toContain("Rien n'a été enregistré pour ce fichier.");
    expect(backend.calls.find((c) => c.cmd === "import_files")?.args.paths).toEqual([
      "/home/claire/pv-nouveau.pdf",
      "/home/claire/pv-double.pdf",
      "/home/claire/pv-abime.pdf",
    ]);
    // The list shows the new dossier.
    await waitFor(async () => expect(numbers(await table())[0]).toBe("10"));
  });

  it("imports files dropped anywhere on the window, and opens the dossier of a single procedure", async () => {
    const { backend } = renderApp("#/dossiers");
    await table();

    await act(async () => {
      await emit("tauri://drag-enter", { paths: ["/tmp/pv.pdf"], position: { x: 10, y: 10 } });
    });
    expect(screen.getByText("Déposez pour importer")).toBeTruthy();
    await act(async () => {
      await emit("tauri://drag-drop", { paths: ["/tmp/pv.pdf"], position: { x: 10, y: 10 } });
    });

    await waitFor(() => expect(window.location.hash).toBe("#/dossiers/10"));
    expect(screen.queryByText("Déposez pour importer")).toBeNull();
    expect(backend.calls.filter((c) => c.cmd === "import_files")).toHaveLength(1);
  });

  it("asks the engine for one page at a time, filters included", () => {
    const all = rows();
    const query = listQuery({ text: " kowalski ", status: "", family: "stupefiants", sort: "recent", page: 2 });
    expect(query).toEqual({
      status: null,
      family: "stupefiants",
      title: "kowalski",
      ids: [],
      oldest_first: false,
      offset: 50,
      limit: 50,
    });
    const first = queryRows([...all].reverse(), listQuery({ text: "", status: "", family: "", sort: "recent", page: 1 }));
    expect(first.rows.map((d) => d.id)).toEqual([4, 3, 2, 1]);
    expect(first.total).toBe(4);
  });

  it("pages a long list: 50 lines at a time, with the place in the list", async () => {
    renderApp("#/dossiers", { many: 120 });
    const t = await table();
    expect(numbers(t)).toHaveLength(50);
    expect(screen.getByText("Dossiers 1 à 50 sur 120")).toBeTruthy();
    const first = numbers(t);
    fireEvent.click(screen.getByRole("button", { name: "Page suivante" }));
    await waitFor(() => expect(screen.getByText("Dossiers 51 à 100 sur 120")).toBeTruthy());
    const second = numbers(await table());
    expect(second).toHaveLength(50);
    expect(second.filter((n) => first.includes(n))).toEqual([]);
    fireEvent.click(screen.getByRole("button", { name: "Page suivante" }));
    await waitFor(() => expect(screen.getByText("Dossiers 101 à 120 sur 120")).toBeTruthy());
    expect((screen.getByRole("button", { name: "Page suivante" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
