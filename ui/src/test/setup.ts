import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// Loaded machines: findBy… and waitFor wait up to 5 s (they return as soon as the UI is there).
configure({ asyncUtilTimeout: 5_000 });

// jsdom has no layout: the page viewer's ResizeObserver sees a fixed width.
class FixedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback([{ target, contentRect: { width: 600, height: 800 } } as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= FixedResizeObserver as unknown as typeof ResizeObserver;
Element.prototype.scrollIntoView ??= () => {};
// jsdom draws nothing: a canvas gives a context that ignores what pdf.js would draw.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return {} as RenderingContext;
} as typeof HTMLCanvasElement.prototype.getContext;

afterEach(() => {
  cleanup();
  clearMocks();
  window.location.hash = "";
});
