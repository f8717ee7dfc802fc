//! The NATINF table for road-traffic offences and the instruments' margins of error, shipped
//! inside the engine (`assets/natinf/road-traffic.json`).

use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Table {
    pub entries: Vec<Entry>,
    pub margins: Margins,
}

#[derive(Debug, Deserialize)]
pub struct Entry {
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
pub struct Margins {
    pub ethylometre: Ethylometre,
}

#[derive(Debug, Deserialize)]
pub struct Ethylometre {
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Deserialize)]
pub struct Tier {
    pub below_mg_l: Option<f64>,
    pub kind: String,
    pub value: f64,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../assets/natinf/road-traffic.json"))
        .expect("assets/natinf/road-traffic.json is valid")
});

pub fn table() -> &'static Table {
    &TABLE
}

/// Every entry of the shipped table, in its order (what `permanence natinf search` reads when
/// no full NATINF table has been imported).
pub fn entries() -> &'static [Entry] {
    &TABLE.entries
}

/// The entry of a NATINF code.
pub fn entry(code: &str) -> Option<&'static Entry> {
    TABLE.entries.iter().find(|e| e.natinf == code)
}

/// The first entry of a family (its plain, non-récidive code).
pub fn family_entry(family: &str) -> Option<&'static Entry> {
    TABLE
        .entries
        .iter()
        .find(|e| e.family == family && !e.recidive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads() {
        assert_eq!(entry("8544").unwrap().family, "alcool_delit");
        assert_eq!(family_entry("alcool_delit").unwrap().natinf, "1247");
        assert_eq!(table().margins.ethylometre.tiers.len(), 3);
    }
}
