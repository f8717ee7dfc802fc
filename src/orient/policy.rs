//! The policy file: the local politique pénale written as TOML, read and checked.
//!
//! A policy is `[policy]` (name, version, author, effective date) then `[[rule]]` entries, each
//! with an `id`, an `orientation`, a French `explanation`, an optional `legal_basis`, optional
//! `[rule.measures]` and a `[rule.when]` condition. A condition is a table whose keys must all
//! hold (`family`, `alcohol_after_margin`, `recidive`, ...); `all`, `any` and `not` combine
//! conditions. Every problem is refused with a French message giving the file, line and
//! column; the same condition grammar serves the law's consequences (`law.rs`).

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use toml::Spanned;

use super::{FAMILIES, Orientation};
use crate::facts::LicenceStatus;
use crate::fr::quoted;

/// A policy file, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub version: String,
    pub author: String,
    /// YYYY-MM-DD: the date from which the policy applies.
    pub effective: String,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub orientation: Orientation,
    pub explanation: String,
    pub legal_basis: Option<String>,
    pub measures: Measures,
    pub when: Condition,
}

/// The measures a rule proposes beside its orientation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measures {
    pub suspension_months: Option<u32>,
    pub licence_handed_in_months: Option<u32>,
    pub fine_min: Option<u32>,
    pub fine_max: Option<u32>,
    pub stage: Option<StageKind>,
    pub immobilisation: bool,
    pub confiscation: bool,
    pub deferement: bool,
}

/// The stages a policy may propose (article 131-35-1 du code pénal and 41-1 / 41-2 CPP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StageKind {
    SecuriteRoutiere,
    Stupefiants,
    Citoyennete,
}

impl StageKind {
    pub const ALL: [StageKind; 3] = [
        StageKind::SecuriteRoutiere,
        StageKind::Stupefiants,
        StageKind::Citoyennete,
    ];

    pub fn id(self) -> &'static str {
        match self {
            StageKind::SecuriteRoutiere => "securite_routiere",
            StageKind::Stupefiants => "stupefiants",
            StageKind::Citoyennete => "citoyennete",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StageKind::SecuriteRoutiere => "stage de sensibilisation à la sécurité routière",
            StageKind::Stupefiants => {
                "stage de sensibilisation aux dangers de l'usage de produits stupéfiants"
            }
            StageKind::Citoyennete => "stage de citoyenneté",
        }
    }
}

/// A condition on the facts.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// At least one offence of these families.
    Family(Vec<String>),
    /// At least one offence, and every offence of these families.
    OnlyFamilies(Vec<String>),
    /// At least one offence with one of these NATINF codes.
    Natinf(Vec<String>),
    /// At least one previous conviction of these families.
    AntecedentFamily(Vec<String>),
    /// The retained rate as measured, in mg/L of exhaled air (blood converted).
    AlcoholRetained(Bounds),
    /// The retained rate after the instrument's margin, in mg/L of exhaled air.
    AlcoholAfterMargin(Bounds),
    Recidive(bool),
    /// The number of previous convictions.
    Antecedents(Bounds),
    Injuries(bool),
    IttDays(Bounds),
    Deaths(Bounds),
    Licence(Vec<LicenceStatus>),
    /// Retained speed minus the limit, in km/h.
    SpeedExcess(Bounds),
    /// The mis en cause's age at the date of the facts, in full years.
    Age(Bounds),
}

/// A range of values: each end open or closed, or absent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// (value, inclusive)
    pub lower: Option<(f64, bool)>,
    pub upper: Option<(f64, bool)>,
}

/// Values read from files carry their 3 decimals; this absorbs binary rounding only.
const TOLERANCE: f64 = 1e-9;

impl Bounds {
    pub fn contains(&self, x: f64) -> bool {
        let lower_ok = match self.lower {
            None => true,
            Some((b, true)) => x >= b - TOLERANCE,
            Some((b, false)) => x > b + TOLERANCE,
        };
        let upper_ok = match self.upper {
            None => true,
            Some((b, true)) => x <= b + TOLERANCE,
            Some((b, false)) => x < b - TOLERANCE,
        };
        lower_ok && upper_ok
    }

    /// French: « au moins 0,40 et moins de 1,00 mg/L », « égal à 0 »; rates keep two decimals.
    pub fn describe(&self, unit: &str, rate: bool) -> String {
        let fmt = |v: f64| if rate { rate_text(v) } else { decimal(v) };
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!("\u{a0}{unit}")
        };
        if let (Some((a, true)), Some((b, true))) = (self.lower, self.upper)
            && a == b
        {
            return format!("égal à {}{unit}", fmt(a));
        }
        let lower = self.lower.map(|(v, inclusive)| {
            format!(
                "{} {}",
                if inclusive { "au moins" } else { "plus de" },
                fmt(v)
            )
        });
        let upper = self.upper.map(|(v, inclusive)| {
            format!(
                "{} {}",
                if inclusive { "au plus" } else { "moins de" },
                fmt(v)
            )
        });
        match (lower, upper) {
            (Some(l), Some(u)) => format!("{l} et {u}{unit}"),
            (Some(l), None) => format!("{l}{unit}"),
            (None, Some(u)) => format!("{u}{unit}"),
            (None, None) => String::new(),
        }
    }
}

