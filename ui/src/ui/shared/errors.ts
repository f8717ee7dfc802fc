import { IPC_FAILURE, type WireError } from "../../core";
import { frenchSpacing } from "./format";

/** An error as the UI says it: what happened, in French, and what to do. */
export interface ErrorText {
  title: string;
  /** The engine's own explanation (French), or advice when the error is not the engine's. */
  detail: string;
  /** Shown small, for support: the code and, for bridge failures, the raw message. */
  technical: string;
}

const TITLES: [prefix: string, title: string][] = [
  ["store.data_dir_unavailable", "Le dossier de données n'est pas accessible."],
  ["store.no_data_dir", "Aucun dossier de données n'est configuré."],
  ["store.too_new", "Ces données viennent d'une version plus récente de Permanence."],
  ["store.disk_full", "Le disque est plein."],
  ["store.corrupt", "La base de données est endommagée."],
  ["store.no_such_dossier", "Ce dossier n'existe pas."],
  ["store.no_such_document", "Ce document n'existe pas."],
  ["store.no_such_policy", "Cette politique pénale n'existe pas."],
  ["store.policy_exists", "Cette politique pénale est déjà enregistrée."],
  ["store.", "Les données n'ont pas pu être lues."],
  ["index.", "L'index de recherche n'a pas pu être ouvert."],
  ["pdf.library_missing", "La bibliothèque de lecture des PDF est introuvable."],
  ["pdf.no_such_page", "Cette page n'existe pas."],
  ["pdf.", "Le document n'a pas pu être lu."],
  ["import.cancelled", "L'import a été annulé."],
  ["ocr.language_missing", "La reconnaissance de caractères n'est pas installée."],
  ["ocr.", "Une page scannée n'a pas pu être lue."],
  ["decision.no_profile", "Votre profil n'est pas renseigné."],
  ["decision.reason_required", "Indiquez la raison de votre choix."],
  ["decision.no_such_field", "Ce fait ne peut pas être corrigé."],
  ["decision.bad_value", "Cette valeur n'est pas valable."],
  ["decision.", "La décision n'a pas pu être enregistrée."],
  ["policy.read", "La politique pénale n'a pas pu être lue."],
  ["policy.", "La politique pénale contient des erreurs."],
  ["draft.not_a_draft", "Ce fichier n'a pas été rédigé par Permanence."],
  ["draft.", "L'acte n'a pas pu être produit."],
  ["tracking.refused", "Ce changement de statut n'est pas possible."],
  ["tracking.bad_date", "Cette date n'est pas valable."],
  ["tracking.", "Le suivi du dossier n'a pas pu être mis à jour."],
  ["app.open", "Le fichier n'a pas pu être ouvert."],
  ["crypto.wrong_passphrase", "Phrase de passe incorrecte."],
  ["crypto.key_file_missing", "La clé de chiffrement de ce poste est introuvable."],
  ["crypto.key_file_damaged", "La clé de chiffrement de ce poste est endommagée."],
  ["crypto.plaintext_data_dir", "Ces données viennent d'une version de Permanence qui ne les chiffrait pas."],
  ["crypto.passphrase_too_short", "Cette phrase de passe est trop courte."],
  ["crypto.lock_delay", "Ce délai de verrouillage n'est pas possible."],
  ["crypto.damaged", "Un fichier chiffré n'a pas pu être lu."],
  ["crypto.", "Les données chiffrées n'ont pas pu être ouvertes."],
  ["session.locked", "Permanence est verrouillée."],
  [IPC_FAILURE, "L'interface n'a pas pu joindre le moteur de Permanence."],
];

/** Errors whose message the engine wrote in French for the user. */
const ENGINE_PREFIXES = [
  "store.",
  "index.",
  "pdf.",
  "ocr.",
  "import.",
  "decision.",
  "policy.",
  "draft.",
  "tracking.",
  "app.open",
  "crypto.",
  "session.",
];

export function errorText(error: WireError): ErrorText {
  const title =
    TITLES.find(([prefix]) => error.code === prefix || (prefix.endsWith(".") && error.code.startsWith(prefix)))?.[1] ??
    "Une erreur inattendue s'est produite.";
  const fromEngine = ENGINE_PREFIXES.some((prefix) => error.code.startsWith(prefix)) && error.message.trim() !== "";
  return fromEngine
    ? { title, detail: sentence(error.message), technical: `Code\u00a0: ${error.code}` }
    : {
        title,
        detail: "Fermez puis relancez Permanence. Si le problème persiste, signalez-le au support informatique.",
        technical: `Code\u00a0: ${error.code}${error.message ? ` — ${error.message}` : ""}`,
      };
}

/** "le disque est plein" → "Le disque est plein." */
export function sentence(message: string): string {
  const text = frenchSpacing(message.trim());
  const capitalised = text.charAt(0).toLocaleUpperCase("fr-FR") + text.slice(1);
  return /[.!?…»)]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
