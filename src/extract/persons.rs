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
        r"(?:Affaire|PRÉVENUE?|Prévenue?|Titulaire|Concerne|Nom et prénoms?|NOM ET PRÉNOMS?)\s*:\s*(?:(?:Identité|IDENTITÉ)\s*:\s*)?(?P<s>{SURNAME})\b,? (?P<g>{GIVEN}(?:,? {GIVEN})*)|(?i:déclare se nommer)\s+(?P<s2>{SURNAME})\b,? (?P<g2>{GIVEN}(?:,? {GIVEN})*)|(?:PRÉVENUE?|Prévenue?)\s*:\s*(?:M\.|Mme|Monsieur|Madame)\s+(?P<g4>{GIVEN}(?: {GIVEN})*) (?P<s4>{SURNAME})\b|(?:PRÉVENUE?|Prévenue?)\s*:\s*(?:M\.|Mme|Monsieur|Madame)\s+(?P<s5>{SURNAME})\b,? (?P<g5>{GIVEN}(?:,? {GIVEN})*)"
    ))
    .unwrap()
});

/// An identity block: "NOM : PERRIN — PRÉNOMS : Jordan", "Je me nomme PERRIN Jordan".
static IDENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?:NOM|Nom)\s*:\s*(?P<s>{SURNAME})\s*(?:—|-|,|;)?\s*(?:PRÉNOMS?|Prénoms?)(?:\(S\)|\(s\))?\s*:|(?i:je me nomme))\s*(?P<g>{GIVEN}(?:,? {GIVEN})*)"
    ))
    .unwrap()
});

static FORWARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<s>{SURNAME})\b,? (?:Prénoms?(?:\(s\))?\s*:\s*)?(?P<g>{GIVEN}(?:,? {GIVEN})*)"
    ))
    .unwrap()
});

const PLACE: &str = r"(?:(?:Le|La|Les|LE|LA|LES|L') ?)?\p{Lu}[\p{L}'-]*(?: (?:sur|SUR|lès|LÈS|les|LES|en|EN|de|DE|d'|la|LA|le|LE)[ -]\p{Lu}[\p{L}'-]*)?";

/// A birth with the date first: "né le 3 mars 1988 à Lyon", "née en date du ... en la commune
/// de ...", "Né(e) le : 22/01/1978 à : CRÉTEIL", "Date et lieu de naissance : ... à ...".
static BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:\bn[ée]e?(?:\(e\))?(?: le| en date du)?|date et lieu de naissance|date de naissance)\s*:?\s*(?P<d>[^,;()]{{6,70}}?),?\s(?i:à|en la commune de)\s*:?\s*(?P<p>{PLACE})"
    ))
    .unwrap()
});
/// A form's line: "Naissance : le 19/06/2005, GAP (05)", "Naissance : 19/06/05 à GAP",
/// "Date/lieu de naissance : 19/06/2005 / GAP".
static BIRTH_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:\bnaissance)\s*:\s*(?i:le\s)?(?P<d>[^,;()/]{{6,70}}?|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}),?\s(?:/\s|(?i:à)\s)?(?P<p>{PLACE})"
    ))
    .unwrap()
});
/// A form's line with the place first: "Naissance : GAP (05), le 19/06/2005".
static BIRTH_FORM_PLACE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:\bnaissance)\s*:\s*(?P<p>{PLACE})(?:\s*\([^)]{{1,40}}\))?,?\s(?i:le\s)?"
    ))
    .unwrap()
});
/// The place as an origin, the date after: "originaire de Lyon (Rhône), né le 3 mars 1988".
static BIRTH_ORIGIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:\boriginaire d(?:e |'))(?P<p>{PLACE})(?:\s*\([^)]{{1,40}}\))?,?\s(?i:n[ée]e?(?:\(e\))?)\s(?i:le\s)?"
    ))
    .unwrap()
});
/// A birth with the place first: "né à Lyon (69) le 3 mars 1988", "née à Casablanca (Maroc),
/// le ...", "Lieu de naissance : LYON ... Date de naissance : ...".
static BIRTH_PLACE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:\bn[ée]e?(?:\(e\))?)\s(?i:à|en la commune de)\s*:?\s*(?P<p>{PLACE})(?:\s*\([^)]{{1,40}}\))?,?\s(?i:le\s|en date du\s)?"
    ))
    .unwrap()
});

