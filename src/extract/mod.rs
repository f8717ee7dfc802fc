//! Reading a procedure like a magistrate: the facts that decide the case, each with the place
//! in the document where it was read (`permanence.facts/1`).
//!
//! Everything works on a [`text::View`]: the pages joined, running headers and footers left
//! out, hyphenation undone, with a mapping back to (page, offset) for evidence.

mod alcohol;
mod antecedents;
mod dates;
pub mod eval;
pub mod natinf;
mod numbers;
mod ocr;
mod offences;
mod persons;
mod pieces;
mod text;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::facts::{
    AlcoholUnit, Custody, Facts, Injuries, Licence, LicenceStatus, Offence, PieceKind, Source,
    Speed, Vehicle, WhenWhere,
};
use crate::pdf::Document;
use text::View;

pub use text::fold_upper;

/// The version of the extraction: stored with the facts of each document, which are read again
/// from their pages when it changes. Bump it whenever a change of this module changes a result.
pub const VERSION: u32 = 6;

/// The facts of a document already read.
pub fn facts(file: &str, sha256: &str, document: &Document) -> Facts {
    let mut facts = Facts::empty(Source {
        file: file.to_owned(),
        sha256: sha256.to_owned(),
        pages: document.pages.len() as u32,
        ocr_pages: document.ocr_pages(),
    });
    let view = View::new(document);
    if view.text.trim().is_empty() {
        return facts;
    }
    let page_texts: Vec<&str> = document.pages.iter().map(|p| p.text.as_str()).collect();
    let headers = text::header_lines(&page_texts);
    facts.pieces = pieces::pieces(document, &|l: &str| headers.contains_key(l));
    facts.persons = persons::mis_en_cause(&view).into_iter().collect();
    let mis_en_cause = facts.persons.first().map(|p| p.surname.clone());
    let others = persons::others(&view, &facts.pieces, mis_en_cause.as_deref());
    facts.persons.extend(others);
    let b1: Vec<(usize, usize)> = facts
        .pieces
        .iter()
        .filter(|p| p.kind == PieceKind::CasierB1)
        .map(|p| alcohol::page_span(&view, p))
        .collect();
    facts.facts = when_where(&view, &b1);
    facts.alcohol = alcohol::alcohol(&view, &facts.pieces);
    facts.vehicle = vehicle(&view);
    let victims: Vec<&crate::facts::Person> = facts
        .persons
        .iter()
        .filter(|p| p.role == crate::facts::Role::Victime)
        .collect();
    facts.injuries = injuries(&view, &facts.pieces, &victims);
    facts.speed = speed(&view);
    facts.custody = custody(&view, &facts.pieces);
    let found = offences::charged(&view);
    facts.antecedents = antecedents::antecedents(&view, &facts.pieces);
    facts.licence = licence(&view, &facts.pieces, &found);
    // Families first without récidive, then récidive, then the NATINF codes that depend on it.
    let families: Vec<&'static str> = offences(&view, &found, &facts, &[])
        .iter()
        .filter_map(|o| ORDER.iter().copied().find(|f| *f == o.family))
        .collect();
    let facts_date = facts.facts.date.clone();
    let (recidive, recidive_families) = antecedents::recidive(
        &view,
        &facts.pieces,
        &facts.antecedents,
        facts_date.as_deref(),
        &families,
    );
    facts.recidive = recidive;
    facts.offences = offences(&view, &found, &facts, &recidive_families);
    facts
}

const ORDER: [&str; 16] = [
    "alcool_delit",
    "alcool_contravention",
    "ivresse_manifeste",
    "refus_verification_alcool",
    "stupefiants",
    "refus_verification_stupefiants",
    "defaut_permis",
    "conduite_malgre_suspension",
    "defaut_assurance",
    "refus_obtemperer",
    "delit_fuite",
    "exces_vitesse",
    "blessures_involontaires",
    "homicide_involontaire",
    "outrage_rebellion",
    "other",
];

fn label(family: &str) -> &'static str {
    match family {
        "alcool_contravention" => {
            "Conduite d'un véhicule sous l'empire d'un état alcoolique (contravention)"
        }
        "defaut_permis" => "Conduite d'un véhicule sans permis de conduire",
        "conduite_malgre_suspension" => {
            "Conduite d'un véhicule malgré l'annulation ou l'invalidation du permis de conduire"
        }
        "defaut_assurance" => "Conduite d'un véhicule sans assurance",
        "blessures_involontaires" => {
            "Blessures involontaires par conducteur d'un véhicule terrestre à moteur"
        }
        "homicide_involontaire" => {
            "Homicide involontaire par conducteur d'un véhicule terrestre à moteur"
        }
        "outrage_rebellion" => "Outrage et rébellion à personne dépositaire de l'autorité publique",
        "exces_vitesse" => "Excès de vitesse d'au moins 50 km/h",
        _ => "Autre infraction",
    }
}

