//! Previous convictions (bulletin n° 1) and légal récidive: stated in the text, or established
//! by a B1 conviction for the same or an assimilated délit less than five years before the facts.

use std::sync::LazyLock;

use regex::Regex;

use super::alcohol::page_span;
use super::dates;
use super::offences;
use super::text::View;
use crate::facts::{Antecedent, Piece, PieceKind};

static DECISION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)Date de la décision\s*:\s*").unwrap());
static OFFENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)Infraction\(s\)\s*:\s*(?P<l>.+?)(?: \(Natinf \d+\))?\s*(?:—|-) faits commis")
        .unwrap()
});
static CITED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:a déjà été|avoir été(?: définitivement)?) condamnée? (?:le )?").unwrap()
});
static CITED_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^.{0,120}? pour (?P<l>[^,.;]+)").unwrap());
static STATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)en état de récidive légale").unwrap());

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
        let decisions: Vec<usize> = DECISION.find_iter(span).map(|m| m.end()).collect();
        for (i, &start) in decisions.iter().enumerate() {
            let end = decisions.get(i + 1).copied().unwrap_or(span.len());
            let entry = &span[start..end];
            let date = dates::date_at(entry).map(|d| d.1.iso());
            let Some(c) = OFFENCE.captures(entry) else {
                continue;
            };
            let l = c.name("l").unwrap();
            let label = l.as_str().trim().to_owned();
            out.push(Antecedent {
                date,
                family: Some(family(&label)),
                label,
                evidence: vec![view.evidence(a + start + l.start(), a + start + l.end())],
            });
        }
    }
    if out.is_empty() {
        // No B1: the conviction a récidive clause or the motifs cite.
        for m in CITED.find_iter(&view.text) {
            let rest = &view.text[m.end()..];
            let Some((end, date)) = dates::date_at(rest) else {
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
    let to_days = |iso: &str| -> Option<i64> {
        let mut it = iso.split('-').map(|x| x.parse::<i64>().ok());
        let (y, m, d) = (it.next()??, it.next()??, it.next()??);
        Some(
            dates::Date {
                year: y as i32,
                month: m as u32,
                day: d as u32,
            }
            .days(),
        )
    };
    if let Some(facts_day) = facts_date.and_then(to_days) {
        for a in antecedents {
            let (Some(date), Some(family)) = (&a.date, &a.family) else {
                continue;
            };
            let Some(day) = to_days(date) else { continue };
            if day > facts_day || facts_day - day > 5 * 365 {
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
    let b1 = pieces.iter().any(|p| p.kind == PieceKind::CasierB1)
        || !antecedents.is_empty()
        || view.text.contains("bulletin n° 1")
        || view.text.contains("casier judiciaire");
    (b1.then_some(false), terms)
}
