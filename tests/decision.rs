//! Facts stored with their dossier, corrections beside them, policies kept, decisions recorded:
//! through the real store (SQLite file) and the CLI.

use crate::support::*;
use permanence::Engine;

fn imported() -> (tempfile::TempDir, Engine) {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(tmp.path());
    engine
        .import(&fixture("small/alcool-police.pdf"), None, &mut |_| {})
        .unwrap();
    (tmp, engine)
}

fn sql(tmp: &tempfile::TempDir, sql: &str) {
    let conn = connect(tmp.path());
    conn.execute_batch(sql).unwrap();
}

fn set_profile(engine: &mut Engine) {
    engine
        .set_profile(&permanence::store::Profile {
            name: "Claire DURAND".into(),
            function: "substitut du procureur de la République".into(),
            court: "Melun".into(),
        })
        .unwrap();
}

#[test]
fn facts_are_stored_at_import_and_read_again_when_the_extraction_changes() {
    let (tmp, mut engine) = imported();
    let stored = engine.dossier_facts(1).unwrap();
    assert_eq!(stored.version, permanence::extract::VERSION);
    assert_eq!(stored.facts.persons[0].surname, "DELACROIX");
    assert_eq!(stored.extracted, stored.facts);
    // As if an older engine had read them: wrong facts, older version.
    drop(engine);
    sql(
        &tmp,
        "UPDATE facts SET version = 1, facts = replace(facts, 'DELACROIX', 'ANCIEN')",
    );
    let mut engine = open_engine(tmp.path());
    let again = engine.dossier_facts(1).unwrap();
    assert_eq!(again.version, permanence::extract::VERSION);
    assert_eq!(again.facts.persons[0].surname, "DELACROIX");
    // ...and the new reading is stored.
    let conn = connect(tmp.path());
    let (version, facts): (u32, String) = conn
        .query_row("SELECT version, facts FROM facts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(version, permanence::extract::VERSION);
    assert!(!facts.contains("ANCIEN"));
}

#[test]
fn a_correction_is_kept_beside_the_extracted_value_and_wins() {
    let (tmp, mut engine) = imported();
    set_profile(&mut engine);
    let before = engine.dossier_facts(1).unwrap();
    let rate = before.facts.alcohol.as_ref().unwrap().value;
    let c = engine
        .correct(
            1,
            "/alcohol/value",
            serde_json::json!(0.71),
            "ticket de l'éthylomètre",
        )
        .unwrap();
    assert_eq!(c.previous, serde_json::json!(rate));
    assert_eq!(c.actor, "Claire DURAND");
    let after = engine.dossier_facts(1).unwrap();
    assert_eq!(after.facts.alcohol.as_ref().unwrap().value, 0.71);
    assert_eq!(after.extracted.alcohol.as_ref().unwrap().value, rate);
    assert_eq!(after.corrections.len(), 1);
    // A second correction of the same field wins over the first; both stay.
    engine
        .correct(1, "/alcohol/value", serde_json::json!(0.70), "")
        .unwrap();
    let after = engine.dossier_facts(1).unwrap();
    assert_eq!(after.facts.alcohol.as_ref().unwrap().value, 0.70);
    assert_eq!(after.corrections.len(), 2);
    // Corrections survive a re-extraction.
    sql(&tmp, "UPDATE facts SET version = 1");
    let after = engine.dossier_facts(1).unwrap();
    assert_eq!(after.facts.alcohol.as_ref().unwrap().value, 0.70);
    // Bad corrections: nothing is written.
    for (path, value, code) in [
        (
            "/alcohol/nowhere",
            serde_json::json!(1),
            "decision.no_such_field",
        ),
        (
            "/licence/status",
            serde_json::json!("perdu"),
            "decision.bad_value",
        ),
        (
            "/persons/9/surname",
            serde_json::json!("X"),
            "decision.no_such_field",
        ),
    ] {
        let e = engine.correct(1, path, value, "").unwrap_err();
        assert_eq!(e.code(), code, "{path}: {e}");
    }
    assert_eq!(engine.dossier_facts(1).unwrap().corrections.len(), 2);
    let journal = engine.show(1).unwrap().journal;
    let corrected: Vec<_> = journal
        .iter()
        .filter(|j| j.event == "fact_corrected")
        .collect();
    assert_eq!(corrected.len(), 2);
    assert_eq!(corrected[0].actor, "Claire DURAND");
    // The journal names the field, never the value.
    assert!(!corrected[0].detail.to_string().contains("0.71"));
}

#[test]
fn decisions_are_recorded_with_who_when_and_why() {
    let (_tmp, mut engine) = imported();
    assert_eq!(
        engine.decide(1, None, "").unwrap_err().code(),
        "decision.no_profile"
    );
    set_profile(&mut engine);
    let proposal = engine.propose(1).unwrap();
    let d = engine.decide(1, None, "").unwrap();
    assert!(d.decision.accepted);
    assert_eq!(d.decision.orientation, proposal.orientation.id());
    assert_eq!(d.decision.actor, "Claire DURAND");
    assert_eq!(d.decision.policy_name, proposal.policy.name);
    assert_eq!(engine.show(1).unwrap().summary.status, "decision_validee");
    // Another orientation needs a reason.
    let e = engine.decide(1, Some("copj"), " ").unwrap_err();
    assert_eq!(e.code(), "decision.reason_required");
    let e = engine.decide(1, Some("prison_ferme"), "x").unwrap_err();
    assert_eq!(e.code(), "decision.unknown_orientation");
    let d = engine
        .decide(1, Some("copj"), "antécédents locaux récents")
        .unwrap();
    assert!(!d.decision.accepted);
    assert_eq!(d.decision.proposed, proposal.orientation.id());
    let all = engine.decisions(1).unwrap();
    assert_eq!(all.len(), 2);
    let events: Vec<String> = engine
        .show(1)
        .unwrap()
        .journal
        .into_iter()
        .map(|j| j.event)
        .collect();
    assert!(events.contains(&"decision_accepted".to_owned()));
    assert!(events.contains(&"decision_changed".to_owned()));
    assert!(engine.verify_journal().unwrap().broken.is_none());
}

/// Each hand edit of a decision or a correction, triggers dropped first, is found.
#[test]
fn journal_verify_finds_decisions_and_corrections_edited_by_hand() {
    let edits = [
        (
            "DROP TRIGGER decisions_no_update; UPDATE decisions SET orientation = 'classement_sans_suite' WHERE id = 1",
            "la décision n°\u{a0}1 a été modifiée",
        ),
        (
            "DROP TRIGGER decisions_no_update; UPDATE decisions SET actor = 'Quelqu''un' WHERE id = 2",
            "la décision n°\u{a0}2 a été modifiée",
        ),
        (
            "DROP TRIGGER decisions_no_delete; DELETE FROM decisions WHERE id = 2",
            "la décision n°\u{a0}2 inscrite au journal a disparu",
        ),
        (
            "INSERT INTO decisions (dossier_id, proposed, orientation, accepted, proposal, policy_name, policy_version, actor, at) SELECT dossier_id, proposed, 'classement_sans_suite', 0, proposal, policy_name, policy_version, actor, at FROM decisions WHERE id = 1",
            "la décision n°\u{a0}3 n'est inscrite nulle part",
        ),
        (
            "DROP TRIGGER corrections_no_update; UPDATE corrections SET value = '0.3' WHERE id = 1",
            "la correction n°\u{a0}1 a été modifiée",
        ),
    ];
    for (edit, expect) in edits {
        let (tmp, mut engine) = imported();
        set_profile(&mut engine);
        engine
            .correct(1, "/alcohol/value", serde_json::json!(0.71), "")
            .unwrap();
        engine.decide(1, None, "").unwrap();
        engine.decide(1, Some("copj"), "récidive locale").unwrap();
        assert!(engine.verify_journal().unwrap().broken.is_none());
        sql(&tmp, edit);
        let run = permanence(tmp.path(), &["journal", "verify"]);
        assert_eq!(run.code, 1, "{edit}: {}", run.stdout);
        assert!(run.stdout.contains(expect), "{edit}: {}", run.stdout);
    }
}

#[test]
fn policies_are_kept_checked_and_the_active_one_is_never_replaced_by_a_broken_file() {
    let (tmp, mut engine) = imported();
    let default = engine.propose(1).unwrap().policy;
    // A copy of the example policy under another name, then a broken one.
    let text =
        std::fs::read_to_string(repo().join("assets/policies/politique-routiere.toml")).unwrap();
    let good = tmp.path().join("locale.toml");
    let renamed = text.replacen(
        &format!("name = \"{}\"", default.name),
        "name = \"Politique de Melun\"",
        1,
    );
    assert_ne!(renamed, text, "the example policy has a name line");
    std::fs::write(&good, &renamed).unwrap();
    let row = engine.add_policy(&good, true).unwrap();
    assert!(row.active);
    assert_eq!(engine.propose(1).unwrap().policy.name, "Politique de Melun");
    // The same name and version again: refused.
    assert_eq!(
        engine.add_policy(&good, true).unwrap_err().code(),
        "store.policy_exists"
    );
    let broken = tmp.path().join("cassee.toml");
    std::fs::write(&broken, renamed.replacen("[[rule]]", "[[rule]\n", 1)).unwrap();
    let run = permanence(tmp.path(), &["policy", "add", s(&broken), "--activate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cassee.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("ligne"), "{}", run.stderr);
    let list = permanence(tmp.path(), &["policy", "list", "--json"])
        .ok()
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["active"], true);
    assert_eq!(list[0]["name"], "Politique de Melun");
}

#[test]
fn the_cli_decides_and_prints_the_decision() {
    let (tmp, engine) = imported();
    drop(engine);
    permanence(
        tmp.path(),
        &[
            "profile",
            "--name",
            "Claire DURAND",
            "--function",
            "substitut",
        ],
    )
    .ok();
    let out = permanence(tmp.path(), &["decide", "1", "--accept", "--json"])
        .ok()
        .json();
    assert_eq!(out["decision"]["accepted"], true);
    assert_eq!(
        out["decision"]["orientation"],
        out["proposal"]["orientation"]
    );
    let run = permanence(tmp.path(), &["decide", "1", "--orientation", "copj"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("raison"), "{}", run.stderr);
    let facts = permanence(tmp.path(), &["facts", "1", "--json"])
        .ok()
        .json();
    assert_eq!(facts["facts"]["schema"], "permanence.facts/1");
}
