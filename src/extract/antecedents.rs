//! Previous convictions (bulletin n° 1) and légal récidive: stated in the text, or established
//! by a B1 conviction for the same or an assimilated délit less than five years before the facts.

use std::sync::LazyLock;

use regex::Regex;

use super::alcohol::page_span;
use super::dates;
use super::offences;
use super::text::View;
use crate::facts::{Antecedent, Piece, PieceKind};

/// Where the entries of a B1 start: "Condamnation n° 1", "Date de la décision :", or a
/// printout's numbering "1) 12/03/2021 — JUGEMENT ...".
/// Also "1°) Jugement ...", "DÉCISION N° 2", and a line opening on the decision's date and
/// its court ("18.09.2019 TRIBUNAL CORRECTIONNEL DE ...").
static ENTRY_MARKERS: LazyLock<[Regex; 7]> = LazyLock::new(|| {
    [
        r"(?i)condamnation n[°o]\s*\d+",
        r"(?i)date de la d[ée]cision\s*:",
        r"(?:^|\s)\d{1,2}[.)]\s+(?i:le\s+)?(?:\d{1,2}(?:er)?[\s/.-]|1er\b|premier\b)",
        r"(?i)fiche n[°o]\s*\d+",
        r"(?:^|\s)\d{1,2}\s?°\s?[)\-.]?\s+\p{L}",
        r"(?i)\bd[ée]cision n[°o]\s*\d+",
        r"(?:^|\s)\d{1,2}[./-]\d{1,2}[./-]\d{4}\s+(?:TRIBUNAL|COUR|JUGEMENT|ORDONNANCE|ARR[ÊE]T)\b",
    ]
    .map(|r| Regex::new(r).unwrap())
});
static DECISION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)date de la d[ée]cision\s*:\s*").unwrap());
/// The offence of an entry, up to its NATINF, its date of facts or its penalty.
static OFFENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&super::text::accents(
        r"(?i)(?:infractions?(?:\(s\))?|nature de l'infraction|qualification)\s*:\s*(?P<l>.+?)\s*(?:\(natinf[^)]*\)|(?:—|-)\s*(?:code\s+)?natinf|(?:—|-|,)\s*faits|(?:(?:—|-)\s*)?date des faits|\bfaits (?:commis|du)\b|(?:—|-)\s*commise? le\b|peines?(?:\(s\))?(?: prononcée(?:\(s\))?)?\s*:|;|$)",
    ))
    .unwrap()
});
static CITED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&super::text::accents(
        r"(?i)(?:a déjà été|(?:ayant|avoir|a) été(?: définitivement)?) condamnée? (?:le )?|condamnation(?: définitive)? (?:prononcée|rendue) (?:le )?",
    ))
    .unwrap()
});
static CITED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:.{0,120}? pour|\s*(?:—|:)) (?P<l>[^.;]+?)(?:,\s(?:à|a été|peine|et|qui|ce)\b|\.\s|[;.]|$)")
        .unwrap()
});
static STATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&super::text::accents(
        r"(?i)en état de récidive(?: légale)?|en récidive légale|récidive légale (?:est )?(?:constituée|caractérisée|établie)|se trouve en récidive",
    ))
    .unwrap()
});

