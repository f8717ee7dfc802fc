//! The legal frame, from data shipped inside the engine: the NATINF road-traffic table with the
//! instruments' margins (`assets/natinf/road-traffic.json`, read-only here) and the
//! consequences the law makes mandatory (`assets/law/road-traffic.toml`, same condition
//! grammar as a policy).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::MeasureKind;
use super::policy::{
    Checker, Condition, PolicyError, ProblemKind, RawCondition, check_condition, toml_problem,
};

/// One entry of the NATINF table, as the proposal shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct NatinfEntry {
    pub natinf: String,
    pub family: String,
    /// « Délit », « Contravention de classe 4 »…
    pub nature: String,
    pub label: String,
    #[serde(default)]
    pub defined_by: Option<String>,
    #[serde(default)]
    pub repressed_by: Option<String>,
    #[serde(default)]
    pub recidive: bool,
}

#[derive(Debug, Deserialize)]
struct NatinfTable {
    entries: Vec<NatinfEntry>,
    margins: Margins,
}

#[derive(Debug, Deserialize)]
struct Margins {
    ethylometre: Ethylometre,
}

#[derive(Debug, Deserialize)]
struct Ethylometre {
    tiers: Vec<Tier>,
}

#[derive(Debug, Deserialize)]
struct Tier {
    below_mg_l: Option<f64>,
    kind: String,
    value: f64,
}

static NATINF: LazyLock<NatinfTable> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../assets/natinf/road-traffic.json"))
        .expect("assets/natinf/road-traffic.json is valid")
});

/// The NATINF entry of a code, when the shipped table has it.
pub fn natinf(code: &str) -> Option<&'static NatinfEntry> {
    NATINF.entries.iter().find(|e| e.natinf == code)
}

/// The éthylomètre's retained rate after its legal margin (tiers of the NATINF table), rounded
/// to 3 decimals as the procedures write it.
pub fn ethylometre_after_margin(value: f64) -> f64 {
    let tier = NATINF
        .margins
        .ethylometre
        .tiers
        .iter()
        .find(|t| t.below_mg_l.is_none_or(|b| value < b));
    let after = match tier {
        Some(t) if t.kind == "absolute" => value - t.value,
        Some(t) => value * (1.0 - t.value / 100.0),
        None => value,
    };
    (after * 1000.0).round() / 1000.0
}

/// A consequence the law attaches to a situation.
#[derive(Debug, Clone, PartialEq)]
pub struct Consequence {
    pub id: String,
    pub measure: MeasureKind,
    pub text: String,
    pub legal_basis: String,
    pub when: Condition,
}

/// The law's data: the alcohol equivalence and the mandatory consequences.
#[derive(Debug, Clone, PartialEq)]
pub struct Law {
    /// g/L of blood that equal 1 mg/L of exhaled air.
    pub blood_per_air: f64,
    pub consequences: Vec<Consequence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLaw {
    #[allow(dead_code)]
    law: RawLawHeader,
    alcohol: RawAlcohol,
    consequence: Vec<RawConsequence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLawHeader {
    #[allow(dead_code)]
    about: String,
    #[allow(dead_code)]
    checked: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlcohol {
    blood_g_per_l_for_one_mg_per_l_air: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsequence {
    id: String,
    measure: Spanned<String>,
    text: String,
    legal_basis: String,
    when: Spanned<RawCondition>,
}

pub const LAW_FILE: &str = "assets/law/road-traffic.toml";

/// Reads and checks the law's data file.
pub fn parse_law(file: &str, text: &str) -> Result<Law, PolicyError> {
    let raw: RawLaw = toml::from_str(text).map_err(|e| PolicyError::Invalid {
        file: file.to_owned(),
        problems: vec![toml_problem(text, &e)],
    })?;
    let mut checker = Checker::new(text);
    let ratio = raw.alcohol.blood_g_per_l_for_one_mg_per_l_air;
    if !ratio.get_ref().is_finite() || *ratio.get_ref() <= 0.0 {
        checker.report(
            ProblemKind::Threshold,
            ratio.span(),
            "l'équivalence sang / air doit être un nombre positif".to_owned(),
        );
    }
    let mut consequences = Vec::new();
    for c in raw.consequence {
        let measure = match MeasureKind::ALL
            .into_iter()
            .find(|m| m.id() == c.measure.get_ref())
        {
            Some(m) => m,
            None => {
                checker.report(
                    ProblemKind::UnknownValue,
                    c.measure.span(),
                    format!(
                        "mesure inconnue {} (possibles\u{a0}: {})",
                        crate::fr::quoted(c.measure.get_ref()),
                        MeasureKind::ALL.map(|m| m.id()).join(", ")
                    ),
                );
                continue;
            }
        };
        let when = check_condition(&mut checker, c.when);
        consequences.push(Consequence {
            id: c.id,
            measure,
            text: c.text,
            legal_basis: c.legal_basis,
            when,
        });
    }
    checker.finish(file)?;
    Ok(Law {
        blood_per_air: *ratio.get_ref(),
        consequences,
    })
}

static LAW: LazyLock<Law> = LazyLock::new(|| {
    parse_law(LAW_FILE, include_str!("../../assets/law/road-traffic.toml"))
        .unwrap_or_else(|e| panic!("{LAW_FILE} is valid: {e}"))
});

/// The law's data shipped with the engine.
pub fn law() -> &'static Law {
    &LAW
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_loads() {
        assert_eq!(law().blood_per_air, 2.0);
        assert_eq!(law().consequences.len(), 4);
        assert_eq!(natinf("8544").unwrap().family, "alcool_delit");
        assert_eq!(natinf("1247").unwrap().nature, "Délit");
        assert!(natinf("99999999").is_none());
    }

    #[test]
    fn ethylometre_margins() {
        // (measured, after margin): LABELS.md examples and the tier boundaries.
        let table = [
            (0.39, 0.358),
            (0.40, 0.368),
            (0.41, 0.377),
            (0.42, 0.386),
            (0.43, 0.396),
            (0.44, 0.405),
            (0.62, 0.570),
            (1.09, 1.003),
            (2.00, 1.400),
        ];
        for (measured, expect) in table {
            assert_eq!(ethylometre_after_margin(measured), expect, "{measured}");
        }
    }
}
