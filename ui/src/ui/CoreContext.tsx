import { createContext, useContext, type ReactNode } from "react";

import type { Core } from "../core";

const CoreContext = createContext<Core | null>(null);

export function CoreProvider({ core, children }: { core: Core; children: ReactNode }) {
  return <CoreContext.Provider value={core}>{children}</CoreContext.Provider>;
}

export function useCore(): Core {
  const core = useContext(CoreContext);
  if (core === null) {
    throw new Error("useCore() hors de <CoreProvider>");
  }
  return core;
}