fn offences(
    view: &View,
    found: &[offences::Found],
    facts: &Facts,
    recidive_families: &[&str],
) -> Vec<Offence> {
    let mut by_family: HashMap<&'static str, Vec<&offences::Found>> = HashMap::new();
    for f in found {
        let family = if f.family == "alcool" {
            alcohol_family(view, f, facts)
        } else {
            f.family
        };
        by_family.entry(family).or_default().push(f);
    }
    if let Some(list) = by_family.remove("exces_vitesse") {
        let speed_ok = facts
            .speed
            .as_ref()
            .and_then(|s| Some(s.retained? - s.limit?))
            .is_none_or(|excess| excess >= 50.0);
        if speed_ok {
            by_family.insert("exces_vitesse", list);
        }
    }
    let has = |f: &str| by_family.contains_key(f);
    let recidive = facts.recidive == Some(true);
    let itt = facts.injuries.itt_days.unwrap_or(0);
    let accident = has("delit_fuite")
        || has("blessures_involontaires")
        || has("homicide_involontaire")
        || view.text.contains("accident");
    let mut out = Vec::new();
    for family in ORDER {
        let Some(list) = by_family.get(family) else {
            continue;
        };
        let stated = list.iter().any(|f| f.recidive);
        let in_recidive = recidive && (stated || recidive_families.contains(&family));
        let natinf = match family {
            "alcool_delit" => Some(if in_recidive { "8544" } else { "1247" }),
            "stupefiants" => Some(if in_recidive { "29256" } else { "23761" }),
            "alcool_contravention" => {
                let probatoire = facts.alcohol.as_ref().is_some_and(|a| {
                    a.after_margin.unwrap_or(a.value) < 0.25 && a.unit == AlcoholUnit::MgPerLitreAir
                });
                (!probatoire).then_some("13322")
            }
            "refus_verification_alcool" => Some(if accident { "2000" } else { "51" }),
            "conduite_malgre_suspension" => {
                let context: String = list
                    .iter()
                    .map(|f| text::after(&view.text, f.start, 120).to_lowercase())
                    .collect();
                if context.contains("administrative") {
                    Some("5707")
                } else if context.contains("annulation") || context.contains("invalidation") {
                    None
                } else if context.contains("judiciaire") {
                    Some("7953")
                } else {
                    None
                }
            }
            "blessures_involontaires" => {
                if has("ivresse_manifeste") {
                    Some(if itt > 90 { "26" } else { "25" })
                } else if has("delit_fuite") && itt > 90 {
                    Some("34")
                } else {
                    None
                }
            }
            "homicide_involontaire" => {
                if has("delit_fuite") {
                    Some("35")
                } else if has("alcool_delit") {
                    Some("64")
                } else {
                    None
                }
            }
            "defaut_permis" | "defaut_assurance" | "outrage_rebellion" | "other" => None,
            f => natinf::family_entry(f).map(|e| e.natinf.as_str()),
        };
        let label = natinf
            .and_then(natinf::entry)
            .map_or_else(|| label(family).to_owned(), |e| e.label.clone());
        out.push(Offence {
            family: family.to_owned(),
            natinf: natinf.map(str::to_owned),
            label,
            evidence: list
                .iter()
                .take(3)
                .map(|f| view.evidence(f.start, f.end))
                .collect(),
        });
    }
    out
}

/// Alcohol délit or contravention: from the rate when one was measured, else from the words.
fn alcohol_family(view: &View, found: &offences::Found, facts: &Facts) -> &'static str {
    if let Some(a) = &facts.alcohol {
        let probatoire = view.text.contains("probatoire");
        let delit = match a.unit {
            AlcoholUnit::MgPerLitreAir => a.after_margin.unwrap_or(a.value) >= 0.40 - 1e-9,
            AlcoholUnit::GPerLitreBlood => a.value >= 0.80 - 1e-9,
        };
        let _ = probatoire;
        return if delit {
            "alcool_delit"
        } else {
            "alcool_contravention"
        };
    }
    if offences::says_contravention(view, found) {
        "alcool_contravention"
    } else {
        "alcool_delit"
    }
}