pub struct Birth {
    pub start: usize,
    pub end: usize,
    pub date: String,
    pub place: String,
}

/// Every birth written in `text`, in order.
pub fn births(text: &str) -> Vec<Birth> {
    let mut out = Vec::new();
    for c in BIRTH.captures_iter(text) {
        let m = c.get(0).unwrap();
        if let Some((_, date)) = dates::date_at(&c["d"]) {
            out.push(Birth {
                start: m.start(),
                end: m.end(),
                date: date.iso(),
                place: c["p"].to_owned(),
            });
        }
    }
    for c in BIRTH_FORM.captures_iter(text) {
        let m = c.get(0).unwrap();
        if let Some((_, date)) = dates::date_at(&c["d"]) {
            out.push(Birth {
                start: m.start(),
                end: m.end(),
                date: date.iso(),
                place: c["p"].to_owned(),
            });
        }
    }
    for c in BIRTH_PLACE_FIRST
        .captures_iter(text)
        .chain(BIRTH_ORIGIN.captures_iter(text))
        .chain(BIRTH_FORM_PLACE_FIRST.captures_iter(text))
    {
        let m = c.get(0).unwrap();
        if let Some((end, date)) = dates::date_at(&text[m.end()..]) {
            out.push(Birth {
                start: m.start(),
                end: m.end() + end,
                date: date.iso(),
                place: c["p"].to_owned(),
            });
        }
    }
    out.sort_by_key(|b| b.start);
    // One birth read by two patterns ("Date de naissance : ... à ...").
    let mut kept: Vec<Birth> = Vec::new();
    for b in out {
        if kept.last().is_none_or(|k| b.start >= k.end) {
            kept.push(b);
        }
    }
    kept
}

/// The place as usually written: "LYON" → "Lyon", "Saint-Étienne" kept.
fn place_name(place: &str) -> String {
    title_case(place.trim())
}

/// Words in capitals that follow a name at a line or page end without being part of it (the
/// next piece's title, a form's heading).
const NOT_NAMES: [&str; 25] = [
    "PROCES-VERBAL",
    "AUDITION",
    "P.V.",
    "EXAMEN",
    "PROCES",
    "PV",
    "RELEVE",
    "EXTRAIT",
    "CONSULTATION",
    "CERTIFICAT",
    "BULLETIN",
    "CASIER",
    "COMPTE",
    "RAPPORT",
    "RESULTAT",
    "FICHE",
    "AVIS",
    "NOTIFICATION",
    "JUGEMENT",
    "TRIBUNAL",
    "PAGE",
    "MENTION",
    "SUR",
    "OBJET",
    "AFFAIRE",
];

/// Vehicle makes, which the name patterns would otherwise read as given names ("la Honda CB").
const MAKES: [&str; 16] = [
    "Renault",
    "Peugeot",
    "Citroën",
    "Honda",
    "Yamaha",
    "Kawasaki",
    "Suzuki",
    "Audi",
    "Toyota",
    "Volkswagen",
    "Dacia",
    "Ford",
    "Opel",
    "Fiat",
    "Nissan",
    "Tesla",
];

