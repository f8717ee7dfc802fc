//! Tracking and figures on real imported dossiers: statuses, timeline, deadlines, the same
//! person across dossiers, figures and their exports (none of which may leak a name).

use crate::support::*;
use permanence::Engine;
use permanence::stats::{Decimal, Filter};

fn engine_with(files: &[&str]) -> (tempfile::TempDir, Engine) {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(tmp.path());
    for f in files {
        engine.import(&fixture(f), None, &mut |_| {}).unwrap();
    }
    engine
        .set_profile(&permanence::store::Profile {
            name: "Claire DURAND".into(),
            function: "substitut".into(),
            court: "Melun".into(),
        })
        .unwrap();
    (tmp, engine)
}

fn status(engine: &Engine, dossier: i64) -> String {
    engine.show(dossier).unwrap().summary.status
}

#[test]
fn statuses_follow_the_work_and_refuse_what_has_not_happened() {
    let (_tmp, mut engine) = engine_with(&["small/alcool-police.pdf"]);
    assert_eq!(status(&engine, 1), "recu");
    let e = engine.set_status(1, "decision_validee").unwrap_err();
    assert_eq!(e.code(), "tracking.refused");
    assert!(e.to_string().contains("aucune décision"), "{e}");
    assert_eq!(
        engine.set_status(1, "archive").unwrap_err().code(),
        "tracking.unknown_status"
    );
    engine
        .correct(1, "/facts/commune", serde_json::json!("Melun"), "")
        .unwrap();
    assert_eq!(status(&engine, 1), "en_examen");
    engine.propose_and_record(1).unwrap();
    assert_eq!(status(&engine, 1), "oriente");
    // The same proposal again is not journaled twice.
    engine.propose_and_record(1).unwrap();
    engine.decide(1, None, "").unwrap();
    assert_eq!(status(&engine, 1), "decision_validee");
    engine.set_status(1, "cloture").unwrap();
    assert_eq!(status(&engine, 1), "cloture");
    let events: Vec<String> = engine
        .timeline(1)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        events,
        [
            "dossier_created",
            "document_imported",
            "fact_corrected",
            "status_changed",
            "proposal_made",
            "status_changed",
            "decision_accepted",
            "status_changed"
        ]
    );
    let timeline = engine.timeline(1).unwrap();
    assert_eq!(timeline[2].label, "Fait corrigé\u{a0}: commune des faits");
    assert_eq!(timeline[2].actor, "Claire DURAND");
    assert!(
        timeline[6]
            .label
            .starts_with("Décision validée, proposition acceptée")
    );
    assert!(engine.verify_journal().unwrap().broken.is_none());
}

#[test]
fn the_end_of_a_running_custody_is_a_deadline() {
    let (_tmp, mut engine) = engine_with(&["small/alcool-police.pdf"]);
    let start = engine
        .dossier_facts(1)
        .unwrap()
        .facts
        .custody
        .unwrap()
        .start
        .unwrap();
    assert_eq!(start, "2026-03-12T23:55");
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
    // Ended: no deadline.
    assert!(
        engine
            .deadlines(1, at("2026-03-13T12:00"))
            .unwrap()
            .is_empty()
    );
    // As if the PV de fin were not in the file yet.
    engine
        .correct(1, "/custody/end", serde_json::Value::Null, "")
        .unwrap();
    let d = engine.deadlines(1, at("2026-03-13T12:00")).unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].due, "2026-03-13T23:55");
    assert_eq!(d[0].state, "a_venir");
    assert_eq!(
        engine.deadlines(1, at("2026-03-13T22:30")).unwrap()[0].state,
        "proche"
    );
    assert_eq!(
        engine.deadlines(1, at("2026-03-14T00:00")).unwrap()[0].state,
        "depassee"
    );
    engine
        .correct(
            1,
            "/custody/extended",
            serde_json::json!(true),
            "prolongation",
        )
        .unwrap();
    let d = engine.deadlines(1, at("2026-03-14T00:00")).unwrap();
    assert_eq!(
        (d[0].due.as_str(), d[0].state.as_str()),
        ("2026-03-14T23:55", "a_venir")
    );
    let run = permanence(_tmp.path(), &["deadlines", "--json"])
        .ok()
        .json();
    assert_eq!(run.as_array().unwrap().len(), 1);
}

#[test]
fn the_same_person_is_recognised_across_dossiers() {
    let (tmp, mut engine) = engine_with(&["small/alcool-police.pdf", "small/blessures-fuite.pdf"]);
    // A later procedure on the same man, written with other accents and given-name order.
    let later = tmp.path().join("nouvelle.txt");
    std::fs::write(
        &later,
        "PROCÈS-VERBAL D'INTERPELLATION\nAffaire : DELACROIX Ahmed Joel\nLe conducteur déclare se nommer DELACROIX Ahmed Joel, né le 19/12/1956 à BEZIERS (34).\nLui notifions qu'il est soupçonné d'avoir commis, le 02/11/2026 à Melun, l'infraction de conduite sans permis.\n",
    )
    .unwrap();
    let report = engine.import(&later, None, &mut |_| {}).unwrap();
    let related = engine.related(report.dossier).unwrap();
    assert_eq!(related.len(), 1, "{related:?}");
    assert_eq!(related[0].dossier, 1);
    assert_eq!(related[0].role, "mis_en_cause");
    assert!(related[0].reason.contains("date"), "{}", related[0].reason);
    assert!(engine.related(2).unwrap().is_empty());
}

