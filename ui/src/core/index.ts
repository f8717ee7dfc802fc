export type { DossierSummary } from "./bindings/DossierSummary";
export type { WireError } from "./bindings/WireError";
export { IPC_FAILURE } from "./adapters/commands";
export { createCore, type Core } from "./core";
export type { Dossiers } from "./ports/Dossiers";
export type { Result } from "./result";