static FACTS_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:faits (?:commis|survenus|constatés|se sont (?:déroulés|produits)),?|faits du|date (?:et heure )?des faits\s*:|d'avoir commis,?|I\. LES FAITS|LES FAITS :?) (?:le |Le )?")
        .unwrap()
});
/// A prévention: "d'avoir à X, le DATE, ..." or "d'avoir, le DATE, à X, en tout cas sur le
/// territoire national ...".
static JUDGMENT_ANCHOR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)d'avoir,?\s").unwrap());
static PLACE_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:[\s,]*(?:à|sur la commune de|sur le territoire de la commune de|en la commune de|dans la commune de)\s+)").unwrap()
});
static AT_COMMUNE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^.]{0,80}? (?:à|sur le territoire de la commune de|sur le territoire de|en la commune de|commune de) (?P<c>(?:(?:Le|La|Les|LE|LA|LES) )?\p{Lu}[\p{L}'-]*)").unwrap()
});
static FACTS_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:sur le territoire de la commune d[e'] ?|(?:interpellée?|contrôlée?|interceptée?) sur la commune d[e'] ?)")
            .unwrap()
});

/// The commune's name at the start of `text`: "Provins", "Le Mée-sur-Seine", "PROVINS",
/// "Boulazac Isle Manoire" (words in capitals that go on the name, not "Mme" or "Le" that
/// start the next sentence).
fn commune_at(text: &str) -> Option<&str> {
    static FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:Le|La|Les|L'|LE|LA|LES) ?)?\p{Lu}[\p{L}'-]*").unwrap()
    });
    static NEXT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^ (\p{Lu}\p{Ll}[\p{L}'-]*)").unwrap());
    const NOT_NAME: [&str; 16] = [
        "Mme", "Madame", "Monsieur", "Mlle", "Le", "La", "Les", "Nous", "Il", "Elle", "Ce",
        "Cette", "Sur", "Dont", "Alors", "Un",
    ];
    let first = FIRST.find(text)?;
    let mut end = first.end();
    for _ in 0..2 {
        let Some(c) = NEXT.captures(&text[end..]) else {
            break;
        };
        if NOT_NAME.contains(&&c[1]) {
            break;
        }
        end += c.get(0).unwrap().end();
    }
    Some(text[..end].trim_end_matches(['-', '\'']))
}

/// "à PLOERMEL (56), le 29 novembre 2024", "à Angoulême en date du 16-06-2026": a place, then
/// the date.
fn place_then_date(rest: &str) -> Option<(&str, dates::Date)> {
    let lead = PLACE_LEAD.find(rest)?;
    let after = &rest[lead.end()..];
    let c = commune_at(after)?;
    let tail = skip_departement(&after[c.len()..]);
    let (_, date) = dates::date_at(tail)?;
    Some((c, date))
}

/// What follows a commune's name: its département in parentheses, a comma ("PLOERMEL (56), le").
fn skip_departement(rest: &str) -> &str {
    let rest = rest.trim_start_matches([',', ' ']);
    let rest = match rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
        Some((inside, after)) if inside.len() <= 40 => after,
        _ => rest,
    };
    rest.trim_start_matches([',', ' '])
}

/// A commune written in capitals, in its usual case: "SAINT-PIERRE-LÈS-NEMOURS" →
/// "Saint-Pierre-lès-Nemours", "LE MÉE-SUR-SEINE" → "Le Mée-sur-Seine".
fn commune_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_owned();
    }
    const PARTICLES: [&str; 13] = [
        "lès", "les", "sur", "sous", "en", "de", "du", "des", "la", "le", "aux", "et", "d",
    ];
    let mut out = String::new();
    let mut word = String::new();
    let mut first = true;
    let flush = |word: &mut String, out: &mut String, first: &mut bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        if !*first && PARTICLES.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
        *first = false;
        word.clear();
    };
    for c in name.chars() {
        if c == '-' || c == ' ' || c == '\'' {
            flush(&mut word, &mut out, &mut first);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out, &mut first);
    out
}

