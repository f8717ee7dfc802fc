import type { DossierSummary } from "../core";

export const dossierRecu: DossierSummary = {
  id: 12,
  title: "PV 2026-004512 conduite sous l'empire d'un état alcoolique",
  status: "recu",
  created: "2026-11-20T22:40:00Z",
  documents: 1,
};

export const dossierAncien: DossierSummary = {
  id: 3,
  title: "Procédure 2026-000311",
  status: "recu",
  created: "2026-03-02T08:05:00Z",
  documents: 2,
};
