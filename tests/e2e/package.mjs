// Launches the binary unpacked from the .deb (package.sh) under WebKitWebDriver: the list of a
// real data directory shows, a dossier opens with its page drawn, and a fact's source is
// highlighted — which reads the original with pdfium, found inside the package.
// Environment: WEBDRIVER_URL, APP_BINARY, OUT, DOSSIER, PASSPHRASE (typed on the unlock screen).
import { join } from "node:path";

import { check, log, webdriver } from "./webdriver.mjs";

const { WEBDRIVER_URL, APP_BINARY, OUT, DOSSIER, PASSPHRASE } = process.env;

async function main() {
  const driver = webdriver(WEBDRIVER_URL);
  await driver.ready();
  const s = await driver.open(APP_BINARY);
  try {
    await s.type(await s.one("#phrase-de-passe", "l'écran de déverrouillage"), PASSPHRASE);
    await s.clickText(".unlock__form button", "Déverrouiller");
    await s.one(`tr[data-dossier="${DOSSIER}"]`, "le dossier dans la liste");
    check((await s.title()) === "Permanence", "la fenêtre du paquet s'ouvre sur la liste des dossiers");
    await s.go(`#/dossiers/${DOSSIER}`);
    await s.one(".pdf-page canvas", "la page dessinée");
    await s.click(await s.one('[data-fact="alcohol-value"] .evidence-link', "la source du taux"));
    await s.one(".pdf-highlight", "la source surlignée (PDFium)");
    check(true, "la source d'un fait est surlignée : PDFium est chargé");
    await s.screenshot(join(OUT, "paquet.png"));
  } finally {
    await s.close().catch((e) => log(`fermeture de la session : ${e.message}`));
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    log(`ÉCHEC : ${e.message}`);
    process.exit(1);
  },
);
