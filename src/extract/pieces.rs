//! Splitting a procedure into pieces: a piece starts on a page whose first line after the
//! running header (and an optional cote stamp) is a title in capitals, or a "Procès-verbal
//! de ..." heading in sentence case alone on its line.

use std::sync::LazyLock;

use regex::Regex;

use super::dates;
use crate::facts::{Piece, PieceKind};
use crate::pdf::Document;

static COTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:Cote\s*(?:n°|no|numéro)?|N°|No|Pièce(?:\s*n°)?)\s*:?\s*)?D\s?[-–]?\s?(\d{1,4})$",
    )
    .unwrap()
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Procès-verbal|PV|N° minute)\s*(?:n°|N°)?\s*:?\s*(\d[\d/]*\d)").unwrap()
});

/// Words a piece's title starts with; only such a title may hold a comma ("PROCÈS-VERBAL DE
/// TRANSPORT, DE CONSTATATIONS ET DE MESURES PRISES"), not a sentence in capitals.
const TITLE_WORDS: [&str; 13] = [
    "PROCES-VERBAL",
    "P.V.",
    "PROCES VERBAL",
    "RAPPORT",
    "CERTIFICAT",
    "AVIS",
    "RELEVE",
    "EXTRAIT",
    "BULLETIN",
    "COMPTE",
    "CASIER",
    "RESULTAT",
    "FICHE",
];

/// A title may end with an abbreviation's full stop ("... DE FIN DE G.A.V.", "... DE L'I.T.T.").
static ABBREVIATION_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s'’(])(?:\p{Lu}\.){2,}$").unwrap());

/// A title in sentence case: "Procès-verbal de ..." / "Procès-verbal d'..." alone on its line,
/// short, without figures (the PV number line "Procès-verbal n° ..." is not one).
static SENTENCE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:PROCES[- ]VERBAL|P\.V\.) (?:DE |D'|DU |DES )[^0-9:;,.]{6,90}$").unwrap()
});

fn is_title(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let folded = super::text::fold_upper(line).replace('’', "'");
    let titled = || TITLE_WORDS.iter().any(|w| folded.starts_with(w));
    let capitals = letters.len() >= 8
        && letters.iter().all(|c| c.is_uppercase())
        && !line.ends_with(':')
        && (!line.ends_with('.') || ABBREVIATION_END.is_match(line))
        && (!line.contains(", ") || titled())
        && !line.starts_with("MENTION")
        && !line.starts_with("TRIBUNAL");
    capitals || SENTENCE_TITLE.is_match(&folded)
}

/// A short line in capitals that ends a title wrapped at the line before ("VUE", "NATIONAL").
fn is_title_end(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    (2..8).contains(&letters.len())
        && letters.iter().all(|c| c.is_uppercase())
        && !line.ends_with(':')
        && !line.ends_with('.')
        && !COTE.is_match(line)
}

