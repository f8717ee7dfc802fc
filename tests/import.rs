//! Import, list, show and search through the library, on real PDFs.

use permanence::ImportProgress;

use crate::support::*;

#[test]
fn procedures_are_stored_indexed_and_found() {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(tmp.path());
    let files = small_procedures();
    let mut total_pages = 0;
    for file in &files {
        let mut progress = Vec::new();
        let report = engine
            .import(file, None, &mut |p| progress.push(p))
            .unwrap();
        assert!(!report.duplicate);
        assert_eq!(report.pages as usize, page_count(file));
        // Progress is reported page by page, ending at the total.
        assert_eq!(progress.len(), report.pages as usize);
        assert_eq!(
            progress.last(),
            Some(&ImportProgress {
                pages_done: report.pages,
                pages_total: report.pages,
                ..ImportProgress::default()
            })
        );
        total_pages += report.pages as u64;

        // The original is kept byte for byte, named by its digest.
        let detail = engine.show(report.dossier).unwrap();
        let doc = &detail.documents_detail[0];
        let stored = engine.store().originals().read(&doc.sha256, "pdf").unwrap();
        assert_eq!(stored, std::fs::read(file).unwrap());
        assert_eq!(doc.size as usize, stored.len());
        let events: Vec<&str> = detail.journal.iter().map(|j| j.event.as_str()).collect();
        assert_eq!(events, ["dossier_created", "document_imported"]);
    }
    let list = engine.list().unwrap();
    assert_eq!(list.len(), files.len());
    assert!(list.iter().all(|d| d.documents == 1 && d.status == "recu"));

    let c = engine.consistency().unwrap();
    assert!(c.is_ok(), "{c:?}");
    assert_eq!(c.database_pages, total_pages);

    // Every procedure has procès-verbaux: the accent-less, plural, lower-case query finds them.
    let hits = engine.search("proces-verbaux", 100).unwrap();
    assert!(!hits.is_empty());
    let hits = engine.search("auditions", 100).unwrap();
    assert!(
        hits.iter()
            .any(|h| h.snippet.to_lowercase().contains("<mark>audition")),
        "{hits:?}"
    );
    // Ranked best first.
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn accents_are_folded_and_phrases_respected() {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(tmp.path());
    let file = tmp.path().join("pv.txt");
    std::fs::write(
        &file,
        "Le conducteur souffle dans l'éthylomètre. Procès-verbal de vérification de l'état alcoolique.\n\
         Les auditions reprennent le lendemain.",
    )
    .unwrap();
    engine.import(&file, None, &mut |_| {}).unwrap();
    assert_eq!(engine.search("ethylometre", 10).unwrap().len(), 1);
    assert_eq!(engine.search("ÉTHYLOMÈTRE", 10).unwrap().len(), 1);
    assert_eq!(engine.search("audition", 10).unwrap().len(), 1);
    assert_eq!(
        engine
            .search("\"vérification de l'état alcoolique\"", 10)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        engine.search("\"état de vérification\"", 10).unwrap().len(),
        0
    );
    assert!(engine.search("", 10).unwrap().is_empty());
}

#[test]
fn duplicates_are_recognised_and_documents_join_dossiers() {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(tmp.path());
    let files = small_procedures();
    let first = engine.import(&files[0], None, &mut |_| {}).unwrap();
    // The same bytes under another name are the same document.
    let copy = tmp.path().join("copie.pdf");
    std::fs::copy(&files[0], &copy).unwrap();
    let again = engine.import(&copy, None, &mut |_| {}).unwrap();
    assert!(again.duplicate);
    assert_eq!(
        (again.dossier, again.document, again.pages),
        (first.dossier, first.document, first.pages)
    );

    let second = engine
        .import(&files[1], Some(first.dossier), &mut |_| {})
        .unwrap();
    assert_eq!(second.dossier, first.dossier);
    assert_eq!(engine.list().unwrap().len(), 1);
    assert_eq!(engine.show(first.dossier).unwrap().summary.documents, 2);

    let missing = engine
        .import(&files[2], Some(999), &mut |_| {})
        .unwrap_err();
    assert_eq!(missing.code(), "store.no_such_dossier");
    assert_eq!(engine.list().unwrap().len(), 1);
}

#[test]
fn pages_without_text_are_flagged_for_ocr() {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(tmp.path());
    let scanned = fixture("special/scanned.pdf");
    let report = engine.import(&scanned, None, &mut |_| {}).unwrap();
    let doc = &engine.show(report.dossier).unwrap().documents_detail[0];
    assert_eq!(doc.ocr_pages, (1..=report.pages).collect::<Vec<_>>());

    let mixed = fixture("special/mixed.pdf");
    let report = engine.import(&mixed, None, &mut |_| {}).unwrap();
    let doc = &engine.show(report.dossier).unwrap().documents_detail[0];
    assert!(
        !doc.ocr_pages.is_empty() && (doc.ocr_pages.len() as u32) < report.pages,
        "{:?}",
        doc.ocr_pages
    );
}

#[test]
fn embedded_files_and_metadata_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(tmp.path());
    let report = engine
        .import(&fixture("special/with-attachment.pdf"), None, &mut |_| {})
        .unwrap();
    let doc = &engine.show(report.dossier).unwrap().documents_detail[0];
    assert_eq!(doc.attachments.len(), 1, "{:?}", doc.attachments);
    assert!(doc.attachments[0].name.ends_with(".xml"));
    assert!(doc.attachments[0].size > 0);
    // LibreOffice writes its name as the PDF producer.
    assert!(
        doc.metadata["producer"]
            .as_str()
            .is_some_and(|p| p.contains("LibreOffice")),
        "{}",
        doc.metadata
    );
}

