// Drives the Permanence window through WebKitWebDriver with the W3C WebDriver protocol, spoken
// directly with Node's fetch (no client library). Started by run.sh, which provides:
//   WEBDRIVER_URL       http://127.0.0.1:PORT of a running WebKitWebDriver
//   APP_BINARY          absolute path of the app (target/debug/permanence-app)
//   EXPECTED_DOSSIERS   `permanence list --json` of the data directory the app will open
//   SCREENSHOT          where to save the PNG of the dossier list
// Exit code 0 when every check passes.
import { writeFile } from "node:fs/promises";

const { WEBDRIVER_URL, APP_BINARY, EXPECTED_DOSSIERS, SCREENSHOT } = process.env;
const TIMEOUT_MS = 60_000;

const log = (message) => console.error(`e2e : ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class WebDriverError extends Error {}

async function wd(method, path, body) {
  const response = await fetch(`${WEBDRIVER_URL}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json; charset=utf-8" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({ value: null }));
  if (!response.ok || json.value?.error) {
    const error = json.value?.error ?? `HTTP ${response.status}`;
    throw new WebDriverError(`${method} ${path} : ${error} : ${json.value?.message ?? ""}`);
  }
  return json.value;
}

async function waitFor(what, probe, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(200);
  }
  throw new Error(`délai dépassé en attendant ${what}${last ? ` (${last.message})` : ""}`);
}

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

async function find(session, css) {
  const found = await wd("POST", `/session/${session}/elements`, { using: "css selector", value: css });
  return found.map((element) => element[ELEMENT]);
}

async function text(session, element) {
  return wd("GET", `/session/${session}/element/${element}/text`);
}

async function texts(session, css) {
  const elements = await find(session, css);
  return Promise.all(elements.map((element) => text(session, element)));
}

async function screenshot(session, file) {
  const png = await wd("GET", `/session/${session}/screenshot`);
  await writeFile(file, Buffer.from(png, "base64"));
  log(`capture d'écran : ${file}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  log(`ok : ${message}`);
}

async function main() {
  const expected = JSON.parse(EXPECTED_DOSSIERS);
  if (!Array.isArray(expected) || expected.length === 0) {
    throw new Error(`« permanence list --json » ne donne aucun dossier : ${EXPECTED_DOSSIERS}`);
  }

  await waitFor("WebKitWebDriver", async () => (await wd("GET", "/status")).ready, 20_000);
  const created = await wd("POST", "/session", {
    capabilities: {
      alwaysMatch: { "webkitgtk:browserOptions": { binary: APP_BINARY, args: [] } },
    },
  });
  const session = created.sessionId;
  log(`session ${session} ouverte sur ${APP_BINARY}`);
  try {
    const outcome = await waitFor("la liste des dossiers", async () => {
      if ((await find(session, "table.dossiers")).length > 0) return "list";
      if ((await find(session, "[role=alert]")).length > 0) return "error";
      if ((await find(session, ".empty")).length > 0) return "empty";
      return null;
    });
    if (outcome !== "list") {
      await screenshot(session, SCREENSHOT.replace(/\.png$/, "-echec.png"));
      const shown = await texts(session, outcome === "error" ? "[role=alert]" : ".empty");
      throw new Error(`la liste n'est pas affichée ; l'écran montre : ${shown.join(" / ")}`);
    }

    const title = await wd("GET", `/session/${session}/title`);
    check(title === "Permanence", `le titre de la page est « ${title} »`);
    const heading = await texts(session, "h1");
    check(heading.includes("Dossiers"), `l'écran s'intitule « ${heading.join(" ")} »`);

    const titles = await texts(session, "td.dossiers__title");
    const numbers = await texts(session, "td.dossiers__number");
    const statuses = await texts(session, ".status");
    check(titles.length === expected.length, `${titles.length} dossier(s) affiché(s), ${expected.length} attendu(s)`);
    for (const dossier of expected) {
      const row = titles.indexOf(dossier.title);
      check(row >= 0, `le dossier importé « ${dossier.title} » est affiché`);
      check(numbers[row] === String(dossier.id), `il porte le n° ${numbers[row]}`);
      check(statuses[row] === "reçu", `son statut se lit « ${statuses[row]} »`);
    }

    await sleep(300); // let the last frame paint before the capture
    await screenshot(session, SCREENSHOT);
  } catch (e) {
    await screenshot(session, SCREENSHOT.replace(/\.png$/, "-echec.png")).catch(() => {});
    throw e;
  } finally {
    await wd("DELETE", `/session/${session}`).catch((e) => log(`fermeture de la session : ${e.message}`));
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    log(`ÉCHEC : ${e.message}`);
    process.exit(1);
  },
);