/// The kind a piece's title says: its words, whatever their accents ("LEVÉE", "LEVEE"), looked
/// up from the most specific kind to the most general.
pub fn kind(title: &str) -> PieceKind {
    let t = super::text::fold_upper(title);
    let has = |w: &str| t.contains(w);
    let any = |ws: &[&str]| ws.iter().any(|w| t.contains(w));
    let custody = has("GARDE A VUE")
        || has("GARDEE A VUE")
        || has("GARDE-A-VUE")
        || has("G.A.V")
        || has(" GAV");
    let alcohol = any(&[
        "ALCOOL",
        "ETHANOL",
        "ETHYLOMETR",
        "ETAT ALCOOLIQUE",
        "IMPREGNATION ALCOOLIQUE",
    ]);
    let narcotics = any(&["STUPEFIANT", "SALIVAIRE", "CANNABI", "PRODUITS STUP"]);
    if any(&[
        "CASIER",
        "BULLETIN N",
        "BULLETIN NUMERO",
        "B1 ",
        "RELEVE DES CONDAMNATIONS",
    ]) {
        PieceKind::CasierB1
    } else if any(&["CERTIFICAT", "MEDICAL", "MEDICO", "MEDECIN"]) || has("DECES") && !custody {
        PieceKind::CertificatMedical
    } else if alcohol && (has("ANALYSE") || has("DOSAGE")) {
        PieceKind::PvVerificationAlcool
    } else if any(&[
        "RETENTION",
        "FOURRIERE",
        "IMMOBILISATION",
        "SUSPENSION",
        "TOXICOLOG",
    ]) || (has("CONFIRMATION") || has("ANALYSE")) && narcotics
    {
        PieceKind::Other
    } else if any(&[
        "PERMIS DE CONDUIRE",
        "SNPC",
        "FNPC",
        "FICHIER NATIONAL DES PERMIS",
    ]) {
        PieceKind::RelevePermis
    } else if alcohol || has("ANALYSE DE SANG") || has("ANALYSE SANGUINE") {
        PieceKind::PvVerificationAlcool
    } else if narcotics {
        PieceKind::PvDepistageStupefiants
    } else if custody
        && any(&[
            "FIN DE",
            "FIN DE LA",
            "LEVEE",
            "ISSUE",
            "TERME",
            "CLOTURE",
            "MAINLEVEE",
        ])
    {
        PieceKind::PvFinGav
    } else if custody {
        // Notification, placement, début, prolongation: the measure and its rights.
        if has("AUDITION") || has("INTERROGATOIRE") {
            PieceKind::PvAuditionMisEnCause
        } else {
            PieceKind::PvNotificationGav
        }
    } else if any(&[
        "VICTIME",
        "PLAINTE",
        "PLAIGNANT",
        "PARTIE CIVILE",
        "PARTIE LESEE",
    ]) {
        PieceKind::PvAuditionVictime
    } else if any(&["TEMOIN", "TEMOIGNAGE"]) {
        PieceKind::PvAuditionTemoin
    } else if any(&["AUDITION", "INTERROGATOIRE", "DECLARATION"]) {
        PieceKind::PvAuditionMisEnCause
    } else if any(&[
        "COMPTE RENDU",
        "COMPTE-RENDU",
        "MAGISTRAT",
        "PARQUET",
        "PROCUREUR",
        "SUBSTITUT",
        "INSTRUCTIONS",
    ]) {
        PieceKind::CompteRenduMagistrat
    } else if any(&["SYNTHESE", "RAPPORT", "RECAPITULATI", "CLOTURE"]) {
        PieceKind::PvSynthese
    } else if any(&[
        "INTERPELLATION",
        "CONSTATATION",
        "SAISINE",
        "TRANSPORT",
        "CONTROLE",
        "ACCIDENT",
        "INTERVENTION",
        "FLAGRANT",
    ]) {
        PieceKind::PvInterpellation
    } else {
        PieceKind::Other
    }
}

/// The kind of a piece from its title and its first lines: a PV whose title names no kind
/// ("PROCÈS-VERBAL DE RENSEIGNEMENT JUDICIAIRE") is a relevé du permis when it opens on the
/// consultation of the licence file.
fn kind_with_body(title: &str, body: &str) -> PieceKind {
    let kind = kind(title);
    if kind != PieceKind::Other || any_other_word(title) {
        return kind;
    }
    let b = super::text::fold_upper(body);
    let licence_file = [
        "SYSTEME NATIONAL DES PERMIS",
        "FICHIER NATIONAL DES PERMIS",
        "(SNPC)",
        "(FNPC)",
    ];
    if b.contains("CONSULTATION") && licence_file.iter().any(|w| b.contains(w)) {
        PieceKind::RelevePermis
    } else {
        kind
    }
}

