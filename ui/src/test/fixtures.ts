// Data for the UI's tests, as the engine gives it: show, facts, propose and search were written
// by the `permanence` CLI on fixtures/small/stup-recidive-gendarmerie.pdf; timeline, related
// and figures by `permanence timeline 3 / related 3 / stats --format json` after importing
// alcool-police, vitesse-suspension, stup-recidive-gendarmerie and that procedure's text (the
// same person again), proposing and deciding two of them; the rest follows the
// engine's types (ts-rs bindings), which the type-checker holds them to.
import type {
  ActivePolicy,
  AppInfo,
  Deadline,
  DocumentFacts,
  DossierDetail,
  DossierRow,
  Figures,
  PageView,
  Proposal,
  RelatedDossier,
  SearchHit,
  TimelineEntry,
} from "../core";
import appInfoJson from "./data/app-info.json";
import deadlinesJson from "./data/deadlines.json";
import factsJson from "./data/facts.json";
import figuresJson from "./data/figures.json";
import pagesJson from "./data/pages.json";
import policyJson from "./data/policy.json";
import proposalJson from "./data/proposal.json";
import relatedJson from "./data/related.json";
import rowsJson from "./data/rows.json";
import searchJson from "./data/search.json";
import showJson from "./data/show.json";
import timelineJson from "./data/timeline.json";

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const appInfo = (): AppInfo => copy(appInfoJson) as AppInfo;
export const rows = (): DossierRow[] => copy(rowsJson) as DossierRow[];
export const detail = (): DossierDetail => copy(showJson) as DossierDetail;
export const facts = (): DocumentFacts => copy(factsJson) as DocumentFacts;
export const proposal = (): Proposal => copy(proposalJson) as Proposal;
export const hits = (): SearchHit[] => copy(searchJson) as SearchHit[];
export const pages = (): PageView[] => copy(pagesJson) as PageView[];
export const policy = (): ActivePolicy => copy(policyJson) as ActivePolicy;
export const timeline = (): TimelineEntry[] => copy(timelineJson) as TimelineEntry[];
export const related = (): RelatedDossier[] => copy(relatedJson) as RelatedDossier[];
export const figures = (): Figures => copy(figuresJson) as Figures;
/** Made by hand (the fixtures' custody has ended): an open custody whose 24 hours are past. */
export const deadlines = (): Deadline[] => copy(deadlinesJson) as Deadline[];

/** The dossier of the data above. */
export const DOSSIER = 3;
