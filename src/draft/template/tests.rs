//! The template engine on hand-built WordprocessingML: split runs, spell-check marks,
//! revisions, loops over paragraphs and table rows, nesting, conditions, errors, escaping.

use serde_json::{Value, json};

use super::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn schema() -> Schema {
    use FieldKind::*;
    Schema::new([
        ("personne", Object),
        ("personne.nom", Text),
        ("personne.prenoms", Text),
        ("recidive", Bool),
        ("motif", Text),
        ("vide", Text),
        ("pieces", List),
        ("pieces.cote", Text),
        ("pieces.titre", Text),
        ("personnes", List),
        ("personnes.nom", Text),
        ("personnes.infractions", List),
        ("personnes.infractions.libelle", Text),
        ("aucune", List),
        ("aucune.cote", Text),
    ])
}

fn model() -> Value {
    json!({
        "personne": {"nom": "DUPONT", "prenoms": "Jean"},
        "recidive": true,
        "motif": "A < B & C > D",
        "vide": null,
        "pieces": [
            {"cote": "D1", "titre": "PV d'interpellation"},
            {"cote": "D2", "titre": "PV d'audition"},
            {"cote": "D3", "titre": "B1"},
        ],
        "personnes": [
            {"nom": "DUPONT", "infractions": [{"libelle": "alcool"}, {"libelle": "vitesse"}]},
            {"nom": "MARTIN", "infractions": [{"libelle": "fuite"}]},
        ],
        "aucune": [],
    })
}

/// A minimal DOCX package around a body.
fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    Package {
        entries: vec![
            (
                "[Content_Types].xml".to_owned(),
                br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_vec(),
            ),
            (
                "_rels/.rels".to_owned(),
                br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_vec(),
            ),
            ("word/document.xml".to_owned(), document.into_bytes()),
        ],
    }
    .write()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn row(cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| format!("<w:tc><w:tcPr/>{}</w:tc>", p(c)))
        .collect();
    format!("<w:tr>{cells}</w:tr>")
}

fn table(rows: &[String]) -> String {
    format!("<w:tbl><w:tblPr/>{}</w:tbl>", rows.concat())
}

/// The rendered `word/document.xml`.
fn fill(body: &str) -> Result<String, DraftError> {
    let template = Template::compile("essai.docx", &docx(body), &schema())?;
    let out = template.render(&model());
    let package = Package::read("sortie.docx", &out).expect("output is a package");
    let xml = package
        .entries
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .map(|(_, d)| String::from_utf8(d.clone()).unwrap())
        .unwrap();
    // Well-formed, always.
    parse_xml("sortie.docx", "word/document.xml", xml.as_bytes()).expect("well-formed output");
    Ok(xml)
}

/// Visible text: paragraphs on lines, cells separated by « | », rows by « / ».
fn text(xml: &str) -> String {
    let events = parse_xml("t", "t", xml.as_bytes()).unwrap();
    let mut out = String::new();
    let mut stack: Vec<String> = Vec::new();
    for ev in &events {
        match ev {
            Ev::Start { name, .. } => stack.push(name.clone()),
            Ev::End { name } => {
                stack.pop();
                match name.as_str() {
                    "w:p" => out.push('\n'),
                    "w:tc" => {
                        if out.ends_with('\n') {
                            out.pop();
                        }
                        out.push('|');
                    }
                    "w:tr" => out.push('/'),
                    _ => {}
                }
            }
            Ev::Empty { name, .. } if name == "w:p" => out.push('\n'),
            Ev::Empty { name, .. } if name == "w:br" => out.push('↵'),
            Ev::Text(t) if stack.last().is_some_and(|n| n == "w:t") => out.push_str(t),
            _ => {}
        }
    }
    out
}

fn check(body: &str, expect: &str) {
    let xml = fill(body).unwrap_or_else(|e| panic!("{e}\n{body}"));
    let shown = text(&xml);
    assert_eq!(shown, expect, "{body}\n{xml}");
    assert!(!shown.contains("{{"), "leftover tag: {xml}");
}

