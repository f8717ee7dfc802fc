//! Drafts from the real fixture procedures, through the `permanence draft-file` CLI: every kind
//! is written, its package validated, converted to PDF by LibreOffice (one `soffice` call for
//! all), read back with `pdftotext`, compared to its committed reference text
//! (`tests/draft/reference/*.txt`; `PERMANENCE_UPDATE_SNAPSHOTS=1` rewrites them) and checked
//! for what it must say. Plus user templates: one that reshapes the output, one that is broken.

mod templates;

use std::collections::BTreeSet;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{fixture, permanence_bare, s};

pub(crate) const KINDS: [&str; 5] = [
    "synthese",
    "bordereau",
    "orientation",
    "jld",
    "requisitoire",
];
const NOW: &str = "2026-12-02T14:05:00+01:00";

/// The fixtures and what each draft must show of them: the mis en cause in capitals, a NATINF
/// code, the style of the sources (cotes or piece numbers), the orientation proposed.
struct Case {
    name: &'static str,
    surname: &'static str,
    natinf: &'static str,
    source: &'static str,
    orientation: &'static str,
}

const CASES: [Case; 4] = [
    Case {
        name: "stup-recidive-gendarmerie",
        surname: "KOWALSKI",
        natinf: "29256",
        source: "(D4, p.\u{a0}5)",
        orientation: "CRPC sur déferrement",
    },
    Case {
        name: "alcool-police",
        surname: "DELACROIX",
        natinf: "1247",
        source: "(pièce n°\u{a0}2, p.\u{a0}2)",
        orientation: "Composition pénale",
    },
    Case {
        name: "blessures-fuite",
        surname: "DELACROIX",
        natinf: "42",
        source: "(pièce n°\u{a0}3, p.\u{a0}3)",
        orientation: "",
    },
    Case {
        name: "vitesse-suspension",
        surname: "BENOÎT",
        natinf: "5707",
        source: "(pièce n°\u{a0}1, p.\u{a0}1)",
        orientation: "",
    },
];

/// Drafts already rendered and converted, shared by the tests: (case, kind) → (docx, text).
struct Rendered {
    dir: tempfile::TempDir,
    texts: Vec<(String, String, PathBuf, String)>,
}

fn draft_args<'a>(pdf: &'a str, kind: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "draft-file",
        pdf,
        "--kind",
        kind,
        "--out",
        out,
        "--magistrat",
        "Claire MARTIN",
        "--fonction",
        "substitut du procureur de la République",
        "--tribunal",
        "Melun",
        "--parquet",
        "26/335/0042",
        "--critere-144",
        "2",
        "--critere-144",
        "6",
        "--now",
        NOW,
        "--json",
    ]
}

/// Converts every DOCX of `dir` to PDF in one LibreOffice run, then to text.
fn convert_all(dir: &Path, docx: &[PathBuf]) -> Vec<String> {
    let profile = dir.join("lo-profile");
    let out = dir.join("pdf");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&out)
        .args(docx)
        .output()
        .expect("soffice is installed by make setup");
    assert!(status.status.success(), "soffice failed: {status:?}");
    docx.iter()
        .map(|d| {
            let pdf = out.join(format!("{}.pdf", d.file_stem().unwrap().to_string_lossy()));
            assert!(pdf.exists(), "LibreOffice did not convert {}", d.display());
            let text = Command::new("pdftotext")
                .args(["-layout", "-enc", "UTF-8"])
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext");
            assert!(text.status.success());
            String::from_utf8(text.stdout).unwrap()
        })
        .collect()
}