/// "CONDUITE D'UN VÉHICULE ..." as a sentence: "Conduite d'un véhicule ...".
fn sentence_case(label: &str) -> String {
    if label.chars().any(char::is_lowercase) {
        return label.to_owned();
    }
    let lower = label.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The entries of a B1's text, as byte ranges: wherever one of the markers starts one (a B1
/// may mix layouts), markers close together ("Condamnation n° 1 — Date de la décision :")
/// opening the same entry.
fn entries(span: &str) -> Vec<(usize, usize)> {
    let mut starts: Vec<usize> = ENTRY_MARKERS
        .iter()
        .flat_map(|m| m.find_iter(span).map(|m| m.start()))
        .collect();
    starts.sort_unstable();
    let mut kept: Vec<usize> = Vec::new();
    for s in starts {
        if kept.last().is_none_or(|&k| s >= k + 100) {
            kept.push(s);
        }
    }
    kept.iter()
        .enumerate()
        .map(|(i, &s)| (s, kept.get(i + 1).copied().unwrap_or(span.len())))
        .collect()
}

/// "1. Le 10 mars 2017, tribunal correctionnel de Bergerac (jugement par défaut) : Conduite
/// d'un véhicule sous l'empire d'un état alcoolique — date des faits : ...": the clause around
/// the first offence named before the penalty, as (label, start, end) in the entry.
fn labelled_clause(entry: &str) -> Option<(String, usize, usize)> {
    static PENALTY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&super::text::accents(r"(?i)\bpeines?\b")).unwrap());
    let head = &entry[..PENALTY.find(entry).map_or(entry.len(), |m| m.start())];
    let found = offences::families(head).into_iter().next()?;
    let start = head[..found.start].rfind([':', '—']).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = head[found.end..]
        .find(['—', ';'])
        .map_or(head.len(), |i| found.end + i);
    let raw = &head[start..end];
    let label = raw.trim();
    let l_start = start + (raw.len() - raw.trim_start().len());
    (label.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .then(|| (label.to_owned(), l_start, l_start + label.len()))
}

/// The decision date of an entry: after "Date de la décision :", else its first date that is
/// not the date of the facts or a birth.
fn decision_date(entry: &str) -> Option<String> {
    if let Some(m) = DECISION.find(entry) {
        return dates::date_at(&entry[m.end()..]).map(|d| d.1.iso());
    }
    dates::dates(entry).into_iter().find_map(|(start, _, d)| {
        let before = super::text::fold_upper(super::text::before(entry, start, 25));
        (!before.contains("FAITS") && !before.contains("COMMIS") && !before.contains("NE LE"))
            .then(|| d.iso())
    })
}

/// The family of an offence as a B1 writes it.
fn family(label: &str) -> String {
    let found = offences::families(label);
    let Some(first) = found.first() else {
        return "other".to_owned();
    };
    let lower = label.to_lowercase();
    let driving = lower.contains("condui") || lower.contains("refus");
    if matches!(first.family, "alcool" | "stupefiants") && !driving {
        return "other".to_owned();
    }
    if first.family == "alcool" {
        return if lower.contains("contravention") || lower.contains("contraventionnel") {
            "alcool_contravention".to_owned()
        } else {
            "alcool_delit".to_owned()
        };
    }
    first.family.to_owned()
}

pub fn antecedents(view: &View, pieces: &[Piece]) -> Vec<Antecedent> {
    let mut out = Vec::new();
    for piece in pieces.iter().filter(|p| p.kind == PieceKind::CasierB1) {
        let (a, b) = page_span(view, piece);
        let span = &view.text[a..b];
        for (start, end) in entries(span) {
            let entry = &span[start..end];
            let date = decision_date(entry);
            let (label, l_start, l_end) = match OFFENCE.captures(entry) {
                Some(c) => {
                    let l = c.name("l").unwrap();
                    (l.as_str().trim().to_owned(), l.start(), l.end())
                }
                // A printout without labels: the clause of the entry (before its penalty)
                // that names an offence, else what follows its last date.
                None => match labelled_clause(entry) {
                    Some(found) => found,
                    None => {
                        let after = dates::dates(entry).last().map_or(0, |d| d.1);
                        let rest = &entry[after..];
                        let trimmed = rest.trim_start_matches([' ', ':', '—', '-', ',']);
                        let l_start = after + (rest.len() - trimmed.len());
                        let label = trimmed.trim_end();
                        if label.chars().filter(|c| c.is_alphabetic()).count() < 3 {
                            continue;
                        }
                        (label.to_owned(), l_start, l_start + label.len())
                    }
                },
            };
            out.push(Antecedent {
                date,
                family: Some(family(&label)),
                label: sentence_case(&label),
                evidence: vec![view.evidence(a + start + l_start, a + start + l_end)],
            });
        }
    }
    if out.is_empty() {
        // No B1: the conviction a récidive clause or the motifs cite.
        for m in CITED.find_iter(&view.text) {
            let rest = &view.text[m.end()..];
            // The decision's date right after ("condamné le 5 mai 2021"), or after the court
            // ("condamnation prononcée par le tribunal correctionnel de Vannes le 5 mai 2021").
            let found = dates::date_at(rest).or_else(|| {
                let window = super::text::after(rest, 0, 120);
                let sentence = window.find(". ").map_or(window, |e| &window[..e]);
                dates::dates(sentence).first().map(|&(_, end, d)| (end, d))
            });
            let Some((end, date)) = found else {
                continue;
            };
            let Some(c) = CITED_LABEL.captures(&rest[end..]) else {
                continue;
            };
            let l = c.name("l").unwrap();
            let start = m.end() + end + l.start();
            let label = l.as_str().trim().to_owned();
            let mut chars = label.chars();
            let label: String = match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => String::new(),
            };
            // The same conviction cited twice (the récidive clause and the motifs).
            if out.iter().any(|a: &Antecedent| {
                a.date.as_deref() == Some(&date.iso())
                    && a.family.as_deref() == Some(&family(&label))
            }) {
                continue;
            }
            out.push(Antecedent {
                date: Some(date.iso()),
                family: Some(family(&label)),
                label,
                evidence: vec![view.evidence(start, start + l.len())],
            });
        }
    }
    out
}

