//! `propose` against the example policy: a fact set written in a few words, the expected
//! orientation and the short ids (before the first `-`) of every rule that matches.
//!
//! Fact words: `fam=a,b` offences; `air=0.42` (éthylomètre, margin computed) or
//! `air=0.42/0.386` (after margin given); `blood=0.80`; `rec=true|false|null`;
//! `ante=fam,fam` previous convictions; `inj` a victim, `itt=N`, `deaths=N`; `lic=status`;
//! `speed=RETAINED/LIMIT`; `born=YYYY-MM-DD`, `on=YYYY-MM-DD` (facts date).

use super::*;
use crate::facts::{
    Alcohol, AlcoholMethod, AlcoholUnit, Antecedent, Evidence, Facts, Injuries, LicenceStatus,
    Offence, Person, Role, Source, Speed,
};

fn facts(words: &str) -> Facts {
    let mut f = Facts::empty(Source {
        file: "test.pdf".into(),
        sha256: "0".into(),
        pages: 1,
        ocr_pages: Vec::new(),
    });
    f.persons.push(Person {
        role: Role::MisEnCause,
        surname: "DUPONT".into(),
        given_names: "Jean".into(),
        birth_date: Some("1980-01-01".into()),
        birth_place: None,
        quality: None,
        evidence: Vec::new(),
    });
    f.facts.date = Some("2026-03-12".into());
    f.recidive = Some(false);
    f.licence.status = LicenceStatus::Valide;
    f.injuries = Injuries {
        present: false,
        deaths: Some(0),
        itt_days: None,
        evidence: Vec::new(),
    };
    for word in words.split_whitespace() {
        let (key, value) = word.split_once('=').unwrap_or((word, ""));
        match key {
            "fam" => {
                for family in value.split(',') {
                    f.offences.push(Offence {
                        family: family.into(),
                        natinf: None,
                        label: family.into(),
                        evidence: Vec::new(),
                    });
                }
            }
            "air" | "blood" => {
                let (v, after) = match value.split_once('/') {
                    Some((v, a)) => (v.parse().unwrap(), Some(a.parse().unwrap())),
                    None => (value.parse().unwrap(), None),
                };
                f.alcohol = Some(Alcohol {
                    value: v,
                    unit: if key == "air" {
                        AlcoholUnit::MgPerLitreAir
                    } else {
                        AlcoholUnit::GPerLitreBlood
                    },
                    method: Some(if key == "air" {
                        AlcoholMethod::Ethylometre
                    } else {
                        AlcoholMethod::PriseDeSang
                    }),
                    measures: vec![v],
                    after_margin: after,
                    evidence: Vec::new(),
                });
            }
            "rec" => f.recidive = value.parse().ok(),
            "ante" => {
                for family in value.split(',') {
                    f.antecedents.push(Antecedent {
                        date: Some("2023-01-01".into()),
                        label: format!("condamnation pour {family}"),
                        family: Some(family.into()),
                        evidence: Vec::new(),
                    });
                }
            }
            "inj" => f.injuries.present = true,
            "itt" => f.injuries.itt_days = Some(value.parse().unwrap()),
            "deaths" => f.injuries.deaths = Some(value.parse().unwrap()),
            "lic" => {
                f.licence.status = serde_json::from_value(serde_json::json!(value)).unwrap();
            }
            "speed" => {
                let (r, l) = value.split_once('/').unwrap();
                f.speed = Some(Speed {
                    measured: None,
                    retained: Some(r.parse().unwrap()),
                    limit: Some(l.parse().unwrap()),
                    evidence: Vec::new(),
                });
            }
            "born" => {
                f.persons[0].birth_date = (value != "null").then(|| value.to_owned());
            }
            "on" => f.facts.date = Some(value.into()),
            other => panic!("unknown fact word {other}"),
        }
    }
    f
}

fn short(id: &str) -> &str {
    id.split('-').next().unwrap()
}

/// `expect`: "orientation r1 r2 ..." (every matched rule, in policy order).
#[track_caller]
fn check(words: &str, expect: &str) {
    let policy = default_policy();
    let p = propose(&facts(words), &policy);
    let mut got = vec![p.orientation.id().to_owned()];
    got.extend(p.rules.iter().map(|r| short(&r.id).to_owned()));
    assert_eq!(got.join(" "), expect, "facts: {words}");
}