#[test]
fn fields_split_across_runs_spell_check_and_revisions() {
    let table = [
        // One run.
        (p("Nom : {{ personne.nom }}"), "Nom : DUPONT\n"),
        // Split over runs with different formatting.
        (
            "<w:p><w:r><w:t xml:space=\"preserve\">Nom : {{ perso</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>nne.nom }}</w:t></w:r><w:r><w:t>.</w:t></w:r></w:p>".to_owned(),
            "Nom : DUPONT.\n",
        ),
        // Braces alone in runs, spell-check marks and a bookmark in between.
        (
            "<w:p><w:r><w:t>{</w:t></w:r><w:r><w:t>{</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r><w:t>personne</w:t></w:r><w:proofErr w:type=\"spellEnd\"/><w:bookmarkStart w:id=\"0\" w:name=\"x\"/><w:r><w:t>.prenoms</w:t></w:r><w:bookmarkEnd w:id=\"0\"/><w:r><w:t>}}</w:t></w:r></w:p>".to_owned(),
            "Jean\n",
        ),
        // Revision marks: inserted text counts, deleted text does not.
        (
            "<w:p><w:ins w:id=\"1\" w:author=\"G\"><w:r><w:t>{{ personne.</w:t></w:r></w:ins><w:del w:id=\"2\" w:author=\"G\"><w:r><w:delText>{{ inconnu }}</w:delText></w:r></w:del><w:r><w:t>nom }}</w:t></w:r></w:p>".to_owned(),
            "DUPONT\n",
        ),
        // Two fields in one text, one split.
        (
            "<w:p><w:r><w:t>{{personne.prenoms}} {{perso</w:t></w:r><w:r><w:t>nne.nom}}</w:t></w:r></w:p>".to_owned(),
            "Jean DUPONT\n",
        ),
        // Unknown values leave room to write.
        (p("Motif : {{ vide }}"), "Motif : ………………\n"),
        // Booleans print in words.
        (p("Récidive : {{ recidive }}"), "Récidive : oui\n"),
    ];
    for (body, expect) in table {
        check(&body, expect);
    }
}

