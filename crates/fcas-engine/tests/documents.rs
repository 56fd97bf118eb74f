//! Documents through the whole submission walk (`FCAS_DOCUMENTS`): every Office document, RTF,
//! PDF, shortcut, OneNote section and script of the document corpus gets its document part,
//! every object its analysis lists as embedded is analysed as a child (found by sha256 among
//! the descendants), IOCs of decoded text are marked as such, and cut or flipped copies still
//! give a report without a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use fcas_engine::{submission_of_bytes, Options};
use fcas_report::{DocumentKind, Format, Report};

/// What the document analysis applies to, by detected format.
fn is_document_format(format: Format) -> bool {
    matches!(format, Format::Rtf | Format::Pdf | Format::Lnk | Format::OneNote | Format::Script)
}

#[test]
fn corpus_documents_get_their_part_and_their_embedded_objects_as_children() {
    let files = common::document_files();
    let options = Options::default();
    let (mut documents, mut embedded, mut found_as_children) = (0, 0, 0);
    let mut missing = Vec::new();
    for (name, path) in &files {
        let bytes = std::fs::read(path).unwrap();
        let submission = submission_of_bytes(name, &bytes, &options, &[]);
        let root = &submission.root;
        assert!(!root.has_panic(), "{name}: {:?}", root.errors);
        if is_document_format(root.format) {
            assert!(root.document.is_some(), "{name} ({}) has no document part", root.format.as_str());
        }
        let Some(document) = &root.document else { continue };
        documents += 1;
        match document.kind {
            DocumentKind::Pdf => assert!(root.pdf.is_some(), "{name}"),
            DocumentKind::Lnk => assert!(root.lnk.is_some(), "{name}"),
            DocumentKind::Script => assert!(root.script.is_some(), "{name}"),
            _ => {}
        }
        let descendants: BTreeSet<&str> = submission.descendants().iter().map(|packed| packed.sha256()).collect();
        for object in &document.embedded {
            embedded += 1;
            if descendants.contains(object.sha256.as_str()) {
                found_as_children += 1;
            } else {
                missing.push(format!("{name}: {} ({:?}, {} bytes)", object.name, object.class, object.size));
            }
        }
    }
    println!("{documents} documents, {embedded} embedded objects, {found_as_children} analysed as children");
    for line in &missing {
        println!("  not a child: {line}");
    }
    if files.is_empty() {
        return;
    }
    assert!(documents >= 60, "the corpus holds Office, RTF, PDF, LNK, OneNote and script files; {documents} got a document part");
    assert!(embedded > 20, "the corpus holds embedded objects");
    // Including objects of objects: a package inside an OLE object a presentation keeps
    // zlib-compressed, an attachment named inside a PDF object stream.
    assert_eq!(found_as_children, embedded, "embedded objects that are not children: {missing:#?}");
}

#[test]
fn decoded_iocs_are_marked_and_not_given_a_file_offset() {
    let files = common::document_files();
    let options = Options::default();
    let mut decoded = 0;
    for (name, path) in files.iter().filter(|(name, _)| name.starts_with("scripts/") || name.starts_with("lnk/")) {
        let bytes = std::fs::read(path).unwrap();
        let report = fcas_engine::analyze_bytes(name, &bytes, &options);
        for ioc in report.strings.iocs.iter().filter(|i| i.source.is_some()) {
            assert_eq!(ioc.source.as_deref(), Some("document"));
            assert_eq!(ioc.offset, 0, "{name}: {ioc:?}");
            decoded += 1;
        }
    }
    if !files.is_empty() {
        assert!(decoded > 0, "encoded commands in the script and shortcut corpus hide URLs");
    }
}

