//! Alcohol rates: every measure, the retained one (the most favourable) and the value after
//! the éthylomètre's legal margin of error.

use std::sync::LazyLock;

use regex::Regex;

use super::natinf;
use super::numbers::{self, WORDS};
use super::text::{View, after, before, loose};
use crate::facts::{Alcohol, AlcoholMethod, AlcoholUnit, Piece, PieceKind};

/// A rate with its unit: "0,62 mg/l", "0.62 MG/L", "0,620 mg/L", "0,62 milligramme par litre
/// d'air expiré", "0,62 mg d'alcool par litre", "1,24 g/l de sang", "un gramme vingt-quatre
/// d'alcool par litre de sang".
static RATE: LazyLock<Regex> = LazyLock::new(|| {
    let mg =
        loose(r"(?P<mg>mg|milligrammes?)(?:\s?/\s?l(?:itre)?\b| d'alcool par litre| par litre)");
    let g = loose(
        r"(?P<g>g|gr|grammes?)(?:\s?/\s?l(?:itre)?\b| d'(?:alcool(?: pur)?|éthanol) par litre| par litre)",
    );
    Regex::new(&format!(
        r"(?i)(?P<v>\d+[,.]\d+|{WORDS} virgule {WORDS}|{WORDS})\s?(?:{mg}|{g})|(?P<gi>{WORDS}) grammes? (?P<gd>{WORDS}) d'(?:alcool|éthanol) par litre|(?P<mi>{WORDS}) milligrammes? (?P<md>{WORDS}) (?:d'alcool )?par litre|(?P<ci>{WORDS}|\d{{1,3}}) centièmes? de (?P<cu>milli)?grammes? (?:d'(?:alcool|éthanol) )?par litre"
    ))
    .unwrap()
});

pub struct Rate {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub unit: AlcoholUnit,
}

/// A bare figure just before a rate that shares its unit: "0,61 puis 0,63 mg/l", "0,61 et
/// 0,63 mg/l", "0,61 / 0,63 mg/l".
static SHARED_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s:(])(?P<v>\d+[,.]\d+)\s*(?:puis|et|/|,|;)\s*$").unwrap()
});

pub fn rates(text: &str) -> Vec<Rate> {
    let mut found = rates_with_unit(text);
    let mut shared = Vec::new();
    for r in &found {
        let window_start = r.start.saturating_sub(24);
        let window_start = (window_start..r.start)
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(r.start);
        let window = &text[window_start..r.start];
        let Some(c) = SHARED_UNIT.captures(window) else {
            continue;
        };
        let v = c.name("v").unwrap();
        let Some(value) = numbers::decimal(v.as_str()) else {
            continue;
        };
        if value > 0.0 && value < 10.0 {
            shared.push(Rate {
                start: window_start + v.start(),
                end: window_start + v.end(),
                value,
                unit: r.unit,
            });
        }
    }
    if !shared.is_empty() {
        found.extend(shared);
        found.sort_by_key(|r| r.start);
    }
    found
}

