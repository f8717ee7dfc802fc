//! The shipped templates against the schema, rendering, the CSV, atomic writes, the docs.

use super::*;
use crate::draft::model::tests::rich_input;

#[test]
fn every_shipped_template_compiles_and_fills_every_tag() {
    let input = rich_input();
    for kind in Kind::ALL {
        let bytes = render(kind, &input, &TemplateSource::shipped())
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        let package = template::Package::read("out", &bytes).unwrap();
        for (name, data) in &package.entries {
            let text = String::from_utf8_lossy(data);
            assert!(!text.contains("{{"), "{kind}: {name} keeps a tag");
        }
    }
}

#[test]
fn kinds_have_contract_ids() {
    for kind in Kind::ALL {
        assert_eq!(Kind::from_id(kind.id()).unwrap(), kind);
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.id());
    }
    let e = Kind::from_id("lettre").unwrap_err();
    assert_eq!(e.code(), "draft.unknown_kind");
    assert!(e.to_string().contains("lettre"));
}

#[test]
fn the_csv_is_excel_friendly() {
    let mut facts = rich_input().facts;
    facts.pieces[0].title = "PV \"spécial\"; avec point-virgule".into();
    let csv = bordereau_csv(&facts);
    assert!(csv.starts_with("\u{feff}Cote ou numéro;Nature;"));
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + facts.pieces.len());
    assert_eq!(
        lines[1],
        "D1;Procès-verbal d'interpellation;\"PV \"\"spécial\"\"; avec point-virgule\";05612/2025;01/12/2025;1"
    );
}

#[test]
fn writes_are_whole_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acte.docx");
    write_atomic(&path, b"contenu").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"contenu");
    write_atomic(&path, b"nouveau").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"nouveau");
    let missing = dir.path().join("absent").join("acte.docx");
    let e = write_atomic(&missing, b"x").unwrap_err();
    assert_eq!(e.code(), "draft.write");
    assert!(e.to_string().contains("acte.docx"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["acte.docx"], "no temporary file left");
}

#[test]
fn a_user_folder_overrides_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("jld.docx"), b"mine").unwrap();
    std::fs::write(dir.path().join("autre.docx"), b"ignored").unwrap();
    let source = TemplateSource::with_dir(dir.path()).unwrap();
    assert!(source.is_overridden(Kind::Jld));
    assert!(!source.is_overridden(Kind::Synthese));
    let (name, bytes) = source.get(Kind::Jld);
    assert!(name.ends_with("jld.docx"));
    assert_eq!(bytes, b"mine");
    assert_eq!(
        source.get(Kind::Synthese).0,
        "assets/templates/synthese.docx"
    );
    let e = TemplateSource::with_dir(&dir.path().join("nope")).unwrap_err();
    assert_eq!(e.code(), "draft.template_dir");
}

#[test]
fn the_staff_documentation_lists_every_name() {
    let doc = include_str!("../../docs/TEMPLATES.md");
    for f in SCHEMA_FIELDS {
        assert!(
            doc.contains(&format!("`{}`", f.path)),
            "docs/TEMPLATES.md does not list {}",
            f.path
        );
    }
    for (name, _) in template::LOOP_FIELDS {
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/TEMPLATES.md lacks {name}"
        );
    }
}