#[test]
fn cut_and_flipped_documents_still_give_a_report() {
    let files = common::document_files();
    let options = Options::default();
    let started = Instant::now();
    let mut mutants = 0;
    for (name, path) in files.iter().step_by(3) {
        let bytes = std::fs::read(path).unwrap();
        if bytes.len() < 16 {
            continue;
        }
        for variant in 0..4usize {
            let mut copy = bytes.clone();
            match variant {
                0 => copy.truncate(bytes.len() / 2),
                1 => copy.truncate(bytes.len() - 1),
                _ => {
                    for k in 0..16 {
                        let at = (k * 7919 + variant * 104_729) % copy.len();
                        copy[at] ^= 0xa5;
                    }
                }
            }
            let report: Report = submission_of_bytes(name, &copy, &options, &[]).root;
            assert!(!report.has_panic(), "{name} variant {variant}: {:?}", report.errors);
            mutants += 1;
        }
    }
    println!("{mutants} mutants in {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(300));
}

/// Reads the reference's decrypted package of `path` (msoffcrypto-tool 6.1.0's output).
fn decrypted_reference(path: &str) -> serde_json::Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/documents/reference/office.json");
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    reference["files"][path]["decrypted"].clone()
}

#[test]
fn an_office_document_encrypted_with_the_default_password_is_analysed_decrypted() {
    let files = common::document_files();
    let Some((_, path)) = files.iter().find(|(name, _)| name == "oletools/encrypted/autostart-encrypt-standardpassword.xlsm") else {
        return;
    };
    let submission = submission_of_bytes("autostart.xlsm", &std::fs::read(path).unwrap(), &Options::default(), &[]);
    let root = &submission.root;
    let document = root.document.as_ref().expect("a document part");
    assert!(document.encrypted);
    assert_eq!(document.encryption.as_deref(), Some("agile"));
    let extraction = root.extraction.as_ref().expect("opened as a container");
    assert_eq!(extraction.password.as_deref(), Some("VelvetSweatshop"), "the report names the password that opened it");
    let expected = decrypted_reference("oletools/encrypted/autostart-encrypt-standardpassword.xlsm");
    // The same bytes as msoffcrypto-tool decrypts, a child of the document named after the stream.
    let package = submission.descendants().iter().find(|packed| packed.sha256() == expected["sha256"].as_str().unwrap());
    let package = package.expect("the decrypted package is a child").unpack().expect("unpacks");
    assert!(package.path.ends_with("!EncryptedPackage"), "{}", package.path);
    assert_eq!(package.lineage.len(), 1, "directly inside the document");
    assert_eq!(package.format, Format::Zip);
    // What the encryption hid: the workbook's macros, run when it opens.
    let vba = package.document.as_ref().and_then(|d| d.vba.as_ref()).expect("the decrypted workbook's VBA project");
    assert!(vba.modules.iter().any(|m| !m.autoexec.is_empty()), "{:?}", vba.modules.iter().map(|m| &m.name).collect::<Vec<_>>());
    assert!(
        package.indicators.iter().any(|i| i.id.starts_with("document.vba")),
        "{:?}",
        package.indicators.iter().map(|i| &i.id).collect::<Vec<_>>()
    );

    // With a password nobody uses, the same kind of file stays encrypted and says so.
    let other = files.iter().find(|(name, _)| name == "oletools/encrypted/encrypted.xlsx").map(|(_, p)| p).unwrap();
    let submission = submission_of_bytes("encrypted.xlsx", &std::fs::read(other).unwrap(), &Options::default(), &[]);
    let extraction = submission.root.extraction.as_ref().expect("opened as a container");
    assert_eq!(extraction.status, fcas_report::ExtractionStatus::Encrypted);
    assert_eq!(extraction.password, None);
    assert!(extraction.entries.iter().any(|e| e.name == "EncryptedPackage" && e.encrypted), "{:?}", extraction.entries);
    let descendants = submission.unpack_all().expect("unpacks");
    assert!(!descendants.iter().any(|r| r.path.ends_with("!EncryptedPackage")), "no ciphertext child");
}

/// Links as compared with msodde's: NULs dropped, other than ASCII as `?`, trimmed.
fn normalized_link(link: &str) -> String {
    link.chars().filter(|c| *c != '\0').map(|c| if c.is_ascii() { c } else { '?' }).collect::<String>().trim().to_string()
}

