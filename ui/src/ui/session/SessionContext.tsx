import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import type { Result, SessionState, WireError } from "../../core";
import { useCore } from "../CoreContext";

/** At most one « still active » message to the shell per this many milliseconds. */
const TOUCH_EVERY_MS = 20_000;
const ACTIVITY_EVENTS = ["keydown", "pointerdown", "wheel", "touchstart"] as const;

export interface SessionValue {
  state: SessionState;
  unlock(passphrase: string): Promise<Result<SessionState>>;
  lock(): Promise<void>;
  setLockMinutes(minutes: number): Promise<Result<number>>;
}

const SessionContext = createContext<SessionValue | null>(null);

/**
 * The app's session: locked (the unlock screen) or unlocked (the screens). The shell locks
 * after the delay without activity and says so; the user's keys and clicks count as activity.
 */
export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: (error: WireError) => ReactNode }) {
  const { session } = useCore();
  const [state, setState] = useState<SessionState | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const lastTouch = useRef(0);

  useEffect(() => {
    let live = true;
    void session.state().then((r) => {
      if (!live) return;
      if (r.ok) setState(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [session]);

  const markLocked = useCallback(() => setState((s) => (s === null ? s : { ...s, locked: true })), []);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let live = true;
    void session.onLocked(markLocked).then((unlisten) => {
      if (live) stop = unlisten;
      else unlisten();
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [session, markLocked]);

  const unlocked = state !== null && !state.locked;
  useEffect(() => {
    if (!unlocked) return;
    const active = () => {
      const now = Date.now();
      if (now - lastTouch.current < TOUCH_EVERY_MS) return;
      lastTouch.current = now;
      void session.touch().then((r) => {
        if (!r.ok && r.error.code === "session.locked") markLocked();
      });
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, active, { passive: true });
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, active);
    };
  }, [unlocked, session, markLocked]);

  const value = useMemo<SessionValue | null>(
    () =>
      state === null
        ? null
        : {
            state,
            unlock: async (passphrase) => {
              const r = await session.unlock(passphrase);
              if (r.ok) {
                lastTouch.current = Date.now();
                setState(r.value);
              }
              return r;
            },
            lock: async () => {
              const r = await session.lock();
              setState((s) => (r.ok ? r.value : s === null ? s : { ...s, locked: true }));
            },
            setLockMinutes: async (minutes) => {
              const r = await session.setLockMinutes(minutes);
              if (r.ok) setState((s) => (s === null ? s : { ...s, lock_minutes: r.value }));
              return r;
            },
          },
    [state, session],
  );

  if (value === null) return error ? fallback(error) : <p className="loading">Chargement…</p>;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error("useSession() hors de <SessionProvider>");
  return value;
}
