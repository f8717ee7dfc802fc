import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { createCore } from "./core";
import { App } from "./ui/App";
import { CoreProvider } from "./ui/CoreContext";
import "./ui/styles.css";

const root = document.getElementById("root");
if (root === null) {
  throw new Error("élément #root introuvable");
}
createRoot(root).render(
  <StrictMode>
    <CoreProvider core={createCore()}>
      <App />
    </CoreProvider>
  </StrictMode>,
);