fn vote(items: &[String]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for i in items {
        *counts.entry(i.as_str()).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    items.iter().find(|i| counts[i.as_str()] == best).cloned()
}

/// Date, time and commune of the facts.
/// `b1`: the spans of the bulletins n° 1, whose "faits du" are earlier convictions'.
fn when_where(view: &View, b1: &[(usize, usize)]) -> WhenWhere {
    let text = &view.text;
    let mut dates_found = Vec::new();
    let mut communes = Vec::new();
    let mut evidence = Vec::new();
    let mut anchored_times = Vec::new();
    for m in FACTS_ANCHOR.find_iter(text) {
        // A B1 entry's "— faits commis le" is about a previous conviction.
        if text::before(text, m.start(), 6).contains('—')
            || b1.iter().any(|&(a, b)| m.start() >= a && m.start() < b)
        {
            continue;
        }
        let rest = &text[m.end()..];
        if let Some((end, date)) = dates::date_at(rest) {
            dates_found.push(date.iso());
            if evidence.is_empty() {
                evidence.push(view.evidence(m.end(), m.end() + end));
            }
            // "Faits du 01.05.26, 02 h 25 mn, à ...": the time written with the anchor.
            let after = rest[end..].trim_start_matches([',', ' ']);
            let after = after
                .strip_prefix("à ")
                .or_else(|| after.strip_prefix("vers "))
                .unwrap_or(after);
            if let Some((_, t)) = dates::time_at(after, 0) {
                anchored_times.push(t);
            }
            if let Some(c) = AT_COMMUNE.captures(&rest[end..]) {
                let name = c.name("c").unwrap();
                let full = commune_at(&rest[end + name.start()..]).unwrap_or(name.as_str());
                communes.push(commune_case(full));
            }
        } else if let Some((commune, date)) = place_then_date(rest) {
            // "des faits commis à Angoulême en date du 16-06-2026".
            communes.push(commune_case(commune));
            dates_found.push(date.iso());
        }
    }
    for m in FACTS_AT.find_iter(text) {
        if let Some(c) = commune_at(&text[m.end()..]) {
            communes.push(commune_case(c));
        }
    }
    for m in JUDGMENT_ANCHOR.find_iter(text) {
        let rest = &text[m.end()..];
        if let Some((commune, date)) = place_then_date(rest) {
            communes.push(commune_case(commune));
            dates_found.push(date.iso());
        } else if let Some((end, date)) = dates::date_at(rest) {
            // Date first, then the place.
            dates_found.push(date.iso());
            if let Some(lead) = PLACE_LEAD.find(&rest[end..])
                && let Some(c) = commune_at(&rest[end + lead.end()..])
            {
                communes.push(commune_case(c));
            }
        }
    }
    let date = vote(&dates_found);
    // Communes written with their hyphens win over those whose hyphen was lost at a line end.
    let commune = vote(&communes).map(|best| {
        let key = best.replace('-', "");
        communes
            .iter()
            .filter(|c| c.replace('-', "") == key)
            .max_by_key(|c| c.matches('-').count())
            .cloned()
            .unwrap_or(best)
    });
    // Times by trust: the synthèse's "I. LES FAITS Le <date>, à <time>", then "Ce jour, à
    // <time>" or "<date>, vers <time>", then any "<date> à <time>".
    let mut times: [Vec<String>; 3] = Default::default();
    times[0] = anchored_times;
    static CE_JOUR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"Ce jour,? (?:à|vers) ").unwrap());
    for m in CE_JOUR.find_iter(text) {
        if let Some((_, t)) = dates::time_at(&text[m.end()..], 0) {
            times[1].push(t);
        }
    }
    if let Some(date) = &date {
        for (start, end, d) in dates::dates(text) {
            if d.iso() != *date {
                continue;
            }
            let rest = text[end..].trim_start_matches([',', ' ']);
            let (rank, rest) = if let Some(r) = rest
                .strip_prefix("vers les ")
                .or_else(|| rest.strip_prefix("vers "))
            {
                (1, r)
            } else if let Some(r) = rest.strip_prefix("à ") {
                (2, r)
            } else if let Some(r) = rest
                .strip_prefix("aux environs de ")
                .or_else(|| rest.strip_prefix("aux alentours de "))
            {
                (1, r)
            } else {
                continue;
            };
            let facts_heading = text::before(text, start, 20).contains("LES FAITS");
            if let Some((t_end, t)) = dates::time_at(rest, 0) {
                // "à huit heures quarante ou environ": a time given as approximate is the
                // facts', not a PV's opening.
                let approximate = rest[t_end..]
                    .trim_start_matches([',', ' '])
                    .starts_with("ou environ");
                let rank = if approximate { rank.min(1) } else { rank };
                times[if facts_heading { 0 } else { rank }].push(t);
            }
        }
    }
    let time = times.iter().find_map(|t| vote(t));
    WhenWhere {
        date,
        time,
        commune,
        evidence,
    }
}

/// A plate in the SIV form, with or without its separators: "AB-123-CD", "AB 123 CD",
/// "AB123CD".
static PLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-HJ-NP-TV-Z]{2}) ?[-–—]? ?(\d{3}) ?[-–—]? ?([A-HJ-NP-TV-Z]{2})\b").unwrap()
});

/// Vehicle makes, as usually written.
const MAKES: &[&str] = &[
    "Alfa Romeo",
    "Aprilia",
    "Audi",
    "BMW",
    "Citroën",
    "Cupra",
    "Dacia",
    "DS",
    "Ducati",
    "Fiat",
    "Ford",
    "Harley-Davidson",
    "Honda",
    "Hyundai",
    "Iveco",
    "Jeep",
    "Kawasaki",
    "Kia",
    "KTM",
    "Land Rover",
    "Lexus",
    "Mazda",
    "Mercedes-Benz",
    "Mercedes",
    "MG",
    "Mini",
    "Mitsubishi",
    "Nissan",
    "Opel",
    "Peugeot",
    "Piaggio",
    "Porsche",
    "Renault",
    "Seat",
    "Skoda",
    "Smart",
    "Suzuki",
    "Tesla",
    "Toyota",
    "Triumph",
    "Volkswagen",
    "Volvo",
    "Yamaha",
    "Vespa",
    "Škoda",
];