#[test]
fn every_document_msoffcrypto_tool_decrypts_comes_out_decrypted_with_what_it_hid() {
    let files = common::document_files();
    if files.is_empty() {
        return;
    }
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/documents/reference/office.json");
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(reference).unwrap()).unwrap();
    let (mut decrypted, mut with_links, mut with_macros) = (0, 0, 0);
    // The user's password for oletools' encrypted test files, as `--password encrypted` gives it.
    let mut options = Options::default();
    options.extraction.passwords.extend(["encrypted".to_string()]);
    for (name, path) in &files {
        let expected = &reference["files"][name.as_str()]["decrypted"];
        if expected.is_null() {
            continue;
        }
        let submission = submission_of_bytes(name, &std::fs::read(path).unwrap(), &options, &[]);
        let extraction = submission.root.extraction.as_ref().expect("opened as a container");
        assert_eq!(extraction.password.as_deref(), expected["password"].as_str(), "{name}");
        let sha256 = expected["sha256"].as_str().unwrap();
        let child = submission.descendants().iter().find(|packed| packed.sha256() == sha256);
        let child = child.unwrap_or_else(|| panic!("{name}: no child with the decrypted sha256 {sha256}")).unpack().expect("unpacks");
        assert_eq!(child.lineage.len(), 1, "{name}: directly inside the document");
        // An OOXML package is the child `EncryptedPackage`, a binary workbook the child
        // `Workbook`, a Word document the child `WordDocument`, a presentation the child
        // `PowerPoint Document`.
        let named =
            ["!EncryptedPackage", "!Workbook", "!WordDocument", "!PowerPoint Document"].iter().any(|leaf| child.path.ends_with(leaf));
        assert!(named, "{}", child.path);
        let theirs: BTreeSet<String> = expected["dde"].as_array().unwrap().iter().map(|l| normalized_link(l.as_str().unwrap())).collect();
        let document = child.document.as_ref().expect("the decrypted document is analysed as one");
        assert!(!document.encrypted, "{name}: the child is the decrypted document");
        let mine: BTreeSet<String> = document.dde.iter().map(|link| normalized_link(link)).collect();
        assert_eq!(mine, theirs, "{name}: DDE links of the decrypted document");
        // olevba tells Excel 4.0 macros in binary workbooks only.
        if child.format == Format::Ole {
            let has_xlm = document.xlm.as_ref().is_some_and(|xlm| !xlm.formulas.is_empty());
            assert_eq!(has_xlm, expected["xlm"] == true, "{name}: Excel 4.0 macros of the decrypted workbook");
            with_macros += usize::from(has_xlm);
        }
        decrypted += 1;
        with_links += usize::from(!theirs.is_empty());
    }
    println!("{decrypted} decrypted, {with_links} with DDE links, {with_macros} with Excel 4.0 macros");
    assert!(
        decrypted >= 22 && with_links >= 4 && with_macros >= 2,
        "{decrypted} decrypted, {with_links} with DDE links, {with_macros} with macros"
    );
}

#[test]
fn a_long_password_list_stops_at_the_container_time_budget() {
    let files = common::document_files();
    let Some((_, path)) = files.iter().find(|(name, _)| name == "oletools/encrypted/encrypted.xlsx") else { return };
    let mut options = Options::default();
    options.extraction.limits.container_time = Duration::from_millis(200);
    options.extraction.passwords = fcas_extract::Passwords::with_extra((0..5_000).map(|i| format!("guess-{i}")));
    let started = Instant::now();
    let submission = submission_of_bytes("encrypted.xlsx", &std::fs::read(path).unwrap(), &options, &[]);
    // 5,000 key derivations would take about a minute; the budget stops them.
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    let extraction = submission.root.extraction.as_ref().expect("opened as a container");
    assert_eq!(extraction.status, fcas_report::ExtractionStatus::Encrypted);
    assert!(extraction.limits_hit.iter().any(|hit| hit.limit == "container_time" && hit.detail.contains("passwords")), "{extraction:?}");
}