#[test]
fn every_rule_of_the_example_policy() {
    // 1. death
    check(
        "fam=homicide_involontaire inj deaths=1",
        "ouverture_information r1",
    );
    check(
        "inj deaths=2 fam=blessures_involontaires",
        "ouverture_information r1",
    );
    // 2. ITT over 3 months
    check(
        "fam=blessures_involontaires inj itt=120",
        "comparution_immediate r2",
    );
    // 3. récidive of alcohol / narcotics (assimilated)
    check(
        "fam=alcool_delit air=0.62 rec=true ante=alcool_delit",
        "crpc_deferement r3",
    );
    check(
        "fam=stupefiants rec=true ante=refus_verification_alcool",
        "crpc_deferement r3",
    );
    // récidive stated with no conviction detailed: rule 3 (rule 7 also holds, less severe)
    check("fam=alcool_delit air=0.5 rec=true", "crpc_deferement r3 r7");
    // 3 b. ... with refus d'obtempérer
    check(
        "fam=stupefiants,refus_obtemperer rec=true ante=alcool_delit",
        "comparution_immediate r3 r3b r4",
    );
    // 4. refus d'obtempérer
    check("fam=refus_obtemperer", "copj r4");
    // 5. driving despite suspension: family, or the licence status alone
    check("fam=conduite_malgre_suspension lic=suspendu", "copj r5");
    check("fam=defaut_assurance lic=invalide", "copj r5 r10");
    // 6. ≥ 1.00 mg/L after margin, ITT ≤ 3 months, délit de fuite
    check("fam=alcool_delit air=1.20", "crpc_convocation r6");
    check(
        "fam=blessures_involontaires inj itt=10",
        "crpc_convocation r6",
    );
    check("fam=delit_fuite", "crpc_convocation r6");
    // 7. alcohol délit, ivresse, narcotics, refusals, no prior conviction
    check("fam=alcool_delit air=0.62", "composition_penale r7");
    check("fam=ivresse_manifeste", "composition_penale r7");
    check(
        "fam=refus_verification_stupefiants",
        "composition_penale r7",
    );
    // 8. the same with prior convictions but no récidive
    check(
        "fam=alcool_delit air=0.62 ante=other",
        "ordonnance_penale r8",
    );
    check(
        "fam=stupefiants ante=alcool_delit rec=false",
        "ordonnance_penale r8",
    );
    // 9. alcohol contravention
    check("fam=alcool_contravention air=0.30", "amende_forfaitaire r9");
    // 10. driving without licence / insurance alone
    check(
        "fam=defaut_permis lic=jamais_obtenu",
        "amende_forfaitaire_delictuelle r10",
    );
    check(
        "fam=defaut_permis,defaut_assurance lic=jamais_obtenu",
        "amende_forfaitaire_delictuelle r10",
    );
    check("fam=defaut_assurance ante=other", "ordonnance_penale r10b");
    // 11. speed excess of 50 km/h or more alone
    check("fam=exces_vitesse speed=112/60", "ordonnance_penale r11");
    // 12. outrage / rébellion
    check("fam=outrage_rebellion", "copj r12");
}

#[test]
fn combinations_take_the_most_severe() {
    check(
        "fam=alcool_delit,blessures_involontaires,homicide_involontaire air=0.9 inj itt=30 deaths=1",
        "ouverture_information r1 r6 r7",
    );
    check(
        "fam=alcool_delit,blessures_involontaires,delit_fuite air=0.5 inj itt=100",
        "comparution_immediate r2 r6 r7",
    );
    check("fam=alcool_delit,refus_obtemperer air=0.62", "copj r4 r7");
    // the récidive rule gives way to a more severe rule on another offence
    check(
        "fam=alcool_delit,conduite_malgre_suspension air=0.62 rec=true ante=stupefiants lic=annule",
        "copj r3 r5",
    );
    // défaut de permis with another offence: no AFD (art. 495-17 CPP)
    check(
        "fam=alcool_contravention,defaut_permis air=0.30 lic=jamais_obtenu",
        "ordonnance_penale r9 r10b",
    );
    check(
        "fam=alcool_delit,defaut_assurance air=0.5",
        "ordonnance_penale r7 r10b",
    );
    // speed with others: at least an ordonnance pénale
    check(
        "fam=exces_vitesse,alcool_contravention air=0.30 speed=135/80",
        "ordonnance_penale r9 r11b",
    );
    check(
        "fam=exces_vitesse,delit_fuite speed=135/80",
        "crpc_convocation r6 r11b",
    );
    // récidive established by a prior for another offence: not the alcohol récidive rule
    check(
        "fam=alcool_delit,defaut_assurance air=0.62 rec=true ante=defaut_assurance",
        "ordonnance_penale r8 r10b",
    );
    check("fam=outrage_rebellion,alcool_delit air=0.55", "copj r7 r12");
}