/// Make and model after a make's name: "Renault Clio", "Citroën C4 Picasso", "Yamaha MT-07",
/// "Mercedes-Benz Classe A" (model words start with a capital or a figure).
static MAKE_MODEL: LazyLock<Regex> = LazyLock::new(|| {
    // Makes of up to three letters (MG, DS, KTM, BMW) only in capitals: "mg" is a unit.
    let makes = MAKES
        .iter()
        .map(|m| {
            if m.chars().count() <= 3 {
                regex::escape(m)
            } else {
                format!("(?i:{})", text::accents(&regex::escape(m)))
            }
        })
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(
        r"\b(?P<make>{makes})\s(?P<model>(?:[\p{{Lu}}\d]|\p{{Ll}}\d)[\p{{L}}\d'-]*(?:\s(?:[\p{{Lu}}\d][\p{{L}}\d'-]*))?)"
    ))
    .unwrap()
});

fn persons_title_case(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn vehicle(view: &View) -> Option<Vehicle> {
    let plates: Vec<String> = PLATE
        .captures_iter(&view.text)
        .map(|c| format!("{}-{}-{}", &c[1], &c[2], &c[3]))
        .collect();
    let mut models = Vec::new();
    for c in MAKE_MODEL.captures_iter(&view.text) {
        // "0,33 MG PAR LITRE" is a rate, not a car.
        let start = c.get(0).unwrap().start();
        if text::before(&view.text, start, 4)
            .trim_end()
            .ends_with(|ch: char| ch.is_ascii_digit())
        {
            continue;
        }
        // The model ends before a plate or a word that is not part of it.
        let mut words: Vec<&str> = c["model"].split(' ').collect();
        while words.len() > 1 {
            let last = words[words.len() - 1];
            if PLATE.is_match(last)
                || last.chars().all(|ch| ch.is_uppercase())
                    && last.len() > 3
                    && !last.chars().any(|ch| ch.is_ascii_digit())
            {
                words.pop();
            } else {
                break;
            }
        }
        // "CITROEN SAXO" as usually written: "Citroën Saxo".
        let make = MAKES
            .iter()
            .find(|m| text::fold_upper(m) == text::fold_upper(&c["make"]))
            .map_or(&c["make"], |m| m);
        let model: Vec<String> = words
            .iter()
            .map(|w| {
                let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
                if letters.len() > 3 && letters.iter().all(|c| c.is_uppercase()) {
                    persons_title_case(w)
                } else {
                    (*w).to_owned()
                }
            })
            .collect();
        models.push(format!("{make} {}", model.join(" ")));
    }
    let plate = vote(&plates);
    let description = vote(&models);
    (plate.is_some() || description.is_some()).then_some(Vehicle { plate, description })
}

/// An ITT in days, weeks or months: "ITT de 10 jours", "incapacité totale de travail fixée
/// à dix (10) jours", "15 jours d'ITT", "ITT : 3 semaines", "une ITT de quatre mois".
static ITT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&text::accents(&format!(
        r"(?i)(?:{itt})[^.—;:]{{0,80}}?(?::\s*)?\b(?P<n>\d+|{words}) (?:\([^)]{{1,30}}\) )?(?P<u>jours?|j\b|semaines?|mois)|\b(?P<n2>\d+|{words}) (?:\([^)]{{1,30}}\) )?(?P<u2>jours?|semaines?|mois) d'(?:{itt})",
        itt = text::loose(r"incapacité totale de travail|incapacité temporaire totale|incapacité de travail|\bI\.?T\.?T\.?\b"),
        words = numbers::WORDS
    )))
    .unwrap()
});

/// ITT in days: a week is 7 days, a month 30.
fn itt_days(n: u32, unit: &str) -> u32 {
    if unit.starts_with("semaine") {
        n * 7
    } else if unit.starts_with("mois") {
        n * 30
    } else {
        n
    }
}

