//! The facts of one procedure or decision, as `../shared/contracts/facts.schema.json` describes
//! them (`permanence.facts/1`). Field names and meanings are a contract: add optional fields,
//! never rename.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::sha256_hex;
use crate::pdf::{self, Document, PdfError};

pub const SCHEMA_ID: &str = "permanence.facts/1";

/// The offence families of the contract (`../shared/contracts/README.md`), in its order.
pub const FAMILIES: [&str; 16] = [
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

/// Where a value was read: page from 1, offsets in Unicode scalar values of that page's
/// normalised text (end exclusive), and the text itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Evidence {
    pub page: u32,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// On a page read by OCR: the recognition's confidence in this text, from 0 to 100 (the
    /// mean of its words'); absent on a page with a text layer (an addition to the contract).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ocr_confidence: Option<u8>,
}

/// Deserialisation is tolerant where the contract lets fields out (evidence, `ocr_pages`,
/// antecedents): labels (`NAME.expected.json`) carry no evidence. Output is unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub schema: String,
    pub source: Source,
    pub pieces: Vec<Piece>,
    pub persons: Vec<Person>,
    pub offences: Vec<Offence>,
    pub facts: WhenWhere,
    pub alcohol: Option<Alcohol>,
    pub recidive: Option<bool>,
    #[serde(default)]
    pub antecedents: Vec<Antecedent>,
    pub speed: Option<Speed>,
    pub injuries: Injuries,
    pub licence: Licence,
    pub vehicle: Option<Vehicle>,
    pub custody: Option<Custody>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    pub pages: u32,
    #[serde(default)]
    pub ocr_pages: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PieceKind {
    PvInterpellation,
    PvVerificationAlcool,
    PvDepistageStupefiants,
    PvNotificationGav,
    PvFinGav,
    PvAuditionMisEnCause,
    PvAuditionVictime,
    PvAuditionTemoin,
    RelevePermis,
    CasierB1,
    CertificatMedical,
    CompteRenduMagistrat,
    PvSynthese,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub index: u32,
    pub cote: Option<String>,
    pub kind: PieceKind,
    pub title: String,
    pub number: Option<String>,
    pub date: Option<String>,
    pub first_page: u32,
    pub last_page: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    MisEnCause,
    Victime,
    Temoin,
    Enqueteur,
    Autre,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub role: Role,
    pub surname: String,
    pub given_names: String,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    /// For `autre`: substitut, vice-procureur, procureur adjoint, médecin, avocat, président,
    /// greffier (an addition to the contract, omitted when unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offence {
    pub family: String,
    pub natinf: Option<String>,
    pub label: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhenWhere {
    pub date: Option<String>,
    pub time: Option<String>,
    pub commune: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlcoholUnit {
    #[serde(rename = "mg/L")]
    MgPerLitreAir,
    #[serde(rename = "g/L")]
    GPerLitreBlood,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlcoholMethod {
    Ethylometre,
    PriseDeSang,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alcohol {
    pub value: f64,
    pub unit: AlcoholUnit,
    pub method: Option<AlcoholMethod>,
    pub measures: Vec<f64>,
    pub after_margin: Option<f64>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Antecedent {
    pub date: Option<String>,
    pub label: String,
    pub family: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speed {
    pub measured: Option<f64>,
    pub retained: Option<f64>,
    pub limit: Option<f64>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Injuries {
    pub present: bool,
    pub deaths: Option<u32>,
    pub itt_days: Option<u32>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    Valide,
    Suspendu,
    Annule,
    Invalide,
    JamaisObtenu,
    #[default]
    Inconnu,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub status: LicenceStatus,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    pub plate: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Custody {
    pub start: Option<String>,
    pub end: Option<String>,
    /// The garde à vue was prolonged beyond 24 hours (an addition to the contract).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub extended: bool,
}

impl Facts {
    /// Facts with only the source known: what extraction starts from.
    pub fn empty(source: Source) -> Facts {
        Facts {
            schema: SCHEMA_ID.to_owned(),
            source,
            pieces: Vec::new(),
            persons: Vec::new(),
            offences: Vec::new(),
            facts: WhenWhere::default(),
            alcohol: None,
            recidive: None,
            antecedents: Vec::new(),
            speed: None,
            injuries: Injuries::default(),
            licence: Licence::default(),
            vehicle: None,
            custody: None,
        }
    }
}

/// The facts of a document already read.
pub fn from_document(file: &str, sha256: &str, document: &Document) -> Facts {
    crate::extract::facts(file, sha256, document)
}

/// `permanence extract`: reads a file and returns its facts. Pure: no data directory.
pub fn extract(path: &Path) -> Result<Facts, PdfError> {
    let bytes = pdf::read_input(path)?;
    let name = pdf::display_name(path);
    let document = pdf::read_bytes(&name, &bytes, &mut |_, _| {})?;
    Ok(from_document(&name, &sha256_hex(&bytes), &document))
}
