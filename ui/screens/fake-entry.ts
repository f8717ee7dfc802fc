// The fake shell for the screen tests, bundled as one script (screens/vite.config.ts) that
// Playwright runs in the page before the built UI: the UI's IPC is answered by the same fake as
// in the Vitest tests (@tauri-apps/api/mocks). Options come from window.__FAKE_OPTIONS__.
import { emit } from "@tauri-apps/api/event";

import { installFakeBackend, type FakeOptions } from "../src/test/fakeBackend";

declare global {
  interface Window {
    __FAKE_OPTIONS__?: Omit<FakeOptions, "original">;
    __fake: { state: ReturnType<typeof installFakeBackend>; emit: typeof emit };
  }
}

const state = installFakeBackend({
  ...(window.__FAKE_OPTIONS__ ?? {}),
  original: () => fetch("/__fixtures__/procedure.pdf").then((r) => r.arrayBuffer()),
});
window.__fake = { state, emit };
