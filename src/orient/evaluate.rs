//! Evaluating a condition on the facts, in three-valued logic: a condition holds, fails, or
//! cannot be decided because a fact it reads is unknown (no B1, no birth date, ...). Every
//! criterion says in French what it asks and what the facts show, with their evidence.

use chrono::NaiveDate;

use super::law::{Law, ethylometre_after_margin};
use super::policy::{Condition, decimal, rate_text};
use super::{Reason, family_label, licence_label};
use crate::facts::{Alcohol, AlcoholMethod, AlcoholUnit, Evidence, Facts, LicenceStatus, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// One criterion read on the facts: what it asks, what was found, where.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub criterion: String,
    pub observed: String,
    pub evidence: Vec<Evidence>,
}

impl Finding {
    pub fn reason(&self) -> Reason {
        let mut text = format!("{}\u{a0}: {}", self.criterion, self.observed);
        if let Some(first) = text.chars().next() {
            text.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
        }
        Reason {
            reason: text,
            evidence: self.evidence.clone(),
        }
    }
}

/// A condition's value, with the findings that decide it (those that held when it holds,
/// those that failed when it fails, those undecided when it is unknown), and every criterion
/// it read on an unknown fact, whatever its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub truth: Truth,
    pub findings: Vec<Finding>,
    pub unknown: Vec<Finding>,
}

fn leaf(truth: Truth, criterion: String, observed: String, evidence: Vec<Evidence>) -> Outcome {
    let finding = Finding {
        criterion,
        observed,
        evidence,
    };
    Outcome {
        truth,
        unknown: if truth == Truth::Unknown {
            vec![finding.clone()]
        } else {
            Vec::new()
        },
        findings: vec![finding],
    }
}

fn truth(b: bool) -> Truth {
    if b { Truth::True } else { Truth::False }
}

fn join<T: AsRef<str>>(items: &[T]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}

fn families_text(families: &[String]) -> String {
    join(&families.iter().map(|f| family_label(f)).collect::<Vec<_>>())
}

/// `dd/mm/yyyy` from `yyyy-mm-dd`.
fn french_date(iso: &str) -> String {
    match NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_owned(),
    }
}

/// A rate as mg/L of exhaled air: blood is converted with the legal equivalence.
fn air_rate(alcohol: &Alcohol, value: f64, law: &Law) -> (f64, String) {
    match alcohol.unit {
        AlcoholUnit::MgPerLitreAir => (
            value,
            format!("{}\u{a0}mg/L d'air expiré", rate_text(value)),
        ),
        AlcoholUnit::GPerLitreBlood => {
            let air = value / law.blood_per_air;
            (
                air,
                format!(
                    "{}\u{a0}g/L de sang, soit {}\u{a0}mg/L d'air expiré (équivalence légale)",
                    rate_text(value),
                    rate_text(air)
                ),
            )
        }
    }
}

pub struct Evaluator<'a> {
    pub facts: &'a Facts,
    pub law: &'a Law,
}

