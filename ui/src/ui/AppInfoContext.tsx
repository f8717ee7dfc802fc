import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

import type { AppInfo } from "../core";
import { useCore } from "./CoreContext";

const AppInfoContext = createContext<AppInfo | null>(null);

/** The engine's vocabularies (orientations, families, drafts) and the data folder, loaded once. */
export function AppInfoProvider({ children }: { children: ReactNode }) {
  const { settings } = useCore();
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    void settings.info().then((result) => {
      if (live && result.ok) setInfo(result.value);
    });
    return () => {
      live = false;
    };
  }, [settings]);
  return <AppInfoContext.Provider value={info}>{children}</AppInfoContext.Provider>;
}

/** Null until loaded (or when the engine could not be reached). */
export function useAppInfo(): AppInfo | null {
  return useContext(AppInfoContext);
}

export function orientationLabel(info: AppInfo | null, id: string): string {
  return info?.orientations.find((o) => o.id === id)?.label ?? id.replaceAll("_", " ");
}

export function familyLabel(info: AppInfo | null, id: string): string {
  return info?.families.find((f) => f.id === id)?.label ?? id.replaceAll("_", " ");
}
