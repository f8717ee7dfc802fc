// The end-to-end test of the real window, driven through WebKitWebDriver (see run.sh, which
// provides the environment):
//   WEBDRIVER_URL     http://127.0.0.1:PORT of a running WebKitWebDriver
//   APP_BINARY        the app (target/debug/permanence-app)
//   OUT               where the screenshots go (target/e2e/)
//   DROP_FILE         the procedure dropped on the window (a 10-page fixture PDF)
//   EXPECTED          its expected facts and orientation, as JSON
//   BEFORE            `permanence list --json` of the data directory before the app starts
//   PASSPHRASE        the data directory's passphrase, typed on the unlock screen
//   SCANNED_FILE      a procedure whose pages are partly scans (read by OCR)
//   SCANNED           what it must show, as JSON (its scanned pages, a name read on one of them)
// Flows: the dossier list; the profile; a drop of a PDF delivered as the system delivers it (a
// `tauri://drag-drop` event) with its progress; the facts; a fact's page with its evidence
// highlighted; a correction; the proposal accepted; the synthesis exported; the search and Enter
// on a result; the policy screen; a partly scanned procedure (a fact read by OCR flagged and
// highlighted on its scanned page, the scanned text found); « Verrouiller ». Exit code 0 when every check passes; the timings are logged.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { check, ENTER, log, sleep, webdriver } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, OUT, DROP_FILE, EXPECTED, BEFORE, PASSPHRASE, SCANNED_FILE, SCANNED } = process.env;
const expected = JSON.parse(EXPECTED);
const scanned = JSON.parse(SCANNED);
const before = JSON.parse(BEFORE);
const timings = {};

/** Delivers a drag-and-drop event to the window as Tauri does for the system's drops. */
async function emitDrop(s, event, paths) {
  const error = await s.runAsync(
    `const [event, paths, done] = arguments;
     window.__TAURI_INTERNALS__
       .invoke("plugin:event|emit", { event, payload: { paths, position: { x: 640, y: 400 } } })
       .then(() => done(null), (e) => done(String(e)));`,
    event,
    paths,
  );
  if (error) throw new Error(`l'événement ${event} n'a pas été délivré : ${error}`);
}

/** Types the passphrase on the unlock screen and waits for the list. */
async function unlock(driver, s, passphrase, shot) {
  const field = await s.one("#phrase-de-passe", "le champ de la phrase de passe");
  await s.clear(field);
  await s.type(field, passphrase);
  if (shot) await shot();
  await s.clickText(".unlock__form button", "Déverrouiller");
}

