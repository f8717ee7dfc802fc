//! The journal is tamper-evident: `permanence journal verify` passes on what the engine wrote
//! and finds an entry edited by hand in the database file.

use crate::support::*;

#[test]
fn journal_verify_detects_a_hand_edit_of_the_database() {
    let data = tempfile::tempdir().unwrap();
    let files = small_procedures();
    permanence(data.path(), &["import", s(&files[0]), s(&files[1])]).ok();

    let v = permanence(data.path(), &["journal", "verify", "--json"])
        .ok()
        .json();
    assert_eq!(v["broken"], serde_json::Value::Null);
    assert_eq!(
        v["entries"], 4,
        "two dossiers created, two documents imported"
    );
    let text = permanence(data.path(), &["journal", "verify"]).ok().stdout;
    assert_eq!(text.trim(), "Journal intact : 4 entrée(s) vérifiée(s).");

    // Someone opens the file with an SQLite tool, drops the triggers and rewrites history.
    let conn = connect(data.path());
    conn.execute_batch(
        "DROP TRIGGER journal_no_update;
         UPDATE journal SET dossier_id = 1 WHERE id = 4;",
    )
    .unwrap();
    drop(conn);

    let run = permanence(data.path(), &["journal", "verify"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "Journal altéré à l'entrée n°\u{a0}4 : son contenu a été modifié après son inscription."
    );
}
