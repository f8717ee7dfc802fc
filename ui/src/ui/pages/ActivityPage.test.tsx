import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderApp } from "../../test/render";
import { durationLabel, periodLabel } from "./ActivityPage";

describe("ActivityPage", () => {
  it("shows the key figures and every chart with its figures as a table", async () => {
    renderApp("#/activite");
    expect(await screen.findByRole("heading", { level: 1, name: "Activité" })).toBeTruthy();
    const key = await screen.findByRole("list", { name: "Chiffres clés" });
    expect(key.textContent).toContain("4dossiers reçus");
    expect(key.textContent).toContain("2décisions validées");
    for (const id of ["recus", "familles", "orientations", "alcool", "natinf", "regles"]) {
      expect(document.querySelector(`[data-chart="${id}"]`), id).toBeTruthy();
    }
    const families = document.querySelector('[data-chart="familles"]') as HTMLElement;
    expect(within(families).getByRole("rowheader", { name: "Stupéfiants" })).toBeTruthy();
    const rules = screen.getByRole("table", { name: "Propositions acceptées ou modifiées, par règle" });
    expect(within(rules).getAllByRole("row").length).toBeGreaterThan(1);
    expect(rules.textContent).toContain("%");
  });

  it("asks the engine again when the period or the family changes", async () => {
    const { backend } = renderApp("#/activite");
    await screen.findByRole("list", { name: "Chiffres clés" });
    fireEvent.change(screen.getByLabelText("Reçus à partir du"), { target: { value: "2026-11-01" } });
    const select = screen.getByLabelText("Infraction") as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBeGreaterThan(1));
    fireEvent.change(screen.getByLabelText("Infraction"), { target: { value: "stupefiants" } });
    await waitFor(() =>
      expect(backend.filters[backend.filters.length - 1]).toEqual({ from: "2026-11-01", to: null, family: "stupefiants" }),
    );
  });

  it("exports the figures or the pseudonymised list where the user chooses", async () => {
    const { backend } = renderApp("#/activite", { pick: "/home/magistrat/chiffres.csv" });
    await screen.findByRole("list", { name: "Chiffres clés" });
    fireEvent.click(screen.getByRole("button", { name: "Exporter la liste pseudonymisée" }));
    expect(await screen.findByText(/Fichier enregistré : « \/home\/magistrat\/chiffres.csv »/)).toBeTruthy();
    expect(backend.saved).toEqual([{ pseudonymised: true, decimalComma: true }]);
  });

  it("words periods and durations in French", () => {
    expect(periodLabel("2026-W47", "semaine")).toBe("semaine 47 de 2026");
    expect(periodLabel("2026-11", "mois")).toBe("novembre\u00a02026");
    expect(periodLabel("2026-11-01", "jour")).toBe("1er\u00a0novembre\u00a02026");
    expect(durationLabel(3.5)).toBe("3\u00a0h 30");
    expect(durationLabel(0.25)).toBe("15\u00a0min");
    expect(durationLabel(50)).toBe("2\u00a0j 2\u00a0h");
    expect(durationLabel(null)).toBe("—");
  });
});

describe("BarChart", () => {
  it("puts long labels on several lines", async () => {
    const { wrapped } = await import("../components/BarChart");
    expect(wrapped("Stupéfiants")).toBe("Stupéfiants");
    expect(wrapped("Conduite malgré suspension, annulation ou invalidation")).toEqual([
      "Conduite malgré",
      "suspension, annulation ou",
      "invalidation",
    ]);
  });
});
