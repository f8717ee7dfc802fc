// The engine's identifiers in French words. Orientation and offence family labels come from the
// engine itself (app_info); these are the vocabularies it does not word.
import type { LicenceStatus, PieceKind, Role } from "../../core";

/** Dossier statuses, in the order a dossier goes through them. */
export const STATUSES: { id: string; label: string }[] = [
  { id: "recu", label: "Reçu" },
  { id: "en_examen", label: "En cours d'examen" },
  { id: "oriente", label: "Orienté" },
  { id: "decision_validee", label: "Décision validée" },
  { id: "actes_produits", label: "Actes produits" },
  { id: "cloture", label: "Clôturé" },
];

export function statusLabel(status: string): string {
  return STATUSES.find((s) => s.id === status)?.label ?? status.replaceAll("_", " ");
}

const PIECE_KINDS: Record<PieceKind, string> = {
  pv_interpellation: "PV d'interpellation",
  pv_verification_alcool: "PV de vérification de l'état alcoolique",
  pv_depistage_stupefiants: "PV de dépistage de stupéfiants",
  pv_notification_gav: "PV de notification de garde à vue",
  pv_fin_gav: "PV de fin de garde à vue",
  pv_audition_mis_en_cause: "Audition du mis en cause",
  pv_audition_victime: "Audition de la victime",
  pv_audition_temoin: "Audition de témoin",
  releve_permis: "Relevé du permis de conduire",
  casier_b1: "Bulletin n°\u00a01 du casier judiciaire",
  certificat_medical: "Certificat médical",
  compte_rendu_magistrat: "Compte rendu au magistrat",
  pv_synthese: "PV de synthèse",
  other: "Autre pièce",
};

export function pieceKindLabel(kind: PieceKind): string {
  return PIECE_KINDS[kind];
}

const ROLES: Record<Role, string> = {
  mis_en_cause: "Mis en cause",
  victime: "Victime",
  temoin: "Témoin",
  enqueteur: "Enquêteur",
  autre: "Autre personne",
};

export function roleLabel(role: Role): string {
  return ROLES[role];
}

export const LICENCE_STATUSES: { id: LicenceStatus; label: string }[] = [
  { id: "valide", label: "Valide" },
  { id: "suspendu", label: "Suspendu" },
  { id: "annule", label: "Annulé" },
  { id: "invalide", label: "Invalidé (solde de points nul)" },
  { id: "jamais_obtenu", label: "Jamais obtenu" },
  { id: "inconnu", label: "Inconnu" },
];

export function licenceLabel(status: LicenceStatus): string {
  return LICENCE_STATUSES.find((s) => s.id === status)?.label ?? status;
}

export function alcoholMethodLabel(method: string | null): string {
  switch (method) {
    case "ethylometre":
      return "Éthylomètre (air expiré)";
    case "prise_de_sang":
      return "Prise de sang";
    default:
      return "Méthode non précisée";
  }
}

const EVENTS: Record<string, string> = {
  dossier_created: "Dossier créé",
  document_imported: "Document importé",
  fact_corrected: "Fait corrigé",
  decision_accepted: "Proposition acceptée",
  decision_changed: "Autre orientation retenue",
  profile_set: "Profil modifié",
  policy_added: "Politique pénale enregistrée",
  policy_activated: "Politique pénale activée",
};

export function eventLabel(event: string): string {
  return EVENTS[event] ?? event.replaceAll("_", " ");
}

/** Kind of a document in the piece list. */
export function documentKindLabel(kind: string): string {
  return kind === "pdf" ? "PDF" : kind === "txt" ? "Texte" : kind;
}

/** A deadline's urgency in words (`depassee`, `proche`, `a_venir`). */
export function deadlineStateLabel(state: string): string {
  switch (state) {
    case "depassee":
      return "dépassée";
    case "proche":
      return "dans moins de deux heures";
    default:
      return "à venir";
  }
}
