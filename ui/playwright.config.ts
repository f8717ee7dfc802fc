// Screen tests: the built UI (dist/) in headless Chromium (Debian's, /usr/bin/chromium; no
// browser is downloaded), the Tauri IPC answered by the fake shell, axe-core on every screen.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "screens",
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  outputDir: "../target/e2e/screens/results",
  use: {
    baseURL: "http://permanence.localhost",
    viewport: { width: 1280, height: 800 },
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=fr-FR",
      ],
    },
  },
});