/// A number in French: decimal comma, whole numbers without decimals, up to three decimals
/// otherwise (90 ; 0,5 ; 0,386).
pub fn decimal(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.3}");
    s.trim_end_matches('0').replace('.', ",")
}

/// A rate in French, with at least two decimals (0,40 ; 1,00 ; 0,386).
pub fn rate_text(v: f64) -> String {
    let mut s = format!("{v:.3}");
    if s.ends_with('0') {
        s.pop();
    }
    s.replace('.', ",")
}

// ---------------------------------------------------------------------------------------------
// Errors

/// What is wrong in a policy file (the stable `code()` part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Syntax,
    UnknownField,
    MissingField,
    WrongType,
    UnknownValue,
    Threshold,
    DuplicateRule,
    EmptyCondition,
    NoRule,
}

impl ProblemKind {
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::Syntax => "policy.syntax",
            ProblemKind::UnknownField => "policy.unknown_field",
            ProblemKind::MissingField => "policy.missing_field",
            ProblemKind::WrongType => "policy.type",
            ProblemKind::UnknownValue => "policy.unknown_value",
            ProblemKind::Threshold => "policy.threshold",
            ProblemKind::DuplicateRule => "policy.duplicate_rule",
            ProblemKind::EmptyCondition => "policy.empty_condition",
            ProblemKind::NoRule => "policy.no_rule",
        }
    }
}

/// One problem, at a line and column (from 1; columns count characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("impossible de lire la politique {}\u{a0}: {reason}", quoted(file))]
    Read { file: String, reason: String },
    #[error("{}", invalid_summary(file, problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
}

impl PolicyError {
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::Read { .. } => "policy.read",
            PolicyError::Invalid { problems, .. } => problems
                .first()
                .map_or(ProblemKind::Syntax.code(), |p| p.kind.code()),
        }
    }

    /// Every problem, one French line each (`permanence politique verifier`).
    pub fn lines(&self) -> Vec<String> {
        match self {
            PolicyError::Read { .. } => vec![self.to_string()],
            PolicyError::Invalid { file, problems } => {
                problems.iter().map(|p| problem_line(file, p)).collect()
            }
        }
    }
}

fn problem_line(file: &str, p: &Problem) -> String {
    format!(
        "politique {}, ligne {}, colonne {}\u{a0}: {}",
        quoted(file),
        p.line,
        p.column,
        p.message
    )
}

fn invalid_summary(file: &str, problems: &[Problem]) -> String {
    match problems {
        [] => format!("politique {} invalide", quoted(file)),
        [one] => problem_line(file, one),
        [first, rest @ ..] => format!(
            "{} (et {} autre{} erreur{})",
            problem_line(file, first),
            rest.len(),
            if rest.len() > 1 { "s" } else { "" },
            if rest.len() > 1 { "s" } else { "" }
        ),
    }
}

/// Line and column (from 1, in characters) of a byte offset.
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Collects problems with their positions while a file is checked.
pub(crate) struct Checker<'a> {
    text: &'a str,
    pub problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    pub fn new(text: &'a str) -> Self {
        Checker {
            text,
            problems: Vec::new(),
        }
    }

    pub fn report(&mut self, kind: ProblemKind, span: Range<usize>, message: String) {
        let (line, column) = position(self.text, span.start);
        self.problems.push(Problem {
            kind,
            line,
            column,
            message,
        });
    }

    pub fn finish(mut self, file: &str) -> Result<(), PolicyError> {
        if self.problems.is_empty() {
            return Ok(());
        }
        self.problems.sort_by_key(|p| (p.line, p.column));
        Err(PolicyError::Invalid {
            file: file.to_owned(),
            problems: self.problems,
        })
    }
}

/// The problem a TOML or serde error describes, in French.
pub(crate) fn toml_problem(text: &str, e: &toml::de::Error) -> Problem {
    let (line, column) = position(text, e.span().map_or(0, |s| s.start));
    let (kind, message) = translate(e.message());
    Problem {
        kind,
        line,
        column,
        message,
    }
}

