import "@codegouvfr/react-dsfr/main.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { createCore } from "./core";
import { startDsfr } from "./dsfr";
import { App } from "./ui/App";
import { CoreProvider } from "./ui/CoreContext";
import "./ui/styles.css";

void startDsfr();

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
