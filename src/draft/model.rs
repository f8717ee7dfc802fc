//! The model the templates see: the facts, the proposal and the decision turned into French
//! text ready to print, every statement with its source (« (D12, p.\u{a0}3) », or « (pièce
//! n°\u{a0}4, p.\u{a0}3) » when the procedure has no cotes). Pure.
//!
//! Names are French and stable: templates that users own depend on them. `SCHEMA_FIELDS` lists
//! every one with its meaning (the table of `docs/TEMPLATES.md` is written from it, and a test
//! checks that the model has exactly these names).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::Value;

use super::template::FieldKind::{self, Bool, List, Object, Text};
use super::{Conclusion, DraftInput, Kind, law};
use crate::facts::{AlcoholMethod, AlcoholUnit, Evidence, Facts, Person, Piece, PieceKind, Role};
use crate::fr::{self, NBSP, NNBSP};
use crate::orient::{self, Orientation, Proposal};

/// One name of the model, for the schema and the documentation.
#[derive(Debug, Clone, Copy)]
pub struct FieldDoc {
    pub path: &'static str,
    pub kind: FieldKind,
    pub doc: &'static str,
}

const fn f(path: &'static str, kind: FieldKind, doc: &'static str) -> FieldDoc {
    FieldDoc { path, kind, doc }
}