fn backquoted(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

fn translate(message: &str) -> (ProblemKind, String) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = backquoted(rest);
        let unknown = names.first().copied().unwrap_or("");
        let expected: Vec<String> = names.iter().skip(1).map(|n| quoted(n)).collect();
        let hint = if expected.is_empty() {
            String::new()
        } else {
            format!(" (champs possibles ici\u{a0}: {})", expected.join(", "))
        };
        return (
            ProblemKind::UnknownField,
            format!("champ inconnu {}{hint}", quoted(unknown)),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = backquoted(rest).first().copied().unwrap_or("").to_owned();
        return (
            ProblemKind::MissingField,
            format!("champ obligatoire manquant\u{a0}: {}", quoted(&name)),
        );
    }
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            ProblemKind::WrongType,
            format!(
                "valeur de type incorrect\u{a0}: {} au lieu {}",
                french_got(got),
                french_expected(expected)
            ),
        );
    }
    let description = message.split(", expected").next().unwrap_or(message);
    let french = match description {
        "duplicate key" => "clé déjà donnée plus haut dans la même table",
        "string values must be quoted" => "un texte doit être écrit entre guillemets droits \"…\"",
        "missing value" | "missing value for key" | "key with no value" => {
            "valeur manquante après «\u{a0}=\u{a0}»"
        }
        "unclosed array" => "liste non fermée («\u{a0}]\u{a0}» manquant)",
        "unclosed inline table" => "table non fermée («\u{a0}}\u{a0}» manquant)",
        "unclosed table" | "unclosed array table" => {
            "en-tête de section non fermé («\u{a0}]\u{a0}» manquant)"
        }
        "missing comma between array elements" => {
            "virgule manquante entre deux éléments de la liste"
        }
        "missing comma between key-value pairs" => "virgule manquante entre deux champs",
        "missing assignment between key-value pairs" | "invalid key-value pair" => {
            "«\u{a0}=\u{a0}» manquant entre le nom du champ et sa valeur"
        }
        "invalid basic string" | "missing closing quote" => {
            "texte mal fermé (guillemet fermant manquant\u{a0}?)"
        }
        "extra comma in inline table" | "extra comma in array" => "virgule en trop",
        "invalid unquoted key" | "unquoted keys cannot be empty" => "nom de champ mal formé",
        "unexpected content" | "unexpected key or value" => "texte inattendu à cet endroit",
        _ => "syntaxe TOML invalide",
    };
    (ProblemKind::Syntax, french.to_owned())
}

fn french_got(got: &str) -> String {
    let got = got.trim();
    if let Some(s) = got.strip_prefix("string ") {
        return format!("le texte {}", quoted(s.trim_matches('"')));
    }
    for (prefix, name) in [
        ("integer ", "le nombre entier"),
        ("floating point ", "le nombre"),
        ("boolean ", "la valeur"),
    ] {
        if let Some(v) = got.strip_prefix(prefix) {
            return format!("{name} {}", v.trim_matches('`'));
        }
    }
    match got {
        "sequence" => "une liste".to_owned(),
        "map" => "une table".to_owned(),
        other => quoted(other),
    }
}

fn french_expected(expected: &str) -> String {
    let e = expected.trim();
    let french = match e {
        "a boolean" => "de true ou false",
        "a string" => "d'un texte entre guillemets",
        "f64" | "a number" => "d'un nombre",
        "i64" | "u32" | "an integer" => "d'un nombre entier",
        "a sequence" => "d'une liste [\u{a0}…\u{a0}]",
        "a date" | "a TOML datetime" => "d'une date AAAA-MM-JJ",
        _ if e.starts_with("struct ") || e.starts_with("a map") => "d'une table",
        _ if e.starts_with("d'") || e.starts_with("de ") => return e.to_owned(),
        _ => "de la valeur attendue",
    };
    french.to_owned()
}