fn injuries(
    view: &View,
    pieces: &[crate::facts::Piece],
    victims: &[&crate::facts::Person],
) -> Injuries {
    let mut itt: Option<(u32, usize, usize)> = None;
    // A B1's convictions for blessures are not these facts' injuries.
    let b1: Vec<(usize, usize)> = pieces
        .iter()
        .filter(|p| p.kind == PieceKind::CasierB1)
        .map(|p| alcohol::page_span(view, p))
        .collect();
    for c in ITT.captures_iter(&view.text) {
        let m = c.get(0).unwrap();
        if b1.iter().any(|&(a, b)| m.start() >= a && m.start() < b) {
            continue;
        }
        let unit = c.name("u").or(c.name("u2")).map_or("jours", |u| u.as_str());
        if let Some(n) = c
            .name("n")
            .or(c.name("n2"))
            .and_then(|n| numbers::integer(n.as_str()))
            .map(|n| itt_days(n, &unit.to_lowercase()))
            && itt.is_none_or(|(v, _, _)| n > v)
        {
            itt = Some((n, m.start(), m.end()));
        }
    }
    let certificates = pieces
        .iter()
        .filter(|p| {
            p.kind == PieceKind::CertificatMedical && text::fold_upper(&p.title).contains("DECES")
        })
        .count() as u32;
    // Victims said dead: "le décès de M. X", "Mme Y est décédée".
    let dead = victims
        .iter()
        .filter(|p| {
            view.text.match_indices(p.surname.as_str()).any(|(at, _)| {
                let before = text::before(&view.text, at, 60).to_lowercase();
                let after = text::after(&view.text, at + p.surname.len(), 30).to_lowercase();
                before.contains("décès de") || after.contains("décédé")
            })
        })
        .count() as u32;
    let homicide = view.text.contains("homicide") || view.text.contains("Homicide");
    let deaths = certificates.max(dead);
    let deaths = if deaths == 0 && homicide { 1 } else { deaths };
    let blessures = view.text.contains("blessures involontaires")
        || view.text.contains("blessures routières")
        || view.text.contains("Blessures");
    Injuries {
        present: deaths > 0 || itt.is_some() || blessures,
        deaths: Some(deaths),
        itt_days: itt.map(|i| i.0),
        evidence: itt
            .map(|(_, a, b)| view.evidence(a, b))
            .into_iter()
            .collect(),
    }
}

static SPEED: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        r"(?i)vitesse (?:mesurée|enregistrée|relevée|de)[^.]{0,30}?(\d{2,3}) ?km/h",
        r"(?i)vitesse retenue[^.]{0,30}?(\d{2,3}) ?km/h",
        r"(?i)(?:vitesse maximale autorisée|limitée à|vitesse limitée)[^.]{0,30}?(\d{2,3}) ?km/h",
    ]
    .map(|r| Regex::new(r).unwrap())
});

fn speed(view: &View) -> Option<Speed> {
    let mut evidence = Vec::new();
    let mut get = |re: &Regex| {
        let c = re.captures(&view.text)?;
        let g = c.get(1).unwrap();
        evidence.push(view.evidence(g.start(), g.end()));
        g.as_str().parse::<f64>().ok()
    };
    let measured = get(&SPEED[0]);
    let retained = get(&SPEED[1]);
    let limit = get(&SPEED[2]);
    (measured.is_some() || retained.is_some()).then_some(Speed {
        measured,
        retained,
        limit,
        evidence,
    })
}

/// A date and a time in either order: "le 20/11/2026 à 23h40", "20/11/2026, 23 h 40", "à 23h40
/// le 20/11/2026". The date-time as `YYYY-MM-DDTHH:MM`.
fn date_time_at(rest: &str) -> Option<String> {
    if let Some((end, date)) = dates::date_at(rest) {
        let after = rest[end..].trim_start_matches([',', ' ']);
        // "le 9 mars 2026, à compter de 7 h 20", "le 9 mars 2026 depuis 7 h 20".
        let after = [
            "à compter de ",
            "à partir de ",
            "depuis ",
            "dès ",
            "à ",
            "vers ",
        ]
        .iter()
        .find_map(|p| after.strip_prefix(p))
        .unwrap_or(after);
        let (_, t) = dates::time_at(after, 0)?;
        return Some(format!("{}T{t}", date.iso()));
    }
    let lead = rest.trim_start_matches([',', ' ', ':']);
    let lead = lead.strip_prefix("à ").unwrap_or(lead);
    let (end, t) = dates::time_at(lead, 0)?;
    let after = lead[end..].trim_start_matches([',', ' ']);
    let (_, date) = dates::date_at(after)?;
    Some(format!("{}T{t}", date.iso()))
}

/// Where the sentence that `text` starts ends: the first ". " that is not an abbreviation's
/// ("M. Kévin MAILLARD", "Me", "Dr").
fn sentence_end(text: &str) -> usize {
    let mut from = 0;
    while let Some(i) = text[from..].find(". ").map(|i| from + i) {
        let word = text[..i].rsplit([' ', '(']).next().unwrap_or("");
        if !matches!(word, "M" | "Mme" | "Me" | "Dr" | "St" | "Ste" | "n°" | "N°") {
            return i;
        }
        from = i + 2;
    }
    text.len()
}