/// A title that says what an `Other` piece is (rétention, fourrière, toxicology...).
fn any_other_word(title: &str) -> bool {
    let t = super::text::fold_upper(title);
    [
        "RETENTION",
        "FOURRIERE",
        "IMMOBILISATION",
        "SUSPENSION",
        "TOXICOLOG",
        "ANALYSE",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// The pieces of a document, in page order.
pub fn pieces(document: &Document, headers: &dyn Fn(&str) -> bool) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    for page in &document.pages {
        let mut cote = None;
        let mut lines = page
            .text
            .lines()
            .map(|l| l.replace('\u{ad}', "").trim().to_owned())
            .filter(|l| !l.is_empty() && !headers(l))
            .peekable();
        let mut title_lines = Vec::new();
        while let Some(line) = lines.peek() {
            if let Some(c) = COTE.captures(line) {
                cote = Some(format!("D{}", &c[1]));
                lines.next();
                continue;
            }
            if is_title(line) && title_lines.len() < 3 {
                title_lines.push(line.clone());
                lines.next();
                continue;
            }
            // The end of a wrapped title ("... GARDÉE À" / "VUE").
            if !title_lines.is_empty() && title_lines.len() < 3 && is_title_end(line) {
                title_lines.push(line.clone());
                lines.next();
                continue;
            }
            break;
        }
        let rest: Vec<String> = lines.take(10).collect();
        if title_lines.is_empty() {
            if let Some(last) = pieces.last_mut() {
                last.last_page = page.number;
            }
            continue;
        }
        let title = title_lines.join(" ").replace(['’', '‘'], "'");
        let number = rest
            .iter()
            .take(6)
            .find_map(|l| NUMBER.captures(l).map(|c| c[1].to_owned()));
        let body = rest[..rest.len().min(6)].join(" ");
        let date = dates::dates(&body.replace('’', "'"))
            .first()
            .map(|d| d.2.iso());
        pieces.push(Piece {
            index: pieces.len() as u32 + 1,
            cote,
            kind: kind_with_body(&title, &rest.join(" ")),
            title,
            number,
            date,
            first_page: page.number,
            last_page: page.number,
        });
    }
    if pieces.is_empty() && !document.pages.is_empty() {
        pieces.push(Piece {
            index: 1,
            cote: None,
            kind: PieceKind::Other,
            title: String::new(),
            number: None,
            date: None,
            first_page: 1,
            last_page: document.pages.len() as u32,
        });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(title: &str, expect: PieceKind) {
        assert_eq!(kind(title), expect, "{title}");
    }

    #[test]
    fn titles_in_sentence_case_and_abbreviated() {
        for title in [
            "Procès-verbal de constatations et d'interpellation",
            "Procès-verbal d'audition de la victime",
            "P.V. DE NOTIFICATION DE G.A.V.",
            "CERTIFICAT MÉDICAL — FIXATION DE L'I.T.T.",
        ] {
            assert!(is_title(title), "{title}");
        }
        for line in [
            "Procès-verbal n° 2026/001234",
            "Procès-verbal de notification remis à l'intéressé, qui signe.",
            "LE CONDUCTEUR EST INTERPELLÉ.",
        ] {
            assert!(!is_title(line), "{line}");
        }
        check(
            "Procès-verbal de vérification de l'imprégnation alcoolique",
            PieceKind::PvVerificationAlcool,
        );
        check("P.V. DE FIN DE G.A.V.", PieceKind::PvFinGav);
        check(
            "PROCÈS-VERBAL DE CLÔTURE DE LA PROCÉDURE",
            PieceKind::PvSynthese,
        );
        check(
            "RAPPORT D'ANALYSE — DÉTECTION DE STUPÉFIANTS DANS LE SANG",
            PieceKind::Other,
        );
        check(
            "COMPTE RENDU D'ANALYSE — TAUX D'ÉTHANOL DANS LE SANG",
            PieceKind::PvVerificationAlcool,
        );
    }

    #[test]
    fn a_generic_pv_is_read_by_its_opening() {
        let title = "PROCÈS-VERBAL DE RENSEIGNEMENT";
        assert_eq!(
            kind_with_body(
                title,
                "Nous, officier de police judiciaire, procédons à la consultation du fichier national des permis de conduire au nom de"
            ),
            PieceKind::RelevePermis
        );
        assert_eq!(
            kind_with_body(
                title,
                "Nous, officier de police judiciaire, recevons un appel"
            ),
            PieceKind::Other
        );
        assert_eq!(
            kind_with_body(
                "PROCÈS-VERBAL DE RÉTENTION",
                "après consultation du système national des permis de conduire"
            ),
            PieceKind::Other
        );
    }

    #[test]
    fn kinds() {
        check(
            "PROCÈS-VERBAL DE CONSTATATIONS",
            PieceKind::PvInterpellation,
        );
        check("BULLETIN N° 1 DU CASIER JUDICIAIRE", PieceKind::CasierB1);
        check(
            "PROCÈS-VERBAL D'AUDITION DE TÉMOIN",
            PieceKind::PvAuditionTemoin,
        );
        check(
            "PROCÈS-VERBAL D'AVIS À MAGISTRAT",
            PieceKind::CompteRenduMagistrat,
        );
        check(
            "PROCÈS-VERBAL DE RÉTENTION DU PERMIS DE CONDUIRE",
            PieceKind::Other,
        );
        check("PROCÈS-VERBAL DE FIN DE GARDE À VUE", PieceKind::PvFinGav);
        check(
            "PROCÈS-VERBAL DE LEVÉE DE LA MESURE DE GARDE À VUE",
            PieceKind::PvFinGav,
        );
        check(
            "PROCES-VERBAL DE NOTIFICATION DE FIN DE GARDE A VUE",
            PieceKind::PvFinGav,
        );
        check(
            "PROCÈS-VERBAL DE NOTIFICATION DU DÉBUT DE GARDE À VUE ET DES DROITS",
            PieceKind::PvNotificationGav,
        );
        check(
            "EXTRAIT DU CASIER JUDICIAIRE — BULLETIN N° 1",
            PieceKind::CasierB1,
        );
        check("CERTIFICAT DE DÉCÈS", PieceKind::CertificatMedical);
        check(
            "PROCÈS-VERBAL DE CONTRÔLE ROUTIER ET D'INTERPELLATION",
            PieceKind::PvInterpellation,
        );
        check(
            "PROCÈS-VERBAL DE DÉPÔT DE PLAINTE",
            PieceKind::PvAuditionVictime,
        );
        check(
            "RÉSULTAT D'ANALYSE TOXICOLOGIQUE — CONFIRMATION DU PRÉLÈVEMENT SALIVAIRE",
            PieceKind::Other,
        );
        check(
            "RÉSULTAT D'ANALYSE DE SANG — RECHERCHE D'ALCOOLÉMIE",
            PieceKind::PvVerificationAlcool,
        );
        check(
            "PROCÈS-VERBAL DE DÉPISTAGE ET DE PRÉLÈVEMENT SALIVAIRE",
            PieceKind::PvDepistageStupefiants,
        );
        check(
            "PROCÈS-VERBAL DE CONTACT AVEC LE PARQUET",
            PieceKind::CompteRenduMagistrat,
        );
        check("RAPPORT DE SYNTHÈSE", PieceKind::PvSynthese);
        check(
            "PROCÈS-VERBAL DE NOTIFICATION DES DROITS DE LA PERSONNE GARDÉE À VUE",
            PieceKind::PvNotificationGav,
        );
        check(
            "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE",
            PieceKind::PvAuditionMisEnCause,
        );
        check(
            "AVIS MÉDICAL DE COMPATIBILITÉ AVEC LA MESURE DE GARDE À VUE",
            PieceKind::CertificatMedical,
        );
        check(
            "RAPPORT D'EXAMEN MÉDICO-LÉGAL — VICTIME",
            PieceKind::CertificatMedical,
        );
        check(
            "PROCÈS-VERBAL D'AUDITION DE PARTIE LÉSÉE",
            PieceKind::PvAuditionVictime,
        );
        check(
            "RAPPORT D'ANALYSE TOXICOLOGIQUE — DOSAGE DE L'ALCOOLÉMIE",
            PieceKind::PvVerificationAlcool,
        );
        check(
            "CERTIFICAT MÉDICAL DE COMPATIBILITÉ AVEC LA GARDE À VUE",
            PieceKind::CertificatMedical,
        );
        check(
            "RELEVÉ INTÉGRAL DU SYSTÈME NATIONAL DES PERMIS DE CONDUIRE",
            PieceKind::RelevePermis,
        );
        check(
            "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE",
            PieceKind::PvAuditionMisEnCause,
        );
    }
}