#[test]
fn margin_of_error_boundaries() {
    // measured on the éthylomètre: 0.40 → 0.368, 0.42 → 0.386, 0.43 → 0.396, 0.44 → 0.405
    check("fam=alcool_contravention air=0.40", "amende_forfaitaire r9");
    check("fam=alcool_contravention air=0.42", "amende_forfaitaire r9");
    check("fam=alcool_contravention air=0.43", "amende_forfaitaire r9");
    check("fam=alcool_delit air=0.44", "composition_penale r7");
    // the rate decides, not the family: 0.42 charged as a délit is not rule 7
    check("fam=alcool_delit air=0.42", "a_examiner");
    // after margin given: 0.399 / 0.400, 0.999 / 1.000
    check(
        "fam=alcool_contravention air=0.434/0.399",
        "amende_forfaitaire r9",
    );
    check("fam=alcool_delit air=0.435/0.400", "composition_penale r7");
    check("fam=alcool_delit air=1.08/0.99", "composition_penale r7");
    check("fam=alcool_delit air=1.087/1.00", "crpc_convocation r6");
    check("fam=alcool_delit air=1.09", "crpc_convocation r6");
}

#[test]
fn blood_rates_through_the_legal_equivalence() {
    check("fam=alcool_delit blood=0.80", "composition_penale r7");
    check(
        "fam=alcool_contravention blood=0.79",
        "amende_forfaitaire r9",
    );
    check("fam=alcool_delit blood=1.99", "composition_penale r7");
    check("fam=alcool_delit blood=2.0", "crpc_convocation r6");
    let p = propose(&facts("fam=alcool_delit blood=0.80"), &default_policy());
    let reason = &p.rules[0].conditions[1].reason;
    assert!(
        reason.contains("0,80\u{a0}g/L de sang, soit 0,40\u{a0}mg/L d'air expiré"),
        "{reason}"
    );
}

#[test]
fn itt_and_age_boundaries() {
    check(
        "fam=blessures_involontaires inj itt=90",
        "crpc_convocation r6",
    );
    check(
        "fam=blessures_involontaires inj itt=91",
        "comparution_immediate r2",
    );
    // 18 on the day of the facts: AFD; one day younger: no rule (AFD excluded for a minor)
    check(
        "fam=defaut_permis born=2008-03-12 on=2026-03-12",
        "amende_forfaitaire_delictuelle r10",
    );
    check(
        "fam=defaut_permis born=2008-03-13 on=2026-03-12",
        "a_examiner",
    );
    let p = propose(&facts("fam=defaut_permis born=null"), &default_policy());
    assert_eq!(p.orientation, Orientation::AExaminer);
    assert_eq!(p.undetermined.len(), 1);
    assert!(p.undetermined[0].id.starts_with("r10-"));
    assert!(
        p.missing
            .iter()
            .any(|m| m.contains("date de naissance du mis en cause")),
        "{:?}",
        p.missing
    );
}

#[test]
fn unknown_facts_are_said_missing() {
    // no B1: rule 7 applies (no conviction listed), rule 3 is to be checked
    let p = propose(
        &facts("fam=alcool_delit air=0.62 rec=null"),
        &default_policy(),
    );
    assert_eq!(p.orientation, Orientation::CompositionPenale);
    let undetermined: Vec<&str> = p.undetermined.iter().map(|u| short(&u.id)).collect();
    assert_eq!(undetermined, ["r3"]);
    assert_eq!(p.missing.len(), 1, "{:?}", p.missing);
    assert!(p.missing[0].starts_with("Récidive légale\u{a0}: ni établie ni écartée"));
    // no offence: a_examiner, saying so
    let p = propose(&facts(""), &default_policy());
    assert_eq!(p.orientation, Orientation::AExaminer);
    assert!(p.rules.is_empty() && p.measures.is_empty());
    assert_eq!(
        p.missing,
        [
            "Aucune infraction n'est relevée dans la procédure".to_owned(),
            "Aucune règle de la politique «\u{a0}Politique routière (exemple)\u{a0}» ne \
             s'applique\u{a0}: la situation est à examiner"
                .to_owned()
        ]
    );
    // an unknown licence status leaves rule 5 to be checked
    let p = propose(
        &facts("fam=alcool_delit air=0.5 lic=inconnu"),
        &default_policy(),
    );
    assert!(p.undetermined.iter().any(|u| short(&u.id) == "r5"));
}