#[test]
fn the_value_keeps_the_formatting_of_its_first_run() {
    let xml = fill("<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{{ perso</w:t></w:r><w:r><w:t>nne.nom }}</w:t></w:r></w:p>").unwrap();
    assert!(
        xml.contains("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">DUPONT</w:t></w:r>"),
        "{xml}"
    );
}

#[test]
fn values_are_escaped() {
    let xml = fill(&p("{{ motif }} &amp; fin")).unwrap();
    assert!(xml.contains("A &lt; B &amp; C &gt; D"), "{xml}");
    assert!(xml.contains(" &amp; fin"), "{xml}");
    assert_eq!(text(&xml), "A < B & C > D & fin\n");
}

#[test]
fn loops_over_paragraphs_leave_no_marker_paragraph() {
    let table = [
        (
            [p("Pièces :"), p("{{#pieces}}"), p("{{ cote }} — {{ titre }}"), p("{{/pieces}}"), p("Fin")].concat(),
            "Pièces :\nD1 — PV d'interpellation\nD2 — PV d'audition\nD3 — B1\nFin\n",
        ),
        // A marker split over runs, with spaces around it, is still alone in its paragraph.
        (
            [
                "<w:p><w:r><w:t xml:space=\"preserve\"> {{#pie</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r><w:t>ces}} </w:t></w:r></w:p>".to_owned(),
                p("{{ cote }}"),
                p("{{/pieces}}"),
            ]
            .concat(),
            "D1\nD2\nD3\n",
        ),
        // Empty list: nothing at all.
        ([p("A"), p("{{#aucune}}"), p("{{ cote }}"), p("{{/aucune}}"), p("B")].concat(), "A\nB\n"),
        // Inline loop with loop metadata for the separators.
        (
            p("Cotes : {{#pieces}}{{ cote }}{{#si non boucle.dernier}}, {{/si}}{{/pieces}}."),
            "Cotes : D1, D2, D3.\n",
        ),
        (p("{{#pieces}}{{ boucle.rang }}{{/pieces}}"), "123\n"),
    ];
    for (body, expect) in table {
        check(&body, expect);
    }
}

#[test]
fn loops_over_table_rows_leave_no_marker_row() {
    let header = row(&["Cote", "Titre"]);
    let table_ = [
        // Markers in the first and last cells of the repeated row.
        (
            table(&[
                header.clone(),
                row(&["{{#pieces}}{{ cote }}", "{{ titre }}{{/pieces}}"]),
            ]),
            "Cote|Titre|/D1|PV d'interpellation|/D2|PV d'audition|/D3|B1|/",
        ),
        // Markers in rows of their own: those rows disappear.
        (
            table(&[
                header.clone(),
                row(&["{{#pieces}}", ""]),
                row(&["{{ cote }}", "{{ titre }}"]),
                row(&["{{/pieces}}", ""]),
            ]),
            "Cote|Titre|/D1|PV d'interpellation|/D2|PV d'audition|/D3|B1|/",
        ),
        // No item: the header stays alone.
        (
            table(&[
                header.clone(),
                row(&["{{#aucune}}{{ cote }}", "{{/aucune}}"]),
            ]),
            "Cote|Titre|/",
        ),
        // No item and no header: the table goes (Word refuses a table without rows).
        (
            [
                p("A"),
                table(&[row(&["{{#aucune}}{{ cote }}", "{{/aucune}}"])]),
                p("B"),
            ]
            .concat(),
            "A\nB\n",
        ),
        // A paragraph loop inside a cell, on an empty list: the cell keeps a paragraph.
        (
            table(&[format!(
                "<w:tr><w:tc>{}{}{}</w:tc></w:tr>",
                p("{{#aucune}}"),
                p("{{ cote }}"),
                p("{{/aucune}}")
            )]),
            "|/",
        ),
    ];
    for (body, expect) in table_ {
        check(&body, expect);
    }
}

#[test]
fn nested_loops_and_conditions() {
    let table = [
        (
            [
                p("{{#personnes}}"),
                p("{{ nom }} :"),
                p("{{#infractions}}"),
                p("– {{ libelle }} ({{ nom }}, {{ personne.nom }})"),
                p("{{/infractions}}"),
                p("{{/personnes}}"),
            ]
            .concat(),
            "DUPONT :\n– alcool (DUPONT, DUPONT)\n– vitesse (DUPONT, DUPONT)\nMARTIN :\n– fuite (MARTIN, DUPONT)\n",
        ),
        // A row loop inside a paragraph loop.
        (
            [
                p("{{#personnes}}"),
                p("{{ nom }}"),
                table(&[row(&["{{#infractions}}{{ libelle }}", "{{/infractions}}"])]),
                p("{{/personnes}}"),
            ]
            .concat(),
            "DUPONT\nalcool||/vitesse||/MARTIN\nfuite||/",
        ),
        // Conditions over paragraphs, with « sinon », negation, and inline.
        (
            [
                p("{{#si recidive}}"),
                p("En récidive."),
                p("{{#sinon}}"),
                p("Pas de récidive."),
                p("{{/si}}"),
            ]
            .concat(),
            "En récidive.\n",
        ),
        (
            [
                p("{{#si non recidive}}"),
                p("Primo-délinquant."),
                p("{{/si}}"),
                p("Fin"),
            ]
            .concat(),
            "Fin\n",
        ),
        (
            p("Récidive : {{#si recidive}}oui{{#sinon}}non{{/si}}."),
            "Récidive : oui.\n",
        ),
        // Conditions over table rows, « sinon » in a row of its own; an empty « then » part.
        (
            table(&[
                row(&["{{#si non recidive}}", ""]),
                row(&["{{#sinon}}", ""]),
                row(&["récidive", "oui"]),
                row(&["{{/si}}", ""]),
            ]),
            "récidive|oui|/",
        ),
        (
            [
                p("{{#si recidive}}"),
                p("{{#sinon}}"),
                p("jamais"),
                p("{{/si}}"),
                p("Fin"),
            ]
            .concat(),
            "Fin\n",
        ),
        (
            p("{{#si vide}}{{ vide }}{{#sinon}}inconnu{{/si}}"),
            "inconnu\n",
        ),
        (
            [
                p("{{#si aucune}}"),
                p("jamais"),
                p("{{/si}}"),
                p("{{#si pieces}}"),
                p("des pièces"),
                p("{{/si}}"),
            ]
            .concat(),
            "des pièces\n",
        ),
    ];
    for (body, expect) in table {
        check(&body, expect);
    }
}

fn error(body: &str) -> DraftError {
    match Template::compile("essai.docx", &docx(body), &schema()) {
        Ok(_) => panic!("accepted: {body}"),
        Err(e) => e,
    }
}

#[test]
fn mistakes_are_refused_with_a_french_message() {
    let table: [(String, &str, &[&str]); 10] = [
        (
            p("{{ personne.nm }}"),
            "draft.unknown_field",
            &["essai.docx", "personne.nm", "personne.nom"],
        ),
        // Unknown names inside a loop over an empty list are found too.
        (
            [p("{{#aucune}}"), p("{{ cotte }}"), p("{{/aucune}}")].concat(),
            "draft.unknown_field",
            &["cotte", "cote"],
        ),
        (
            [p("{{#pieces}}"), p("{{ cote }}")].concat(),
            "draft.unclosed_block",
            &["essai.docx", "{{#pieces}}"],
        ),
        (
            [
                p("{{#si recidive}}"),
                p("{{#pieces}}"),
                p("{{/si}}"),
                p("{{/pieces}}"),
            ]
            .concat(),
            "draft.misnested_block",
            &["{{/si}}", "{{#pieces}}"],
        ),
        (p("{{/pieces}}"), "draft.misnested_block", &["{{/pieces}}"]),
        (
            p("{{ personne.nom"),
            "draft.tag",
            &["{{ personne.nom", "}}"],
        ),
        (
            p("{{#pieces}}{{ cote }}{{/pieces}} {{ pieces }}"),
            "draft.field_kind",
            &["pieces", "liste"],
        ),
        (
            p("{{#recidive}}x{{/recidive}}"),
            "draft.field_kind",
            &["recidive", "#si recidive"],
        ),
        // Open alone in a paragraph, closed in the middle of another one.
        (
            [p("{{#si recidive}}"), p("texte {{/si}} suite")].concat(),
            "draft.block_placement",
            &["{{#si recidive}}"],
        ),
        (p("{{#sinon}}"), "draft.misnested_block", &["{{#sinon}}"]),
    ];
    for (body, code, words) in table {
        let e = error(&body);
        assert_eq!(e.code(), code, "{body}: {e}");
        let message = e.to_string();
        for w in words {
            assert!(message.contains(w), "{message} lacks {w}");
        }
    }
}

#[test]
fn broken_packages_are_refused() {
    let table: [(Vec<u8>, &str); 3] = [
        (b"not a zip".to_vec(), "archive"),
        (
            Package {
                entries: vec![("[Content_Types].xml".to_owned(), b"<Types/>".to_vec())],
            }
            .write(),
            "word/document.xml",
        ),
        (
            Package {
                entries: vec![
                    ("[Content_Types].xml".to_owned(), b"<Types/>".to_vec()),
                    (
                        "word/document.xml".to_owned(),
                        b"<w:document><w:body></w:document>".to_vec(),
                    ),
                ],
            }
            .write(),
            "bien formé",
        ),
    ];
    for (bytes, words) in table {
        let e = Template::compile("cassé.docx", &bytes, &schema())
            .err()
            .expect("refused");
        assert_eq!(e.code(), "draft.template");
        assert!(e.to_string().contains("cassé.docx"), "{e}");
        assert!(e.to_string().contains(words), "{e}");
    }
}

#[test]
fn line_breaks_and_repeated_ids_are_handled() {
    let schema = Schema::new([
        ("texte", FieldKind::Text),
        ("pieces", FieldKind::List),
        ("pieces.cote", FieldKind::Text),
    ]);
    let body = [
        p("{{ texte }}"),
        p("{{#pieces}}"),
        "<w:p w14:paraId=\"1A2B3C4D\"><w:bookmarkStart w:id=\"5\" w:name=\"b\"/><w:r><w:t>{{ cote }}</w:t></w:r><w:bookmarkEnd w:id=\"5\"/></w:p>".to_owned(),
        p("{{/pieces}}"),
    ]
    .concat();
    let template = Template::compile("essai.docx", &docx(&body), &schema).unwrap();
    let out =
        template.render(&json!({"texte": "un\ndeux", "pieces": [{"cote": "D1"}, {"cote": "D2"}]}));
    let package = Package::read("s", &out).unwrap();
    let xml = String::from_utf8(package.entries[2].1.clone()).unwrap();
    assert!(
        xml.contains("un</w:t><w:br/><w:t xml:space=\"preserve\">deux"),
        "{xml}"
    );
    assert_eq!(xml.matches("w:bookmarkStart").count(), 1, "{xml}");
    assert_eq!(xml.matches("w:bookmarkEnd").count(), 1, "{xml}");
    assert!(!xml.contains("paraId"), "{xml}");
    assert_eq!(text(&xml), "un↵deux\nD1\nD2\n");
}

#[test]
fn a_decompression_bomb_is_refused_without_reading_it_whole() {
    // 33 MiB of zeros deflate to a few dozen kilobytes.
    let mut package = Package::read("t.docx", &docx(&p("x"))).unwrap();
    package
        .entries
        .push(("word/media/bombe.bin".to_owned(), vec![0u8; 33 << 20]));
    let bytes = package.write();
    assert!(bytes.len() < 1 << 20, "{}", bytes.len());
    let Err(e) = Package::read("bombe.docx", &bytes) else {
        panic!("a bomb was read")
    };
    assert_eq!(e.code(), "draft.template");
    assert!(e.to_string().contains("trop grande"), "{e}");
}