/// A surname as captured, without the words in capitals that follow it but are not part of it.
fn clean_surname(raw: &str) -> String {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let keep = words
        .iter()
        .position(|w| NOT_NAMES.contains(&super::text::fold_upper(w).as_str()))
        .unwrap_or(words.len())
        .max(1);
    words[..keep].join(" ")
}

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
    const STOP: [&str; 35] = [
        "Le",
        "La",
        "Les",
        "Né",
        "Née",
        "Naissance",
        "Nationalité",
        "Profession",
        "Domicile",
        "Demeurant",
        "Domicilié",
        "Domiciliée",
        "Adresse",
        "Objet",
        "Date",
        "Lieu",
        "Demande",
        "Nom",
        "Prénom",
        "Prénoms",
        "Affaire",
        "Titulaire",
        "Concerne",
        "Sexe",
        "Fils",
        "Fille",
        "Situation",
        "Originaire",
        "Âgé",
        "Âgée",
        "Agé",
        "Agée",
        "Célibataire",
        "Marié",
        "Mariée",
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
        let s = ["s", "s2", "s4", "s5"]
            .iter()
            .find_map(|n| c.name(n))
            .unwrap();
        let g = ["g", "g2", "g4", "g5"]
            .iter()
            .find_map(|n| c.name(n))
            .unwrap();
        surnames.push(clean_surname(s.as_str()));
        if evidence.is_empty() {
            evidence.push(view.evidence(s.start().min(g.start()), s.end().max(g.end())));
        }
        given.push(g.as_str().replace(',', ""));
    }
    if surnames.is_empty() {
        // No form names the person: a decision's "pourvoi formé par M. Kevin MARTINEAU, né le
        // ...": the first person named with a civility and born right after.
        for c in MENTION.captures_iter(text) {
            let m = c.get(0).unwrap();
            let after = super::text::after(text, m.end(), 12);
            if after.starts_with(", né") || after.starts_with(" né") {
                surnames.push(clean_surname(&c["s"]));
                given.push(c["g"].to_owned());
                evidence.push(view.evidence(m.start(), m.end()));
                break;
            }
        }
    }
    let surname = vote(&surnames)?;
    // Every "SURNAME Given Given" form and "Nom : SURNAME Prénom(s) : Given" block: keep the
    // longest list of names.
    for c in FORWARD
        .captures_iter(text)
        .chain(IDENTITY.captures_iter(text))
    {
        if clean_surname(&c["s"]) == surname {
            given.push(c["g"].to_owned());
        }
    }
    // An identity written in capitals: "JE ME NOMME DELACROIX JOSIANE, CHRISTINE, NÉE LE ...".
    static CAPITALS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i:je me nomme|déclare se nommer|nom et prénoms?\s*:)\s+(?P<s>\p{Lu}[\p{Lu}' -]+?),?\s(?P<g>\p{Lu}[\p{Lu}'-]+(?:,?\s\p{Lu}[\p{Lu}'-]+){0,4})\b")
            .unwrap()
    });
    for c in CAPITALS.captures_iter(text) {
        if clean_surname(&c["s"]) == surname {
            let words: Vec<String> = c["g"]
                .replace(',', " ")
                .split_whitespace()
                .map(title_case)
                .collect();
            given.push(words.join(" "));
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
        quality: None,
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
    for b in births(text) {
        let context = before(text, b.start, 160);
        // The nearest name in capitals before the birth must be the mis en cause.
        if !context.contains(surname) {
            continue;
        }
        found_dates.push(b.date);
        places.push(b.place);
        first.get_or_insert((b.start, b.end));
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

/// A civility and a name: "M. Jean DUPONT", "Mme Anne-Sophie CÔTÉ", "M. le substitut de
/// permanence, Cédric DELACROIX", "Maître Anaïs BÉNARD", "docteur Sophie BRETON".
static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<t>M\.|Mme|Mlle|Monsieur|Madame|Maître|Me|[Dd]octeur|Dr|DOCTEUR)\s+(?:(?:le|la|Le|La) (?P<q>[\p{{Ll}} -]{{3,50}}?),\s+)?(?P<g>{GIVEN}(?: {GIVEN}){{0,3}}) (?P<s>{SURNAME})\b"
    ))
    .unwrap()
});

