// Speed of the real window (not a test: figures for docs/PERFORMANCE.md), driven through
// WebKitWebDriver by measure.sh:
//   launch  — from the request that starts the app to its first usable screen (the unlock
//             screen, its field ready), then from the passphrase sent to the dossier list
//             shown (its first page of 50, counting all 500 dossiers), RUNS times;
//   drop    — a 10-page procedure dropped on the window (as the system delivers it) until its
//             facts and its proposal are on screen: wall clock, and the UI's own measure
//             (performance.measure "permanence:drop-to-facts").
// Environment: WEBDRIVER_URL, APP_BINARY, EXPECTED_COUNT, DROP_FILES (one per run, ":"-separated),
// RUNS, OUT (a JSON file), PASSPHRASE (typed on the unlock screen).
import { writeFile } from "node:fs/promises";

import { log, webdriver } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, EXPECTED_COUNT, DROP_FILES, RUNS = "5", OUT, PASSPHRASE } = process.env;
const expected = Number(EXPECTED_COUNT);
const drops = DROP_FILES.split(":");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const driver = webdriver(WEBDRIVER_URL);
  await driver.ready();
  const runs = [];
  for (let run = 0; run < Number(RUNS); run++) {
    const t0 = Date.now();
    const s = await driver.open(APP_BINARY);
    const session = Date.now() - t0;
    const field = await driver.waitFor("l'écran de déverrouillage", async () => (await s.find("#phrase-de-passe"))[0], 60_000, 10);
    const unlockScreen = Date.now() - t0;
    await s.type(field, PASSPHRASE);
    const button = await driver.waitFor("le bouton Déverrouiller", async () => (await s.find(".unlock__form button[type=submit]"))[0]);
    const t1 = Date.now();
    await s.click(button);
    await driver.waitFor(
      `${expected} dossiers listés`,
      // The list shows its first page (50 lines) and counts every dossier.
      async () =>
        (await s.run("return document.querySelectorAll('table.dossiers tbody tr').length;")) >= Math.min(expected, 50) &&
        (await s.texts(".page__count")).some((t) => Number(t.replace(/\D/g, "")) >= expected),
      60_000,
      10,
    );
    const unlockToList = Date.now() - t1;
    const list = Date.now() - t0;
    const inPage = await s.run(
      `const m = performance.getEntriesByName("permanence:list-ready")[0]; return m ? Math.round(m.startTime) : null;`,
    );
    const file = drops[run % drops.length];
    const dropped = Date.now();
    await s.runAsync(
      `const [paths, done] = arguments;
       window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event: "tauri://drag-drop", payload: { paths, position: { x: 640, y: 400 } } })
         .then(() => done(null), (e) => done(String(e)));`,
      [file],
    );
    await driver.waitFor(
      "les faits et la proposition du dossier déposé",
      async () => (await s.find(".proposal-summary__label")).length > 0 && (await s.find("[data-fact]")).length > 0,
      60_000,
      10,
    );
    const drop = Date.now() - dropped;
    const dropInApp = await s.run(
      `const m = performance.getEntriesByName("permanence:drop-to-facts"); return m.length ? Math.round(m[m.length - 1].duration) : null;`,
    );
    await s.close();
    const figures = { session_ms: session, launch_to_unlock_screen_ms: unlockScreen, unlock_to_list_ms: unlockToList, launch_to_list_ms: list, list_in_page_ms: inPage, drop_to_facts_ms: drop, drop_to_facts_in_app_ms: dropInApp };
    log(`essai ${run + 1} : ${JSON.stringify(figures)}`);
    runs.push(figures);
  }
  const summary = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
  log(`médianes : ${JSON.stringify(summary)}`);
  await writeFile(OUT, `${JSON.stringify({ app: APP_BINARY, dossiers: expected, runs, median: summary }, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    log(`ÉCHEC : ${e.message}`);
    process.exit(1);
  },
);
