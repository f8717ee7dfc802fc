//! The model: sources from evidence pages, statements, names against the schema.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;
use crate::draft::{Criterion144, Decision, Detention, Dossier, Magistrate};
use crate::facts::{Facts, Person, Piece, PieceKind, Role};

fn piece(index: u32, cote: Option<&str>, first: u32, last: u32) -> Piece {
    Piece {
        index,
        cote: cote.map(str::to_owned),
        kind: PieceKind::Other,
        title: format!("PIÈCE {index}"),
        number: None,
        date: None,
        first_page: first,
        last_page: last,
    }
}

fn evidence(page: u32) -> Evidence {
    Evidence {
        page,
        start: 0,
        end: 1,
        text: "x".into(),
        ocr_confidence: None,
    }
}

/// The labelled facts of a fixture (no evidence in labels: pages are added where needed).
pub(crate) fn label(name: &str) -> Facts {
    let path = format!(
        "{}/fixtures/small/{name}.expected.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn sources_name_the_piece_and_the_page() {
    let nb = '\u{a0}';
    let with_cotes = vec![
        piece(1, Some("D1"), 1, 1),
        piece(2, Some("D2"), 2, 3),
        piece(3, Some("D12"), 4, 6),
    ];
    let without = vec![
        piece(1, None, 1, 2),
        piece(2, None, 3, 3),
        piece(4, None, 4, 9),
    ];
    let table: [(&Vec<Piece>, Vec<u32>, String); 8] = [
        (&with_cotes, vec![1], format!("(D1, p.{nb}1)")),
        (&with_cotes, vec![3, 2], format!("(D2, p.{nb}2 et 3)")),
        (
            &with_cotes,
            vec![5, 2, 4],
            format!("(D2, p.{nb}2\u{202f}; D12, p.{nb}4 et 5)"),
        ),
        (&with_cotes, vec![6, 6], format!("(D12, p.{nb}6)")),
        (&with_cotes, vec![42], format!("(p.{nb}42)")),
        (&without, vec![2], format!("(pièce n°{nb}1, p.{nb}2)")),
        (
            &without,
            vec![7, 3],
            format!("(pièce n°{nb}2, p.{nb}3\u{202f}; pièce n°{nb}4, p.{nb}7)"),
        ),
        (&without, vec![], String::new()),
    ];
    for (pieces, pages, expect) in table {
        let mut facts = label("alcool-police");
        facts.pieces = pieces.clone();
        let ev: Vec<Evidence> = pages.iter().map(|p| evidence(*p)).collect();
        assert_eq!(source(&facts, &ev), expect, "{pages:?}");
    }
}

/// An input where every list of the model has an item.
pub(crate) fn rich_input() -> DraftInput {
    let mut facts = label("stup-recidive-gendarmerie");
    for (i, p) in facts.persons.iter_mut().enumerate() {
        p.evidence = vec![evidence(1 + i as u32)];
    }
    facts.persons.push(Person {
        role: Role::Victime,
        surname: "Lemoine".into(),
        given_names: "anne-marie".into(),
        birth_date: None,
        birth_place: Some("Évry".into()),
        quality: None,
        evidence: vec![evidence(8)],
    });
    for o in &mut facts.offences {
        o.evidence = vec![evidence(9)];
    }
    facts.facts.evidence = vec![evidence(1)];
    if let Some(a) = facts.alcohol.as_mut() {
        a.evidence = vec![evidence(5)];
    }
    for a in &mut facts.antecedents {
        a.evidence = vec![evidence(7)];
    }
    facts.speed = Some(crate::facts::Speed {
        measured: Some(112.0),
        retained: Some(106.0),
        limit: Some(50.0),
        evidence: vec![evidence(1)],
    });
    facts.injuries = crate::facts::Injuries {
        present: true,
        deaths: Some(0),
        itt_days: Some(12),
        evidence: vec![evidence(3)],
    };
    let mut proposal = crate::orient::propose(&facts, &crate::orient::default_policy());
    proposal.missing.push("La date de naissance manque".into());
    DraftInput {
        dossier: Dossier {
            id: "42".into(),
            title: "Avon — KOWALSKI".into(),
            parquet_number: Some("25/335/0001".into()),
        },
        facts,
        proposal: Some(proposal),
        decision: Some(Decision {
            orientation: "crpc_deferement".into(),
            accepted: true,
            reason: Some("Récidive : déferrement".into()),
            magistrate: "Claire MARTIN".into(),
            function: "substitut du procureur de la République".into(),
            decided_at: "2025-12-01T10:20:00+01:00".into(),
        }),
        court: Some("Fontainebleau".into()),
        magistrate: Magistrate {
            name: Some("Claire MARTIN".into()),
            function: Some("substitut du procureur de la République".into()),
        },
        detention: Detention {
            criteria: vec![
                Criterion144 {
                    number: 6,
                    reasoning: "Deux condamnations en deux ans".into(),
                    cotes: vec!["D6".into()],
                },
                Criterion144 {
                    number: 5,
                    reasoning: String::new(),
                    cotes: vec![],
                },
            ],
            insufficiency: Some("Aucune garantie de représentation".into()),
        },
        conclusion: Conclusion::FromFacts,
        now: chrono::DateTime::parse_from_rfc3339("2026-12-01T09:05:00+01:00").unwrap(),
    }
}

fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                paths(child, &p, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                paths(item, prefix, out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_model_has_exactly_the_names_of_the_schema() {
    let model = build(Kind::Synthese, &rich_input());
    let mut found = BTreeSet::new();
    paths(&model, "", &mut found);
    let schema: BTreeSet<String> = SCHEMA_FIELDS.iter().map(|f| f.path.to_owned()).collect();
    let missing: Vec<_> = schema.difference(&found).collect();
    let undocumented: Vec<_> = found.difference(&schema).collect();
    assert!(
        missing.is_empty(),
        "in the schema, not in the model: {missing:?}"
    );
    assert!(
        undocumented.is_empty(),
        "in the model, not in the schema: {undocumented:?}"
    );
    // Kinds agree with the values.
    for f in SCHEMA_FIELDS {
        let mut v = &model;
        let mut ok = true;
        for part in f.path.split('.') {
            v = match v {
                Value::Array(a) => match a.first().and_then(|i| i.get(part)) {
                    Some(x) => x,
                    None => {
                        ok = false;
                        break;
                    }
                },
                other => match other.get(part) {
                    Some(x) => x,
                    None => {
                        ok = false;
                        break;
                    }
                },
            };
        }
        assert!(ok, "{}", f.path);
        let fits = match f.kind {
            FieldKind::Text => v.is_string() || v.is_null(),
            FieldKind::Bool => v.is_boolean(),
            FieldKind::List => v.is_array(),
            FieldKind::Object => v.is_object(),
        };
        assert!(fits, "{} is {:?} but holds {v}", f.path, f.kind);
    }
}

#[test]
fn statements_read_as_french_and_cite_their_source() {
    let model = build(Kind::Synthese, &rich_input());
    let nb = '\u{a0}';
    let resume: Vec<(String, String)> = model["faits"]["resume"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["texte"].as_str().unwrap().to_owned(),
                s["source"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        resume[0].0.starts_with(&format!(
            "Le 1er{nb}décembre{nb}2025 vers 1{nb}h{nb}15, à Avon, Noé Jacques Joseph KOWALSKI"
        )),
        "{resume:?}"
    );
    assert_eq!(resume[0].1, format!("(D1, p.{nb}1)"));
    for (texte, source) in &resume {
        assert!(source.starts_with("(D"), "{texte} has no source");
    }
    assert_eq!(model["personne"]["nom"], "KOWALSKI");
    assert_eq!(model["victimes"][0]["nom_complet"], "Anne-Marie LEMOINE");
    assert_eq!(model["victimes"][0]["naissance"], "né(e) à Évry");
    assert_eq!(
        model["tribunal"]["entete"],
        "TRIBUNAL JUDICIAIRE DE FONTAINEBLEAU"
    );
    assert_eq!(
        model["aujourdhui"]["lettres"],
        "le premier décembre deux mille vingt-six"
    );
    assert_eq!(model["vitesse"]["depassement"], format!("56{nb}km/h"));
    assert_eq!(model["blessures"]["itt"], format!("12{nb}jours"));
    assert_eq!(model["recidive"], true);
    assert_eq!(model["decision"]["orientation"], "CRPC sur déferrement");
    assert_eq!(
        model["decision"]["motif"],
        format!("Récidive{nb}: déferrement")
    );
    assert_eq!(model["orientation"]["origine"], "décision du magistrat");
    let criteres = model["jld"]["criteres"].as_array().unwrap();
    assert_eq!(criteres[0]["numero"], "5°");
    assert!(criteres[0]["motivation"].is_null());
    assert_eq!(criteres[1]["cotes"], "D6");
    assert_eq!(model["jld"]["detention_possible"], true);
    assert_eq!(model["requisitions"]["renvoi"], true);
    let stup = &model["infractions"][1];
    assert_eq!(stup["natinf"], "29256");
    assert_eq!(
        stup["peine"],
        format!("quatre ans d'emprisonnement et 9{nb}000{nb}€ d'amende")
    );
    assert_eq!(model["pieces"][1]["pages"], "2 à 3");
    assert_eq!(
        model["pieces"][5]["nature"],
        format!("Bulletin n°{nb}1 du casier judiciaire")
    );
}

#[test]
fn unknown_facts_stay_unknown() {
    let mut input = rich_input();
    input.facts.persons.clear();
    input.facts.offences.clear();
    input.facts.alcohol = None;
    input.proposal = None;
    input.decision = None;
    input.court = None;
    input.magistrate = Magistrate::default();
    let model = build(Kind::Requisitoire, &input);
    assert!(model["personne"]["nom"].is_null());
    assert_eq!(model["alcool"]["present"], false);
    assert_eq!(model["proposition"]["presente"], false);
    assert_eq!(model["requisitions"]["non_lieu"], true);
    assert_eq!(model["jld"]["detention_possible"], false);
    assert!(model["magistrat"]["nom"].is_null());
    assert_eq!(model["tribunal"]["entete"], "TRIBUNAL JUDICIAIRE DE ………………");
    assert_eq!(
        model["orientation"]["origine"],
        "à décider par le magistrat"
    );
}