async function main() {
  const driver = webdriver(WEBDRIVER_URL);
  await driver.ready();
  const started = Date.now();
  const s = await driver.open(APP_BINARY);
  log(`session ${s.id} ouverte sur ${APP_BINARY}`);
  const shot = (name) => s.screenshot(join(OUT, `${name}.png`));
  try {
    // 0. Locked at start: a wrong passphrase is refused in French, the right one opens.
    await driver.waitFor("l'écran de déverrouillage", async () => (await s.find("#phrase-de-passe")).length > 0, 60_000, 25);
    timings.launch_to_unlock_ms = Date.now() - started;
    await shot("00-verrouillee");
    await unlock(driver, s, "pas la bonne phrase");
    const refused = await driver.waitFor("le refus de la phrase de passe", async () =>
      (await s.texts(".unlock .fr-message--error, .unlock .fr-error-text")).find((t) => t.includes("Phrase de passe incorrecte")),
    );
    check(refused !== undefined, `une phrase de passe fausse est refusée : ${refused}`);
    await shot("00b-phrase-incorrecte");
    const unlockStarted = Date.now();
    await unlock(driver, s, PASSPHRASE);

    // 1. The dossier list, as stored before the app started.
    await driver.waitFor("la liste des dossiers", async () => (await s.find("table.dossiers tbody tr")).length > 0, 60_000, 25);
    timings.unlock_to_list_ms = Date.now() - unlockStarted;
    timings.launch_to_list_ms = Date.now() - started;
    check((await s.title()) === "Permanence", "le titre de la fenêtre est « Permanence »");
    const numbers = await s.texts("td.dossiers__number");
    check(numbers.length === before.length, `${numbers.length} dossier(s) affiché(s), ${before.length} attendu(s)`);
    for (const dossier of before) {
      check(numbers.includes(String(dossier.id)), `le dossier n° ${dossier.id} « ${dossier.title} » est listé`);
    }
    await shot("01-dossiers");

    // 2. Paramètres: who decides.
    await s.go("#/parametres");
    const inputs = await driver.waitFor("le formulaire du profil", async () => {
      const found = await s.find(".settings__form input");
      return found.length >= 3 ? found : null;
    });
    for (const [input, value] of [
      [inputs[0], "Claire DURAND"],
      [inputs[1], "substitut du procureur de la République"],
      [inputs[2], "Melun"],
    ]) {
      await s.clear(input);
      await s.type(input, value);
    }
    await s.clickText(".settings__form button", "Enregistrer");
    await s.one(".settings__form .fr-alert--success", "la confirmation du profil");
    const dataDir = (await s.texts(".settings__path"))[0];
    check(dataDir.length > 0, `le dossier de données est affiché : ${dataDir}`);
    await shot("02-parametres");

    // 3. A drop of a 10-page procedure anywhere on the window.
    await s.go("#/dossiers");
    await s.one("table.dossiers", "la liste");
    await emitDrop(s, "tauri://drag-enter", [DROP_FILE]);
    await s.one(".drop-overlay", "l'indication de dépôt");
    await shot("03-depot");
    const dropped = Date.now();
    await emitDrop(s, "tauri://drag-drop", [DROP_FILE]);
    await driver.waitFor(
      "les faits du dossier déposé",
      async () => (await s.texts('[data-fact="alcohol-value"] .fact__value')).some((t) => t.includes(expected.rate)),
      60_000,
      25,
    );
    await s.one(".proposal-summary__label", "la proposition");
    timings.drop_to_facts_wall_ms = Date.now() - dropped;
    timings.drop_to_facts_in_app_ms = await s.run(
      `const m = performance.getEntriesByName("permanence:drop-to-facts"); return m.length ? Math.round(m[m.length - 1].duration) : null;`,
    );
    const hash = await s.run("return window.location.hash;");
    const dossier = Number(/#\/dossiers\/(\d+)/.exec(hash)?.[1]);
    check(Number.isInteger(dossier) && !before.some((d) => d.id === dossier), `le dépôt a ouvert le nouveau dossier n° ${dossier}`);
    const values = (await s.texts(".fact__value")).join(" | ");
    check(values.includes(expected.commune), `la commune des faits est lue : ${expected.commune}`);
    check(values.includes(expected.person), `le mis en cause est lu : ${expected.person}`);
    const pieces = await s.find(".pieces__list .piece");
    check(pieces.length > 1, `${pieces.length} pièces sont listées`);
    await s.one(".pdf-page canvas", "la page dessinée par pdf.js");
    await shot("04-dossier");

    // 4. A fact's source: its page, the evidence highlighted.
    const link = (await s.find('[data-fact="alcohol-value"] .evidence-link'))[0];
    check(link !== undefined, "le taux d'alcoolémie a un lien vers sa source");
    const page = Number((await s.text(link)).replace(/\D/g, ""));
    await s.click(link);
    await s.one(".pdf-highlight", "la source surlignée sur la page");
    const position = (await s.texts(".viewer__position"))[0];
    check(position === `Page ${page} sur ${expected.pages}`, `la page de la source est affichée : ${position}`);
    const source = (await s.texts(".viewer__source"))[0];
    check(source.includes(expected.rate.split(",")[0]), `le texte de la source est rappelé : ${source}`);
    await shot("05-source");

    // 5. A correction in place (journaled).
    await s.clickText('[data-fact="facts-commune"] button', "Corriger");
    const field = await s.one('[data-fact="facts-commune"] .correction-form input', "le champ de correction");
    await s.clear(field);
    await s.type(field, "Fontainebleau");
    const reason = await s.one('[data-fact="facts-commune"] .correction-form textarea', "la raison");
    await s.type(reason, "Commune lue sur le PV de saisine");
    await s.clickText('[data-fact="facts-commune"] .correction-form button', "Enregistrer");
    await driver.waitFor("la commune corrigée", async () =>
      (await s.texts('[data-fact="facts-commune"] .fact__value')).includes("Fontainebleau"),
    );
    await s.one('[data-fact="facts-commune"] .fact__corrected', "la marque « Corrigé »");
    await shot("06-correction");

    // 6. The proposal, its rules, and the decision.
    await s.click(await s.one("#onglet-orientation", "l'onglet Orientation"));
    const proposed = await s.attribute(await s.one(".proposal__label", "l'orientation proposée"), "data-orientation");
    check(proposed === expected.orientation, `l'orientation proposée est ${proposed}`);
    const rules = await s.texts(".rules .rule__id");
    for (const rule of expected.rules) {
      check(rules.some((r) => r.includes(rule)), `la règle ${rule} est montrée`);
    }
    await shot("07-orientation");
    await s.clickText(".decision button", "Accepter la proposition");
    const done = await s.one(".decision-done", "la décision validée");
    const doneText = await s.text(done);
    check(doneText.includes("Décision validée") && doneText.includes("Claire DURAND"), `la décision est validée : ${doneText.split("\n")[0]}`);
    await shot("08-decision");

    // 7. The synthesis exported into the dossier's drafts folder.
    await s.click(await s.one('[data-draft="synthese"]', "le bouton de la fiche de synthèse"));
    const outcome = await driver.waitFor("le résultat de l'export", async () => {
      const ok = await s.texts(".exports .fr-alert--success");
      if (ok.length) return { ok: ok[0] };
      const ko = await s.texts(".exports .fr-alert--error");
      return ko.length ? { ko: ko[0] } : null;
    });
    check(outcome.ok !== undefined, `la fiche de synthèse est écrite : ${outcome.ok ?? outcome.ko}`);
    const file = /«\s*(.+\.docx)\s*»/.exec(outcome.ok)?.[1];
    check(file !== undefined && file.includes(`/actes/dossier-${dossier}/synthese-`), `dans le dossier de données : ${file}`);
    await writeFile(join(OUT, "synthese.path"), file);
    await shot("08b-acte");

    // 7b. Suivi: the timeline from the journal, the status the export moved it to.
    await s.click(await s.one("#onglet-suivi", "l'onglet Suivi"));
    await driver.waitFor("l'historique du dossier", async () => {
      const events = await s.texts(".journal__event");
      return events.some((e) => e.includes("Procédure importée")) && events.some((e) => e.includes("Décision validée"));
    });
    const events = await s.texts(".journal__event");
    check(events.some((e) => /Acte produit|Acte rédigé|Fiche de synthèse/.test(e)), `l'export est à l'historique : ${events[0]}`);
    await shot("08c-suivi");

    // 8. Recherche: highlighted snippets, Enter opens the page.
    await s.go("#/recherche");
    const box = await s.one("main input[type=search]", "le champ de recherche");
    await s.type(box, `${expected.search}${ENTER}`);
    await s.one(".search__hit mark", "un extrait surligné");
    const hits = await s.find(".search__hit");
    check(hits.length > 0, `${hits.length} page(s) trouvée(s) pour « ${expected.search} »`);
    await shot("09-recherche");
    const target = (await s.attribute(hits[0], "href")).replace(/^[^#]*/, "");
    await s.type(hits[0], ENTER);
    await driver.waitFor("la page du résultat", async () => (await s.run("return window.location.hash;")) === target);
    await s.one(".viewer__position", "la visionneuse");
    check(true, `Entrée sur le premier résultat ouvre ${target}`);

    // 9. Politique pénale: the active policy and its rules.
    await s.go("#/politique");
    await s.one("#active-title", "la politique active");
    const policyRules = await s.find(".fr-table tbody tr");
    check(policyRules.length > 5, `${policyRules.length} règles de la politique active sont listées`);
    await shot("10-politique");

    // 10. Activité: the figures drawn as charts, from the stored dossiers.
    await s.go("#/activite");
    await driver.waitFor("l'écran Activité", async () => (await s.find('[aria-label="Chiffres clés"], [data-screen-error]')).length > 0);
    const broken = await s.find("[data-screen-error]");
    if (broken.length > 0) {
      await s.run("document.querySelectorAll('details').forEach((d) => { d.open = true; });");
      const stack = await s.texts("main pre");
      throw new Error(`l'écran Activité a échoué : ${(await s.texts("[data-screen-error]"))[0]} ${stack[0] ?? ""}`);
    }
    // Chart.js drew the bars: the first chart's canvas has painted pixels.
    await driver.waitFor("les graphiques", async () =>
      s.run(`const c = document.querySelector(".chart__plot canvas");
        if (!c || !c.width) return 0;
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n > 500;`),
    );
    const key = (await s.texts(".key-figures"))[0] ?? "";
    check(/1\s*dossiers? reçus?/.test(key) || key.includes("dossiers reçus"), `chiffres clés : ${key.replace(/\n/g, " ")}`);
    await shot("10b-activite");

    // 11. The list again: the new dossier decided, its act produced.
    await s.go("#/dossiers");
    await driver.waitFor("le dossier traité dans la liste", async () =>
      (await s.texts(`tr[data-dossier="${dossier}"] .status`)).some((t) => /actes produits/i.test(t)),
    );
    await shot("11-dossiers-apres");

    // 11b. A procedure partly scanned: its scanned pages read by OCR, a fact read there flagged
    // with its confidence and highlighted on the scan, the scanned text found by the search.
    await emitDrop(s, "tauri://drag-drop", [SCANNED_FILE]);
    await driver.waitFor(
      "le dossier de la procédure scannée",
      async () => {
        const h = await s.run("return window.location.hash;");
        const n = Number(/#\/dossiers\/(\d+)/.exec(h)?.[1]);
        return n > dossier && (await s.find(".fact__ocr")).length > 0;
      },
      180_000,
      100,
    );
    const scannedHash = await s.run("return window.location.hash;");
    const scannedDossier = Number(/#\/dossiers\/(\d+)/.exec(scannedHash)[1]);
    const badge = (await s.texts(".fact__ocr"))[0];
    check(/^lu par OCR \(confiance\s: \d+\s%\)$/i.test(badge), `un fait lu sur une page scannée est signalé : ${badge}`);
    // The first fact so flagged: its source on the scanned page, highlighted.
    const ocrFact = await s.run(
      `const b = document.querySelector(".fact__ocr"); return b.closest("[data-fact]").getAttribute("data-fact");`,
    );
    const ocrLink = (await s.find(`[data-fact="${ocrFact}"] .evidence-link`))[0];
    check(ocrLink !== undefined, `le fait « ${ocrFact} » lu par OCR a un lien vers sa source`);
    const ocrPage = Number((await s.text(ocrLink)).replace(/\D/g, ""));
    check(scanned.ocr_pages.includes(ocrPage), `sa source est une page scannée : ${ocrPage} (pages scannées : ${scanned.ocr_pages.join(", ")})`);
    await s.click(ocrLink);
    await s.one(".pdf-highlight", "la source surlignée sur la page scannée");
    const ocrPosition = (await s.texts(".viewer__position"))[0];
    check(ocrPosition === `Page ${ocrPage} sur ${scanned.pages}`, `la page scannée est affichée : ${ocrPosition}`);
    await shot("11b-scan-source");
    await s.go("#/recherche");
    const scanBox = await s.one("main input[type=search]", "le champ de recherche");
    await s.clear(scanBox);
    await s.type(scanBox, `${scanned.search}${ENTER}`);
    await driver.waitFor(`une page scannée trouvée pour « ${scanned.search} »`, async () => {
      for (const hit of await s.find(".search__hit")) {
        const href = await s.attribute(hit, "href");
        const m = /#\/dossiers\/(\d+)\?document=\d+&page=(\d+)/.exec(href ?? "");
        if (m && Number(m[1]) === scannedDossier && scanned.ocr_pages.includes(Number(m[2]))) return true;
      }
      return null;
    });
    check(true, `la recherche trouve « ${scanned.search} » sur une page scannée du dossier n° ${scannedDossier}`);
    await shot("11c-scan-recherche");

    // 12. « Verrouiller »: the unlock screen again, then the list once unlocked.
    await s.clickText("header button", "Verrouiller");
    await s.one("#phrase-de-passe", "l'écran de déverrouillage après « Verrouiller »");
    await shot("12-verrouillee");
    await unlock(driver, s, PASSPHRASE);
    await s.one("main input[type=search]", "l'écran où l'on était (Recherche) après le déverrouillage");
    await s.go("#/dossiers");
    await s.one(`tr[data-dossier="${dossier}"]`, "le dossier après le déverrouillage");
    await writeFile(join(OUT, "dossier.id"), String(dossier));
  } catch (e) {
    await shot("echec").catch(() => {});
    throw e;
  } finally {
    await s.close().catch((e) => log(`fermeture de la session : ${e.message}`));
    await writeFile(join(OUT, "timings.json"), `${JSON.stringify(timings, null, 2)}\n`).catch(() => {});
    log(`mesures : ${JSON.stringify(timings)}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    log(`ÉCHEC : ${e.message}`);
    process.exit(1);
  },
);