/// The first date and time that start a word within `within` bytes after `from`, in the same
/// sentence.
fn date_time_near(text: &str, from: usize, within: usize) -> Option<String> {
    let window = text::after(text, from, within);
    let sentence = &window[..sentence_end(window)];
    sentence
        .char_indices()
        .filter(|&(i, _)| i == 0 || sentence.as_bytes()[i - 1] == b' ')
        .find_map(|(i, _)| date_time_at(&text[from + i..]))
}

fn custody(view: &View, pieces: &[crate::facts::Piece]) -> Option<Custody> {
    static START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&text::accents(
            r"(?i)(?:placée? en garde à vue|gardée? à vue depuis|garde à vue,? (?:a )?(?:débutée?|commencée?|court|prend effet)|début de (?:la )?(?:mesure(?: de garde à vue)?|garde à vue)\s*:|placement en garde à vue (?:a pris effet|prend effet|effectif))\s*:?\s*(?:depuis|à compter du|à compter de|le|au|:)?\s*",
        ))
        .unwrap()
    });
    static END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&text::accents(
            r"(?i)(?:mettons fin,?|il est mis fin,?|levons,?|(?:fin|levée|terme) de (?:la )?(?:mesure(?: de garde à vue)?|garde à vue)\s*:|garde à vue,? (?:a )?pris fin|a pris fin|prend fin|(?:est )?mis un terme|fin de cette mesure|garde à vue (?:est|a été) levée)",
        ))
        .unwrap()
    });
    let span_of = |kind: PieceKind| -> Vec<(usize, usize)> {
        pieces
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| alcohol::page_span(view, p))
            .collect()
    };
    let notification = span_of(PieceKind::PvNotificationGav);
    let end_piece = span_of(PieceKind::PvFinGav);
    if notification.is_empty() && end_piece.is_empty() {
        return None;
    }
    // Read first in the piece that states it, then anywhere.
    let at = |re: &Regex, preferred: &[(usize, usize)]| {
        let found = |m: regex::Match| date_time_near(&view.text, m.end(), 90);
        preferred
            .iter()
            .flat_map(|&(a, b)| {
                re.find_iter(&view.text[..b])
                    .filter(move |m| m.start() >= a)
            })
            .find_map(found)
            .or_else(|| re.find_iter(&view.text).find_map(found))
    };
    static EXTENDED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&text::accents(
            r"(?i)(?:autorisons|autorise|accorde|accordons) la prolongation|prolongation de (?:la )?(?:mesure de )?garde à vue (?:est|a été) (?:autorisée|accordée)|garde à vue (?:est|a été) prolongée",
        ))
        .unwrap()
    });
    let start = at(&START, &notification);
    // No wording known: the first date and time of the PV de fin that comes after the start
    // (its opening formula states when the measure ended).
    let end = at(&END, &end_piece).or_else(|| {
        let &(a, b) = end_piece.first()?;
        let body = &view.text[a..b];
        body.char_indices()
            .filter(|&(i, _)| i == 0 || body.as_bytes()[i - 1] == b' ')
            .take(400)
            .find_map(|(i, _)| {
                let t = date_time_at(&body[i..])?;
                start.as_ref().is_none_or(|s| t > *s).then_some(t)
            })
    });
    Some(Custody {
        start,
        end,
        extended: EXTENDED.is_match(&view.text),
    })
}

fn status_word(s: &str) -> Option<LicenceStatus> {
    if s.contains("invalid") || s.contains("solde nul") || s.contains("48 si") {
        Some(LicenceStatus::Invalide)
    } else if s.contains("annul") {
        Some(LicenceStatus::Annule)
    } else if s.contains("suspen") {
        Some(LicenceStatus::Suspendu)
    } else if s.contains("valid") {
        Some(LicenceStatus::Valide)
    } else {
        None
    }
}