fn rendered() -> &'static Rendered {
    static R: OnceLock<Rendered> = OnceLock::new();
    R.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut docx = Vec::new();
        let mut keys = Vec::new();
        for case in &CASES {
            let pdf = fixture(&format!("small/{}.pdf", case.name));
            for kind in KINDS {
                let out = dir.path().join(format!("{}.{kind}.docx", case.name));
                let run = permanence_bare(&draft_args(s(&pdf), kind, s(&out))).ok();
                let json = run.json();
                assert_eq!(json["kind"], kind);
                assert_eq!(json["file"], s(&out));
                assert_eq!(
                    json["bytes"].as_u64().unwrap(),
                    std::fs::metadata(&out).unwrap().len()
                );
                keys.push((case.name.to_owned(), kind.to_owned(), out.clone()));
                docx.push(out);
            }
        }
        let texts = convert_all(dir.path(), &docx);
        Rendered {
            texts: keys
                .into_iter()
                .zip(texts)
                .map(|((c, k, p), t)| (c, k, p, t))
                .collect(),
            dir,
        }
    })
}

/// Every XML part well-formed, every relationship target present, every part typed.
fn validate_package(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        parts.push((f.name().to_owned(), data));
    }
    let names: BTreeSet<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    let where_ = path.display();
    for (name, data) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut reader = quick_xml::Reader::from_reader(data.as_slice());
            let mut buf = Vec::new();
            loop {
                match reader.read_event_into(&mut buf) {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{where_}: {name} is not well-formed: {e}"),
                }
                buf.clear();
            }
        }
    }
    // Relationships: targets relative to the folder of the part they belong to.
    let target_re = regex::Regex::new(r#"<Relationship [^>]*?Target="([^"]+)"[^>]*?/>"#).unwrap();
    for (name, data) in parts.iter().filter(|(n, _)| n.ends_with(".rels")) {
        let text = String::from_utf8(data.clone()).unwrap();
        let base = name
            .trim_end_matches(".rels")
            .replace("_rels/", "")
            .rsplit_once('/')
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        for cap in target_re.captures_iter(&text) {
            if cap[0].contains("TargetMode=\"External\"") {
                continue;
            }
            let target = &cap[1];
            let resolved = if let Some(abs) = target.strip_prefix('/') {
                abs.to_owned()
            } else {
                normalise(&format!("{base}{target}"))
            };
            assert!(
                names.contains(resolved.as_str()),
                "{where_}: {name} points to a missing part {resolved}"
            );
        }
    }
    // Content types: every part has a Default (by extension) or an Override.
    let types = String::from_utf8(
        parts
            .iter()
            .find(|(n, _)| n == "[Content_Types].xml")
            .expect("[Content_Types].xml")
            .1
            .clone(),
    )
    .unwrap();
    // Attributes in any order: `<Default Extension="xml" ContentType="…"/>` or the reverse.
    let element_re = regex::Regex::new(r#"<(Default|Override)\s[^>]*>"#).unwrap();
    let attr = |element: &str, name: &str| -> Option<String> {
        regex::Regex::new(&format!(r#"\s{name}="([^"]+)""#))
            .unwrap()
            .captures(element)
            .map(|c| c[1].to_owned())
    };
    let mut defaults: BTreeSet<String> = BTreeSet::new();
    let mut overrides: BTreeSet<String> = BTreeSet::new();
    for m in element_re.find_iter(&types) {
        let e = m.as_str();
        assert!(
            attr(e, "ContentType").is_some(),
            "{where_}: {e} has no ContentType"
        );
        if e.starts_with("<Default") {
            defaults.insert(attr(e, "Extension").unwrap().to_lowercase());
        } else {
            let part = attr(e, "PartName").unwrap();
            overrides.insert(part.trim_start_matches('/').to_owned());
        }
    }
    for name in &names {
        if *name == "[Content_Types].xml" {
            continue;
        }
        let ext = name.rsplit('.').next().unwrap().to_lowercase();
        assert!(
            overrides.contains(*name) || defaults.contains(&ext),
            "{where_}: {name} has no content type"
        );
    }
    for o in &overrides {
        assert!(
            names.contains(o.as_str()),
            "{where_}: content type for a missing part {o}"
        );
    }
}

fn normalise(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." => {
                out.pop();
            }
            "." | "" => {}
            p => out.push(p),
        }
    }
    out.join("/")
}

