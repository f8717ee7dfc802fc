// Every screen of the built UI in Chromium, over the fake shell: what it shows, axe-core (no
// violation), French typography, no console error (the CSP of tauri.conf.json applies), and a
// screenshot in target/e2e/screens/.
import { expect, test } from "@playwright/test";

import { expectGoodScreen, open } from "./harness";

test("Dossiers : la liste, ses filtres, le dépôt de fichiers et l'import", async ({ page }) => {
  const screen = await open(page, "#/dossiers", { delay: 120 });
  await expect(page.getByRole("table", { name: "Liste des dossiers" })).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(4);
  await expectGoodScreen(screen, "dossiers");

  await page.getByLabel("Infraction").selectOption("exces_vitesse");
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await page.getByLabel("Infraction").selectOption("");

  await page.evaluate(() =>
    window.__fake.emit("tauri://drag-enter", { paths: ["/tmp/a.pdf", "/tmp/b.pdf"], position: { x: 1, y: 1 } }),
  );
  await expect(page.getByText("Déposez pour importer")).toBeVisible();
  await expectGoodScreen(screen, "dossiers-depot");
  await page.evaluate(() =>
    window.__fake.emit("tauri://drag-drop", {
      paths: ["/tmp/pv-2026-004512.pdf", "/tmp/pv-abime.pdf"],
      position: { x: 1, y: 1 },
    }),
  );
  await expect(page.getByText("Déposez pour importer")).toBeHidden();
  await expect(page.locator(".import-file progress").first()).toBeVisible();
  await expectGoodScreen(screen, "dossiers-import-en-cours");
  await expect(page.getByRole("region", { name: /Import terminé/ })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByText(/est endommagé ou illisible/)).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(5);
  await expectGoodScreen(screen, "dossiers-import-termine");
});

test("Dossier : pièces, page dessinée par pdf.js, faits, source surlignée, correction", async ({ page }) => {
  const screen = await open(page, "#/dossiers/3");
  await expect(page.getByRole("heading", { level: 1, name: "stup-recidive-gendarmerie" })).toBeVisible();
  await expect(page.locator(".pdf-page canvas")).toBeVisible();
  await expect(page.locator(".pdf-page")).toHaveCSS("width", /\d+px/);
  await expectGoodScreen(screen, "dossier");

  await page.locator('[data-fact="alcohol-value"] .evidence-link').first().click();
  await expect(page.locator(".viewer__position")).toHaveText("Page 5 sur 10");
  await expect(page.locator(".pdf-highlight")).toHaveCount(1);
  await expectGoodScreen(screen, "dossier-source");

  await page.locator('[data-fact="facts-commune"]').getByRole("button", { name: /Corriger/ }).click();
  await expect(page.getByRole("form", { name: /Corriger/ })).toBeVisible();
  await expectGoodScreen(screen, "dossier-correction");
  await page.getByRole("form", { name: /Corriger/ }).getByLabel(/^Commune/).fill("Fontainebleau");
  await page.getByRole("button", { name: "Enregistrer la correction" }).click();
  await expect(page.locator('[data-fact="facts-commune"] .fact__value')).toHaveText("Fontainebleau");

  await page.getByRole("button", { name: "Voir le texte" }).click();
  await expect(page.locator(".page-text__mark")).toHaveText("0,34 milligramme par litre");
  await expectGoodScreen(screen, "dossier-texte");
});