#[test]
fn reasons_carry_the_evidence() {
    let mut f = facts("fam=alcool_delit air=0.77/0.708");
    let ev = |page, text: &str| Evidence {
        page,
        start: 10,
        end: 10 + text.chars().count(),
        text: text.into(),
        ocr_confidence: None,
    };
    f.offences[0].evidence = vec![ev(1, "conduite sous l'empire d'un état alcoolique")];
    f.offences[0].natinf = Some("1247".into());
    f.alcohol.as_mut().unwrap().evidence = vec![ev(2, "0,77 mg/l")];
    let p = propose(&f, &default_policy());
    let rule = &p.rules[0];
    assert!(rule.decisive);
    let alcohol = rule
        .conditions
        .iter()
        .find(|c| c.reason.starts_with("Taux d'alcool après marge"))
        .unwrap();
    assert_eq!(
        alcohol.reason,
        "Taux d'alcool après marge d'erreur (au moins 0,40 et moins de 1,00\u{a0}mg/L d'air \
         expiré)\u{a0}: 0,708\u{a0}mg/L d'air expiré, 0,77\u{a0}mg/L mesuré"
    );
    assert_eq!(alcohol.evidence, [ev(2, "0,77 mg/l")]);
    // legal frame: the NATINF entry from the shipped table
    let frame = &p.legal_frame.offences[0];
    assert_eq!(frame.entry.as_ref().unwrap().nature, "Délit");
    assert!(p.legal_frame.mandatory.is_empty());
}

#[test]
fn measures_and_mandatory_consequences() {
    let labels = |words: &str| -> Vec<String> {
        propose(&facts(words), &default_policy())
            .measures
            .iter()
            .map(|m| format!("{}{}", m.label, if m.mandatory { " !" } else { "" }))
            .collect()
    };
    assert_eq!(
        labels("fam=alcool_delit air=0.62"),
        [
            "Amende de 300 à 500\u{a0}€",
            "Remise du permis de conduire\u{a0}: 3\u{a0}mois",
            "Stage de sensibilisation à la sécurité routière"
        ]
    );
    // two decisive rules: the longer suspension is kept
    assert_eq!(
        labels("fam=alcool_delit,exces_vitesse air=0.62 ante=other speed=140/80"),
        [
            "Amende de 500 à 800\u{a0}€",
            "Suspension du permis de conduire\u{a0}: 4\u{a0}mois"
        ]
    );
    // récidive: annulation and confiscation imposed by the law (data: assets/law/)
    let m = labels("fam=alcool_delit air=0.62 rec=true ante=alcool_delit");
    assert_eq!(m.len(), 3, "{m:?}");
    assert_eq!(m[0], "Déferrement à l'issue de la garde à vue");
    assert!(m[1].starts_with("Annulation de plein droit") && m[1].contains("L. 234-13"));
    assert!(m[2].starts_with("Confiscation obligatoire") && m[2].ends_with(" !"));
    let p = propose(
        &facts("fam=stupefiants rec=true ante=stupefiants"),
        &default_policy(),
    );
    let mandatory: Vec<&str> = p
        .legal_frame
        .mandatory
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(
        mandatory,
        [
            "annulation-recidive-stupefiants",
            "confiscation-recidive-stupefiants"
        ]
    );
}

#[test]
fn orientation_ids_match_their_serialisation() {
    for (i, o) in Orientation::ALL.iter().enumerate() {
        assert_eq!(serde_json::to_value(o).unwrap(), o.id());
        assert_eq!(Orientation::from_id(o.id()), Some(*o));
        if *o != Orientation::AExaminer {
            assert_eq!(o.severity(), i + 1);
        }
    }
    assert_eq!(Orientation::AExaminer.severity(), 0);
    for m in MeasureKind::ALL {
        assert_eq!(serde_json::to_value(m).unwrap(), m.id());
    }
}

#[test]
fn proposal_json_keeps_the_contract_fields() {
    let p = propose(&facts("fam=alcool_delit air=0.62"), &default_policy());
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["orientation"], "composition_penale");
    assert_eq!(v["policy"]["name"], "Politique routière (exemple)");
    assert_eq!(v["policy"]["version"], "2026.1");
    assert!(v["measures"].is_array());
    let rule = &v["rules"][0];
    assert_eq!(rule["id"], "r7-alcool-stupefiants-sans-antecedent");
    assert_eq!(rule["orientation"], "composition_penale");
    assert!(
        rule["explanation"]
            .as_str()
            .unwrap()
            .contains("composition pénale")
    );
}