impl Evaluator<'_> {
    pub fn eval(&self, c: &Condition) -> Outcome {
        let f = self.facts;
        match c {
            Condition::All(children) => {
                let outs: Vec<Outcome> = children.iter().map(|c| self.eval(c)).collect();
                let t = if outs.iter().any(|o| o.truth == Truth::False) {
                    Truth::False
                } else if outs.iter().any(|o| o.truth == Truth::Unknown) {
                    Truth::Unknown
                } else {
                    Truth::True
                };
                combine(t, outs)
            }
            Condition::Any(children) => {
                let outs: Vec<Outcome> = children.iter().map(|c| self.eval(c)).collect();
                let t = if outs.iter().any(|o| o.truth == Truth::True) {
                    Truth::True
                } else if outs.iter().any(|o| o.truth == Truth::Unknown) {
                    Truth::Unknown
                } else {
                    Truth::False
                };
                combine(t, outs)
            }
            Condition::Not(inner) => {
                let o = self.eval(inner);
                Outcome {
                    truth: match o.truth {
                        Truth::True => Truth::False,
                        Truth::False => Truth::True,
                        Truth::Unknown => Truth::Unknown,
                    },
                    findings: o
                        .findings
                        .into_iter()
                        .map(|fd| Finding {
                            criterion: negate(&fd.criterion),
                            ..fd
                        })
                        .collect(),
                    unknown: o.unknown,
                }
            }
            Condition::Family(families) => {
                let criterion = format!("infraction parmi {}", families_text(families));
                let hits: Vec<_> = f
                    .offences
                    .iter()
                    .filter(|o| families.contains(&o.family))
                    .collect();
                if hits.is_empty() {
                    leaf(Truth::False, criterion, self.offences_found(), Vec::new())
                } else {
                    let observed = hits
                        .iter()
                        .map(|o| match &o.natinf {
                            Some(n) => format!("{} (NATINF {n})", o.label),
                            None => o.label.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join("\u{a0}; ");
                    let evidence = hits.iter().flat_map(|o| o.evidence.clone()).collect();
                    leaf(Truth::True, criterion, observed, evidence)
                }
            }
            Condition::OnlyFamilies(families) => {
                let criterion = format!("aucune autre infraction que {}", families_text(families));
                let others: Vec<String> = f
                    .offences
                    .iter()
                    .filter(|o| !families.contains(&o.family))
                    .map(|o| family_label(&o.family).to_owned())
                    .collect();
                let evidence = f.offences.iter().flat_map(|o| o.evidence.clone()).collect();
                if f.offences.is_empty() {
                    leaf(
                        Truth::False,
                        criterion,
                        "aucune infraction relevée".into(),
                        evidence,
                    )
                } else if others.is_empty() {
                    leaf(Truth::True, criterion, self.offences_found(), evidence)
                } else {
                    leaf(
                        Truth::False,
                        criterion,
                        format!("aussi {}", join(&others)),
                        evidence,
                    )
                }
            }
            Condition::Natinf(codes) => {
                let criterion = format!("NATINF parmi {}", join(codes));
                let hits: Vec<_> = f
                    .offences
                    .iter()
                    .filter(|o| o.natinf.as_ref().is_some_and(|n| codes.contains(n)))
                    .collect();
                let observed = if hits.is_empty() {
                    "aucune infraction de ces codes".to_owned()
                } else {
                    hits.iter()
                        .map(|o| {
                            format!("NATINF {} ({})", o.natinf.as_deref().unwrap_or(""), o.label)
                        })
                        .collect::<Vec<_>>()
                        .join("\u{a0}; ")
                };
                let evidence = hits.iter().flat_map(|o| o.evidence.clone()).collect();
                leaf(truth(!hits.is_empty()), criterion, observed, evidence)
            }
            Condition::AntecedentFamily(families) => {
                let criterion = format!("condamnation antérieure pour {}", families_text(families));
                let hits: Vec<_> = f
                    .antecedents
                    .iter()
                    .filter(|a| a.family.as_ref().is_some_and(|x| families.contains(x)))
                    .collect();
                let observed = if hits.is_empty() {
                    if f.antecedents.is_empty() {
                        "aucune condamnation relevée".to_owned()
                    } else {
                        "aucune de ces infractions parmi les condamnations relevées".to_owned()
                    }
                } else {
                    hits.iter()
                        .map(|a| match &a.date {
                            Some(d) => format!("{} ({})", a.label, french_date(d)),
                            None => a.label.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join("\u{a0}; ")
                };
                let evidence = hits.iter().flat_map(|a| a.evidence.clone()).collect();
                leaf(truth(!hits.is_empty()), criterion, observed, evidence)
            }
            Condition::AlcoholRetained(bounds) | Condition::AlcoholAfterMargin(bounds) => {
                let retained = matches!(c, Condition::AlcoholRetained(_));
                let criterion = format!(
                    "{} ({})",
                    if retained {
                        "taux d'alcool retenu, tel que mesuré"
                    } else {
                        "taux d'alcool après marge d'erreur"
                    },
                    bounds.describe("mg/L d'air expiré", true)
                );
                match &f.alcohol {
                    None => leaf(
                        Truth::False,
                        criterion,
                        "aucun taux mesuré".into(),
                        Vec::new(),
                    ),
                    Some(a) => {
                        let (air, observed) = if retained {
                            air_rate(a, a.value, self.law)
                        } else {
                            self.after_margin(a)
                        };
                        leaf(
                            truth(bounds.contains(air)),
                            criterion,
                            observed,
                            a.evidence.clone(),
                        )
                    }
                }
            }
            Condition::Recidive(wanted) => {
                let criterion = if *wanted {
                    "récidive légale".to_owned()
                } else {
                    "absence de récidive légale".to_owned()
                };
                let evidence: Vec<Evidence> = f
                    .antecedents
                    .iter()
                    .flat_map(|a| a.evidence.clone())
                    .collect();
                match f.recidive {
                    Some(r) => leaf(
                        truth(r == *wanted),
                        criterion,
                        if r { "établie" } else { "écartée" }.to_owned(),
                        evidence,
                    ),
                    None => leaf(
                        Truth::Unknown,
                        criterion,
                        "ni établie ni écartée par la procédure (pas de bulletin n°\u{a0}1)"
                            .to_owned(),
                        evidence,
                    ),
                }
            }
            Condition::Antecedents(bounds) => {
                let n = f.antecedents.len();
                let criterion = format!(
                    "nombre de condamnations antérieures ({})",
                    bounds.describe("", false)
                );
                let observed = if n == 0 {
                    "aucune relevée dans la procédure".to_owned()
                } else {
                    format!(
                        "{n} ({})",
                        f.antecedents
                            .iter()
                            .map(|a| a.label.as_str())
                            .collect::<Vec<_>>()
                            .join("\u{a0}; ")
                    )
                };
                let evidence = f
                    .antecedents
                    .iter()
                    .flat_map(|a| a.evidence.clone())
                    .collect();
                leaf(
                    truth(bounds.contains(n as f64)),
                    criterion,
                    observed,
                    evidence,
                )
            }
            Condition::Injuries(wanted) => {
                let criterion = if *wanted {
                    "victime blessée ou tuée".to_owned()
                } else {
                    "aucune victime blessée ni tuée".to_owned()
                };
                let observed = if f.injuries.present {
                    "une victime au moins"
                } else {
                    "aucune victime relevée"
                };
                leaf(
                    truth(f.injuries.present == *wanted),
                    criterion,
                    observed.to_owned(),
                    f.injuries.evidence.clone(),
                )
            }
            Condition::IttDays(bounds) => {
                let criterion = format!("ITT ({})", bounds.describe("jours", false));
                let ev = f.injuries.evidence.clone();
                match f.injuries.itt_days {
                    Some(d) => leaf(
                        truth(bounds.contains(d as f64)),
                        criterion,
                        format!("{d}\u{a0}jours"),
                        ev,
                    ),
                    None if !f.injuries.present => {
                        leaf(Truth::False, criterion, "aucune victime blessée".into(), ev)
                    }
                    None if f.injuries.deaths.unwrap_or(0) > 0 => leaf(
                        Truth::False,
                        criterion,
                        "aucune ITT (victime décédée)".into(),
                        ev,
                    ),
                    None => leaf(
                        Truth::Unknown,
                        criterion,
                        "durée de l'ITT inconnue (certificat médical absent ou muet)".into(),
                        ev,
                    ),
                }
            }
            Condition::Deaths(bounds) => {
                let criterion = format!(
                    "nombre de victimes décédées ({})",
                    bounds.describe("", false)
                );
                let ev = f.injuries.evidence.clone();
                match (f.injuries.deaths, f.injuries.present) {
                    (Some(n), _) => leaf(
                        truth(bounds.contains(n as f64)),
                        criterion,
                        n.to_string(),
                        ev,
                    ),
                    (None, false) => leaf(
                        truth(bounds.contains(0.0)),
                        criterion,
                        "aucune victime".into(),
                        ev,
                    ),
                    (None, true) => leaf(
                        Truth::Unknown,
                        criterion,
                        "victimes relevées, décès non précisé".into(),
                        ev,
                    ),
                }
            }
            Condition::Licence(statuses) => {
                let criterion = format!(
                    "permis {}",
                    statuses
                        .iter()
                        .map(|s| licence_label(*s))
                        .collect::<Vec<_>>()
                        .join(" ou ")
                );
                let status = f.licence.status;
                let ev = f.licence.evidence.clone();
                if status == LicenceStatus::Inconnu && !statuses.contains(&status) {
                    leaf(
                        Truth::Unknown,
                        criterion,
                        "statut du permis inconnu (relevé du permis absent)".into(),
                        ev,
                    )
                } else {
                    leaf(
                        truth(statuses.contains(&status)),
                        criterion,
                        licence_label(status).to_owned(),
                        ev,
                    )
                }
            }
            Condition::SpeedExcess(bounds) => {
                let criterion = format!(
                    "excès de vitesse retenu ({})",
                    bounds.describe("km/h", false)
                );
                match &f.speed {
                    None => leaf(
                        Truth::False,
                        criterion,
                        "aucune vitesse relevée".into(),
                        Vec::new(),
                    ),
                    Some(s) => match (s.retained, s.limit) {
                        (Some(r), Some(l)) => leaf(
                            truth(bounds.contains(r - l)),
                            criterion,
                            format!(
                                "{}\u{a0}km/h ({}\u{a0}km/h retenus pour {}\u{a0}km/h autorisés)",
                                decimal(r - l),
                                decimal(r),
                                decimal(l)
                            ),
                            s.evidence.clone(),
                        ),
                        _ => leaf(
                            Truth::Unknown,
                            criterion,
                            "vitesse retenue ou vitesse autorisée inconnue".into(),
                            s.evidence.clone(),
                        ),
                    },
                }
            }
            Condition::Age(bounds) => {
                let criterion = format!(
                    "âge du mis en cause au moment des faits ({})",
                    bounds.describe("ans", false)
                );
                let person = f.persons.iter().find(|p| p.role == Role::MisEnCause);
                let mut evidence: Vec<Evidence> =
                    person.map(|p| p.evidence.clone()).unwrap_or_default();
                evidence.extend(f.facts.evidence.iter().cloned());
                let birth = person.and_then(|p| p.birth_date.as_deref());
                match (birth, f.facts.date.as_deref()) {
                    (Some(b), Some(d)) => match age(b, d) {
                        Some(years) => leaf(
                            truth(bounds.contains(years as f64)),
                            criterion,
                            format!(
                                "{years}\u{a0}ans (né le {}, faits du {})",
                                french_date(b),
                                french_date(d)
                            ),
                            evidence,
                        ),
                        None => leaf(
                            Truth::Unknown,
                            criterion,
                            "date de naissance ou date des faits illisible".into(),
                            evidence,
                        ),
                    },
                    _ => leaf(
                        Truth::Unknown,
                        criterion,
                        "date de naissance du mis en cause ou date des faits inconnue".into(),
                        evidence,
                    ),
                }
            }
        }
    }

    fn offences_found(&self) -> String {
        if self.facts.offences.is_empty() {
            "aucune infraction relevée".to_owned()
        } else {
            let mut names: Vec<&str> = self
                .facts
                .offences
                .iter()
                .map(|o| family_label(&o.family))
                .collect();
            names.dedup();
            format!("infractions relevées\u{a0}: {}", names.join(", "))
        }
    }

    /// The rate after margin in mg/L of air, and how it was obtained.
    fn after_margin(&self, a: &Alcohol) -> (f64, String) {
        let blood = a.unit == AlcoholUnit::GPerLitreBlood;
        match a.after_margin {
            Some(m) => {
                let (air, text) = air_rate(a, m, self.law);
                (air, format!("{text}, {} mesuré", self.measured(a)))
            }
            None if blood || a.method == Some(AlcoholMethod::PriseDeSang) => {
                let (air, text) = air_rate(a, a.value, self.law);
                (air, format!("{text}, sans marge pour une prise de sang"))
            }
            None => {
                let m = ethylometre_after_margin(a.value);
                (
                    m,
                    format!(
                        "{}\u{a0}mg/L d'air expiré, marge de l'éthylomètre déduite de {} mesuré",
                        rate_text(m),
                        self.measured(a)
                    ),
                )
            }
        }
    }

    fn measured(&self, a: &Alcohol) -> String {
        let unit = match a.unit {
            AlcoholUnit::MgPerLitreAir => "mg/L",
            AlcoholUnit::GPerLitreBlood => "g/L",
        };
        format!("{}\u{a0}{unit}", rate_text(a.value))
    }
}

/// The criterion a `not` asks for, in French.
fn negate(criterion: &str) -> String {
    const PAIRS: [(&str, &str); 5] = [
        ("aucune autre infraction que ", "d'autres infractions que "),
        ("infraction parmi ", "aucune infraction parmi "),
        (
            "condamnation antérieure pour ",
            "aucune condamnation antérieure pour ",
        ),
        ("récidive légale", "absence de récidive légale"),
        ("victime blessée ou tuée", "aucune victime blessée ni tuée"),
    ];
    for (a, b) in PAIRS {
        if let Some(rest) = criterion.strip_prefix(a) {
            return format!("{b}{rest}");
        }
        if let Some(rest) = criterion.strip_prefix(b) {
            return format!("{a}{rest}");
        }
    }
    match criterion.strip_prefix("sauf ") {
        Some(rest) => rest.to_owned(),
        None => format!("sauf {criterion}"),
    }
}

fn combine(t: Truth, outs: Vec<Outcome>) -> Outcome {
    let mut out = Outcome {
        truth: t,
        findings: Vec::new(),
        unknown: Vec::new(),
    };
    for o in outs {
        if o.truth == t {
            out.findings.extend(o.findings);
        }
        out.unknown.extend(o.unknown);
    }
    out
}

/// Full years between two ISO dates.
pub fn age(birth: &str, at: &str) -> Option<u32> {
    let b = NaiveDate::parse_from_str(birth, "%Y-%m-%d").ok()?;
    let d = NaiveDate::parse_from_str(at, "%Y-%m-%d").ok()?;
    d.years_since(b)
}

#[cfg(test)]
mod tests {
    use super::negate;

    #[test]
    fn negations_read_as_french() {
        let table = [
            (
                "aucune autre infraction que défaut de permis",
                "d'autres infractions que défaut de permis",
            ),
            (
                "infraction parmi stupéfiants",
                "aucune infraction parmi stupéfiants",
            ),
            ("récidive légale", "absence de récidive légale"),
            ("absence de récidive légale", "récidive légale"),
            (
                "ITT (plus de 90\u{a0}jours)",
                "sauf ITT (plus de 90\u{a0}jours)",
            ),
            (
                "sauf ITT (plus de 90\u{a0}jours)",
                "ITT (plus de 90\u{a0}jours)",
            ),
        ];
        for (criterion, expect) in table {
            assert_eq!(negate(criterion), expect);
            assert_eq!(negate(&negate(criterion)), criterion);
        }
    }
}