/// The quality of a person of the court or of a profession written near their name.
fn quality(title: &str, quality: Option<&str>, after: &str) -> Option<&'static str> {
    let q = quality.unwrap_or("").to_lowercase();
    let after = after.to_lowercase();
    let near = |w: &str| {
        q.contains(w) || after.starts_with(&format!(", {w}")) || after.starts_with(&format!(" {w}"))
    };
    if title == "Maître" || title == "Me" || near("avocat") {
        Some("avocat")
    } else if title.eq_ignore_ascii_case("docteur")
        || title == "Dr"
        || near("médecin")
        || near("docteur")
    {
        Some("médecin")
    } else if near("vice-procureur") {
        Some("vice-procureur")
    } else if near("procureur adjoint") {
        Some("procureur adjoint")
    } else if near("substitut") || near("procureur") || near("magistrat") {
        Some("substitut")
    } else if near("président") || near("vice-président") || near("juge") {
        Some("président")
    } else if near("greffi") {
        Some("greffier")
    } else {
        None
    }
}

/// What the words right after a name say of the person's part in the facts.
fn role_near(after: &str) -> Option<Role> {
    let after = after.to_lowercase();
    const VICTIM: [&str; 12] = [
        "victime",
        "passager",
        "passagère",
        "piéton",
        "piétonne",
        "cycliste",
        "conducteur du second",
        "conductrice du second",
        "conducteur de l'autre",
        "conductrice de l'autre",
        "blessé",
        "décédé",
    ];
    if VICTIM.iter().any(|w| {
        after.starts_with(&format!(", {w}"))
            || after.starts_with(&format!(", le {w}"))
            || after.starts_with(&format!(", la {w}"))
            || after.starts_with(&format!(" {w}"))
    }) {
        Some(Role::Victime)
    } else if after.starts_with(", témoin") || after.starts_with(" témoin") {
        Some(Role::Temoin)
    } else {
        None
    }
}

/// The birth written right after a name (within `within` bytes), if any.
fn birth_after(view: &View, from: usize, within: usize) -> Option<(Birth, Evidence)> {
    let window = super::text::after(&view.text, from, within);
    let b = births(window).into_iter().next()?;
    let evidence = view.evidence(from + b.start, from + b.end);
    Some((b, evidence))
}

