//! The legal data the drafts cite, shipped inside the engine: penalties incurred per NATINF code
//! or offence family, the récidive factor and the detention threshold
//! (`assets/law/penalties.toml`), the criteria of article 144 of the code de procédure pénale
//! (`assets/law/detention.toml`). Figures live there, never in code.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::fr;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    #[serde(default)]
    pub natinf: Vec<String>,
    #[serde(default)]
    pub family: Vec<String>,
    pub prison_months: u32,
    pub fine_euros: u32,
    pub legal_basis: String,
    /// The figures already include the récidive (NATINF of the récidive itself).
    #[serde(default)]
    pub recidive_included: bool,
    #[serde(default)]
    pub contravention: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct About {
    #[allow(dead_code)]
    about: String,
    #[allow(dead_code)]
    checked: String,
    #[serde(default)]
    preamble: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recidive {
    pub factor: u32,
    pub legal_basis: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetentionThreshold {
    pub min_prison_months: u32,
    pub legal_basis: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalties {
    #[allow(dead_code)]
    about: About,
    pub recidive: Recidive,
    pub detention: DetentionThreshold,
    pub penalty: Vec<Penalty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub number: u8,
    pub text: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article144 {
    about: About,
    pub criterion: Vec<Criterion>,
}

impl Article144 {
    pub fn preamble(&self) -> &str {
        self.about.preamble.as_deref().unwrap_or_default()
    }
}

pub const PENALTIES_FILE: &str = "assets/law/penalties.toml";
pub const DETENTION_FILE: &str = "assets/law/detention.toml";

static PENALTIES: LazyLock<Penalties> = LazyLock::new(|| {
    toml::from_str(include_str!("../../assets/law/penalties.toml"))
        .unwrap_or_else(|e| panic!("{PENALTIES_FILE} is valid: {e}"))
});

static ARTICLE_144: LazyLock<Article144> = LazyLock::new(|| {
    toml::from_str(include_str!("../../assets/law/detention.toml"))
        .unwrap_or_else(|e| panic!("{DETENTION_FILE} is valid: {e}"))
});

pub fn penalties() -> &'static Penalties {
    &PENALTIES
}

pub fn article_144() -> &'static Article144 {
    &ARTICLE_144
}

/// The penalty of an offence: by its NATINF code, else by its family.
pub fn penalty(natinf: Option<&str>, family: &str) -> Option<&'static Penalty> {
    let table = &penalties().penalty;
    natinf
        .and_then(|code| table.iter().find(|p| p.natinf.iter().any(|n| n == code)))
        .or_else(|| table.iter().find(|p| p.family.iter().any(|f| f == family)))
}

/// « deux ans », « six mois », « un an ».
pub fn months_in_words(months: u32) -> String {
    if months % 12 == 0 {
        let years = months / 12;
        format!(
            "{} an{}",
            fr::number_in_words(years),
            if years > 1 { "s" } else { "" }
        )
    } else {
        format!("{} mois", fr::number_in_words(months))
    }
}

/// What a penalty says in an act: « deux ans d'emprisonnement et 4 500 € d'amende ».
pub fn penalty_text(p: &Penalty, recidive: bool) -> String {
    // Contraventions: the récidive of the code pénal for délits does not apply.
    let factor = if recidive && !p.recidive_included && !p.contravention {
        penalties().recidive.factor
    } else {
        1
    };
    let fine = fr::euros(p.fine_euros * factor);
    if p.prison_months == 0 {
        if p.contravention {
            format!("{fine} d'amende (contravention)")
        } else {
            format!("{fine} d'amende")
        }
    } else {
        format!(
            "{} d'emprisonnement et {fine} d'amende",
            months_in_words(p.prison_months * factor)
        )
    }
}

/// The prison incurred, in months, récidive applied.
pub fn prison_months(p: &Penalty, recidive: bool) -> u32 {
    if recidive && !p.recidive_included && !p.contravention {
        p.prison_months * penalties().recidive.factor
    } else {
        p.prison_months
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_loads_and_covers_every_family() {
        for family in crate::facts::FAMILIES {
            if family == "other" {
                continue;
            }
            assert!(penalty(None, family).is_some(), "no penalty for {family}");
        }
        assert_eq!(article_144().criterion.len(), 7);
        assert!(
            article_144()
                .preamble()
                .starts_with("La détention provisoire")
        );
        let numbers: Vec<u8> = article_144().criterion.iter().map(|c| c.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn every_natinf_of_the_table_has_a_penalty() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../assets/natinf/road-traffic.json")).unwrap();
        for e in table["entries"].as_array().unwrap() {
            let code = e["natinf"].as_str().unwrap();
            let family = e["family"].as_str().unwrap();
            assert!(penalty(Some(code), family).is_some(), "NATINF {code}");
        }
    }

    #[test]
    fn penalties_in_words() {
        let nb = '\u{a0}';
        let table = [
            (
                Some("1247"),
                "alcool_delit",
                false,
                format!("deux ans d'emprisonnement et 4{nb}500{nb}€ d'amende"),
            ),
            (
                Some("1247"),
                "alcool_delit",
                true,
                format!("quatre ans d'emprisonnement et 9{nb}000{nb}€ d'amende"),
            ),
            (
                Some("8544"),
                "alcool_delit",
                true,
                format!("quatre ans d'emprisonnement et 9{nb}000{nb}€ d'amende"),
            ),
            (
                None,
                "defaut_assurance",
                false,
                format!("3{nb}750{nb}€ d'amende"),
            ),
            (
                Some("21526"),
                "exces_vitesse",
                false,
                format!("1{nb}500{nb}€ d'amende (contravention)"),
            ),
            (
                None,
                "defaut_permis",
                false,
                format!("un an d'emprisonnement et 15{nb}000{nb}€ d'amende"),
            ),
            (
                Some("42"),
                "delit_fuite",
                false,
                format!("trois ans d'emprisonnement et 75{nb}000{nb}€ d'amende"),
            ),
        ];
        for (natinf, family, recidive, expect) in table {
            let p = penalty(natinf, family).unwrap();
            assert_eq!(penalty_text(p, recidive), expect, "{natinf:?} {family}");
        }
        assert_eq!(months_in_words(6), "six mois");
        assert_eq!(penalties().detention.min_prison_months, 36);
    }
}