#[test]
fn figures_and_exports_are_derived_and_leak_no_identity() {
    let files = [
        "small/alcool-police.pdf",
        "small/blessures-fuite.pdf",
        "small/stup-recidive-gendarmerie.pdf",
        "small/vitesse-suspension.pdf",
        "small/jugement.txt",
    ];
    let (tmp, mut engine) = engine_with(&files);
    engine.decide(1, None, "").unwrap();
    engine.decide(2, Some("copj"), "fuite aggravée").unwrap();
    let f = engine.figures(&Filter::default()).unwrap();
    assert_eq!(f.dossiers, 5);
    assert_eq!((f.decided, f.accepted, f.changed), (2, 1, 1));
    assert_eq!(f.per_family["alcool_delit"], 2);
    assert_eq!(f.per_orientation["copj"], 1);
    assert!(f.decision_hours_median.is_some());
    let only = engine
        .figures(&Filter {
            family: Some("stupefiants".into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(only.dossiers, 1);
    let none = engine
        .figures(&Filter {
            to: Some("2000-01-01".into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(none.dossiers, 0);
    // The CLI as the contract says.
    let csv = permanence(tmp.path(), &["stats", "--format", "csv", "--decimal-comma"]).ok();
    assert!(csv.stdout.starts_with("\u{feff}indicateur;clé;valeur\r\n"));
    assert!(
        csv.stdout
            .contains("part des propositions acceptées;;0,5\r\n")
    );
    let json = permanence(tmp.path(), &["stats", "--format", "json"])
        .ok()
        .json();
    assert_eq!(json["dossiers"], 5);
    // Pseudonymised: no name, birth date, birth place or plate of any label.
    let mut secrets: Vec<String> = Vec::new();
    for f in files {
        let label: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(
                &f.replace(".pdf", ".expected.json")
                    .replace(".txt", ".expected.json"),
            ))
            .unwrap(),
        )
        .unwrap();
        for p in label["persons"].as_array().unwrap() {
            secrets.push(p["surname"].as_str().unwrap().to_owned());
            for g in p["given_names"].as_str().unwrap().split(' ') {
                secrets.push(g.to_owned());
            }
            if let Some(b) = p["birth_date"].as_str() {
                secrets.push(b.to_owned());
                let (y, m, d) = (&b[..4], &b[5..7], &b[8..10]);
                secrets.push(format!("{d}/{m}/{y}"));
            }
            if let Some(place) = p["birth_place"].as_str() {
                secrets.push(place.to_owned());
            }
        }
        if let Some(plate) = label["vehicle"]["plate"].as_str() {
            secrets.push(plate.to_owned());
            secrets.push(plate.replace('-', ""));
        }
        if let Some(c) = label["facts"]["commune"].as_str() {
            secrets.push(c.to_owned());
        }
    }
    secrets.retain(|s| s.len() >= 3);
    assert!(secrets.len() > 20);
    for format in ["csv", "json"] {
        let out = permanence(
            tmp.path(),
            &["stats", "--pseudonymised", "--format", format],
        )
        .ok()
        .stdout;
        assert!(out.lines().count() >= 5, "{out}");
        let upper = out.to_uppercase();
        for s in &secrets {
            assert!(
                !upper.contains(&s.to_uppercase()),
                "{format}: {s} leaks:\n{out}"
            );
        }
    }
    let list = engine.pseudonymised(&Filter::default()).unwrap();
    let csv = permanence::stats::pseudonymised_csv(&list, Decimal::Point);
    assert!(csv.contains(";composition_penale;"));
    // Stable pseudonyms on this laptop.
    assert_eq!(engine.pseudonymised(&Filter::default()).unwrap(), list);
}

#[test]
fn tracking_rows_are_derived_and_rebuilt_at_open() {
    let (tmp, engine) = engine_with(&["small/alcool-police.pdf", "small/vitesse-suspension.pdf"]);
    let before = engine.figures(&Filter::default()).unwrap();
    drop(engine);
    let conn = connect(tmp.path());
    conn.execute_batch("DELETE FROM dossier_stats; DELETE FROM person_keys;")
        .unwrap();
    drop(conn);
    let engine = open_engine(tmp.path());
    assert_eq!(engine.figures(&Filter::default()).unwrap(), before);
}

#[test]
fn the_list_pages_filters_and_sorts() {
    let (_tmp, mut engine) = engine_with(&[
        "small/alcool-police.pdf",
        "small/blessures-fuite.pdf",
        "small/stup-recidive-gendarmerie.pdf",
    ]);
    engine.decide(2, None, "").unwrap();
    let page = |q: permanence::store::ListQuery| {
        let p = engine.list_page(&q).unwrap();
        (p.total, p.dossiers.iter().map(|d| d.id).collect::<Vec<_>>())
    };
    use permanence::store::ListQuery;
    assert_eq!(page(ListQuery::default()), (3, vec![3, 2, 1]));
    assert_eq!(
        page(ListQuery {
            oldest_first: true,
            limit: 2,
            ..ListQuery::default()
        }),
        (3, vec![1, 2])
    );
    assert_eq!(
        page(ListQuery {
            offset: 2,
            ..ListQuery::default()
        }),
        (3, vec![1])
    );
    assert_eq!(
        page(ListQuery {
            status: Some("decision_validee".into()),
            ..ListQuery::default()
        }),
        (1, vec![2])
    );
    assert_eq!(
        page(ListQuery {
            family: Some("stupefiants".into()),
            ..ListQuery::default()
        }),
        (1, vec![3])
    );
    assert_eq!(
        page(ListQuery {
            title: Some("BLESSURES".into()),
            ..ListQuery::default()
        }),
        (1, vec![2])
    );
}