const GROUP: [&str; 5] = [
    "alcool_delit",
    "ivresse_manifeste",
    "refus_verification_alcool",
    "stupefiants",
    "refus_verification_stupefiants",
];

/// Récidive, and the present families that are one of its terms through the B1.
pub fn recidive(
    view: &View,
    pieces: &[Piece],
    antecedents: &[Antecedent],
    facts_date: Option<&str>,
    present: &[&'static str],
) -> (Option<bool>, Vec<&'static str>) {
    let mut terms = Vec::new();
    let parse = |iso: &str| -> Option<dates::Date> {
        let mut it = iso.split('-').map(|x| x.parse::<u32>().ok());
        let (y, m, d) = (it.next()??, it.next()??, it.next()??);
        Some(dates::Date {
            year: y as i32,
            month: m,
            day: d,
        })
    };
    if let Some(facts_day) = facts_date.and_then(parse) {
        for a in antecedents {
            let (Some(date), Some(family)) = (&a.date, &a.family) else {
                continue;
            };
            let Some(day) = parse(date) else { continue };
            // Less than five years between the decision and the facts (calendar years).
            let five_years_on = dates::Date {
                year: day.year + 5,
                ..day
            };
            if day > facts_day || five_years_on <= facts_day {
                continue;
            }
            for &p in present {
                let same = p == family;
                let assimilated = GROUP.contains(&p) && GROUP.contains(&family.as_str());
                let contravention = matches!(p, "alcool_contravention" | "exces_vitesse");
                if (same || assimilated) && !contravention && family != "alcool_contravention" {
                    terms.push(p);
                }
            }
        }
    }
    if STATED.is_match(&view.text) || !terms.is_empty() {
        return (Some(true), terms);
    }
    // What the file says of the person's record, whatever its case and accents.
    static RECORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&super::text::accents(
            r"(?i)bulletin n° ?1|casier judiciaire|jamais été condamnée?|aucune condamnation|aucun antécédent|sans antécédent|casier (?:est )?vierge",
        ))
        .unwrap()
    });
    let b1 = pieces.iter().any(|p| p.kind == PieceKind::CasierB1)
        || !antecedents.is_empty()
        || RECORD.is_match(&view.text);
    (b1.then_some(false), terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::Document;

    /// The antecedents read from a B1 page: (decision date, family).
    fn check(b1: &str, expect: &[(&str, &str)]) {
        let doc = Document::from_texts([b1.to_owned()]);
        let view = View::new(&doc);
        let pieces = vec![Piece {
            index: 1,
            cote: None,
            kind: PieceKind::CasierB1,
            title: "BULLETIN N° 1".into(),
            number: None,
            date: None,
            first_page: 1,
            last_page: 1,
        }];
        let got: Vec<(String, String)> = antecedents(&view, &pieces)
            .into_iter()
            .map(|a| (a.date.unwrap_or_default(), a.family.unwrap_or_default()))
            .collect();
        let expect: Vec<(String, String)> = expect
            .iter()
            .map(|(d, f)| (d.to_string(), f.to_string()))
            .collect();
        assert_eq!(got, expect, "{b1}");
    }

    #[test]
    fn b1_entries_in_every_layout() {
        check(
            "BULLETIN N° 1\nCondamnation n° 1\nDate de la décision : 09.05.2019\nInfraction(s) : Conduite d'un véhicule en ayant fait usage de substances classées comme stupéfiants — faits commis le 13/12/2018\nPeine(s) : 500 euros",
            &[("2019-05-09", "stupefiants")],
        );
        check(
            "CONDAMNATION N° 1\nDATE DE LA DÉCISION : 12 OCTOBRE 2019\nINFRACTION(S) : CONDUITE D'UN VÉHICULE SOUS L'EMPIRE D'UN ÉTAT ALCOOLIQUE\n(NATINF 1247) — FAITS COMMIS LE 09/07/2019",
            &[("2019-10-12", "alcool_delit")],
        );
        // A printout in capitals without accents, the date of the facts beside the decision's.
        check(
            "RELEVE DES CONDAMNATIONS\n1) 12/03/2021 — JUGEMENT CONTRADICTOIRE — TRIBUNAL CORRECTIONNEL DE MEAUX\nFAITS DU 02/01/2021 : CONDUITE D'UN VEHICULE SOUS L'EMPIRE D'UN ETAT ALCOOLIQUE\n2) 05/06/2017 — JUGEMENT — TRIBUNAL CORRECTIONNEL DE MELUN\nFAITS DU 01/02/2017 : VOL SIMPLE",
            &[("2021-03-12", "alcool_delit"), ("2017-06-05", "other")],
        );
        check("BULLETIN N° 1\nNÉANT.", &[]);
        check(
            "Le bulletin n° 1 comporte 2 condamnations :\n1. Le 12 septembre 2015, tribunal correctionnel de Béziers (jugement par défaut) : Dégradation du bien d'autrui — date des faits : 12/03/2015 — peine : 6 mois\n2. Le 19 mars 2024, tribunal correctionnel de Béziers (jugement contradictoire) : Conduite d'un véhicule sous l'empire d'un état alcoolique — date des faits : 08/09/2023 — peine : annulation du permis de conduire",
            &[("2015-09-12", "other"), ("2024-03-19", "alcool_delit")],
        );
        check(
            "FICHE N° 1\nDÉCISION DU 25/08/2020 — TRIBUNAL CORRECTIONNEL DE VALENCE\nQUALIFICATION : MENACE DE MORT RÉITÉRÉE\nDATE DES FAITS : 15/04/2020\nFICHE N° 2\nDÉCISION DU 11/02/2023 — TRIBUNAL CORRECTIONNEL DE VALENCE\nQUALIFICATION : REFUS, PAR LE CONDUCTEUR D'UN VÉHICULE, DE SE SOUMETTRE AUX VÉRIFICATIONS TENDANT À ÉTABLIR L'ÉTAT ALCOOLIQUE — CODE NATINF 51\nDATE DES FAITS : 09/11/2022",
            &[
                ("2020-08-25", "other"),
                ("2023-02-11", "refus_verification_alcool"),
            ],
        );
        // Entries numbered "1°)", the decision's date and the offence in one sentence.
        check(
            "Il existe 2 condamnation(s) :\n1°) Arrêt contradictoire de la cour d'appel de Rennes en date du 3 février 2020, pour Vol aggravé (faits du 12/06/2019) : 8 mois d'emprisonnement.\n2°) Jugement par défaut du tribunal correctionnel de Vannes en date du 9 octobre 2023, pour Conduite d'un véhicule sous l'empire d'un état alcoolique (faits du 01/07/2023) : 400 euros d'amende.",
            &[("2020-02-03", "other"), ("2023-10-09", "alcool_delit")],
        );
        // A line per decision opening on its date and court, the facts on the next line.
        check(
            "Nombre de condamnations inscrites : 2\n02.11.2018 TRIBUNAL CORRECTIONNEL DE RENNES ORDONNANCE PÉNALE\nFaits du 03.05.2018 : Escroquerie\nPeine(s) : 300 euros d'amende\n21.06.2022 TRIBUNAL CORRECTIONNEL DE RENNES JUGEMENT\nCONTRADICTOIRE\nFaits du 30.01.2022 : Conduite d'un véhicule en ayant fait usage de substances ou plantes classées comme stupéfiants\nPeine(s) : 6 mois d'emprisonnement avec sursis",
            &[("2018-11-02", "other"), ("2022-06-21", "stupefiants")],
        );
        // "DÉCISION N° 1" blocks, the court and the date on one line.
        check(
            "Relevé intégral : 2 fiche(s)\nDÉCISION N° 1\nTribunal correctionnel de Rennes — 14/05/2017\nJugement contradictoire\nInfraction : Usage illicite de stupéfiants — commise le 02/01/2017\nPeine : 200 euros d'amende\nDÉCISION N° 2\nTRIBUNAL CORRECTIONNEL DE RENNES — 08/03/2024\nORDONNANCE PÉNALE\nInfraction : CONDUITE D'UN VÉHICULE SANS PERMIS —\ncommise le 11/11/2023\nPeine : 800 euros d'amende",
            &[("2017-05-14", "other"), ("2024-03-08", "defaut_permis")],
        );
        // Two layouts in one bulletin.
        check(
            "CONDAMNATION N° 1\nDATE DE LA DÉCISION : 7 NOVEMBRE 2019\nJURIDICTION : TRIBUNAL CORRECTIONNEL DE BÉZIERS\nINFRACTION(S) : MENACE DE MORT RÉITÉRÉE — FAITS COMMIS LE 17/09/2019\nPEINE(S) : 4 MOIS D'EMPRISONNEMENT\n2) 04/11/2024 — Jugement contradictoire — Tribunal correctionnel de Béziers\nNature de l'infraction : Circulation avec un véhicule terrestre à moteur sans assurance — faits du 03/09/2024\nPeine prononcée : 800 euros d'amende",
            &[("2019-11-07", "other"), ("2024-11-04", "defaut_assurance")],
        );
    }

    #[test]
    fn convictions_cited_without_a_bulletin() {
        let cited = |text: &str| -> Vec<(String, String)> {
            let doc = Document::from_texts([text.to_owned()]);
            let view = View::new(&doc);
            antecedents(&view, &[])
                .into_iter()
                .map(|a| (a.date.unwrap_or_default(), a.family.unwrap_or_default()))
                .collect()
        };
        assert_eq!(
            cited(
                "RÉCIDIVE : condamnation prononcée par le tribunal correctionnel de Laval en date du 2 JUIN 2022 — conduite d'un véhicule sous l'empire d'un état alcoolique. Ce magistrat"
            ),
            vec![("2022-06-02".to_owned(), "alcool_delit".to_owned())]
        );
        assert_eq!(
            cited("M. X a déjà été condamné le 4 mai 2021 pour délit de fuite."),
            vec![("2021-05-04".to_owned(), "delit_fuite".to_owned())]
        );
    }

    fn antecedent(date: &str, family: &str) -> Antecedent {
        Antecedent {
            date: Some(date.into()),
            label: String::new(),
            family: Some(family.into()),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn recidive_within_five_calendar_years() {
        let doc = Document::from_texts(["texte".to_owned()]);
        let view = View::new(&doc);
        let check =
            |decision: &str, family: &str, facts: &str, present: &'static str, expect: bool| {
                let (r, terms) = recidive(
                    &view,
                    &[],
                    &[antecedent(decision, family)],
                    Some(facts),
                    &[present],
                );
                assert_eq!(
                    (r, !terms.is_empty()),
                    (Some(expect), expect),
                    "{decision} {family} → {facts} {present}"
                );
            };
        check(
            "2021-11-20",
            "alcool_delit",
            "2026-11-19",
            "alcool_delit",
            true,
        );
        check(
            "2021-11-20",
            "alcool_delit",
            "2026-11-20",
            "alcool_delit",
            false,
        );
        check(
            "2021-11-20",
            "stupefiants",
            "2026-01-01",
            "alcool_delit",
            true,
        );
        check(
            "2021-11-20",
            "refus_verification_alcool",
            "2026-01-01",
            "stupefiants",
            true,
        );
        check("2024-01-01", "other", "2026-01-01", "alcool_delit", false);
        check(
            "2024-01-01",
            "alcool_contravention",
            "2026-01-01",
            "alcool_delit",
            false,
        );
        check(
            "2024-01-01",
            "defaut_assurance",
            "2026-01-01",
            "defaut_assurance",
            true,
        );
    }
}