/// Every name a template may use. A list's item fields are written under the list's name
/// (`pieces.cote`); inside `{{#pieces}}` they are written without it (`{{ cote }}`).
pub const SCHEMA_FIELDS: &[FieldDoc] = &[
    f("document", Object, "Le document produit"),
    f(
        "document.titre",
        Text,
        "Son titre (« Fiche de synthèse », « Réquisitoire définitif »…)",
    ),
    f(
        "document.type",
        Text,
        "Son type : synthese, bordereau, orientation, jld, requisitoire",
    ),
    f("tribunal", Object, "Le tribunal judiciaire"),
    f("tribunal.nom", Text, "Son nom (« Melun »)"),
    f(
        "tribunal.intitule",
        Text,
        "« tribunal judiciaire de Melun » (« d'Évry » : l'élision est faite)",
    ),
    f(
        "tribunal.entete",
        Text,
        "« TRIBUNAL JUDICIAIRE DE MELUN », pour l'en-tête",
    ),
    f(
        "tribunal.correctionnel",
        Text,
        "« tribunal correctionnel de Melun »",
    ),
    f("magistrat", Object, "Le magistrat qui signe (son profil)"),
    f("magistrat.nom", Text, "Son nom (« Claire MARTIN »)"),
    f(
        "magistrat.fonction",
        Text,
        "Sa fonction (« substitut du procureur de la République »)",
    ),
    f("dossier", Object, "Le dossier"),
    f("dossier.numero", Text, "Son identifiant dans Permanence"),
    f("dossier.titre", Text, "Son titre"),
    f(
        "dossier.numero_parquet",
        Text,
        "Le numéro de parquet, s'il est connu",
    ),
    f("dossier.fichier", Text, "Le fichier de la procédure"),
    f("dossier.pages", Text, "Le nombre de pages de la procédure"),
    f("aujourdhui", Object, "Le moment où le document est produit"),
    f("aujourdhui.date", Text, "« 2 décembre 2026 »"),
    f(
        "aujourdhui.lettres",
        Text,
        "« le deux décembre deux mille vingt-six »",
    ),
    f("aujourdhui.heure", Text, "« 14 h 05 »"),
    f("aujourdhui.numerique", Text, "« 02/12/2026 »"),
    f(
        "personne",
        Object,
        "Le (premier) mis en cause ; mêmes champs qu'une personne de « personnes »",
    ),
    f("personne.role", Text, "« mis en cause »"),
    f(
        "personne.nom",
        Text,
        "Nom de famille en capitales (« DUPONT »)",
    ),
    f("personne.prenoms", Text, "Prénoms (« Jean Pierre »)"),
    f("personne.nom_complet", Text, "« Jean Pierre DUPONT »"),
    f("personne.date_naissance", Text, "« 6 mai 1976 »"),
    f("personne.lieu_naissance", Text, "« Gap »"),
    f("personne.naissance", Text, "« né(e) le 6 mai 1976 à Gap »"),
    f(
        "personne.qualite",
        Text,
        "Qualité (substitut, médecin…), pour les autres intervenants",
    ),
    f(
        "personne.source",
        Text,
        "Où la personne est identifiée : « (D1, p. 1) »",
    ),
    f("personnes", List, "Toutes les personnes de la procédure"),
    f(
        "personnes.role",
        Text,
        "« mis en cause », « victime », « témoin », « enquêteur », « autre intervenant »",
    ),
    f("personnes.nom", Text, "Nom en capitales"),
    f("personnes.prenoms", Text, "Prénoms"),
    f("personnes.nom_complet", Text, "Prénoms et nom"),
    f("personnes.date_naissance", Text, "Date de naissance"),
    f("personnes.lieu_naissance", Text, "Lieu de naissance"),
    f("personnes.naissance", Text, "« né(e) le … à … »"),
    f("personnes.qualite", Text, "Qualité"),
    f("personnes.source", Text, "Source"),
    f(
        "mis_en_cause",
        List,
        "Les mis en cause (mêmes champs que « personnes »)",
    ),
    f("mis_en_cause.role", Text, "Rôle"),
    f("mis_en_cause.nom", Text, "Nom en capitales"),
    f("mis_en_cause.prenoms", Text, "Prénoms"),
    f("mis_en_cause.nom_complet", Text, "Prénoms et nom"),
    f("mis_en_cause.date_naissance", Text, "Date de naissance"),
    f("mis_en_cause.lieu_naissance", Text, "Lieu de naissance"),
    f("mis_en_cause.naissance", Text, "« né(e) le … à … »"),
    f("mis_en_cause.qualite", Text, "Qualité"),
    f("mis_en_cause.source", Text, "Source"),
    f(
        "victimes",
        List,
        "Les victimes (mêmes champs que « personnes »)",
    ),
    f("victimes.role", Text, "Rôle"),
    f("victimes.nom", Text, "Nom en capitales"),
    f("victimes.prenoms", Text, "Prénoms"),
    f("victimes.nom_complet", Text, "Prénoms et nom"),
    f("victimes.date_naissance", Text, "Date de naissance"),
    f("victimes.lieu_naissance", Text, "Lieu de naissance"),
    f("victimes.naissance", Text, "« né(e) le … à … »"),
    f("victimes.qualite", Text, "Qualité"),
    f("victimes.source", Text, "Source"),
    f("faits", Object, "Les faits"),
    f("faits.date", Text, "« 1er décembre 2025 »"),
    f(
        "faits.date_lettres",
        Text,
        "« le premier décembre deux mille vingt-cinq »",
    ),
    f("faits.heure", Text, "« 1 h 15 »"),
    f("faits.commune", Text, "« Avon »"),
    f("faits.source", Text, "Où la date des faits est lue"),
    f(
        "faits.resume",
        List,
        "Les faits en quelques phrases, chacune avec sa source",
    ),
    f("faits.resume.texte", Text, "La phrase"),
    f("faits.resume.source", Text, "Sa source : « (D4, p. 5) »"),
    f(
        "mesures_cles",
        List,
        "Les mesures décisives (taux, vitesse, ITT), chacune avec sa source",
    ),
    f(
        "mesures_cles.texte",
        Text,
        "« Taux retenu : 0,77 mg/L d'air expiré (0,708 mg/L après déduction de la marge d'erreur) »",
    ),
    f("mesures_cles.source", Text, "Sa source"),
    f("infractions", List, "Les infractions relevées"),
    f(
        "infractions.libelle",
        Text,
        "Le libellé lu dans la procédure",
    ),
    f(
        "infractions.famille",
        Text,
        "La famille (« alcool (délit) »)",
    ),
    f("infractions.natinf", Text, "Le code NATINF"),
    f(
        "infractions.nature",
        Text,
        "« Délit », « Contravention de classe 4 »",
    ),
    f(
        "infractions.qualification",
        Text,
        "Le libellé NATINF (ou celui de la procédure)",
    ),
    f(
        "infractions.definie_par",
        Text,
        "« article L. 234-1, I, du code de la route »",
    ),
    f(
        "infractions.reprimee_par",
        Text,
        "« articles L. 234-1, L. 234-2 et L. 224-12 du code de la route »",
    ),
    f(
        "infractions.textes",
        Text,
        "« faits prévus par … et réprimés par … »",
    ),
    f(
        "infractions.peine",
        Text,
        "La peine encourue (« deux ans d'emprisonnement et 4 500 € d'amende »), récidive comprise",
    ),
    f(
        "infractions.peine_fondement",
        Text,
        "Le texte qui fixe cette peine",
    ),
    f(
        "infractions.peine_note",
        Text,
        "Une précision sur la peine (peine de base…), sinon vide",
    ),
    f(
        "infractions.detention_possible",
        Bool,
        "La peine permet la détention provisoire (article 143-1 du code de procédure pénale)",
    ),
    f("infractions.source", Text, "Où l'infraction est relevée"),
    f(
        "infractions.elements",
        List,
        "Les éléments de la procédure qui la caractérisent",
    ),
    f("infractions.elements.texte", Text, "L'élément"),
    f("infractions.elements.source", Text, "Sa source"),
    f("alcool", Object, "L'alcoolémie"),
    f("alcool.present", Bool, "Une alcoolémie est mesurée"),
    f(
        "alcool.taux",
        Text,
        "Le taux retenu (« 0,77 mg/L d'air expiré »)",
    ),
    f(
        "alcool.mesures",
        Text,
        "Les mesures (« 0,79 et 0,77 mg/L »)",
    ),
    f(
        "alcool.apres_marge",
        Text,
        "Le taux après la marge d'erreur de l'éthylomètre",
    ),
    f("alcool.methode", Text, "« éthylomètre », « prise de sang »"),
    f("alcool.source", Text, "Sa source"),
    f("vitesse", Object, "La vitesse"),
    f("vitesse.presente", Bool, "Une vitesse est relevée"),
    f("vitesse.mesuree", Text, "« 183 km/h »"),
    f("vitesse.retenue", Text, "« 164 km/h »"),
    f("vitesse.limite", Text, "« 110 km/h »"),
    f("vitesse.depassement", Text, "« 54 km/h »"),
    f("vitesse.source", Text, "Sa source"),
    f("blessures", Object, "Les blessures"),
    f("blessures.presentes", Bool, "Il y a des blessés"),
    f("blessures.itt", Text, "« 45 jours »"),
    f("blessures.deces", Text, "Le nombre de morts, s'il y en a"),
    f("blessures.source", Text, "Sa source"),
    f("permis", Object, "Le permis de conduire"),
    f(
        "permis.statut",
        Text,
        "« valide », « suspendu », « annulé », « invalidé », « jamais obtenu », « inconnu »",
    ),
    f("permis.source", Text, "Sa source"),
    f("vehicule", Object, "Le véhicule"),
    f("vehicule.present", Bool, "Un véhicule est identifié"),
    f("vehicule.immatriculation", Text, "« GA-478-LN »"),
    f("vehicule.description", Text, "Marque et modèle"),
    f("antecedents", List, "Les condamnations du bulletin n° 1"),
    f("antecedents.date", Text, "Date de la condamnation"),
    f("antecedents.libelle", Text, "L'infraction"),
    f("antecedents.source", Text, "Sa source"),
    f("recidive", Bool, "La récidive légale est établie"),
    f(
        "recidive_texte",
        Text,
        "« récidive légale établie », « pas de récidive légale », « récidive non déterminée »",
    ),
    f("recidive_source", Text, "Sa source"),
    f("garde_a_vue", Object, "La garde à vue"),
    f("garde_a_vue.presente", Bool, "Il y a eu garde à vue"),
    f(
        "garde_a_vue.debut",
        Text,
        "« le 1er décembre 2025 à 1 h 35 »",
    ),
    f(
        "garde_a_vue.fin",
        Text,
        "« le 1er décembre 2025 à 23 h 35 »",
    ),
    f("garde_a_vue.duree", Text, "« 22 h »"),
    f("garde_a_vue.source", Text, "Sa source (la notification)"),
    f(
        "proposition",
        Object,
        "L'orientation proposée selon la politique pénale",
    ),
    f("proposition.presente", Bool, "Une proposition existe"),
    f(
        "proposition.orientation",
        Text,
        "Son libellé (« CRPC sur convocation »)",
    ),
    f(
        "proposition.id",
        Text,
        "Son identifiant (« crpc_convocation »)",
    ),
    f("proposition.politique", Text, "La politique et sa version"),
    f("proposition.mesures", List, "Les mesures proposées"),
    f(
        "proposition.mesures.libelle",
        Text,
        "« Amende de 300 à 500 € »",
    ),
    f("proposition.mesures.obligatoire", Bool, "La loi l'impose"),
    f(
        "proposition.regles",
        List,
        "Les règles de la politique qui s'appliquent",
    ),
    f("proposition.regles.id", Text, "Identifiant de la règle"),
    f(
        "proposition.regles.orientation",
        Text,
        "Orientation de la règle",
    ),
    f("proposition.regles.explication", Text, "Son explication"),
    f(
        "proposition.regles.fondement",
        Text,
        "Son fondement juridique",
    ),
    f(
        "proposition.regles.decisive",
        Bool,
        "C'est elle qui donne l'orientation proposée",
    ),
    f(
        "proposition.regles.criteres",
        List,
        "Ses critères remplis, chacun avec sa source",
    ),
    f("proposition.regles.criteres.texte", Text, "Le critère"),
    f("proposition.regles.criteres.source", Text, "Sa source"),
    f(
        "proposition.manquants",
        List,
        "Ce que la procédure ne dit pas et que la politique lit",
    ),
    f("proposition.manquants.texte", Text, "Le manque"),
    f(
        "proposition.obligations",
        List,
        "Les conséquences que la loi impose",
    ),
    f("proposition.obligations.texte", Text, "La conséquence"),
    f("proposition.obligations.fondement", Text, "Son texte"),
    f("decision", Object, "La décision du magistrat"),
    f("decision.presente", Bool, "Une décision est enregistrée"),
    f(
        "decision.orientation",
        Text,
        "Orientation décidée (libellé)",
    ),
    f("decision.acceptee", Bool, "La proposition a été suivie"),
    f("decision.motif", Text, "Le motif"),
    f("decision.magistrat", Text, "Le magistrat qui a décidé"),
    f("decision.fonction", Text, "Sa fonction"),
    f("decision.date", Text, "« 2 décembre 2026 »"),
    f(
        "decision.date_lettres",
        Text,
        "« le deux décembre deux mille vingt-six »",
    ),
    f("decision.heure", Text, "« 14 h 05 »"),
    f(
        "orientation",
        Object,
        "L'orientation retenue : la décision, sinon la proposition",
    ),
    f("orientation.libelle", Text, "Son libellé"),
    f("orientation.id", Text, "Son identifiant"),
    f(
        "orientation.origine",
        Text,
        "« décision du magistrat » ou « proposition, à valider par le magistrat »",
    ),
    f("orientation.mesures", List, "Ses mesures"),
    f("orientation.mesures.libelle", Text, "La mesure"),
    f("orientation.mesures.obligatoire", Bool, "La loi l'impose"),
    f("nombre_pieces", Text, "Le nombre de pièces, en chiffres"),
    f("pieces", List, "Les pièces de la procédure, dans l'ordre"),
    f("pieces.numero", Text, "Son rang (« 4 »)"),
    f(
        "pieces.cote",
        Text,
        "Sa cote (« D4 »), si la procédure est cotée",
    ),
    f("pieces.reference", Text, "La cote, sinon « pièce n° 4 »"),
    f(
        "pieces.nature",
        Text,
        "Sa nature en toutes lettres (« Procès-verbal d'audition du mis en cause »)",
    ),
    f("pieces.titre", Text, "Son titre tel qu'il est écrit"),
    f(
        "pieces.intitule",
        Text,
        "Son titre en minuscules (« Procès-verbal de placement en garde à vue »)",
    ),
    f("pieces.numero_pv", Text, "Le numéro du procès-verbal"),
    f("pieces.date", Text, "« 1er décembre 2025 »"),
    f("pieces.date_numerique", Text, "« 01/12/2025 »"),
    f("pieces.pages", Text, "« 2 à 3 »"),
    f("pieces.nb_pages", Text, "« 2 »"),
    f(
        "pieces.resume",
        Text,
        "Ce que la pièce établit, en une phrase",
    ),
    f(
        "pieces.constatations",
        List,
        "Les faits lus dans cette pièce, chacun avec sa source",
    ),
    f("pieces.constatations.texte", Text, "Le fait"),
    f("pieces.constatations.source", Text, "Sa source"),
    f(
        "jld",
        Object,
        "La requête au juge des libertés et de la détention",
    ),
    f(
        "jld.preambule",
        Text,
        "Le premier alinéa de l'article 144 du code de procédure pénale",
    ),
    f(
        "jld.criteres",
        List,
        "Les critères de l'article 144 retenus par le magistrat",
    ),
    f("jld.criteres.numero", Text, "« 1° » … « 7° »"),
    f("jld.criteres.texte", Text, "Le texte du critère"),
    f(
        "jld.criteres.note",
        Text,
        "Une précision du texte, sinon vide",
    ),
    f(
        "jld.criteres.motivation",
        Text,
        "La motivation du magistrat (à écrire si vide)",
    ),
    f("jld.criteres.cotes", Text, "Les cotes citées"),
    f(
        "jld.insuffisance",
        Text,
        "Pourquoi un contrôle judiciaire ou une assignation à résidence sous surveillance électronique ne suffiraient pas",
    ),
    f(
        "jld.detention_possible",
        Bool,
        "Une infraction est punie d'au moins le seuil de l'article 143-1",
    ),
    f("jld.seuil", Text, "« trois ans »"),
    f(
        "jld.seuil_fondement",
        Text,
        "« article 143-1 du code de procédure pénale »",
    ),
    f(
        "jld.peine_maximale",
        Text,
        "La peine la plus forte encourue, avec son infraction",
    ),
    f(
        "requisitions",
        Object,
        "Ce que requiert le réquisitoire définitif",
    ),
    f(
        "requisitions.renvoi",
        Bool,
        "Renvoi devant le tribunal correctionnel",
    ),
    f("requisitions.non_lieu", Bool, "Non-lieu"),
    f(
        "requisitions.chefs",
        Text,
        "Les chefs de prévention, en une phrase",
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub texte: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
struct DocumentM {
    titre: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Clone, Serialize)]
struct TribunalM {
    nom: Option<String>,
    intitule: String,
    entete: String,
    correctionnel: String,
}

#[derive(Debug, Clone, Serialize)]
struct MagistratM {
    nom: Option<String>,
    fonction: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct DossierM {
    numero: String,
    titre: String,
    numero_parquet: Option<String>,
    fichier: String,
    pages: String,
}

#[derive(Debug, Clone, Serialize)]
struct MomentM {
    date: String,
    lettres: String,
    heure: String,
    numerique: String,
}

#[derive(Debug, Clone, Serialize)]
struct PersonM {
    role: String,
    nom: Option<String>,
    prenoms: Option<String>,
    nom_complet: Option<String>,
    date_naissance: Option<String>,
    lieu_naissance: Option<String>,
    naissance: Option<String>,
    qualite: Option<String>,
    source: String,
}

#[derive(Debug, Clone, Serialize)]
struct FaitsM {
    date: Option<String>,
    date_lettres: Option<String>,
    heure: Option<String>,
    commune: Option<String>,
    source: String,
    resume: Vec<Statement>,
}

#[derive(Debug, Clone, Serialize)]
struct InfractionM {
    libelle: String,
    famille: String,
    natinf: Option<String>,
    nature: Option<String>,
    qualification: String,
    definie_par: Option<String>,
    reprimee_par: Option<String>,
    textes: Option<String>,
    peine: Option<String>,
    peine_fondement: Option<String>,
    peine_note: String,
    detention_possible: bool,
    source: String,
    elements: Vec<Statement>,
}

#[derive(Debug, Clone, Serialize)]
struct AlcoolM {
    present: bool,
    taux: Option<String>,
    mesures: Option<String>,
    apres_marge: Option<String>,
    methode: Option<String>,
    source: String,
}

#[derive(Debug, Clone, Serialize)]
struct VitesseM {
    presente: bool,
    mesuree: Option<String>,
    retenue: Option<String>,
    limite: Option<String>,
    depassement: Option<String>,
    source: String,
}

#[derive(Debug, Clone, Serialize)]
struct BlessuresM {
    presentes: bool,
    itt: Option<String>,
    deces: Option<String>,
    source: String,
}

#[derive(Debug, Clone, Serialize)]
struct PermisM {
    statut: String,
    source: String,
}

#[derive(Debug, Clone, Serialize)]
struct VehiculeM {
    present: bool,
    immatriculation: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct AntecedentM {
    date: Option<String>,
    libelle: String,
    source: String,
}

#[derive(Debug, Clone, Serialize)]
struct GardeAVueM {
    presente: bool,
    debut: Option<String>,
    fin: Option<String>,
    duree: Option<String>,
    source: String,
}

#[derive(Debug, Clone, Serialize)]
struct MesureM {
    libelle: String,
    obligatoire: bool,
}

#[derive(Debug, Clone, Serialize)]
struct RegleM {
    id: String,
    orientation: String,
    explication: String,
    fondement: Option<String>,
    decisive: bool,
    criteres: Vec<Statement>,
}

#[derive(Debug, Clone, Serialize)]
struct TexteM {
    texte: String,
}

#[derive(Debug, Clone, Serialize)]
struct ObligationM {
    texte: String,
    fondement: String,
}

#[derive(Debug, Clone, Serialize)]
struct PropositionM {
    presente: bool,
    orientation: Option<String>,
    id: Option<String>,
    politique: Option<String>,
    mesures: Vec<MesureM>,
    regles: Vec<RegleM>,
    manquants: Vec<TexteM>,
    obligations: Vec<ObligationM>,
}

#[derive(Debug, Clone, Serialize)]
struct DecisionM {
    presente: bool,
    orientation: Option<String>,
    acceptee: bool,
    motif: Option<String>,
    magistrat: Option<String>,
    fonction: Option<String>,
    date: Option<String>,
    date_lettres: Option<String>,
    heure: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct OrientationM {
    libelle: Option<String>,
    id: Option<String>,
    origine: String,
    mesures: Vec<MesureM>,
}

/// A piece as the templates (and the CSV) see it.
#[derive(Debug, Clone, Serialize)]
pub struct PieceM {
    pub numero: String,
    pub cote: Option<String>,
    pub reference: String,
    pub nature: String,
    pub titre: String,
    pub intitule: String,
    pub numero_pv: Option<String>,
    pub date: Option<String>,
    pub date_numerique: Option<String>,
    pub pages: String,
    pub nb_pages: String,
    pub resume: String,
    pub constatations: Vec<Statement>,
}

#[derive(Debug, Clone, Serialize)]
struct CritereM {
    numero: String,
    texte: String,
    note: String,
    motivation: Option<String>,
    cotes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct JldM {
    preambule: String,
    criteres: Vec<CritereM>,
    insuffisance: Option<String>,
    detention_possible: bool,
    seuil: String,
    seuil_fondement: String,
    peine_maximale: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct RequisitionsM {
    renvoi: bool,
    non_lieu: bool,
    chefs: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct Model {
    document: DocumentM,
    tribunal: TribunalM,
    magistrat: MagistratM,
    dossier: DossierM,
    aujourdhui: MomentM,
    personne: PersonM,
    personnes: Vec<PersonM>,
    mis_en_cause: Vec<PersonM>,
    victimes: Vec<PersonM>,
    faits: FaitsM,
    mesures_cles: Vec<Statement>,
    infractions: Vec<InfractionM>,
    alcool: AlcoolM,
    vitesse: VitesseM,
    blessures: BlessuresM,
    permis: PermisM,
    vehicule: VehiculeM,
    antecedents: Vec<AntecedentM>,
    recidive: bool,
    recidive_texte: String,
    recidive_source: String,
    garde_a_vue: GardeAVueM,
    proposition: PropositionM,
    decision: DecisionM,
    orientation: OrientationM,
    nombre_pieces: String,
    pieces: Vec<PieceM>,
    jld: JldM,
    requisitions: RequisitionsM,
}

// ---------------------------------------------------------------------------------------------
// Sources

/// How a piece is cited: its cote, else its rank.
pub fn piece_reference(p: &Piece) -> String {
    match &p.cote {
        Some(c) if !c.trim().is_empty() => c.trim().to_owned(),
        _ => format!("pièce n°{NBSP}{}", p.index),
    }
}

fn piece_of(facts: &Facts, page: u32) -> Option<&Piece> {
    facts
        .pieces
        .iter()
        .find(|p| p.first_page <= page && page <= p.last_page)
}

fn pages_text(pages: &[u32]) -> String {
    let list: Vec<String> = pages.iter().map(u32::to_string).collect();
    format!("p.{NBSP}{}", fr::join_and(&list))
}

/// « (D12, p. 3) », « (D12, p. 3 et 4 ; D13, p. 5) », « (pièce n° 4, p. 3) »; empty without
/// evidence.
pub fn source(facts: &Facts, evidence: &[Evidence]) -> String {
    let mut groups: Vec<(Option<&Piece>, Vec<u32>)> = Vec::new();
    for e in evidence {
        let piece = piece_of(facts, e.page);
        match groups
            .iter_mut()
            .find(|(p, _)| p.map(|p| p.index) == piece.map(|p| p.index))
        {
            Some((_, pages)) => {
                if !pages.contains(&e.page) {
                    pages.push(e.page);
                }
            }
            None => groups.push((piece, vec![e.page])),
        }
    }
    if groups.is_empty() {
        return String::new();
    }
    groups.sort_by_key(|(p, pages)| (p.map(|p| p.index), pages.iter().min().copied()));
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(piece, mut pages)| {
            pages.sort_unstable();
            match piece {
                Some(p) => format!("{}, {}", piece_reference(p), pages_text(&pages)),
                None => pages_text(&pages),
            }
        })
        .collect();
    format!("({})", parts.join(&format!("{NNBSP}; ")))
}

/// The source of the evidence, or, without evidence, of the first piece of the kind that
/// establishes such a fact (the relevé for the licence, the éthylomètre PV for the rate…).
fn source_or(facts: &Facts, evidence: &[Evidence], kinds: &[PieceKind]) -> String {
    let s = source(facts, evidence);
    if !s.is_empty() {
        return s;
    }
    kinds
        .iter()
        .find_map(|k| first_piece(facts, *k))
        .map(piece_source)
        .unwrap_or_default()
}

/// The source of a whole piece: « (D2, p. 2) ».
fn piece_source(p: &Piece) -> String {
    format!("({}, p.{NBSP}{})", piece_reference(p), p.first_page)
}

fn first_piece(facts: &Facts, kind: PieceKind) -> Option<&Piece> {
    facts.pieces.iter().find(|p| p.kind == kind)
}

// ---------------------------------------------------------------------------------------------
// Words

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn datetime(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

fn time(s: &str) -> Option<String> {
    let (h, m) = s.split_once(':')?;
    Some(fr::time_short(h.parse().ok()?, m.get(..2)?.parse().ok()?))
}

pub fn piece_kind_label(kind: PieceKind) -> &'static str {
    match kind {
        PieceKind::PvInterpellation => "Procès-verbal d'interpellation",
        PieceKind::PvVerificationAlcool => "Procès-verbal de vérification de l'état alcoolique",
        PieceKind::PvDepistageStupefiants => "Procès-verbal de dépistage de stupéfiants",
        PieceKind::PvNotificationGav => "Procès-verbal de notification de garde à vue",
        PieceKind::PvFinGav => "Procès-verbal de fin de garde à vue",
        PieceKind::PvAuditionMisEnCause => "Procès-verbal d'audition du mis en cause",
        PieceKind::PvAuditionVictime => "Procès-verbal d'audition de la victime",
        PieceKind::PvAuditionTemoin => "Procès-verbal d'audition de témoin",
        PieceKind::RelevePermis => "Relevé du fichier national des permis de conduire",
        PieceKind::CasierB1 => "Bulletin n°\u{a0}1 du casier judiciaire",
        PieceKind::CertificatMedical => "Certificat médical",
        PieceKind::CompteRenduMagistrat => "Compte rendu au magistrat du parquet",
        PieceKind::PvSynthese => "Procès-verbal de synthèse",
        PieceKind::Other => "Autre pièce",
    }
}

/// What a piece establishes, in one sentence of the exposé des faits.
fn piece_summary(kind: PieceKind, who: &str) -> String {
    match kind {
        PieceKind::PvInterpellation => {
            format!("Les enquêteurs ont constaté les faits et procédé au contrôle de {who}.")
        }
        PieceKind::PvVerificationAlcool => "L'état alcoolique a été vérifié.".to_owned(),
        PieceKind::PvDepistageStupefiants => {
            "Un dépistage de l'usage de stupéfiants a été réalisé.".to_owned()
        }
        PieceKind::PvNotificationGav => format!(
            "{} a été placé(e) en garde à vue et ses droits lui ont été notifiés.",
            fr::capitalize(who)
        ),
        PieceKind::PvFinGav => "La garde à vue a pris fin.".to_owned(),
        PieceKind::PvAuditionMisEnCause => format!("{} a été entendu(e).", fr::capitalize(who)),
        PieceKind::PvAuditionVictime => "La victime a été entendue.".to_owned(),
        PieceKind::PvAuditionTemoin => "Un témoin a été entendu.".to_owned(),
        PieceKind::RelevePermis => {
            "La situation du permis de conduire a été vérifiée au fichier national.".to_owned()
        }
        PieceKind::CasierB1 => {
            "Le bulletin n°\u{a0}1 du casier judiciaire a été versé à la procédure.".to_owned()
        }
        PieceKind::CertificatMedical => "Un certificat médical a été établi.".to_owned(),
        PieceKind::CompteRenduMagistrat => {
            "Le magistrat du parquet de permanence a été avisé.".to_owned()
        }
        PieceKind::PvSynthese => "Les enquêteurs ont résumé l'enquête.".to_owned(),
        PieceKind::Other => "La pièce a été versée à la procédure.".to_owned(),
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::MisEnCause => "mis en cause",
        Role::Victime => "victime",
        Role::Temoin => "témoin",
        Role::Enqueteur => "enquêteur",
        Role::Autre => "autre intervenant",
    }
}

fn person(facts: &Facts, p: &Person) -> PersonM {
    let nom = (!p.surname.trim().is_empty()).then(|| fr::surname(&p.surname));
    let prenoms = (!p.given_names.trim().is_empty()).then(|| fr::given_names(&p.given_names));
    let date_naissance = p.birth_date.as_deref().and_then(date).map(fr::date_long);
    let lieu = p.birth_place.clone().filter(|s| !s.trim().is_empty());
    let naissance = match (&date_naissance, &lieu) {
        (Some(d), Some(l)) => Some(format!("né(e) le {d} à {l}")),
        (Some(d), None) => Some(format!("né(e) le {d}")),
        (None, Some(l)) => Some(format!("né(e) à {l}")),
        (None, None) => None,
    };
    PersonM {
        role: role_label(p.role).to_owned(),
        nom_complet: (nom.is_some() || prenoms.is_some())
            .then(|| fr::full_name(&p.given_names, &p.surname)),
        nom,
        prenoms,
        date_naissance,
        lieu_naissance: lieu,
        naissance,
        qualite: p.quality.clone(),
        source: source(facts, &p.evidence),
    }
}

fn empty_person() -> PersonM {
    PersonM {
        role: role_label(Role::MisEnCause).to_owned(),
        nom: None,
        prenoms: None,
        nom_complet: None,
        date_naissance: None,
        lieu_naissance: None,
        naissance: None,
        qualite: None,
        source: String::new(),
    }
}

fn unit_label(unit: AlcoholUnit) -> (&'static str, &'static str) {
    match unit {
        AlcoholUnit::MgPerLitreAir => ("mg/L", "mg/L d'air expiré"),
        AlcoholUnit::GPerLitreBlood => ("g/L", "g/L de sang"),
    }
}

fn kmh(v: f64) -> String {
    format!("{}{NBSP}km/h", fr::decimal(v, 1))
}

fn alcohol(facts: &Facts) -> (AlcoolM, Option<Statement>) {
    let Some(a) = &facts.alcohol else {
        return (
            AlcoolM {
                present: false,
                taux: None,
                mesures: None,
                apres_marge: None,
                methode: None,
                source: String::new(),
            },
            None,
        );
    };
    let (short, long) = unit_label(a.unit);
    let taux = format!("{} {long}", fr::decimal(a.value, 3));
    let mesures = (!a.measures.is_empty()).then(|| {
        let list: Vec<String> = a.measures.iter().map(|m| fr::decimal(*m, 3)).collect();
        format!("{} {short}", fr::join_and(&list))
    });
    let apres = a
        .after_margin
        .map(|m| format!("{} {short}", fr::decimal(m, 3)));
    let methode = a.method.map(|m| {
        match m {
            AlcoholMethod::Ethylometre => "éthylomètre",
            AlcoholMethod::PriseDeSang => "prise de sang",
        }
        .to_owned()
    });
    let src = source_or(facts, &a.evidence, &[PieceKind::PvVerificationAlcool]);
    let mut texte = match (&methode, &mesures) {
        (Some(m), Some(ms)) if a.measures.len() > 1 => {
            format!("Mesures par {m}\u{a0}: {ms}\u{a0}; taux retenu\u{a0}: {taux}")
        }
        _ => format!("Taux d'alcool retenu\u{a0}: {taux}"),
    };
    if let Some(ap) = &apres {
        texte.push_str(&format!(
            ", soit {ap} après déduction de la marge d'erreur de l'appareil"
        ));
    }
    texte.push('.');
    (
        AlcoolM {
            present: true,
            taux: Some(taux),
            mesures,
            apres_marge: apres,
            methode,
            source: src.clone(),
        },
        Some(Statement { texte, source: src }),
    )
}

fn speed(facts: &Facts) -> (VitesseM, Option<Statement>) {
    let Some(s) = &facts.speed else {
        return (
            VitesseM {
                presente: false,
                mesuree: None,
                retenue: None,
                limite: None,
                depassement: None,
                source: String::new(),
            },
            None,
        );
    };
    let depassement = match (s.retenue_or_measured(), s.limit) {
        (Some(v), Some(l)) if v > l => Some(kmh(v - l)),
        _ => None,
    };
    let src = source_or(facts, &s.evidence, &[PieceKind::PvInterpellation]);
    let mut parts = Vec::new();
    if let Some(m) = s.measured {
        parts.push(format!("vitesse mesurée\u{a0}: {}", kmh(m)));
    }
    if let Some(r) = s.retained {
        parts.push(format!("vitesse retenue\u{a0}: {}", kmh(r)));
    }
    if let Some(l) = s.limit {
        parts.push(format!("vitesse maximale autorisée\u{a0}: {}", kmh(l)));
    }
    let mut texte = fr::capitalize(&parts.join("\u{a0}; "));
    if let Some(d) = &depassement {
        texte.push_str(&format!(" (dépassement de {d})"));
    }
    texte.push('.');
    (
        VitesseM {
            presente: true,
            mesuree: s.measured.map(kmh),
            retenue: s.retained.map(kmh),
            limite: s.limit.map(kmh),
            depassement,
            source: src.clone(),
        },
        (!parts.is_empty()).then_some(Statement { texte, source: src }),
    )
}

trait SpeedExt {
    fn retenue_or_measured(&self) -> Option<f64>;
}

impl SpeedExt for crate::facts::Speed {
    fn retenue_or_measured(&self) -> Option<f64> {
        self.retained.or(self.measured)
    }
}

fn days(n: u32) -> String {
    format!("{n}{NBSP}jour{}", if n > 1 { "s" } else { "" })
}

fn injuries(facts: &Facts) -> (BlessuresM, Option<Statement>) {
    let i = &facts.injuries;
    let src = source_or(facts, &i.evidence, &[PieceKind::CertificatMedical]);
    let deaths = i.deaths.filter(|d| *d > 0);
    let mut parts = Vec::new();
    if let Some(d) = deaths {
        parts.push(if d == 1 {
            "une personne est décédée".to_owned()
        } else {
            format!("{} personnes sont décédées", fr::number_in_words(d))
        });
    }
    if let Some(itt) = i.itt_days {
        parts.push(format!(
            "incapacité totale de travail de {} constatée par certificat médical",
            days(itt)
        ));
    } else if i.present && deaths.is_none() {
        parts.push("des blessures sont constatées".to_owned());
    }
    let statement = (!parts.is_empty()).then(|| Statement {
        texte: format!("{}.", fr::capitalize(&parts.join("\u{a0}; "))),
        source: src.clone(),
    });
    (
        BlessuresM {
            presentes: i.present || deaths.is_some(),
            itt: i.itt_days.map(days),
            deces: deaths.map(|d| d.to_string()),
            source: src,
        },
        statement,
    )
}

fn pieces_model(
    facts: &Facts,
    who: &str,
    statements: &[(Statement, Vec<Evidence>)],
) -> Vec<PieceM> {
    facts
        .pieces
        .iter()
        .map(|p| {
            let d = p.date.as_deref().and_then(date);
            let constatations = statements
                .iter()
                .filter_map(|(s, ev)| {
                    let inside: Vec<Evidence> = ev
                        .iter()
                        .filter(|e| p.first_page <= e.page && e.page <= p.last_page)
                        .cloned()
                        .collect();
                    (!inside.is_empty()).then(|| Statement {
                        texte: s.texte.clone(),
                        source: source(facts, &inside),
                    })
                })
                .collect();
            PieceM {
                numero: p.index.to_string(),
                cote: p.cote.clone(),
                reference: piece_reference(p),
                nature: piece_kind_label(p.kind).to_owned(),
                titre: p.title.clone(),
                intitule: fr::capitalize(&p.title.to_lowercase()),
                numero_pv: p.number.clone(),
                date: d.map(fr::date_long),
                date_numerique: d.map(fr::date_numeric),
                pages: if p.first_page == p.last_page {
                    p.first_page.to_string()
                } else {
                    format!("{} à {}", p.first_page, p.last_page)
                },
                nb_pages: (p.last_page.saturating_sub(p.first_page) + 1).to_string(),
                resume: piece_summary(p.kind, who),
                constatations,
            }
        })
        .collect()
}

/// The pieces as the bordereau lists them (the CSV uses them too).
pub fn pieces(facts: &Facts) -> Vec<PieceM> {
    pieces_model(facts, "la personne mise en cause", &[])
}

fn measures(proposal: &Proposal, mandatory_only: bool) -> Vec<MesureM> {
    proposal
        .measures
        .iter()
        .filter(|m| !mandatory_only || m.mandatory)
        .map(|m| MesureM {
            libelle: m.label.clone(),
            obligatoire: m.mandatory,
        })
        .collect()
}

/// The statements already made about the facts, that an offence's elements cite again.
struct Known {
    alcohol: Option<Statement>,
    speed: Option<Statement>,
    injuries: Option<Statement>,
    licence: Option<Statement>,
    recidive: Option<Statement>,
}

/// The elements that characterise an offence of this family: where it is relevée, the facts
/// read and the pieces that establish them, the audition of the mis en cause.
fn offence_elements(facts: &Facts, o: &crate::facts::Offence, known: &Known) -> Vec<Statement> {
    let family = o.family.as_str();
    let offence_source = source(facts, &o.evidence);
    let mut out = vec![Statement {
        texte: if offence_source.is_empty() {
            format!("Infraction relevée\u{a0}: {}.", fr::decapitalize(&o.label))
        } else {
            format!(
                "Infraction relevée par les enquêteurs\u{a0}: {}.",
                fr::decapitalize(&o.label)
            )
        },
        source: offence_source,
    }];
    let (fact, kinds): (Option<&Statement>, &[PieceKind]) = match family {
        "alcool_delit"
        | "alcool_contravention"
        | "ivresse_manifeste"
        | "refus_verification_alcool" => {
            (known.alcohol.as_ref(), &[PieceKind::PvVerificationAlcool])
        }
        "stupefiants" | "refus_verification_stupefiants" => {
            (None, &[PieceKind::PvDepistageStupefiants])
        }
        "defaut_permis" | "conduite_malgre_suspension" => {
            (known.licence.as_ref(), &[PieceKind::RelevePermis])
        }
        "exces_vitesse" => (known.speed.as_ref(), &[]),
        "blessures_involontaires" | "homicide_involontaire" => (
            known.injuries.as_ref(),
            &[PieceKind::CertificatMedical, PieceKind::PvAuditionVictime],
        ),
        "delit_fuite" | "refus_obtemperer" | "outrage_rebellion" => (
            None,
            &[PieceKind::PvAuditionTemoin, PieceKind::PvAuditionVictime],
        ),
        _ => (None, &[]),
    };
    out.extend(fact.cloned());
    for p in facts.pieces.iter().filter(|p| kinds.contains(&p.kind)) {
        out.push(Statement {
            texte: format!("{}.", piece_title_with_date(p)),
            source: piece_source(p),
        });
    }
    let assimilated = [
        "alcool_delit",
        "alcool_contravention",
        "ivresse_manifeste",
        "refus_verification_alcool",
        "stupefiants",
        "refus_verification_stupefiants",
    ];
    if assimilated.contains(&family) {
        out.extend(known.recidive.clone());
    }
    if let Some(p) = first_piece(facts, PieceKind::PvAuditionMisEnCause) {
        out.push(Statement {
            texte: "Audition de la personne mise en cause.".to_owned(),
            source: piece_source(p),
        });
    }
    out
}

fn piece_title_with_date(p: &Piece) -> String {
    let title = fr::capitalize(&p.title.to_lowercase());
    match p.date.as_deref().and_then(date) {
        Some(d) => format!("{title} du {}", fr::date_long(d)),
        None => title,
    }
}

/// The model of a draft.
pub fn build(kind: Kind, input: &DraftInput) -> Value {
    let facts = &input.facts;
    let mis_en_cause: Vec<&Person> = facts
        .persons
        .iter()
        .filter(|p| p.role == Role::MisEnCause)
        .collect();
    let personne = mis_en_cause
        .first()
        .map(|p| person(facts, p))
        .unwrap_or_else(empty_person);
    let who = personne
        .nom_complet
        .clone()
        .unwrap_or_else(|| "la personne mise en cause".to_owned());

    // Facts, each with its evidence (for the sources and for the pieces' findings).
    let fact_date = facts.facts.date.as_deref().and_then(date);
    let fact_time = facts.facts.time.as_deref().and_then(time);
    let fact_source = source_or(facts, &facts.facts.evidence, &[PieceKind::PvInterpellation]);
    let mut statements: Vec<(Statement, Vec<Evidence>)> = Vec::new();
    {
        let mut s = String::new();
        if let Some(d) = fact_date {
            s.push_str(&format!("Le {}", fr::date_long(d)));
            if let Some(t) = &fact_time {
                s.push_str(&format!(" vers {t}"));
            }
        }
        if let Some(c) = &facts.facts.commune {
            s.push_str(
                &format!("{}à {c}", if s.is_empty() { "À " } else { ", " }).replace("À à", "À"),
            );
        }
        let vehicle = facts
            .vehicle
            .as_ref()
            .and_then(|v| match (&v.description, &v.plate) {
                (Some(d), Some(p)) => Some(format!("le véhicule {d} immatriculé {p}")),
                (None, Some(p)) => Some(format!("le véhicule immatriculé {p}")),
                (Some(d), None) => Some(format!("le véhicule {d}")),
                (None, None) => None,
            });
        let action = match &vehicle {
            Some(v) => format!("{who} a été contrôlé(e) alors qu'il ou elle conduisait {v}"),
            None => format!("{who} a été contrôlé(e) par les enquêteurs"),
        };
        let texte = if s.is_empty() {
            format!("{}.", fr::capitalize(&action))
        } else {
            format!("{s}, {action}.")
        };
        statements.push((
            Statement {
                texte,
                source: fact_source.clone(),
            },
            facts.facts.evidence.clone(),
        ));
    }
    let (alcool, alcohol_statement) = alcohol(facts);
    if let (Some(s), Some(a)) = (&alcohol_statement, &facts.alcohol) {
        statements.push((s.clone(), a.evidence.clone()));
    }
    let (vitesse, speed_statement) = speed(facts);
    if let (Some(s), Some(sp)) = (&speed_statement, &facts.speed) {
        statements.push((s.clone(), sp.evidence.clone()));
    }
    let (blessures, injury_statement) = injuries(facts);
    if let Some(s) = &injury_statement {
        statements.push((s.clone(), facts.injuries.evidence.clone()));
    }
    let licence_source = source_or(facts, &facts.licence.evidence, &[PieceKind::RelevePermis]);
    let licence_statement =
        (facts.licence.status != crate::facts::LicenceStatus::Inconnu).then(|| Statement {
            texte: format!(
                "Le permis de conduire est {}.",
                orient::licence_label(facts.licence.status)
            ),
            source: licence_source.clone(),
        });
    if let Some(s) = &licence_statement {
        statements.push((s.clone(), facts.licence.evidence.clone()));
    }
    let antecedent_evidence: Vec<Evidence> = facts
        .antecedents
        .iter()
        .flat_map(|a| a.evidence.iter().cloned())
        .collect();
    let b1 = first_piece(facts, PieceKind::CasierB1);
    let recidive_source = if antecedent_evidence.is_empty() {
        b1.map(piece_source).unwrap_or_default()
    } else {
        source(facts, &antecedent_evidence)
    };
    let recidive_texte = match facts.recidive {
        Some(true) => "récidive légale établie",
        Some(false) => "pas de récidive légale",
        None => "récidive non déterminée",
    };
    let antecedents_statement = {
        let n = facts.antecedents.len();
        let texte = match (n, facts.recidive) {
            (0, Some(true)) => "La procédure mentionne un état de récidive légale.".to_owned(),
            (0, _) if b1.is_some() => {
                "Le bulletin n°\u{a0}1 du casier judiciaire ne porte mention d'aucune condamnation."
                    .to_owned()
            }
            (0, _) => String::new(),
            (n, r) => format!(
                "Le bulletin n°\u{a0}1 du casier judiciaire porte mention de {} condamnation{}\u{a0}; {}.",
                if n == 1 {
                    "une".to_owned()
                } else {
                    fr::number_in_words(n as u32)
                },
                if n > 1 { "s" } else { "" },
                match r {
                    Some(true) => "la récidive légale est établie",
                    Some(false) => "la récidive légale n'est pas établie",
                    None => "la récidive légale reste à vérifier",
                }
            ),
        };
        (!texte.is_empty()).then(|| Statement {
            texte,
            source: recidive_source.clone(),
        })
    };
    if let Some(s) = &antecedents_statement {
        let ev = if antecedent_evidence.is_empty() {
            b1.map(|p| {
                vec![Evidence {
                    page: p.first_page,
                    start: 0,
                    end: 0,
                    text: String::new(),
                    ocr_confidence: None,
                }]
            })
            .unwrap_or_default()
        } else {
            antecedent_evidence.clone()
        };
        statements.push((s.clone(), ev));
    }
    let gav_piece = first_piece(facts, PieceKind::PvNotificationGav);
    let custody = facts.custody.as_ref();
    let start = custody.and_then(|c| c.start.as_deref()).and_then(datetime);
    let end = custody.and_then(|c| c.end.as_deref()).and_then(datetime);
    let garde_a_vue = GardeAVueM {
        presente: custody.is_some() || gav_piece.is_some(),
        debut: start.map(fr::datetime_long),
        fin: end.map(fr::datetime_long),
        duree: match (start, end) {
            (Some(s), Some(e)) => Some(fr::duration_short((e - s).num_minutes())),
            _ => None,
        },
        source: gav_piece.map(piece_source).unwrap_or_default(),
    };
    if let Some(s) = start {
        let mut texte = format!(
            "{} a été placé(e) en garde à vue le {}",
            who,
            fr::datetime_long(s)
        );
        if let Some(e) = end {
            texte.push_str(&format!(
                "\u{a0}; la mesure a pris fin le {}",
                fr::datetime_long(e)
            ));
        }
        texte.push('.');
        let ev = gav_piece
            .map(|p| {
                vec![Evidence {
                    page: p.first_page,
                    start: 0,
                    end: 0,
                    text: String::new(),
                    ocr_confidence: None,
                }]
            })
            .unwrap_or_default();
        statements.push((
            Statement {
                texte,
                source: garde_a_vue.source.clone(),
            },
            ev,
        ));
    }

    // Offences with their legal frame.
    let recidive = facts.recidive == Some(true);
    let threshold = law::penalties().detention.min_prison_months;
    let known = Known {
        alcohol: alcohol_statement.clone(),
        speed: speed_statement.clone(),
        injuries: injury_statement.clone(),
        licence: licence_statement.clone(),
        recidive: antecedents_statement.clone().filter(|_| recidive),
    };
    let mut heaviest: Option<(u32, String)> = None;
    let infractions: Vec<InfractionM> = facts
        .offences
        .iter()
        .map(|o| {
            let entry = o.natinf.as_deref().and_then(orient::law::natinf);
            let penalty = law::penalty(o.natinf.as_deref(), &o.family);
            let definie_par = entry
                .and_then(|e| e.defined_by.as_deref())
                .map(fr::legal_citation);
            let reprimee_par = entry
                .and_then(|e| e.repressed_by.as_deref())
                .or(penalty.map(|p| p.legal_basis.as_str()))
                .map(fr::legal_citation);
            let textes = match (&definie_par, &reprimee_par) {
                (Some(d), Some(r)) if d != r => Some(format!(
                    "faits prévus par {} et réprimés par {}",
                    fr::with_article(d),
                    fr::with_article(r)
                )),
                (Some(d), _) => Some(format!(
                    "faits prévus et réprimés par {}",
                    fr::with_article(d)
                )),
                (None, Some(r)) => Some(format!("faits réprimés par {}", fr::with_article(r))),
                (None, None) => None,
            };
            let peine = penalty.map(|p| law::penalty_text(p, recidive));
            if let (Some(p), Some(text)) = (penalty, &peine) {
                let months = law::prison_months(p, recidive);
                if heaviest.as_ref().is_none_or(|(m, _)| months > *m) {
                    heaviest = Some((
                        months,
                        format!("{text}, pour {}", fr::decapitalize(&o.label)),
                    ));
                }
            }
            let src = source(facts, &o.evidence);
            InfractionM {
                libelle: o.label.clone(),
                famille: orient::family_label(&o.family).to_owned(),
                natinf: o.natinf.clone(),
                nature: entry.map(|e| e.nature.clone()),
                qualification: entry
                    .map(|e| e.label.clone())
                    .unwrap_or_else(|| o.label.clone()),
                elements: offence_elements(facts, o, &known),
                definie_par,
                reprimee_par,
                textes,
                peine_fondement: penalty.map(|p| fr::legal_citation(&p.legal_basis)),
                peine_note: penalty.and_then(|p| p.note.clone()).unwrap_or_default(),
                detention_possible: penalty
                    .is_some_and(|p| law::prison_months(p, recidive) >= threshold),
                peine,
                source: src,
            }
        })
        .collect();
    let mut qualification = None;
    if !infractions.is_empty() {
        let list: Vec<String> = infractions
            .iter()
            .map(|i| match &i.natinf {
                Some(n) => format!("{} (NATINF {n})", fr::decapitalize(&i.qualification)),
                None => fr::decapitalize(&i.qualification),
            })
            .collect();
        let ev: Vec<Evidence> = facts
            .offences
            .iter()
            .flat_map(|o| o.evidence.iter().cloned())
            .collect();
        // In the summary, not among the pieces' findings: it is the offences, not a fact read.
        qualification = Some(Statement {
            texte: format!(
                "Les faits sont susceptibles de recevoir la qualification de\u{a0}: {}.",
                list.join("\u{a0}; ")
            ),
            source: source(facts, &ev),
        });
    }

    let mesures_cles: Vec<Statement> = [&alcohol_statement, &speed_statement, &injury_statement]
        .into_iter()
        .flatten()
        .cloned()
        .collect();

    // Proposal and decision.
    let proposition = match &input.proposal {
        Some(p) => PropositionM {
            presente: true,
            orientation: Some(p.orientation_label.clone()),
            id: Some(p.orientation.id().to_owned()),
            politique: Some(format!(
                "{}, version {}",
                fr::quoted(&p.policy.name),
                p.policy.version
            )),
            mesures: measures(p, false),
            regles: p
                .rules
                .iter()
                .map(|r| RegleM {
                    id: r.id.clone(),
                    orientation: r.orientation.label().to_owned(),
                    explication: r.explanation.clone(),
                    fondement: r.legal_basis.clone(),
                    decisive: r.decisive,
                    criteres: r
                        .conditions
                        .iter()
                        .map(|c| Statement {
                            texte: fr::capitalize(&c.reason),
                            source: source(facts, &c.evidence),
                        })
                        .collect(),
                })
                .collect(),
            manquants: p
                .missing
                .iter()
                .map(|m| TexteM { texte: m.clone() })
                .collect(),
            obligations: p
                .legal_frame
                .mandatory
                .iter()
                .map(|m| ObligationM {
                    texte: m.text.clone(),
                    fondement: fr::legal_citation(&m.legal_basis.replace(" du code", " code")),
                })
                .collect(),
        },
        None => PropositionM {
            presente: false,
            orientation: None,
            id: None,
            politique: None,
            mesures: Vec::new(),
            regles: Vec::new(),
            manquants: Vec::new(),
            obligations: Vec::new(),
        },
    };
    let decision = match &input.decision {
        Some(d) => {
            let at = chrono::DateTime::parse_from_rfc3339(&d.decided_at).ok();
            DecisionM {
                presente: true,
                orientation: Some(orientation_label(&d.orientation)),
                acceptee: d.accepted,
                motif: d.reason.clone().filter(|r| !r.trim().is_empty()),
                magistrat: Some(d.magistrate.clone()).filter(|s| !s.trim().is_empty()),
                fonction: Some(d.function.clone()).filter(|s| !s.trim().is_empty()),
                date: at.map(|t| fr::date_long(t.date_naive())),
                date_lettres: at.map(|t| format!("le {}", fr::date_in_words(t.date_naive()))),
                heure: at.map(|t| {
                    use chrono::Timelike;
                    fr::time_short(t.hour(), t.minute())
                }),
            }
        }
        None => DecisionM {
            presente: false,
            orientation: None,
            acceptee: false,
            motif: None,
            magistrat: None,
            fonction: None,
            date: None,
            date_lettres: None,
            heure: None,
        },
    };
    let orientation = match (&input.decision, &input.proposal) {
        (Some(d), p) => OrientationM {
            libelle: Some(orientation_label(&d.orientation)),
            id: Some(d.orientation.clone()),
            origine: "décision du magistrat".to_owned(),
            mesures: match p {
                Some(p) if p.orientation.id() == d.orientation => measures(p, false),
                Some(p) => measures(p, true),
                None => Vec::new(),
            },
        },
        (None, Some(p)) => OrientationM {
            libelle: Some(p.orientation_label.clone()),
            id: Some(p.orientation.id().to_owned()),
            origine: "proposition, à valider par le magistrat".to_owned(),
            mesures: measures(p, false),
        },
        (None, None) => OrientationM {
            libelle: None,
            id: None,
            origine: "à décider par le magistrat".to_owned(),
            mesures: Vec::new(),
        },
    };

    // Requête au JLD.
    let criteria = &law::article_144().criterion;
    let mut ticked = input.detention.criteria.clone();
    ticked.sort_by_key(|c| c.number);
    ticked.dedup_by_key(|c| c.number);
    let jld = JldM {
        preambule: law::article_144().preamble().to_owned(),
        criteres: ticked
            .iter()
            .filter_map(|t| {
                let c = criteria.iter().find(|c| c.number == t.number)?;
                Some(CritereM {
                    numero: format!("{}°", c.number),
                    texte: c.text.clone(),
                    note: c.note.clone().unwrap_or_default(),
                    motivation: Some(t.reasoning.clone()).filter(|r| !r.trim().is_empty()),
                    cotes: (!t.cotes.is_empty()).then(|| t.cotes.join(", ")),
                })
            })
            .collect(),
        insuffisance: input
            .detention
            .insufficiency
            .clone()
            .filter(|s| !s.trim().is_empty()),
        detention_possible: infractions.iter().any(|i| i.detention_possible),
        seuil: law::months_in_words(threshold),
        seuil_fondement: fr::legal_citation(&law::penalties().detention.legal_basis),
        peine_maximale: heaviest.map(|(_, t)| t),
    };
    let renvoi = match input.conclusion {
        Conclusion::FromFacts => !infractions.is_empty(),
        Conclusion::Renvoi => true,
        Conclusion::NonLieu => false,
    };
    let chefs: Vec<String> = infractions
        .iter()
        .map(|i| fr::decapitalize(&i.qualification))
        .collect();
    let requisitions = RequisitionsM {
        renvoi,
        non_lieu: !renvoi,
        chefs: (!chefs.is_empty()).then(|| fr::join_and(&chefs)),
    };

    let court = input.court.clone().filter(|c| !c.trim().is_empty());
    let blank = super::template::BLANK;
    let tribunal = TribunalM {
        intitule: format!(
            "tribunal judiciaire {}",
            fr::de(court.as_deref().unwrap_or(blank))
        ),
        correctionnel: format!(
            "tribunal correctionnel {}",
            fr::de(court.as_deref().unwrap_or(blank))
        ),
        entete: format!(
            "TRIBUNAL JUDICIAIRE {}",
            fr::de(court.as_deref().unwrap_or(blank)).to_uppercase()
        ),
        nom: court,
    };
    let now = input.now;
    let model = Model {
        document: DocumentM {
            titre: kind.title().to_owned(),
            kind: kind.id().to_owned(),
        },
        tribunal,
        magistrat: MagistratM {
            nom: input
                .magistrate
                .name
                .clone()
                .filter(|s| !s.trim().is_empty()),
            fonction: input
                .magistrate
                .function
                .clone()
                .filter(|s| !s.trim().is_empty()),
        },
        dossier: DossierM {
            numero: input.dossier.id.clone(),
            titre: input.dossier.title.clone(),
            numero_parquet: input
                .dossier
                .parquet_number
                .clone()
                .filter(|s| !s.trim().is_empty()),
            fichier: facts
                .source
                .file
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned(),
            pages: facts.source.pages.to_string(),
        },
        aujourdhui: MomentM {
            date: fr::date_long(now.date_naive()),
            lettres: format!("le {}", fr::date_in_words(now.date_naive())),
            heure: {
                use chrono::Timelike;
                fr::time_short(now.hour(), now.minute())
            },
            numerique: fr::date_numeric(now.date_naive()),
        },
        personnes: facts.persons.iter().map(|p| person(facts, p)).collect(),
        mis_en_cause: mis_en_cause.iter().map(|p| person(facts, p)).collect(),
        victimes: facts
            .persons
            .iter()
            .filter(|p| p.role == Role::Victime)
            .map(|p| person(facts, p))
            .collect(),
        personne,
        faits: FaitsM {
            date: fact_date.map(fr::date_long),
            date_lettres: fact_date.map(|d| format!("le {}", fr::date_in_words(d))),
            heure: fact_time,
            commune: facts.facts.commune.clone(),
            source: fact_source,
            resume: statements
                .iter()
                .map(|(s, _)| s.clone())
                .chain(qualification)
                .collect(),
        },
        mesures_cles,
        infractions,
        alcool,
        vitesse,
        blessures,
        permis: PermisM {
            statut: orient::licence_label(facts.licence.status).to_owned(),
            source: licence_source,
        },
        vehicule: VehiculeM {
            present: facts.vehicle.is_some(),
            immatriculation: facts.vehicle.as_ref().and_then(|v| v.plate.clone()),
            description: facts.vehicle.as_ref().and_then(|v| v.description.clone()),
        },
        antecedents: facts
            .antecedents
            .iter()
            .map(|a| AntecedentM {
                date: a.date.as_deref().and_then(date).map(fr::date_long),
                libelle: fr::capitalize(&a.label.to_lowercase()),
                source: source(facts, &a.evidence),
            })
            .collect(),
        recidive,
        recidive_texte: recidive_texte.to_owned(),
        recidive_source,
        garde_a_vue,
        proposition,
        decision,
        orientation,
        nombre_pieces: facts.pieces.len().to_string(),
        pieces: pieces_model(facts, &who, &statements),
        jld,
        requisitions,
    };
    let mut value = serde_json::to_value(&model).expect("the model serialises");
    typeset(&mut value);
    value
}

fn orientation_label(id: &str) -> String {
    Orientation::from_id(id)
        .map(|o| o.label().to_owned())
        .unwrap_or_else(|| id.to_owned())
}

/// French spacing on every text of the model.
fn typeset(v: &mut Value) {
    match v {
        Value::String(s) => *s = fr::typography(s),
        Value::Array(a) => a.iter_mut().for_each(typeset),
        Value::Object(o) => o.values_mut().for_each(typeset),
        _ => {}
    }
}

#[cfg(test)]
pub(crate) mod tests;
