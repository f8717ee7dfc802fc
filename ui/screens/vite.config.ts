// Bundles screens/fake-entry.ts into one classic script for Playwright's addInitScript.
import { fileURLToPath } from "node:url";

import { defineConfig } from "vite";

export default defineConfig({
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("./.build", import.meta.url)),
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: fileURLToPath(new URL("./fake-entry.ts", import.meta.url)),
      name: "permanenceFake",
      formats: ["iife"],
      fileName: () => "fake.js",
    },
  },
});