test("Dossier : orientation proposée, règles, cadre légal, décision, actes", async ({ page }) => {
  const screen = await open(page, "#/dossiers/3");
  await page.getByRole("tab", { name: "Orientation" }).click();
  await expect(page.locator(".proposal__label")).toHaveText("CRPC sur déferrement");
  await expectGoodScreen(screen, "dossier-orientation");

  await page.getByRole("button", { name: "Retenir une autre orientation…" }).click();
  await page.getByLabel("Orientation retenue").selectOption("composition_penale");
  await page.getByRole("button", { name: "Valider cette orientation" }).click();
  await expect(page.getByText("Indiquez pourquoi vous retenez une autre orientation que la proposition.")).toBeVisible();
  await expectGoodScreen(screen, "dossier-autre-orientation");
  await page.getByRole("button", { name: "Annuler" }).click();

  await page.getByRole("button", { name: "Accepter la proposition" }).click();
  await expect(page.locator(".decision-done")).toContainText("Décision validée");
  await page.getByRole("button", { name: "Fiche de synthèse" }).click();
  await expect(page.locator(".exports .fr-alert")).toContainText("Acte enregistré");
  await page.getByText(/Critères de l'article 144/).click();
  await expectGoodScreen(screen, "dossier-decision");

  await page.getByRole("tab", { name: "Suivi" }).click();
  await expect(page.getByText("Procédure importée")).toBeVisible();
  await expect(page.locator('[data-deadline="depassee"]')).toBeVisible();
  await expectGoodScreen(screen, "dossier-suivi");
});

test("Recherche : extraits surlignés, Entrée ouvre la page", async ({ page }) => {
  const screen = await open(page, "#/recherche");
  await expectGoodScreen(screen, "recherche-vide");
  const box = page.getByRole("searchbox");
  await expect(box).toBeFocused();
  await box.fill("éthylomètre");
  await box.press("Enter");
  await expect(page.locator(".search__hit mark").first()).toBeVisible();
  await expectGoodScreen(screen, "recherche");
  await page.locator(".search__hit").first().focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#\/dossiers\/3\?document=3&page=5$/);
  await expect(page.locator(".viewer__position")).toHaveText("Page 5 sur 10");
});

test("Activité : chiffres clés, graphiques, filtres et export", async ({ page }) => {
  const screen = await open(page, "#/activite", { pick: "/home/claire/chiffres.csv" });
  await expect(page.getByRole("list", { name: "Chiffres clés" })).toBeVisible();
  await expect(page.locator('[data-chart="familles"] canvas')).toBeVisible();
  // Chart.js drew bars: the canvas has painted pixels.
  await expect
    .poll(() =>
      page.locator('[data-chart="familles"] canvas').evaluate((c: HTMLCanvasElement) => {
        const { data } = (c.getContext("2d") as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
        return painted;
      }),
    )
    .toBeGreaterThan(500);
  await expectGoodScreen(screen, "activite");
  await page.getByText("Semaine", { exact: true }).click();
  await page.getByRole("button", { name: "Exporter les chiffres" }).click();
  await expect(page.getByText(/Fichier enregistré/)).toBeVisible();
  await page.locator('[data-chart="familles"] summary').click();
  await expectGoodScreen(screen, "activite-export");
});

test("Dossiers : une longue liste, par pages", async ({ page }) => {
  const screen = await open(page, "#/dossiers", { many: 500 });
  await expect(page.locator("tbody tr")).toHaveCount(50);
  await expect(page.getByText("Dossiers 1 à 50 sur 500")).toBeVisible();
  await page.getByRole("button", { name: "Page suivante" }).click();
  await expect(page.getByText("Dossiers 51 à 100 sur 500")).toBeVisible();
  await expectGoodScreen(screen, "dossiers-pages");
});

test("Politique pénale : la politique active, une autre chargée avec ses erreurs", async ({ page }) => {
  const screen = await open(page, "#/politique", { pick: "/home/claire/politique-erreur.toml" });
  await expect(page.getByRole("heading", { name: /Politique active/ })).toBeVisible();
  await expectGoodScreen(screen, "politique");
  await page.getByRole("button", { name: "Charger une autre politique…" }).click();
  await expect(page.getByText(/Ligne 12, colonne 15/)).toBeVisible();
  await expectGoodScreen(screen, "politique-erreurs");
});

test("Paramètres : le magistrat et le dossier de données", async ({ page }) => {
  const screen = await open(page, "#/parametres", { profile: { name: "", function: "", court: "" } });
  await expect(page.getByLabel(/^Prénom et nom/)).toBeEnabled();
  await expectGoodScreen(screen, "parametres");
  await page.getByLabel(/^Prénom et nom/).fill("Claire DURAND");
  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(page.getByText("Profil enregistré.")).toBeVisible();
  await expectGoodScreen(screen, "parametres-enregistres");
});

test("Clavier : lien d'évitement, focus visible, navigation au clavier", async ({ page }) => {
  await open(page, "#/dossiers");
  await expect(page.locator("tbody tr")).toHaveCount(4);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Contenu" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  const outline = await skip.evaluate((e) => getComputedStyle(e).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");
  await expect(page.locator("#contenu")).toBeFocused();
  // The first dossier opens from the keyboard.
  await page.getByRole("link", { name: "vitesse-suspension" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#\/dossiers\/4$/);
});

test("Verrouillage : l'écran de déverrouillage, une phrase de passe refusée, « Verrouiller »", async ({ page }) => {
  const screen = await open(page, "#/dossiers", { locked: true });
  await expect(page.getByRole("heading", { level: 1, name: "Permanence est verrouillée" })).toBeVisible();
  await expect(page.getByLabel(/^Phrase de passe/)).toBeFocused();
  await expectGoodScreen(screen, "verrouillage");
  await page.getByLabel(/^Phrase de passe/).fill("pas la bonne");
  await page.getByRole("button", { name: "Déverrouiller" }).click();
  await expect(page.getByText(/^Phrase de passe incorrecte\./)).toBeVisible();
  await expect(page.getByLabel(/^Phrase de passe/)).toBeFocused();
  await expectGoodScreen(screen, "verrouillage-refus");
  await page.getByLabel(/^Phrase de passe/).fill("phrase de passe de test");
  await page.getByRole("button", { name: "Déverrouiller" }).click();
  await expect(page.getByRole("table", { name: "Liste des dossiers" })).toBeVisible();
  await page.getByRole("button", { name: /Verrouiller/ }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Permanence est verrouillée" })).toBeVisible();
});

test("Verrouillage : la première ouverture crée la clé du poste", async ({ page }) => {
  const fresh = await open(page, "#/dossiers", { locked: true, newDataDir: true });
  await expect(page.getByRole("heading", { level: 1, name: "Protéger les données de ce poste" })).toBeVisible();
  await expectGoodScreen(fresh, "verrouillage-nouvelle-cle");
});
