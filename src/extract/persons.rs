//! The mis en cause: surname in capitals, given names, birth date and place.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::dates;
use super::text::{View, before};
use crate::facts::{Evidence, Person, Piece, PieceKind, Role};

const SURNAME: &str =
    r"\p{Lu}[\p{Lu}'-]*(?: (?:DE |DA |DU |LE |LA |DOS |VAN |DE LA )?\p{Lu}[\p{Lu}'-]+)?";
const GIVEN: &str = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)*";

static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:Affaire|PRÉVENUE?|Titulaire|Concerne|Nom et prénoms?)\s*:\s*(?P<s>{SURNAME})\b,? (?P<g>{GIVEN}(?:,? {GIVEN})*)|déclare se nommer (?P<s2>{SURNAME})\b,? (?P<g2>{GIVEN}(?:,? {GIVEN})*)"
    ))
    .unwrap()
});

static FORWARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<s>{SURNAME})\b,? (?:Prénoms?(?:\(s\))?\s*:\s*)?(?P<g>{GIVEN}(?:,? {GIVEN})*)"
    ))
    .unwrap()
});

static BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:née? le|née? le ?:|date et lieu de naissance ?:)\s*(?P<d>[^,;()]{6,70}?) (?:à|en la commune de) (?P<p>(?:(?:Le|La|Les|LE|LA|LES) )?\p{Lu}[\p{L}'-]*(?: (?:sur|SUR|lès|LÈS|en|EN|de|DE|d'|la|LA|le|LE)[ -]\p{Lu}[\p{L}'-]*)?)"
    )
    .unwrap()
});

fn title_case(word: &str) -> String {
    if word.chars().any(|c| c.is_lowercase()) {
        return word.to_owned();
    }
    let mut out = String::new();
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == '-' || c == ' ' || c == '\'';
    }
    out
}

/// Given names up to the first word that is a form's label, not a name.
fn clean_given(given: &str) -> String {
    const STOP: [&str; 18] = [
        "Le",
        "La",
        "Les",
        "Né",
        "Née",
        "Nationalité",
        "Profession",
        "Domicile",
        "Objet",
        "Date",
        "Demande",
        "Nom",
        "Prénom",
        "Prénoms",
        "Adresse",
        "Affaire",
        "Titulaire",
        "Concerne",
    ];
    given
        .replace(',', "")
        .split(' ')
        .take_while(|w| !STOP.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn vote<T: Clone + Eq + std::hash::Hash>(items: &[T]) -> Option<T> {
    let mut counts: HashMap<&T, usize> = HashMap::new();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    items.iter().find(|i| counts[i] == best).cloned()
}

/// The mis en cause, when the document names one.
pub fn mis_en_cause(view: &View) -> Option<Person> {
    let text = &view.text;
    let mut surnames = Vec::new();
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut given: Vec<String> = Vec::new();
    for c in NAMED.captures_iter(text) {
        let s = c.name("s").or(c.name("s2")).unwrap();
        let g = c.name("g").or(c.name("g2")).unwrap();
        surnames.push(s.as_str().trim().to_owned());
        if evidence.is_empty() {
            evidence.push(view.evidence(s.start(), g.end()));
        }
        given.push(g.as_str().replace(',', ""));
    }
    let surname = vote(&surnames)?;
    // Every "SURNAME Given Given" form and "Nom : SURNAME Prénom(s) : Given" block: keep the
    // longest list of names.
    for c in FORWARD.captures_iter(text) {
        if c["s"].trim() == surname {
            given.push(c["g"].to_owned());
        }
    }
    let given: Vec<String> = given
        .iter()
        .map(|g| clean_given(g))
        .filter(|g| !g.is_empty())
        .collect();
    let given_names = given
        .iter()
        .max_by_key(|g| g.split(' ').count())
        .cloned()
        .unwrap_or_default();
    let (birth_date, birth_place) = birth(view, &surname, &mut evidence);
    Some(Person {
        role: Role::MisEnCause,
        surname,
        given_names,
        birth_date,
        birth_place,
        evidence,
    })
}

fn birth(
    view: &View,
    surname: &str,
    evidence: &mut Vec<Evidence>,
) -> (Option<String>, Option<String>) {
    let text = &view.text;
    let mut found_dates = Vec::new();
    let mut places: Vec<String> = Vec::new();
    let mut first = None;
    for c in BIRTH.captures_iter(text) {
        let m = c.get(0).unwrap();
        let context = before(text, m.start(), 160);
        // The nearest name in capitals before the birth must be the mis en cause.
        if !context.contains(surname) {
            continue;
        }
        let Some((_, date)) = dates::date_at(&c["d"]) else {
            continue;
        };
        found_dates.push(date.iso());
        places.push(c["p"].to_owned());
        first.get_or_insert((m.start(), m.end()));
    }
    if let Some((a, b)) = first {
        evidence.push(view.evidence(a, b));
    }
    let place = {
        let lower: Vec<String> = places.iter().map(|p| p.to_lowercase()).collect();
        vote(&lower).map(|best| {
            places
                .iter()
                .filter(|p| p.to_lowercase() == best)
                .find(|p| p.chars().any(char::is_lowercase))
                .cloned()
                .unwrap_or_else(|| {
                    title_case(&places[lower.iter().position(|l| *l == best).unwrap()])
                })
        })
    };
    (vote(&found_dates), place)
}

static HEARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:Je me nomme|Nom\s*:)\s*(?P<s>{SURNAME})\b,?\s+(?:Prénoms?(?:\(s\))?\s*:\s*)?(?P<g>{GIVEN}(?:,? {GIVEN})*)"
    ))
    .unwrap()
});

