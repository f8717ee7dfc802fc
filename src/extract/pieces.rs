//! Splitting a procedure into pieces: a piece starts on a page whose first line after the
//! running header (and an optional cote stamp) is a title in capitals.

use std::sync::LazyLock;

use regex::Regex;

use super::dates;
use crate::facts::{Piece, PieceKind};
use crate::pdf::Document;

static COTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:Cote\s*:\s*)?D\s?(\d{1,4})$").unwrap());
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Procès-verbal|PV|N° minute)\s*(?:n°|N°)?\s*:?\s*(\d[\d/]*\d)").unwrap()
});

fn is_title(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 8
        && letters.iter().all(|c| c.is_uppercase())
        && !line.ends_with(':')
        && !line.ends_with('.')
        && !line.contains(", ")
        && !line.starts_with("MENTION")
        && !line.starts_with("TRIBUNAL")
}

/// The kind a piece's title says.
pub fn kind(title: &str) -> PieceKind {
    let t = title.to_uppercase();
    let has = |w: &str| t.contains(w);
    if has("CASIER") || has("BULLETIN N") {
        PieceKind::CasierB1
    } else if has("CERTIFICAT") {
        PieceKind::CertificatMedical
    } else if has("PERMIS DE CONDUIRE") && !has("RÉTENTION") && !has("SUSPENSION")
        || has("SNPC")
        || has("FNPC")
    {
        PieceKind::RelevePermis
    } else if has("ANALYSE DE SANG")
        || has("ALCOOLÉMIE")
        || has("ÉTAT ALCOOLIQUE")
        || has("ÉTHYLOMÈTRE")
    {
        PieceKind::PvVerificationAlcool
    } else if has("TOXICOLOGIQUE") || has("RÉTENTION") || has("FOURRIÈRE") || has("IMMOBILISATION")
    {
        PieceKind::Other
    } else if has("STUPÉFIANTS") || has("SALIVAIRE") {
        PieceKind::PvDepistageStupefiants
    } else if has("FIN DE GARDE") {
        PieceKind::PvFinGav
    } else if has("GARDE À VUE") && (has("NOTIFICATION") || has("PLACEMENT")) {
        PieceKind::PvNotificationGav
    } else if has("VICTIME") || has("PLAINTE") {
        PieceKind::PvAuditionVictime
    } else if has("TÉMOIN") || has("TÉMOIGNAGE") {
        PieceKind::PvAuditionTemoin
    } else if has("AUDITION") {
        PieceKind::PvAuditionMisEnCause
    } else if has("COMPTE RENDU") || has("MAGISTRAT") || has("PARQUET") {
        PieceKind::CompteRenduMagistrat
    } else if has("SYNTHÈSE") {
        PieceKind::PvSynthese
    } else if has("INTERPELLATION") || has("CONSTATATION") || has("SAISINE") {
        PieceKind::PvInterpellation
    } else {
        PieceKind::Other
    }
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
            break;
        }
        let rest: Vec<String> = lines.take(6).collect();
        if title_lines.is_empty() {
            if let Some(last) = pieces.last_mut() {
                last.last_page = page.number;
            }
            continue;
        }
        let title = title_lines.join(" ").replace(['’', '‘'], "'");
        let number = rest
            .iter()
            .find_map(|l| NUMBER.captures(l).map(|c| c[1].to_owned()));
        let body = rest.join(" ");
        let date = dates::dates(&body.replace('’', "'"))
            .first()
            .map(|d| d.2.iso());
        pieces.push(Piece {
            index: pieces.len() as u32 + 1,
            cote,
            kind: kind(&title),
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
            "RELEVÉ INTÉGRAL DU SYSTÈME NATIONAL DES PERMIS DE CONDUIRE",
            PieceKind::RelevePermis,
        );
        check(
            "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE",
            PieceKind::PvAuditionMisEnCause,
        );
    }
}