/// The text compared with the references: trailing spaces dropped, form feeds on lines.
fn snapshot_text(text: &str) -> String {
    text.replace('\u{c}', "\n[saut de page]\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_owned()
        + "\n"
}

#[test]
fn every_kind_is_a_valid_package() {
    for (_, _, docx, _) in &rendered().texts {
        validate_package(docx);
    }
}

#[test]
fn every_kind_reads_as_its_reference() {
    let dir = crate::support::repo().join("tests/draft/reference");
    let update = std::env::var_os("PERMANENCE_UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for (case, kind, _, text) in &rendered().texts {
        let path = dir.join(format!("{case}.{kind}.txt"));
        let got = snapshot_text(text);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != got {
            stale.push(format!(
                "{}\n{}",
                path.display(),
                first_difference(&expected, &got)
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "drafts differ from their references (PERMANENCE_UPDATE_SNAPSHOTS=1 to accept):\n{}",
        stale.join("\n")
    );
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("  line {}:\n  - {x}\n  + {y}", i + 1);
        }
    }
    format!(
        "  lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

/// The text of a draft, with its lines joined (pdftotext wraps long lines).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_kind_says_what_it_must() {
    for (case_name, kind, _, text) in &rendered().texts {
        let case = CASES.iter().find(|c| c.name == case_name).unwrap();
        let t = flat(text);
        let at = format!("{case_name}.{kind}");
        assert!(!t.contains("{{") && !t.contains("}}"), "{at}: leftover tag");
        assert!(t.contains("TRIBUNAL JUDICIAIRE DE MELUN"), "{at}: heading");
        assert!(t.contains("PARQUET DU PROCUREUR"), "{at}: parquet");
        assert!(
            t.contains(case.surname),
            "{at}: {} in capitals",
            case.surname
        );
        if kind != "bordereau" {
            assert!(t.contains(case.natinf), "{at}: NATINF {}", case.natinf);
            assert!(t.contains("Claire MARTIN"), "{at}: signature");
        }
        let source = flat(case.source);
        if ["synthese", "orientation", "requisitoire", "jld"].contains(&kind.as_str()) {
            assert!(t.contains(&source), "{at}: source {source}");
        }
        match kind.as_str() {
            "synthese" => {
                assert!(t.contains("FICHE DE SYNTHÈSE"), "{at}");
                assert!(t.contains("mg/L") || !case_name.contains("alcool"), "{at}");
            }
            "bordereau" => {
                assert!(t.contains("BORDEREAU DES PIÈCES"), "{at}");
                assert!(t.contains("Procès-verbal"), "{at}: kinds in words");
            }
            "orientation" => {
                assert!(t.contains("AVIS D'ORIENTATION"), "{at}");
                if !case.orientation.is_empty() {
                    assert!(t.contains(case.orientation), "{at}: {}", case.orientation);
                }
                assert!(t.contains("14 h 05"), "{at}: time of the notice");
            }
            "jld" => {
                assert!(t.contains("DÉTENTION PROVISOIRE"), "{at}");
                assert!(t.contains("144 du code de procédure pénale"), "{at}");
                assert!(t.contains("2° Empêcher une pression"), "{at}: criterion 2");
                assert!(
                    t.contains("6° Mettre fin à l'infraction"),
                    "{at}: criterion 6"
                );
                assert!(!t.contains("1° Conserver"), "{at}: criterion 1 not ticked");
                assert!(t.contains("d'emprisonnement"), "{at}: penalty");
            }
            "requisitoire" => {
                assert!(t.contains("RÉQUISITOIRE DÉFINITIF"), "{at}");
                assert!(
                    t.contains(
                        "Le procureur de la République près le tribunal judiciaire de Melun"
                    ),
                    "{at}"
                );
                assert!(t.contains("Vu l'information suivie contre"), "{at}");
                assert!(
                    t.contains("EXPOSÉ DES FAITS") && t.contains("DISCUSSION"),
                    "{at}"
                );
                assert!(t.contains("PAR CES MOTIFS"), "{at}");
                assert!(t.contains("renvoi"), "{at}");
                assert!(
                    t.contains("le deux décembre deux mille vingt-six"),
                    "{at}: date in words"
                );
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn the_bordereau_comes_with_its_csv() {
    let r = rendered();
    let csv = r.dir.path().join("stup-recidive-gendarmerie.bordereau.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}Cote ou numéro;Nature;Titre;N° de procès-verbal;Date;Pages"
    );
    assert_eq!(lines.len(), 1 + 9, "one line per piece: {text}");
    assert!(
        lines[1].starts_with("D1;Procès-verbal d'interpellation;"),
        "{}",
        lines[1]
    );
    assert!(lines[2].ends_with(";01/12/2025;2 à 3"), "{}", lines[2]);
}

/// A DOCX made by hand, as a user's word processor would: the text split over runs.
fn user_template(body: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
            ),
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, o).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn document_text(docx: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let t = regex::Regex::new(r"<w:t[^>]*>([^<]*)</w:t>").unwrap();
    t.captures_iter(&xml).map(|c| c[1].to_owned()).collect()
}

#[test]
fn a_user_template_reshapes_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("modeles");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("synthese.docx"),
        user_template(
            "<w:p><w:r><w:t xml:space=\"preserve\">Synthèse maison pour {{ pers</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r><w:rPr><w:b/></w:rPr><w:t>onne.nom }}</w:t></w:r><w:proofErr w:type=\"spellEnd\"/></w:p>\
             <w:p><w:r><w:t>{{#pieces}}</w:t></w:r></w:p><w:p><w:r><w:t>{{ reference }}</w:t></w:r></w:p><w:p><w:r><w:t>{{/pieces}}</w:t></w:r></w:p>",
        ),
    )
    .unwrap();
    let pdf = fixture("small/stup-recidive-gendarmerie.pdf");
    let out = dir.path().join("synthese.docx");
    let mut args = draft_args(s(&pdf), "synthese", s(&out));
    args.extend(["--templates", s(&templates)]);
    permanence_bare(&args).ok();
    assert_eq!(
        document_text(&out),
        "Synthèse maison pour KOWALSKID1D2D3D4D5D6D7D8D9"
    );
    // The other kinds still come from the shipped templates.
    let other = dir.path().join("bordereau.docx");
    let mut args = draft_args(s(&pdf), "bordereau", s(&other));
    args.extend(["--templates", s(&templates)]);
    permanence_bare(&args).ok();
    assert!(document_text(&other).contains("BORDEREAU DES PIÈCES"));
}

#[test]
fn a_broken_template_writes_nothing_and_says_why_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("modeles");
    std::fs::create_dir(&templates).unwrap();
    let pdf = fixture("small/alcool-police.pdf");
    let cases: [(&str, Vec<u8>, &[&str]); 4] = [
        (
            "orientation",
            user_template("<w:p><w:r><w:t>{{ personne.nm }}</w:t></w:r></w:p>"),
            &[
                "orientation.docx",
                "champ inconnu",
                "personne.nm",
                "personne.nom",
            ],
        ),
        (
            "jld",
            user_template(
                "<w:p><w:r><w:t>{{#pieces}}</w:t></w:r></w:p><w:p><w:r><w:t>{{ cote }}</w:t></w:r></w:p>",
            ),
            &["jld.docx", "{{#pieces}}", "sans le fermer"],
        ),
        (
            "requisitoire",
            b"PK\x03\x04 ceci n'est pas un document".to_vec(),
            &["requisitoire.docx", "DOCX"],
        ),
        (
            "synthese",
            user_template(
                "<w:p><w:r><w:t>{{#si recidive}}</w:t></w:r></w:p><w:p><w:r><w:t>{{#pieces}}</w:t></w:r></w:p><w:p><w:r><w:t>{{/si}}</w:t></w:r></w:p><w:p><w:r><w:t>{{/pieces}}</w:t></w:r></w:p>",
            ),
            &["synthese.docx", "{{/si}}", "{{#pieces}}"],
        ),
    ];
    for (kind, bytes, words) in cases {
        std::fs::write(templates.join(format!("{kind}.docx")), bytes).unwrap();
        let out = dir.path().join("sortie").join(format!("{kind}.docx"));
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let mut args = draft_args(s(&pdf), kind, s(&out));
        args.extend(["--templates", s(&templates)]);
        let run = permanence_bare(&args);
        assert_eq!(run.code, 2, "{kind}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{kind}: {}", run.stdout);
        assert_eq!(
            run.stderr.trim().lines().count(),
            1,
            "{kind}: {}",
            run.stderr
        );
        for w in words {
            assert!(run.stderr.contains(w), "{kind}: {} lacks {w}", run.stderr);
        }
        let left: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().collect();
        assert!(left.is_empty(), "{kind}: files written: {left:?}");
    }
}

#[test]
fn bad_arguments_are_refused_in_french() {
    let pdf = fixture("small/alcool-police.pdf");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.docx");
    let run = permanence_bare(&["draft-file", s(&pdf), "--kind", "lettre", "--out", s(&out)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("type de document inconnu"),
        "{}",
        run.stderr
    );
    let run = permanence_bare(&[
        "draft-file",
        s(&pdf),
        "--kind",
        "jld",
        "--out",
        s(&out),
        "--critere-144",
        "9",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("article 144"), "{}", run.stderr);
    let run = permanence_bare(&[
        "draft-file",
        s(&pdf),
        "--kind",
        "jld",
        "--out",
        s(&out),
        "--templates",
        "/nulle/part",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("dossier de modèles"), "{}", run.stderr);
    assert!(!out.exists());
}

/// `permanence draft DOSSIER` on a stored dossier: the decision and the profile in the act, the
/// contract's JSON, the export journaled and the dossier moved to "actes produits".
#[test]
fn a_stored_dossier_is_drafted_with_its_decision() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let pdf = fixture("small/alcool-police.pdf");
    crate::support::permanence(&data, &["import", s(&pdf)]).ok();
    crate::support::permanence(
        &data,
        &[
            "profile",
            "--name",
            "Claire DURAND",
            "--function",
            "substitut du procureur de la République",
            "--court",
            "Melun",
        ],
    )
    .ok();
    crate::support::permanence(&data, &["decide", "1", "--accept"]).ok();
    let out = tmp.path().join("avis.docx");
    let json = crate::support::permanence(
        &data,
        &[
            "draft",
            "1",
            "--kind",
            "orientation",
            "--out",
            s(&out),
            "--json",
        ],
    )
    .ok()
    .json();
    let mut keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["bytes", "file", "kind"]);
    assert_eq!(json["kind"], "orientation");
    assert_eq!(
        json["bytes"].as_u64().unwrap(),
        std::fs::metadata(&out).unwrap().len()
    );
    validate_package(&out);
    let text = document_text(&out);
    assert!(text.contains("DURAND"), "{text}");
    assert!(text.contains("DELACROIX"), "{text}");
    let timeline = crate::support::permanence(&data, &["timeline", "1", "--json"])
        .ok()
        .json();
    let events: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(events.contains(&"draft_exported"), "{events:?}");
    let status = crate::support::permanence(&data, &["status", "1", "--json"])
        .ok()
        .json();
    assert_eq!(status["status"], "actes_produits");
    // An unknown kind: French message, nothing written.
    let bad = tmp.path().join("x.docx");
    let run =
        crate::support::permanence(&data, &["draft", "1", "--kind", "memo", "--out", s(&bad)]);
    assert_eq!(run.code, 2);
    assert!(!bad.exists());
}