#[test]
fn character_boxes_follow_the_page_text() {
    let file = &small_procedures()[0];
    let bytes = std::fs::read(file).unwrap();
    let doc = permanence::pdf::read_bytes("p.pdf", &bytes, &mut |_, _| {}).unwrap();
    let boxes = permanence::pdf::char_boxes("p.pdf", &bytes, 1).unwrap();
    let text = &doc.pages[0].text;
    assert_eq!(boxes.len(), text.chars().count());
    let (w, h) = (doc.pages[0].width.unwrap(), doc.pages[0].height.unwrap());
    for (c, b) in text.chars().zip(&boxes) {
        if !c.is_whitespace() {
            assert!(
                b.left >= 0.0 && b.right <= w && b.bottom >= 0.0 && b.top <= h,
                "{c:?} {b:?}"
            );
            assert!(b.right >= b.left && b.top >= b.bottom, "{c:?} {b:?}");
        }
    }
    // Reading order runs top to bottom: the first letter sits above the last one.
    let first = text
        .chars()
        .zip(&boxes)
        .find(|(c, _)| c.is_alphanumeric())
        .unwrap()
        .1;
    let last = text
        .chars()
        .zip(&boxes)
        .filter(|(c, _)| c.is_alphanumeric())
        .last()
        .unwrap()
        .1;
    assert!(first.top > last.bottom);
}

#[test]
fn a_two_thousand_page_procedure_fits_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big-2000.pdf");
    concatenated_pdf(&small_procedures(), 2000, &big);
    assert_eq!(page_count(&big), 2000);
    let data = tmp.path().join("data");
    let (_, peak_mib) = permanence::bench::timed_child(
        permanence_cmd()
            .arg("--data-dir")
            .arg(&data)
            .arg("import")
            .arg(&big),
    )
    .expect("the import succeeds");
    eprintln!("2,000-page import: peak memory {peak_mib:.0} MiB");
    assert!(peak_mib <= 250.0, "peak memory {peak_mib:.0} MiB > 250 MiB");
    let list = permanence(&data, &["list", "--json"]).ok().json();
    assert_eq!(list[0]["documents"], 1);
    let check = permanence(&data, &["check", "--json"]).ok().json();
    assert_eq!(check["database_pages"], 2000);
    assert_eq!(check["index_pages"], 2000);
}