/// Whether `between` runs over a sentence's end: a full stop, then a capital, that is not an
/// abbreviation's ("M. Paul", "Dr. Anne").
fn crosses_sentence(between: &str) -> bool {
    between.match_indices(". ").any(|(i, _)| {
        let word = between[..i].rsplit([' ', '(']).next().unwrap_or("");
        let next_capital = between[i + 2..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        next_capital && !matches!(word, "M" | "Mme" | "Mlle" | "Me" | "Dr" | "St" | "Ste")
    })
}

fn person(
    view: &View,
    role: Role,
    surname: &str,
    given: &str,
    at: (usize, usize),
    birth_from: Option<usize>,
    quality: Option<&str>,
) -> Person {
    let mut evidence = vec![view.evidence(at.0, at.1)];
    // The birth must be written in the sentence that names the person, not in the next one
    // (another person's identity).
    let found = birth_from
        .and_then(|from| birth_after(view, from, 220).map(|found| (from, found)))
        .filter(|(from, (b, _))| !crosses_sentence(&view.text[*from..from + b.start]))
        .map(|(_, found)| found);
    let (birth_date, birth_place) = match found {
        Some((b, e)) => {
            evidence.push(e);
            (Some(b.date), Some(place_name(&b.place)))
        }
        None => (None, None),
    };
    Person {
        role,
        surname: surname.to_owned(),
        given_names: clean_given(given),
        birth_date,
        birth_place,
        quality: quality.map(str::to_owned),
        evidence,
    }
}

/// Victims and witnesses (heard in their audition pieces, examined in a medical certificate,
/// named as such in the facts or as partie civile), officers, magistrates, doctors and lawyers.
pub fn others(view: &View, pieces: &[Piece], mis_en_cause: Option<&str>) -> Vec<Person> {
    let text = &view.text;
    let mut out: Vec<Person> = Vec::new();
    let known = |out: &Vec<Person>, surname: &str| {
        mis_en_cause == Some(surname) || out.iter().any(|p| p.surname == surname)
    };
    // 1. Persons heard in the victims' and witnesses' auditions.
    for piece in pieces {
        let role = match piece.kind {
            PieceKind::PvAuditionVictime => Role::Victime,
            PieceKind::PvAuditionTemoin => Role::Temoin,
            _ => continue,
        };
        let (a, b) = super::alcohol::page_span(view, piece);
        let Some(c) = HEARD.captures(&text[a..b]) else {
            continue;
        };
        let surname = clean_surname(&c["s"]);
        if known(&out, &surname) {
            continue;
        }
        let m = c.get(0).unwrap();
        let from = a + c.name("g").map_or(m.end(), |g| g.start());
        out.push(person(
            view,
            role,
            &surname,
            &c["g"],
            (a + m.start(), a + m.end()),
            Some(from),
            None,
        ));
    }
    // 2. Persons of the court and professions, victims examined in a medical certificate,
    // victims and witnesses named as such.
    let certificates: Vec<(usize, usize)> = pieces
        .iter()
        .filter(|p| {
            p.kind == PieceKind::CertificatMedical
                && !super::text::fold_upper(&p.title).contains("COMPATIBILIT")
        })
        .map(|p| super::alcohol::page_span(view, p))
        .collect();
    let civil_party = text
        .find("PARTIE CIVILE")
        .map(|p| (p, (p + 300).min(text.len())));
    let mut pending: Vec<(Role, Option<&'static str>, regex::Captures)> = Vec::new();
    for c in MENTION.captures_iter(text) {
        let m = c.get(0).unwrap();
        let surname = clean_surname(&c["s"]);
        let surname = surname.as_str();
        if mis_en_cause == Some(surname) {
            continue;
        }
        let after = super::text::after(text, m.end(), 40);
        let q = quality(&c["t"], c.name("q").map(|q| q.as_str()), after);
        let before = super::text::before(text, m.start(), 40).to_lowercase();
        let role = if q.is_some() {
            Role::Autre
        } else if let Some(r) = role_near(after) {
            r
        } else if before.ends_with("un témoin, ") || before.ends_with("témoin ") {
            Role::Temoin
        } else if before.ends_with("causé à ")
            || before.ends_with("décès de ")
            || certificates
                .iter()
                .any(|&(a, b)| m.start() >= a && m.start() < b)
            || civil_party.is_some_and(|(a, b)| m.start() >= a && m.start() < b)
        {
            Role::Victime
        } else {
            continue;
        };
        pending.push((role, q, c));
    }
    for (role, quality, c) in pending {
        let surname = clean_surname(&c["s"]);
        if known(&out, &surname) {
            continue;
        }
        let m = c.get(0).unwrap();
        let g = c.name("g").unwrap();
        let birth_from = matches!(role, Role::Victime | Role::Temoin).then_some(g.start());
        out.push(person(
            view,
            role,
            &surname,
            g.as_str(),
            (m.start(), m.end()),
            birth_from,
            quality,
        ));
    }
    // A victim or witness first named without a birth may have it written at another
    // mention (their audition, the certificate): the first birth right after their surname.
    let surnames: Vec<String> = out.iter().map(|p| p.surname.clone()).collect();
    for p in out.iter_mut() {
        if p.birth_date.is_some() || !matches!(p.role, Role::Victime | Role::Temoin) {
            continue;
        }
        for (at, _) in text.match_indices(p.surname.as_str()) {
            let from = at + p.surname.len();
            let Some((b, evidence)) = birth_after(view, from, 160) else {
                continue;
            };
            let between = &text[from..from + b.start];
            let other = surnames
                .iter()
                .chain(mis_en_cause.map(str::to_owned).iter())
                .any(|s| *s != p.surname && between.contains(s.as_str()));
            if other || between.contains(". ") {
                continue;
            }
            p.birth_date = Some(b.date);
            p.birth_place = Some(place_name(&b.place));
            p.evidence.push(evidence);
            break;
        }
    }
    // 3. Officers who act or assist.
    for c in OFFICER.captures_iter(text) {
        let surname = clean_surname(&c["s"]);
        let letters = surname.chars().filter(|c| c.is_alphabetic()).count();
        if known(&out, &surname) || MAKES.contains(&&c["g"]) || letters < 2 {
            continue;
        }
        let m = c.get(0).unwrap();
        out.push(person(
            view,
            Role::Enqueteur,
            &surname,
            &c["g"],
            (m.start(), m.end()),
            None,
            None,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_birth(input: &str, expect: (&str, &str)) {
        let got: Vec<(String, String)> = births(input)
            .into_iter()
            .map(|b| (b.date, b.place))
            .collect();
        assert_eq!(
            got,
            vec![(expect.0.to_owned(), expect.1.to_owned())],
            "{input}"
        );
    }

    #[test]
    fn births_in_every_layout() {
        check_birth("né le 3 mars 1988 à Lyon (69)", ("1988-03-03", "Lyon"));
        check_birth("Naissance : le 19/06/2005, GAP (05)", ("2005-06-19", "GAP"));
        check_birth("Naissance : 19/06/05 à GAP (05)", ("2005-06-19", "GAP"));
        check_birth(
            "Date/lieu de naissance : 19/06/2005 / SAINT-DIZIER (52)",
            ("2005-06-19", "SAINT-DIZIER"),
        );
        check_birth(
            "Je me nomme DUPONT Léon, originaire de Nantes (Loire-Atlantique), né le 4 avril 1979, boulanger",
            ("1979-04-04", "Nantes"),
        );
        check_birth(
            "Naissance : NANTES (44), le 4 avril 1979",
            ("1979-04-04", "NANTES"),
        );
        check_birth(
            "Date de naissance : 04/04/1979 à Nantes",
            ("1979-04-04", "Nantes"),
        );
    }

    fn check_named(text: &str, expect: (&str, &str, &str)) {
        let doc = crate::pdf::Document::from_texts([text.to_owned()]);
        let view = View::new(&doc);
        let p = mis_en_cause(&view).unwrap();
        assert_eq!(
            (
                p.surname.as_str(),
                p.given_names.as_str(),
                p.birth_date.as_deref().unwrap_or("")
            ),
            expect,
            "{text}"
        );
    }

    #[test]
    fn a_decision_names_its_prevenu() {
        check_named(
            "PRÉVENU :\nIdentité : LEMOINE Paul André — Né le 2 juin 1985 à Dijon (21) — plombier\ncomparant",
            ("LEMOINE", "Paul André", "1985-06-02"),
        );
    }

    #[test]
    fn a_birth_belongs_to_its_sentence() {
        assert!(crosses_sentence(
            ", blessée, est transportée. Le conducteur, DURAND Paul, originaire de Lille, "
        ));
        assert!(!crosses_sentence(", épouse de M. Paul DURAND, "));
        assert!(!crosses_sentence(" (voir p. 3), "));
    }

    #[test]
    fn a_surname_stops_at_the_next_title() {
        assert_eq!(clean_surname("MARCHAND AUDITION"), "MARCHAND");
        assert_eq!(clean_surname("LE GOFF EXAMEN"), "LE GOFF");
        assert_eq!(clean_surname("DA COSTA"), "DA COSTA");
    }

    #[test]
    fn title_case_of_places() {
        assert_eq!(title_case("SAINT-ÉTIENNE"), "Saint-Étienne");
        assert_eq!(title_case("Lyon"), "Lyon");
    }
}
