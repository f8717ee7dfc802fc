// What every screen test shares: the built UI served from dist/ under the app's own CSP (from
// tauri.conf.json), the fake shell, axe-core, and the checks of French typography and of
// console errors. Nothing is fetched from a network: every request is answered from disk.
import { readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const ui = fileURLToPath(new URL("..", import.meta.url));
const root = join(ui, "..");
const dist = join(ui, "dist");
const csp = (JSON.parse(readFileSync(join(root, "tauri.conf.json"), "utf8")) as { app: { security: { csp: string } } }).app
  .security.csp;
const fake = join(ui, "screens", ".build", "fake.js");
export const shots = join(root, "target", "e2e", "screens");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".png": "image/png",
  ".pdf": "application/pdf",
  ".bcmap": "application/octet-stream",
  ".pfb": "application/octet-stream",
  ".ttf": "font/ttf",
};

export interface Screen {
  page: Page;
  errors: string[];
}

/** Opens the built UI at `hash` over the fake shell. */
export async function open(page: Page, hash: string, options: Record<string, unknown> = {}): Promise<Screen> {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== "permanence.localhost") return route.abort();
    const file =
      url.pathname === "/__fixtures__/procedure.pdf"
        ? join(root, "fixtures", "small", "stup-recidive-gendarmerie.pdf")
        : join(dist, normalize(url.pathname === "/" ? "/index.html" : decodeURIComponent(url.pathname)));
    if (!file.startsWith(dist) && !file.startsWith(join(root, "fixtures"))) return route.abort();
    try {
      const body = readFileSync(file);
      await route.fulfill({
        status: 200,
        body,
        headers: {
          "content-type": TYPES[extname(file)] ?? "application/octet-stream",
          "content-security-policy": csp,
        },
      });
    } catch {
      await route.fulfill({ status: 404, body: "" });
    }
  });
  // As in the window (tauri.conf.json `freezePrototype`): Object.prototype frozen before any script.
  await page.addInitScript({ content: "Object.freeze(Object.prototype);" });
  await page.addInitScript({ content: `window.__FAKE_OPTIONS__ = ${JSON.stringify(options)};` });
  await page.addInitScript({ path: fake });
  await page.goto(`/${hash}`);
  // The session's state comes first (unlocked or not): checks start once a screen is drawn.
  await page.locator("h1").first().waitFor();
  return { page, errors };
}

/** No axe-core violation (WCAG 2.1 A and AA) on what the page shows now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact ?? "?"}) : ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`,
  );
  expect(violations, `axe-core sur ${what}`).toEqual([]);
}

/**
 * French typography in the UI's own text: a non-breaking space (never a plain one) before
 * « : ; ! ? » and inside guillemets. Text read from the documents and the policy file
 * ([data-source-text], <pre>, <mark> snippets) is the procedure's own and is left out.
 */
export async function expectFrenchTypography(page: Page, what: string): Promise<void> {
  const faults = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const texts: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("pre, .snippet, [data-source-text], script, style, svg")) continue;
      if (parent.closest("[hidden], .fr-sr-only") === null && node.textContent) texts.push(node.textContent);
    }
    const labels = [...document.querySelectorAll("[aria-label], [title], [placeholder]")]
      .filter((e) => e.closest("[data-source-text]") === null)
      .flatMap((e) =>
      ["aria-label", "title", "placeholder"].map((a) => e.getAttribute(a) ?? ""),
    );
    for (const text of [...texts, ...labels]) {
      for (const m of text.matchAll(/ [:;!?»]|« /g)) {
        out.push(`« ${text.slice(Math.max(0, m.index - 25), m.index + 10)} »`);
      }
    }
    return out;
  });
  expect(faults, `typographie sur ${what}`).toEqual([]);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

/** The checks every screen must pass. */
export async function expectGoodScreen(screen: Screen, name: string): Promise<void> {
  await expectAccessible(screen.page, name);
  await expectFrenchTypography(screen.page, name);
  expect(screen.errors, `erreurs de la console sur ${name}`).toEqual([]);
  await shot(screen.page, name);
}
