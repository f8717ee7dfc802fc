// A small W3C WebDriver client spoken with Node's fetch (no client library), for the
// WebKitWebDriver that tests/e2e/*.sh start. Every helper throws a French message on failure.
import { writeFile } from "node:fs/promises";

export const log = (message) => console.error(`e2e : ${message}`);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const ENTER = "\uE007";
export const TAB = "\uE004";

class WebDriverError extends Error {}

export function webdriver(url) {
  async function wd(method, path, body) {
    const response = await fetch(`${url}${path}`, {
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

  async function waitFor(what, probe, timeoutMs = 60_000, everyMs = 100) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      try {
        const value = await probe();
        if (value) return value;
      } catch (e) {
        last = e;
      }
      await sleep(everyMs);
    }
    throw new Error(`délai dépassé en attendant ${what}${last ? ` (${last.message})` : ""}`);
  }

  return {
    wd,
    waitFor,
    ready: () => waitFor("WebKitWebDriver", async () => (await wd("GET", "/status")).ready, 20_000),
    /** Starts the app (a new session) and returns a session object. */
    async open(binary) {
      const created = await wd("POST", "/session", {
        capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary, args: [] } } },
      });
      return session(created.sessionId);
    },
  };

  function session(id) {
    const s = `/session/${id}`;
    const api = {
      id,
      close: () => wd("DELETE", s),
      title: () => wd("GET", `${s}/title`),
      async find(css) {
        const found = await wd("POST", `${s}/elements`, { using: "css selector", value: css });
        return found.map((element) => element[ELEMENT]);
      },
      async one(css, what = css) {
        return waitFor(what, async () => (await api.find(css))[0]);
      },
      text: (element) => wd("GET", `${s}/element/${element}/text`),
      async texts(css) {
        const elements = await api.find(css);
        return Promise.all(elements.map((element) => api.text(element)));
      },
      attribute: (element, name) => wd("GET", `${s}/element/${element}/attribute/${name}`),
      click: (element) => wd("POST", `${s}/element/${element}/click`, {}),
      clear: (element) => wd("POST", `${s}/element/${element}/clear`, {}),
      type: (element, text) => wd("POST", `${s}/element/${element}/value`, { text }),
      run: (script, ...args) => wd("POST", `${s}/execute/sync`, { script, args }),
      runAsync: (script, ...args) => wd("POST", `${s}/execute/async`, { script, args }),
      async go(hash) {
        await api.run("window.location.hash = arguments[0];", hash);
      },
      async screenshot(file) {
        await sleep(250); // let the last frame paint
        const png = await wd("GET", `${s}/screenshot`);
        await writeFile(file, Buffer.from(png, "base64"));
        log(`capture d'écran : ${file}`);
      },
      /** Clicks the first element matching `css` whose text contains `text`. */
      async clickText(css, text) {
        const element = await waitFor(`« ${text} » (${css})`, async () => {
          for (const e of await api.find(css)) {
            if ((await api.text(e)).includes(text)) return e;
          }
          return null;
        });
        await api.click(element);
        return element;
      },
    };
    return api;
  }
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
  log(`ok : ${message}`);
}