fn licence(view: &View, pieces: &[crate::facts::Piece], found: &[offences::Found]) -> Licence {
    let mut status = LicenceStatus::Inconnu;
    let mut evidence = Vec::new();
    for f in found {
        let after = text::after(&view.text, f.start, 160).to_lowercase();
        let s = match f.family {
            "defaut_permis" => Some(LicenceStatus::JamaisObtenu),
            "conduite_malgre_suspension" => Some(
                if after.contains("annulation") || after.contains("annulé") {
                    LicenceStatus::Annule
                } else if after.contains("invalid") || after.contains("solde") {
                    LicenceStatus::Invalide
                } else {
                    LicenceStatus::Suspendu
                },
            ),
            _ => None,
        };
        if let Some(s) = s {
            evidence.push(view.evidence(f.start, f.end));
            return Licence {
                status: s,
                evidence,
            };
        }
    }
    static STATUS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:statut|situation du permis|droit à conduire|le permis de conduire est|état du permis|validité)\s*:?\s*(?P<s>[^.]{0,60})").unwrap()
    });
    static NEGATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)aucune mesure de [^.]{0,80}|éventuelle mesure de suspension|n'est pas (?:suspendu|annulé|invalidé)").unwrap()
    });
    let spans: Vec<(usize, usize)> = pieces
        .iter()
        .filter(|p| p.kind == PieceKind::RelevePermis)
        .map(|p| alcohol::page_span(view, p))
        .collect();
    if let Some(&(a, b)) = spans.first() {
        let span = &view.text[a..b];
        if let Some(c) = STATUS.captures(span) {
            let s = c["s"]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_lowercase();
            let m = c.get(0).unwrap();
            status = status_word(&s).unwrap_or(LicenceStatus::Valide);
            let end = m.start() + m.as_str().find(&c["s"]).unwrap_or(0) + s.len();
            evidence.push(view.evidence(a + m.start(), a + end.max(m.start() + 1)));
        } else {
            let cleaned = NEGATED.replace_all(span, "").to_lowercase();
            if cleaned.contains("aucun permis") || cleaned.contains("jamais") {
                status = LicenceStatus::JamaisObtenu;
            } else {
                status = status_word(&cleaned).unwrap_or(LicenceStatus::Valide);
            }
            evidence.push(view.evidence(a, (a + 40).min(b)));
        }
    }
    // No relevé: the holder's own words ("j'ai le permis B depuis 2016").
    static HOLDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&text::loose(
            r"(?i)permis de conduire en cours de validité|permis est valide|j'ai (?:le|mon) permis|je suis titulaire du permis|titulaire d'un permis de conduire (?:valide|en cours)|Oui, (?:depuis|j'ai)",
        ))
        .unwrap()
    });
    if status == LicenceStatus::Inconnu
        && let Some(m) = HOLDS.find(&view.text)
    {
        status = LicenceStatus::Valide;
        evidence.push(view.evidence(m.start(), m.end()));
    }
    // An audition's question on the licence answered "Oui" (and nothing said against it).
    static ASKED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&text::loose(
            r"(?i)(?:titulaire d'un permis|titulaire du permis|avez-vous (?:le|un) permis|possédez-vous (?:le|un) permis)[^?]{0,60}\?\s*(?:R\s*[:/.]|R[ée]ponse\s*:|—\s*R[ée]ponse\s*:)?\s*(?P<a>[^.?]{0,80})",
        ))
        .unwrap()
    });
    if status == LicenceStatus::Inconnu {
        for c in ASKED.captures_iter(&view.text) {
            let a = c.name("a").unwrap();
            let answer = a.as_str().to_lowercase();
            if answer.starts_with("oui")
                && status_word(&answer).is_none_or(|s| s == LicenceStatus::Valide)
            {
                status = LicenceStatus::Valide;
                evidence.push(view.evidence(a.start(), a.end()));
                break;
            }
        }
    }
    Licence { status, evidence }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_commune(input: &str, expect: &str) {
        let got = commune_at(input).map(commune_case).unwrap_or_default();
        assert_eq!(got, expect, "{input}");
    }

    #[test]
    fn communes() {
        check_commune("Provins, les infractions", "Provins");
        check_commune("PROVINS. Nous", "Provins");
        check_commune("Boulazac Isle Manoire alors qu'il", "Boulazac Isle Manoire");
        check_commune("Le Mée-sur-Seine (77)", "Le Mée-sur-Seine");
        check_commune("SAINT-PIERRE-LÈS-NEMOURS (77)", "Saint-Pierre-lès-Nemours");
        check_commune("Melun Mme Anne DUPONT", "Melun");
        check_commune("L'Haÿ-les-Roses, le", "L'Haÿ-les-Roses");
    }

    fn check_date_time(input: &str, expect: &str) {
        assert_eq!(date_time_at(input).unwrap_or_default(), expect, "{input}");
    }

    #[test]
    fn date_and_time_in_either_order() {
        check_date_time("le 20/11/2026 à 23h40", "2026-11-20T23:40");
        check_date_time("à 23h40 le 20/11/2026", "2026-11-20T23:40");
        check_date_time(
            "le 3 avril 2026, à compter de 6 h 10, heure de son interpellation",
            "2026-04-03T06:10",
        );
        check_date_time(
            "le MARDI 3 MARS 2026, à compter de sept heures et quart",
            "2026-03-03T07:15",
        );
        check_date_time("le 03.04.2026 depuis 22 h 05", "2026-04-03T22:05");
    }
}