fn rates_with_unit(text: &str) -> Vec<Rate> {
    RATE.captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            let (value, unit) = if let Some(v) = c.name("v") {
                let unit = if c.name("mg").is_some() {
                    AlcoholUnit::MgPerLitreAir
                } else {
                    AlcoholUnit::GPerLitreBlood
                };
                (numbers::decimal(v.as_str())?, unit)
            } else if let Some(ci) = c.name("ci") {
                // "soixante-deux centièmes de milligramme par litre": 0.62 mg/L.
                let hundredths = numbers::integer(ci.as_str())? as f64;
                let unit = if c.name("cu").is_some() {
                    AlcoholUnit::MgPerLitreAir
                } else {
                    AlcoholUnit::GPerLitreBlood
                };
                (hundredths / 100.0, unit)
            } else if let (Some(i), Some(d)) = (c.name("mi"), c.name("md")) {
                // "zéro milligramme trente-huit par litre": 0.38 mg/L.
                let i = numbers::integer(i.as_str())? as f64;
                let d = numbers::integer(d.as_str())? as f64;
                let d = if d < 10.0 { d / 10.0 } else { d / 100.0 };
                (i + d, AlcoholUnit::MgPerLitreAir)
            } else {
                let i = numbers::integer(c.name("gi")?.as_str())? as f64;
                let d = numbers::integer(c.name("gd")?.as_str())? as f64;
                let d = if d < 10.0 { d / 10.0 } else { d / 100.0 };
                (i + d, AlcoholUnit::GPerLitreBlood)
            };
            (value > 0.0 && value < 10.0).then_some(Rate {
                start: m.start(),
                end: m.end(),
                value,
                unit,
            })
        })
        .collect::<Vec<Rate>>()
        .into_iter()
        .fold(Vec::new(), |mut kept: Vec<Rate>, r| {
            // "0,62 mg/l (zéro virgule soixante-deux milligramme par litre)": one measure
            // written twice.
            let repeated = kept.last().is_some_and(|last| {
                last.unit == r.unit
                    && (last.value - r.value).abs() < 1e-9
                    && text[last.end..r.start].trim() == "("
            });
            if !repeated {
                kept.push(r);
            }
            kept
        })
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The rate after the éthylomètre's margin (tiers of road-traffic.json), rounded to 3 decimals.
pub fn after_margin(value: f64) -> f64 {
    for tier in &natinf::table().margins.ethylometre.tiers {
        if tier.below_mg_l.is_none_or(|b| value < b) {
            return round3(if tier.kind == "absolute" {
                value - tier.value
            } else {
                value * (1.0 - tier.value / 100.0)
            });
        }
    }
    value
}

/// The rest of the sentence: up to a full stop that ends it (not the one of "0.62").
fn sentence_after(after: &str) -> &str {
    let bytes = after.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return &after[..i];
        }
    }
    after
}

/// Whether the rate at `start..end` is a measure, not a threshold, a value after margin or a
/// repetition of the retained one.
fn is_measure(text: &str, start: usize, end: usize) -> bool {
    let near_before = &before(text, start, 30).to_lowercase();
    let original_after = after(text, end, 60);
    let after = &original_after.to_lowercase();
    !(near_before.contains("supérieur")
        || near_before.contains("au moins")
        || near_before.contains("seuil")
        || near_before.contains("marge")
        || near_before.contains("retenu")
        || near_before.contains("retenir")
        || near_before.contains("ressort")
        || near_before.contains("favorable")
        || near_before.contains("s'établit")
        || near_before.contains("plus faible")
        || after.starts_with(" après")
        || after
            .trim_start_matches([' ', ','])
            .starts_with("après application")
        // "0,62 mg/l, le plus favorable, est retenu": this rate is the retained one, repeated.
        || sentence_after(original_after)
            .trim_start_matches([' ', ','])
            .split(", ")
            .any(|part| part.starts_with("est retenu") || part.starts_with("qui est retenu")))
}

/// The alcohol facts: measures from the verification piece (or the whole text).
pub fn alcohol(view: &View, pieces: &[Piece]) -> Option<Alcohol> {
    let text = &view.text;
    let verification: Vec<(usize, usize)> = pieces
        .iter()
        .filter(|p| p.kind == PieceKind::PvVerificationAlcool)
        .map(|p| page_span(view, p))
        .collect();
    let all = rates(text);
    let in_verification: Vec<&Rate> = all
        .iter()
        .filter(|r| {
            verification
                .iter()
                .any(|&(a, b)| r.start >= a && r.start < b)
        })
        .collect();
    let pool: Vec<&Rate> = if in_verification.is_empty() {
        all.iter().collect()
    } else {
        in_verification
    };
    let measures: Vec<&Rate> = pool
        .iter()
        .copied()
        .filter(|r| is_measure(text, r.start, r.end))
        .collect();
    let chosen: Vec<&Rate> = if measures.is_empty() {
        pool.into_iter()
            .filter(|r| !threshold(text, r.start))
            .collect()
    } else {
        measures
    };
    let first = chosen.first()?;
    let unit = first.unit;
    let same: Vec<&Rate> = chosen
        .into_iter()
        .filter(|r| r.unit == unit)
        .take(2)
        .collect();
    let value = same.iter().map(|r| r.value).fold(f64::INFINITY, f64::min);
    let method = match unit {
        AlcoholUnit::MgPerLitreAir => AlcoholMethod::Ethylometre,
        AlcoholUnit::GPerLitreBlood => AlcoholMethod::PriseDeSang,
    };
    Some(Alcohol {
        value,
        unit,
        method: Some(method),
        measures: same.iter().map(|r| r.value).collect(),
        after_margin: (unit == AlcoholUnit::MgPerLitreAir).then(|| after_margin(value)),
        evidence: same.iter().map(|r| view.evidence(r.start, r.end)).collect(),
    })
}

