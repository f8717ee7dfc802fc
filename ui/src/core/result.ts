import type { WireError } from "./bindings/WireError";

/** What every core operation returns: a value, or an error as the engine words it. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(error: WireError): Result<T> => ({ ok: false, error });
