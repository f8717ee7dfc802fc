// Starts the State design system's own script (menus, collapses, modals), bundled with the app.
// react-dsfr's startReactDsfr() is not used: its colour-scheme logic inserts a <style> element,
// which the strict CSP refuses. The scheme is fixed to light in index.html.
declare global {
  interface Window {
    dsfr?: { verbose?: boolean; mode?: string; start?: () => void };
  }
}

export async function startDsfr(): Promise<void> {
  window.dsfr = { verbose: false, mode: "react" };
  await import("@codegouvfr/react-dsfr/dsfr/dsfr.module.min.js");
  window.dsfr.start?.();
}
