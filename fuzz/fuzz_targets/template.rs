//! The template parser: the shipped fiche de synthèse with its `word/document.xml` replaced by
//! the input (or, when the input starts with `PK`, the input as the whole DOCX package), then
//! compiled against the schema and, when accepted, rendered with a real model.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use permanence::draft::template::{Package, Template};
use permanence::draft::{self, Conclusion, Detention, Dossier, DraftInput, Kind, Magistrate, TemplateSource};
use permanence::pdf::Document;

fn model() -> &'static serde_json::Value {
    static MODEL: OnceLock<serde_json::Value> = OnceLock::new();
    MODEL.get_or_init(|| {
        let text = "PROCÈS-VERBAL D'AUDITION\nNous, officier de police judiciaire, entendons M. Jean DUPONT, \
                    né le 3 mars 1980 à Melun, qui a soufflé 0,62 mg/l dans l'éthylomètre le 2 novembre 2026.";
        let facts = permanence::extract::facts("pv.txt", &"0".repeat(64), &Document::from_texts([text.to_owned()]));
        let proposal = permanence::orient::propose(&facts, &permanence::orient::default_policy());
        let input = DraftInput {
            dossier: Dossier { id: "1".into(), title: "pv".into(), parquet_number: None },
            facts,
            proposal: Some(proposal),
            decision: None,
            court: Some("Melun".into()),
            magistrate: Magistrate { name: Some("Claire Dupont".into()), function: None },
            detention: Detention { criteria: Vec::new(), insufficiency: None },
            conclusion: Conclusion::FromFacts,
            now: chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00+01:00").unwrap(),
        };
        draft::model::build(Kind::Synthese, &input)
    })
}

fn skeleton() -> &'static Package {
    static SKELETON: OnceLock<Package> = OnceLock::new();
    SKELETON.get_or_init(|| {
        let shipped = TemplateSource::shipped();
        let (name, bytes) = shipped.get(Kind::Synthese);
        Package::read(&name, bytes).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        let mut entries = skeleton().entries.clone();
        for (name, part) in &mut entries {
            if name == "word/document.xml" {
                *part = data.to_vec();
            }
        }
        Package { entries }.write()
    };
    if let Ok(template) = Template::compile("modele.docx", &bytes, &draft::schema()) {
        let out = template.render(model());
        // What a template renders is a package the engine reads again.
        Package::read("rendu.docx", &out).expect("rendered package is readable");
    }
});