static OFFICER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:Nous,|Assistée? d[eu]|Assistée? de la|par l[ea]|par la)(?: soussignée?)?(?: [\p{{L}}'-]+){{0,5}}? (?P<g>{GIVEN}) (?P<s>{SURNAME})\b"
    ))
    .unwrap()
});

static MAGISTRATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:M\.|Mme|Maître) (?P<g>{GIVEN}) (?P<s>{SURNAME}),? (?:substitut|vice-procureur|procureur|avocat|président|greffi|docteur|médecin)"
    ))
    .unwrap()
});

/// Victims and witnesses heard in their audition pieces, officers, magistrates and lawyers.
pub fn others(view: &View, pieces: &[Piece], mis_en_cause: Option<&str>) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    let known = |out: &Vec<Person>, surname: &str| {
        mis_en_cause == Some(surname) || out.iter().any(|p| p.surname == surname)
    };
    for piece in pieces {
        let role = match piece.kind {
            PieceKind::PvAuditionVictime => Role::Victime,
            PieceKind::PvAuditionTemoin => Role::Temoin,
            _ => continue,
        };
        let (a, b) = super::alcohol::page_span(view, piece);
        let span = &view.text[a..b];
        let Some(c) = HEARD.captures(span) else {
            continue;
        };
        let surname = c["s"].trim().to_owned();
        if known(&out, &surname) {
            continue;
        }
        let m = c.get(0).unwrap();
        let mut evidence = vec![view.evidence(a + m.start(), a + m.end())];
        let from = c.name("g").map_or(m.end(), |g| g.start());
        let rest = &span[from..];
        let (birth_date, birth_place) = match BIRTH.captures(super::text::after(rest, 0, 200)) {
            Some(b) => {
                let g = b.get(0).unwrap();
                evidence.push(view.evidence(a + from + g.start(), a + from + g.end()));
                (
                    dates::date_at(&b["d"]).map(|d| d.1.iso()),
                    Some(title_case(&b["p"])),
                )
            }
            None => (None, None),
        };
        out.push(Person {
            role,
            surname,
            given_names: clean_given(&c["g"]),
            birth_date,
            birth_place,
            evidence,
        });
    }
    for (re, role) in [(&*OFFICER, Role::Enqueteur), (&*MAGISTRATE, Role::Autre)] {
        for c in re.captures_iter(&view.text) {
            let surname = c["s"].trim().to_owned();
            if known(&out, &surname) {
                continue;
            }
            let m = c.get(0).unwrap();
            out.push(Person {
                role,
                surname,
                given_names: c["g"].to_owned(),
                birth_date: None,
                birth_place: None,
                evidence: vec![view.evidence(m.start(), m.end())],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_of_places() {
        assert_eq!(title_case("SAINT-ÉTIENNE"), "Saint-Étienne");
        assert_eq!(title_case("Lyon"), "Lyon");
    }
}