// ---------------------------------------------------------------------------------------------
// Raw file shape (serde), then checking

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    policy: RawHeader,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: Spanned<String>,
    version: Spanned<String>,
    author: Spanned<String>,
    effective: Spanned<toml::value::Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    orientation: Spanned<String>,
    explanation: Spanned<String>,
    legal_basis: Option<String>,
    #[serde(default)]
    measures: Option<RawMeasures>,
    when: Spanned<RawCondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasures {
    suspension_months: Option<Spanned<i64>>,
    licence_handed_in_months: Option<Spanned<i64>>,
    fine: Option<Spanned<RawFine>>,
    stage: Option<Spanned<String>>,
    #[serde(default)]
    immobilisation: bool,
    #[serde(default)]
    confiscation: bool,
    #[serde(default)]
    deferement: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFine {
    min: Option<i64>,
    max: Option<i64>,
}

type Names = Spanned<Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCondition {
    family: Option<Names>,
    only_families: Option<Names>,
    natinf: Option<Names>,
    antecedent_family: Option<Names>,
    alcohol_retained: Option<Spanned<RawBounds>>,
    alcohol_after_margin: Option<Spanned<RawBounds>>,
    recidive: Option<bool>,
    antecedents: Option<Spanned<RawBounds>>,
    injuries: Option<bool>,
    itt_days: Option<Spanned<RawBounds>>,
    deaths: Option<Spanned<RawBounds>>,
    licence: Option<Names>,
    speed_excess: Option<Spanned<RawBounds>>,
    age: Option<Spanned<RawBounds>>,
    all: Option<Vec<Spanned<RawCondition>>>,
    any: Option<Vec<Spanned<RawCondition>>>,
    not: Option<Box<Spanned<RawCondition>>>,
}

/// `{ at_least = 0.40, below = 1.00 }`, or a plain number meaning exactly that value.
#[derive(Debug, Default)]
pub(crate) struct RawBounds {
    at_least: Option<f64>,
    over: Option<f64>,
    below: Option<f64>,
    up_to: Option<f64>,
}

const BOUND_FIELDS: &[&str] = &["at_least", "over", "below", "up_to"];

impl<'de> Deserialize<'de> for RawBounds {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawBounds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("d'un nombre ou d'une table de seuils { at_least, over, below, up_to }")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawBounds, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawBounds, E> {
                self.visit_f64(v as f64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawBounds, E> {
                Ok(RawBounds {
                    at_least: Some(v),
                    up_to: Some(v),
                    ..RawBounds::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawBounds, A::Error> {
                let mut b = RawBounds::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "at_least" => &mut b.at_least,
                        "over" => &mut b.over,
                        "below" => &mut b.below,
                        "up_to" => &mut b.up_to,
                        other => return Err(de::Error::unknown_field(other, BOUND_FIELDS)),
                    };
                    *slot = Some(map.next_value::<f64>()?);
                }
                Ok(b)
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads and checks a policy file's text; `file` names it in messages.
pub fn parse(file: &str, text: &str) -> Result<Policy, PolicyError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| PolicyError::Invalid {
        file: file.to_owned(),
        problems: vec![toml_problem(text, &e)],
    })?;
    let mut checker = Checker::new(text);
    let header = raw.policy;
    let effective = header.effective.get_ref();
    if effective.date.is_none() || effective.time.is_some() {
        checker.report(
            ProblemKind::WrongType,
            header.effective.span(),
            "la date d'effet doit être une date seule, AAAA-MM-JJ (sans guillemets)".to_owned(),
        );
    }
    for (value, what) in [
        (&header.name, "le nom"),
        (&header.version, "la version"),
        (&header.author, "l'auteur"),
    ] {
        if value.get_ref().trim().is_empty() {
            checker.report(
                ProblemKind::MissingField,
                value.span(),
                format!("{what} de la politique est vide"),
            );
        }
    }
    if raw.rule.is_empty() {
        checker.report(
            ProblemKind::NoRule,
            0..0,
            "la politique ne contient aucune règle ([[rule]])".to_owned(),
        );
    }
    let mut rules: Vec<Rule> = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for raw_rule in raw.rule {
        let raw_rule = raw_rule.into_inner();
        let id = raw_rule.id.get_ref().trim().to_owned();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            checker.report(
                ProblemKind::UnknownValue,
                raw_rule.id.span(),
                format!(
                    "identifiant de règle {} invalide (lettres, chiffres, «\u{a0}-\u{a0}» et «\u{a0}_\u{a0}» seulement)",
                    quoted(&id)
                ),
            );
        }
        if let Some((_, line)) = seen.iter().find(|(s, _)| *s == id) {
            checker.report(
                ProblemKind::DuplicateRule,
                raw_rule.id.span(),
                format!(
                    "identifiant de règle {} déjà utilisé à la ligne {line}",
                    quoted(&id)
                ),
            );
        } else {
            seen.push((id.clone(), position(text, raw_rule.id.span().start).0));
        }
        let orientation = match Orientation::from_id(raw_rule.orientation.get_ref()) {
            Some(o) => o,
            None => {
                checker.report(
                    ProblemKind::UnknownValue,
                    raw_rule.orientation.span(),
                    format!(
                        "orientation inconnue {} (orientations possibles\u{a0}: {})",
                        quoted(raw_rule.orientation.get_ref()),
                        Orientation::ALL.map(|o| o.id()).join(", ")
                    ),
                );
                Orientation::AExaminer
            }
        };
        if raw_rule.explanation.get_ref().trim().is_empty() {
            checker.report(
                ProblemKind::MissingField,
                raw_rule.explanation.span(),
                format!("l'explication de la règle {} est vide", quoted(&id)),
            );
        }
        let measures = raw_rule
            .measures
            .map(|m| check_measures(&mut checker, m))
            .unwrap_or_default();
        let when = check_condition(&mut checker, raw_rule.when);
        rules.push(Rule {
            id,
            orientation,
            explanation: raw_rule.explanation.into_inner().trim().to_owned(),
            legal_basis: raw_rule.legal_basis,
            measures,
            when,
        });
    }
    checker.finish(file)?;
    Ok(Policy {
        name: header.name.into_inner(),
        version: header.version.into_inner(),
        author: header.author.into_inner(),
        effective: effective.to_string(),
        rules,
    })
}

fn months(checker: &mut Checker, value: Option<Spanned<i64>>, what: &str) -> Option<u32> {
    let value = value?;
    match u32::try_from(*value.get_ref()) {
        Ok(v) if v <= 120 => Some(v),
        _ => {
            checker.report(
                ProblemKind::Threshold,
                value.span(),
                format!(
                    "durée impossible pour {what}\u{a0}: {} mois (de 0 à 120)",
                    value.get_ref()
                ),
            );
            None
        }
    }
}

fn check_measures(checker: &mut Checker, m: RawMeasures) -> Measures {
    let mut out = Measures {
        suspension_months: months(checker, m.suspension_months, "la suspension du permis"),
        licence_handed_in_months: months(
            checker,
            m.licence_handed_in_months,
            "la remise du permis",
        ),
        immobilisation: m.immobilisation,
        confiscation: m.confiscation,
        deferement: m.deferement,
        ..Measures::default()
    };
    if let Some(fine) = m.fine {
        let span = fine.span();
        let RawFine { min, max } = fine.into_inner();
        let mut ok = true;
        for v in [min, max].into_iter().flatten() {
            if u32::try_from(v).is_err() {
                checker.report(
                    ProblemKind::Threshold,
                    span.clone(),
                    format!("montant d'amende impossible\u{a0}: {v}\u{a0}€"),
                );
                ok = false;
            }
        }
        if min.is_none() && max.is_none() {
            checker.report(
                ProblemKind::EmptyCondition,
                span.clone(),
                "amende sans montant (indiquez min et/ou max, en euros)".to_owned(),
            );
            ok = false;
        }
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            checker.report(
                ProblemKind::Threshold,
                span.clone(),
                format!(
                    "amende impossible\u{a0}: minimum {a}\u{a0}€ supérieur au maximum {b}\u{a0}€"
                ),
            );
            ok = false;
        }
        if ok {
            out.fine_min = min.map(|v| v as u32);
            out.fine_max = max.map(|v| v as u32);
        }
    }
    if let Some(stage) = m.stage {
        match StageKind::ALL
            .into_iter()
            .find(|s| s.id() == stage.get_ref())
        {
            Some(s) => out.stage = Some(s),
            None => checker.report(
                ProblemKind::UnknownValue,
                stage.span(),
                format!(
                    "genre de stage inconnu {} (possibles\u{a0}: {})",
                    quoted(stage.get_ref()),
                    StageKind::ALL.map(|s| s.id()).join(", ")
                ),
            ),
        }
    }
    out
}

fn families(checker: &mut Checker, names: Names) -> Vec<String> {
    let mut out = Vec::new();
    if names.get_ref().is_empty() {
        checker.report(
            ProblemKind::EmptyCondition,
            names.span(),
            "liste de familles d'infractions vide".to_owned(),
        );
    }
    for name in names.into_inner() {
        if FAMILIES.contains(&name.get_ref().as_str()) {
            out.push(name.into_inner());
        } else {
            checker.report(
                ProblemKind::UnknownValue,
                name.span(),
                format!(
                    "famille d'infractions inconnue {} (familles possibles\u{a0}: {})",
                    quoted(name.get_ref()),
                    FAMILIES.join(", ")
                ),
            );
        }
    }
    out
}

fn natinf_codes(checker: &mut Checker, names: Names) -> Vec<String> {
    let mut out = Vec::new();
    for name in names.into_inner() {
        let code = name.get_ref().trim();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
            checker.report(
                ProblemKind::UnknownValue,
                name.span(),
                format!(
                    "code NATINF invalide {} (des chiffres seulement)",
                    quoted(code)
                ),
            );
        } else {
            out.push(code.to_owned());
        }
    }
    out
}

fn licence_statuses(checker: &mut Checker, names: Names) -> Vec<LicenceStatus> {
    const STATUSES: [(&str, LicenceStatus); 6] = [
        ("valide", LicenceStatus::Valide),
        ("suspendu", LicenceStatus::Suspendu),
        ("annule", LicenceStatus::Annule),
        ("invalide", LicenceStatus::Invalide),
        ("jamais_obtenu", LicenceStatus::JamaisObtenu),
        ("inconnu", LicenceStatus::Inconnu),
    ];
    let mut out = Vec::new();
    for name in names.into_inner() {
        match STATUSES.iter().find(|(id, _)| id == name.get_ref()) {
            Some((_, status)) => out.push(*status),
            None => checker.report(
                ProblemKind::UnknownValue,
                name.span(),
                format!(
                    "statut de permis inconnu {} (possibles\u{a0}: {})",
                    quoted(name.get_ref()),
                    STATUSES.map(|(id, _)| id).join(", ")
                ),
            ),
        }
    }
    out
}

fn bounds(checker: &mut Checker, raw: Spanned<RawBounds>, what: &str) -> Bounds {
    let span = raw.span();
    let b = raw.into_inner();
    let mut problem = |message: String| {
        checker.report(ProblemKind::Threshold, span.clone(), message);
    };
    let lower = match (b.at_least, b.over) {
        (Some(_), Some(_)) => {
            problem(format!(
                "seuil impossible pour {what}\u{a0}: «\u{a0}at_least\u{a0}» et «\u{a0}over\u{a0}» ensemble"
            ));
            None
        }
        (Some(v), None) => Some((v, true)),
        (None, Some(v)) => Some((v, false)),
        (None, None) => None,
    };
    let upper = match (b.up_to, b.below) {
        (Some(_), Some(_)) => {
            problem(format!(
                "seuil impossible pour {what}\u{a0}: «\u{a0}up_to\u{a0}» et «\u{a0}below\u{a0}» ensemble"
            ));
            None
        }
        (Some(v), None) => Some((v, true)),
        (None, Some(v)) => Some((v, false)),
        (None, None) => None,
    };
    let bounds = Bounds { lower, upper };
    if [b.at_least, b.over, b.below, b.up_to]
        .iter()
        .all(Option::is_none)
    {
        problem(format!(
            "seuil vide pour {what} (indiquez at_least, over, below ou up_to)"
        ));
    }
    for (v, _) in lower.into_iter().chain(upper) {
        if !v.is_finite() || v < 0.0 {
            problem(format!(
                "seuil impossible pour {what}\u{a0}: {} (une valeur négative ne peut pas être atteinte)",
                decimal(v)
            ));
        }
    }
    if let (Some((a, ai)), Some((z, zi))) = (lower, upper)
        && (a > z || (a == z && !(ai && zi)))
    {
        problem(format!(
            "seuil impossible pour {what}\u{a0}: aucune valeur n'est {}",
            bounds.describe("", false)
        ));
    }
    bounds
}

/// Checks a condition; problems go to `checker`.
pub(crate) fn check_condition(checker: &mut Checker, raw: Spanned<RawCondition>) -> Condition {
    let span = raw.span();
    let c = raw.into_inner();
    let mut parts: Vec<Condition> = Vec::new();
    if let Some(n) = c.family {
        parts.push(Condition::Family(families(checker, n)));
    }
    if let Some(n) = c.only_families {
        parts.push(Condition::OnlyFamilies(families(checker, n)));
    }
    if let Some(n) = c.natinf {
        parts.push(Condition::Natinf(natinf_codes(checker, n)));
    }
    if let Some(n) = c.antecedent_family {
        parts.push(Condition::AntecedentFamily(families(checker, n)));
    }
    if let Some(b) = c.alcohol_retained {
        parts.push(Condition::AlcoholRetained(bounds(
            checker,
            b,
            "le taux d'alcool retenu",
        )));
    }
    if let Some(b) = c.alcohol_after_margin {
        parts.push(Condition::AlcoholAfterMargin(bounds(
            checker,
            b,
            "le taux d'alcool après marge",
        )));
    }
    if let Some(v) = c.recidive {
        parts.push(Condition::Recidive(v));
    }
    if let Some(b) = c.antecedents {
        parts.push(Condition::Antecedents(bounds(
            checker,
            b,
            "le nombre d'antécédents",
        )));
    }
    if let Some(v) = c.injuries {
        parts.push(Condition::Injuries(v));
    }
    if let Some(b) = c.itt_days {
        parts.push(Condition::IttDays(bounds(checker, b, "l'ITT")));
    }
    if let Some(b) = c.deaths {
        parts.push(Condition::Deaths(bounds(checker, b, "le nombre de décès")));
    }
    if let Some(n) = c.licence {
        parts.push(Condition::Licence(licence_statuses(checker, n)));
    }
    if let Some(b) = c.speed_excess {
        parts.push(Condition::SpeedExcess(bounds(
            checker,
            b,
            "l'excès de vitesse",
        )));
    }
    if let Some(b) = c.age {
        parts.push(Condition::Age(bounds(checker, b, "l'âge")));
    }
    for (list, any) in [(c.all, false), (c.any, true)] {
        let Some(list) = list else { continue };
        if list.is_empty() {
            checker.report(
                ProblemKind::EmptyCondition,
                span.clone(),
                format!(
                    "liste «\u{a0}{}\u{a0}» vide",
                    if any { "any" } else { "all" }
                ),
            );
        }
        let children = list
            .into_iter()
            .map(|c| check_condition(checker, c))
            .collect();
        parts.push(if any {
            Condition::Any(children)
        } else {
            Condition::All(children)
        });
    }
    if let Some(inner) = c.not {
        parts.push(Condition::Not(Box::new(check_condition(checker, *inner))));
    }
    match parts.len() {
        0 => {
            checker.report(
                ProblemKind::EmptyCondition,
                span,
                "condition vide (indiquez au moins un critère)".to_owned(),
            );
            Condition::All(Vec::new())
        }
        1 => parts.pop().expect("one part"),
        _ => Condition::All(parts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "[policy]\nname = \"P\"\nversion = \"1\"\nauthor = \"A\"\neffective = 2026-01-01\n";

    /// A rule with the given `when` body (and extra rule lines before it).
    fn rule(id: &str, extra: &str, when: &str) -> String {
        format!(
            "\n[[rule]]\nid = \"{id}\"\norientation = \"copj\"\nexplanation = \"E\"\n{extra}[rule.when]\n{when}\n"
        )
    }

    /// `expect`: every problem as "line:column code message-start", one per line.
    #[track_caller]
    fn check(text: &str, expect: &str) {
        let got = match parse("essai.toml", text) {
            Ok(_) => "ok".to_owned(),
            Err(PolicyError::Invalid { file, problems }) => {
                assert_eq!(file, "essai.toml");
                problems
                    .iter()
                    .map(|p| format!("{}:{} {} {}", p.line, p.column, p.kind.code(), p.message))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Err(e) => panic!("{e}"),
        };
        let ok = got.lines().count() == expect.lines().count()
            && got
                .lines()
                .zip(expect.lines())
                .all(|(g, e)| g.starts_with(e.trim()));
        assert!(ok, "got:\n{got}\nexpected:\n{expect}");
    }

    #[test]
    fn valid_policies() {
        check(
            &format!(
                "{HEADER}{}",
                rule("a", "", "family = [\"refus_obtemperer\"]")
            ),
            "ok",
        );
        check(
            &format!(
                "# commentaire\n{HEADER}{}",
                rule(
                    "b-1",
                    "legal_basis = \"art. L. 233-1\"\n[rule.measures]\nfine = { max = 800 }\nstage = \"stupefiants\"\n",
                    "any = [ { itt_days = { over = 90 } }, { not = { age = { below = 18 } } } ]\nlicence = [\"valide\"]"
                )
            ),
            "ok",
        );
    }

    #[test]
    fn broken_policies_are_refused_with_line_and_column() {
        // TOML syntax
        check(
            &format!("{HEADER}[[rule]\nid = \"a\""),
            "6:8 policy.syntax en-tête de section non fermé",
        );
        check(
            &format!("{HEADER}{}", rule("a", "", "family = [\"stupefiants\"")),
            "12:24 policy.syntax liste non fermée",
        );
        check(
            "[policy]\nname = Politique\n",
            "2:8 policy.syntax un texte doit être écrit entre guillemets",
        );
        // unknown field (here a typo), with the fields possible
        check(
            &format!("{HEADER}{}", rule("a", "", "familly = [\"stupefiants\"]")),
            "12:1 policy.unknown_field champ inconnu «\u{a0}familly\u{a0}» (champs possibles ici\u{a0}: «\u{a0}family\u{a0}»",
        );
        check(
            &format!("{HEADER}{}", rule("a", "", "itt_days = { more_than = 90 }")),
            "12:12 policy.unknown_field champ inconnu «\u{a0}more_than\u{a0}» (champs possibles ici\u{a0}: «\u{a0}at_least\u{a0}», «\u{a0}over\u{a0}», «\u{a0}below\u{a0}», «\u{a0}up_to\u{a0}»)",
        );
        // missing field
        check(
            "[policy]\nname = \"P\"\nversion = \"1\"\neffective = 2026-01-01\n",
            "1:1 policy.missing_field champ obligatoire manquant\u{a0}: «\u{a0}author\u{a0}»",
        );
        // wrong type
        check(
            &format!("{HEADER}{}", rule("a", "", "recidive = \"oui\"")),
            "12:12 policy.type valeur de type incorrect\u{a0}: le texte «\u{a0}oui\u{a0}» au lieu de true ou false",
        );
        // unknown family, orientation, licence status, stage
        check(
            &format!(
                "{HEADER}{}",
                rule("a", "", "family = [\"alcool\", \"stupefiants\"]")
            ),
            "12:11 policy.unknown_value famille d'infractions inconnue «\u{a0}alcool\u{a0}»",
        );
        check(
            &format!(
                "{HEADER}{}",
                rule("a", "", "licence = [\"retire\"]").replace("copj", "tribunal")
            ),
            "9:15 policy.unknown_value orientation inconnue «\u{a0}tribunal\u{a0}»\n\
             12:12 policy.unknown_value statut de permis inconnu «\u{a0}retire\u{a0}»",
        );
        check(
            &format!(
                "{HEADER}{}",
                rule(
                    "a",
                    "[rule.measures]\nstage = \"yoga\"\n",
                    "injuries = true"
                )
            ),
            "12:9 policy.unknown_value genre de stage inconnu «\u{a0}yoga\u{a0}»",
        );
        // impossible thresholds
        check(
            &format!(
                "{HEADER}{}",
                rule("a", "", "alcohol_after_margin = { at_least = -0.4 }")
            ),
            "12:24 policy.threshold seuil impossible pour le taux d'alcool après marge\u{a0}: -0,4",
        );
        check(
            &format!(
                "{HEADER}{}",
                rule("a", "", "itt_days = { over = 90, below = 30 }")
            ),
            "12:12 policy.threshold seuil impossible pour l'ITT\u{a0}: aucune valeur n'est plus de 90 et moins de 30",
        );
        check(
            &format!(
                "{HEADER}{}",
                rule("a", "", "speed_excess = { at_least = 50, over = 40 }")
            ),
            "12:16 policy.threshold seuil impossible pour l'excès de vitesse\u{a0}: «\u{a0}at_least\u{a0}» et «\u{a0}over\u{a0}» ensemble",
        );
        check(
            &format!(
                "{HEADER}{}",
                rule(
                    "a",
                    "[rule.measures]\nfine = { min = 800, max = 500 }\nsuspension_months = -3\n",
                    "injuries = true"
                )
            ),
            "12:8 policy.threshold amende impossible\u{a0}: minimum 800\u{a0}€ supérieur au maximum 500\u{a0}€\n\
             13:21 policy.threshold durée impossible pour la suspension du permis\u{a0}: -3 mois",
        );
        // duplicate rule id, and the line of the first
        check(
            &format!(
                "{HEADER}{}{}",
                rule("a", "", "injuries = true"),
                rule("a", "", "injuries = false")
            ),
            "15:6 policy.duplicate_rule identifiant de règle «\u{a0}a\u{a0}» déjà utilisé à la ligne 8",
        );
        // empty condition, no rule, date with a time
        check(
            &format!("{HEADER}{}", rule("a", "", "not = {}")),
            "12:7 policy.empty_condition condition vide",
        );
        check(
            HEADER,
            "1:1 policy.no_rule la politique ne contient aucune règle",
        );
        check(
            &format!(
                "{}{}",
                HEADER.replace("2026-01-01", "2026-01-01T10:00:00"),
                rule("a", "", "injuries = true")
            ),
            "5:13 policy.type la date d'effet doit être une date seule",
        );
    }

    #[test]
    fn error_display_names_the_file_line_and_column() {
        let e = parse(
            "ma-politique.toml",
            &format!(
                "{HEADER}{}",
                rule("a", "", "family = [\"alcool\"]\nage = { below = -1 }")
            ),
        )
        .unwrap_err();
        assert_eq!(e.code(), "policy.unknown_value");
        let text = e.to_string();
        assert!(
            text.starts_with(
                "politique «\u{a0}ma-politique.toml\u{a0}», ligne 12, colonne 11\u{a0}: famille d'infractions inconnue «\u{a0}alcool\u{a0}»"
            ),
            "{text}"
        );
        assert!(text.ends_with(" (et 1 autre erreur)"), "{text}");
        assert_eq!(e.lines().len(), 2);
    }

    #[test]
    fn bounds_describe_and_contain() {
        let b = Bounds {
            lower: Some((0.40, true)),
            upper: Some((1.0, false)),
        };
        assert_eq!(
            b.describe("mg/L", true),
            "au moins 0,40 et moins de 1,00\u{a0}mg/L"
        );
        assert!(b.contains(0.40) && b.contains(0.999) && !b.contains(1.0) && !b.contains(0.399));
        let exact = Bounds {
            lower: Some((0.0, true)),
            upper: Some((0.0, true)),
        };
        assert_eq!(exact.describe("", false), "égal à 0");
        assert_eq!(decimal(0.386), "0,386");
        assert_eq!(rate_text(0.4), "0,40");
    }
}
