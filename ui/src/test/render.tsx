import { render } from "@testing-library/react";

import { createCore } from "../core";
import { App } from "../ui/App";
import { CoreProvider } from "../ui/CoreContext";
import { installFakeBackend, type FakeOptions } from "./fakeBackend";

/** The whole app on a screen (`hash`), over the fake shell. */
export function renderApp(hash: string, options: FakeOptions = {}) {
  window.location.hash = hash;
  const backend = installFakeBackend(options);
  const view = render(
    <CoreProvider core={createCore()}>
      <App />
    </CoreProvider>,
  );
  return { backend, ...view };
}
