// Data for the UI's tests, as the engine gives it: show, facts, propose and search were written
// by the `permanence` CLI on fixtures/small/stup-recidive-gendarmerie.pdf; the rest follows the
// engine's types (ts-rs bindings), which the type-checker holds them to.
import type { ActivePolicy, AppInfo, DocumentFacts, DossierDetail, DossierRow, PageView, Proposal, SearchHit } from "../core";
import appInfoJson from "./data/app-info.json";
import factsJson from "./data/facts.json";
import pagesJson from "./data/pages.json";
import policyJson from "./data/policy.json";
import proposalJson from "./data/proposal.json";
import rowsJson from "./data/rows.json";
import searchJson from "./data/search.json";
import showJson from "./data/show.json";

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const appInfo = (): AppInfo => copy(appInfoJson) as AppInfo;
export const rows = (): DossierRow[] => copy(rowsJson) as DossierRow[];
export const detail = (): DossierDetail => copy(showJson) as DossierDetail;
export const facts = (): DocumentFacts => copy(factsJson) as DocumentFacts;
export const proposal = (): Proposal => copy(proposalJson) as Proposal;
export const hits = (): SearchHit[] => copy(searchJson) as SearchHit[];
export const pages = (): PageView[] => copy(pagesJson) as PageView[];
export const policy = (): ActivePolicy => copy(policyJson) as ActivePolicy;

/** The dossier of the data above. */
export const DOSSIER = 3;