fn threshold(text: &str, start: usize) -> bool {
    let before = before(text, start, 30);
    before.contains("supérieur") || before.contains("seuil") || before.contains("au moins")
}

/// Byte span of a piece in the view.
pub fn page_span(view: &View, piece: &Piece) -> (usize, usize) {
    let first = view.page_ranges[(piece.first_page - 1) as usize].0;
    let last = view.page_ranges[(piece.last_page - 1) as usize].1;
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &[(f64, AlcoholUnit)]) {
        let got: Vec<(f64, AlcoholUnit)> = rates(input).iter().map(|r| (r.value, r.unit)).collect();
        assert_eq!(got, expect, "{input}");
    }

    #[test]
    fn rates_in_every_form() {
        use AlcoholUnit::*;
        check("un taux de 0,62 mg/l.", &[(0.62, MgPerLitreAir)]);
        check("soit 0.62 MG/L", &[(0.62, MgPerLitreAir)]);
        check("0,620 mg/L", &[(0.62, MgPerLitreAir)]);
        check(
            "0,62 milligramme par litre d'air expiré",
            &[(0.62, MgPerLitreAir)],
        );
        check(
            "0,62 mg d'alcool par litre d'air expiré (mg/l)",
            &[(0.62, MgPerLitreAir)],
        );
        check(
            "zéro virgule soixante-deux milligramme par litre",
            &[(0.62, MgPerLitreAir)],
        );
        check("1,24 g/l de sang", &[(1.24, GPerLitreBlood)]);
        check("1,24 gr/l de sang", &[(1.24, GPerLitreBlood)]);
        check(
            "en l'espèce 1,31 gramme d'éthanol par litre de sang",
            &[(1.31, GPerLitreBlood)],
        );
        check(
            "zéro milligramme trente-huit par litre d'air expiré puis zéro milligramme trente-cinq par litre",
            &[(0.38, MgPerLitreAir), (0.35, MgPerLitreAir)],
        );
        check("0,62 mg / l", &[(0.62, MgPerLitreAir)]);
        check("0,33 MG/LITRE D'AIR EXPIRÉ", &[(0.33, MgPerLitreAir)]);
        check(
            "0,62 milligrammes par litre d'air expiré",
            &[(0.62, MgPerLitreAir)],
        );
        check(
            "0,62 mg/l (zéro virgule soixante-deux milligramme par litre d'air expiré) puis 0,60 mg/l",
            &[(0.62, MgPerLitreAir), (0.60, MgPerLitreAir)],
        );
        check(
            "Mesures : 0,71 puis 0,74 mg/l d'air expiré.",
            &[(0.71, MgPerLitreAir), (0.74, MgPerLitreAir)],
        );
        check(
            "en l'espèce soixante-sept centièmes de milligramme par litre d'air expiré",
            &[(0.67, MgPerLitreAir)],
        );
        check(
            "cent douze centièmes de gramme d'alcool par litre de sang",
            &[(1.12, GPerLitreBlood)],
        );
        check(
            "(1,02 et 0,98 g/l de sang)",
            &[(1.02, GPerLitreBlood), (0.98, GPerLitreBlood)],
        );
        check(
            "un gramme vingt-quatre d'alcool par litre de sang",
            &[(1.24, GPerLitreBlood)],
        );
        check(
            "zéro gramme quatre-vingts d'alcool par litre",
            &[(0.8, GPerLitreBlood)],
        );
    }

    #[test]
    fn margins() {
        assert_eq!(after_margin(0.62), 0.570);
        assert_eq!(after_margin(0.44), 0.405);
        assert_eq!(after_margin(0.41), 0.377);
        assert_eq!(after_margin(0.30), 0.268);
    }
}
