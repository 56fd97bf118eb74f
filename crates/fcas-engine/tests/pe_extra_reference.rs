//! PE resources, version info, Authenticode and .NET against the corpus references (pefile),
//! against expectations produced with openssl and an independent metadata reader, and on
//! hostile input (malformed mutants, truncations, corrupted resource trees).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fcas_engine::formats::pe;
use fcas_engine::report::PeReport;
use fcas_engine::Limits;
use goblin::pe::options::{ParseMode, ParseOptions};
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus")
}

fn test_data(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    serde_json::from_slice(&std::fs::read(&path).expect("test data")).expect("test data is JSON")
}

/// Every reference JSON under `refs/`, with the path of its file.
fn references() -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    let mut stack = vec![corpus().join("refs")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("refs dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let relative = path.strip_prefix(corpus().join("refs")).expect("under refs").with_extension("");
                let file = corpus().join("files").join(relative);
                if file.is_file() {
                    let json = serde_json::from_slice(&std::fs::read(&path).expect("ref")).expect("ref is JSON");
                    out.push((file, json));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn analyze(bytes: &[u8]) -> Option<PeReport> {
    let parsed = pe::parse(bytes).ok()?;
    let mut notes = Vec::new();
    Some(pe::analyze(&parsed, bytes, &Limits::default(), &mut notes))
}

/// Parses only headers and sections, so that damaged directories reach our readers.
fn analyze_lenient(bytes: &[u8], limits: &Limits) -> Option<PeReport> {
    let mut options = ParseOptions::default()
        .with_parse_mode(ParseMode::Permissive)
        .with_parse_tls_data(false)
        .with_parse_resources(false)
        .with_parse_imports(false);
    options.parse_attribute_certificates = false;
    let parsed = goblin::pe::PE::parse_with_opts(bytes, &options).ok()?;
    let mut notes = Vec::new();
    Some(pe::analyze(&parsed, bytes, limits, &mut notes))
}

/// `(type, type_id, entries, leaves)` per resource type, in directory order, like the refs.
type ResourceSummary = Vec<(String, Option<u64>, usize, usize)>;
/// A resource's name or id.
type ResourceName = (Option<String>, Option<u32>);

fn resource_summary(report: &PeReport) -> ResourceSummary {
    let mut summary: Vec<(String, Option<u64>, Vec<ResourceName>, usize)> = Vec::new();
    for leaf in &report.resources {
        let type_id = leaf.type_id.map(u64::from);
        let position = summary.iter().position(|(kind, id, _, _)| *kind == leaf.kind && *id == type_id);
        let group = match position {
            Some(index) => &mut summary[index],
            None => {
                summary.push((leaf.kind.clone(), type_id, Vec::new(), 0));
                summary.last_mut().expect("just pushed")
            }
        };
        let name = (leaf.name.clone(), leaf.id);
        if !group.2.contains(&name) {
            group.2.push(name);
        }
        group.3 += 1;
    }
    summary.into_iter().map(|(kind, id, names, leaves)| (kind, id, names.len(), leaves)).collect()
}

fn expected_resources(pefile: &Value) -> ResourceSummary {
    let Some(types) = pefile["resources"]["types"].as_array() else { return Vec::new() };
    types
        .iter()
        .map(|t| {
            let count = |key: &str| t[key].as_u64().expect("count") as usize;
            (t["type"].as_str().expect("type").to_string(), t["type_id"].as_u64(), count("entries"), count("leaves"))
        })
        .collect()
}

#[test]
fn matches_pefile_on_every_parsed_pe() {
    let mut compared = 0;
    let mut mismatches = Vec::new();
    let mut unparsed = Vec::new();
    for (file, reference) in references() {
        let pefile = &reference["pefile"];
        if pefile["parsed"] != Value::Bool(true) {
            continue;
        }
        let bytes = std::fs::read(&file).expect("fixture");
        let name = file.strip_prefix(corpus()).expect("in corpus").display().to_string();
        // Where goblin's full parse refuses a file, read headers and sections only: the readers
        // under test do not depend on goblin's view of the directories.
        let Some(report) = analyze(&bytes).or_else(|| analyze_lenient(&bytes, &Limits::default())) else {
            unparsed.push(name);
            continue;
        };
        compared += 1;

        let resources = resource_summary(&report);
        let expected = expected_resources(pefile);
        if resources != expected {
            mismatches.push(format!("{name}: resources {resources:?} != {expected:?}"));
        }
        let total = pefile["resources"]["total_leaves"].as_u64().unwrap_or(0) as usize;
        if report.resources.len() != total {
            mismatches.push(format!("{name}: {} resource leaves != {total}", report.resources.len()));
        }

        let expected_strings: std::collections::BTreeMap<String, String> = match &pefile["version_info_strings"] {
            Value::Null => Default::default(),
            strings => serde_json::from_value(strings.clone()).expect("string map"),
        };
        if report.version_info != expected_strings {
            mismatches.push(format!("{name}: version strings {:?} != {expected_strings:?}", report.version_info));
        }

        let authenticode = &pefile["authenticode"];
        let ours = report.authenticode.clone().unwrap_or_default();
        let theirs =
            (authenticode["present"].as_bool(), authenticode["security_dir_offset"].as_u64(), authenticode["security_dir_size"].as_u64());
        if (Some(ours.present), Some(u64::from(ours.security_dir_offset)), Some(u64::from(ours.security_dir_size))) != theirs {
            mismatches
                .push(format!("{name}: authenticode {:?} != {theirs:?}", (ours.present, ours.security_dir_offset, ours.security_dir_size)));
        }

        if Some(report.clr.is_some()) != pefile["is_dotnet"].as_bool() {
            mismatches.push(format!("{name}: is_dotnet {} != {}", report.clr.is_some(), pefile["is_dotnet"]));
        }
    }
    // Files whose headers goblin rejects never reach these readers.
    println!("compared {compared} files; headers not parsed by goblin: {unparsed:?}");
    assert!(compared >= 60, "only {compared} PE files compared");
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn resources_flag_their_content_and_lie_inside_the_file() {
    let bytes = std::fs::read(corpus().join("files/pe/pypi-pip-any/t32.exe")).expect("fixture");
    let report = analyze(&bytes).expect("parses");
    for leaf in &report.resources {
        let offset = leaf.offset.expect("mapped") as usize;
        assert!(offset + leaf.size as usize <= bytes.len(), "{leaf:?}");
        assert_eq!(leaf.size_in_file, u64::from(leaf.size));
        let entropy = leaf.entropy.expect("computed");
        assert!((0.0..=8.0).contains(&entropy));
    }
    let manifest = report.resources.iter().find(|r| r.kind == "RT_MANIFEST").expect("manifest");
    let text = &bytes[manifest.offset.unwrap() as usize..][..manifest.size as usize];
    assert!(String::from_utf8_lossy(text).contains("assembly"), "manifest offset points at the manifest");
    let version = report.resources.iter().find(|r| r.kind == "RT_VERSION").expect("version");
    let data = &bytes[version.offset.unwrap() as usize..];
    assert_eq!(&data[6..36], "VS_VERSION_INFO".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>().as_slice());
    assert!(report.resources.iter().all(|r| r.language == "LANG_ENGLISH" || r.language == "LANG_NEUTRAL"), "{:?}", report.resources);
}

#[test]
fn embedded_executable_in_a_resource_is_recognised() {
    // Plant a PE into the data of t32.exe's manifest resource: the report must call it one.
    let mut bytes = std::fs::read(corpus().join("files/pe/pypi-pip-any/t32.exe")).expect("fixture");
    let donor = std::fs::read(corpus().join("files/pe/deb-libwine-i386/chcp.com")).expect("fixture");
    let report = analyze(&bytes).expect("parses");
    let manifest = report.resources.iter().find(|r| r.kind == "RT_MANIFEST").expect("manifest").clone();
    let offset = manifest.offset.unwrap() as usize;
    let take = (manifest.size as usize).min(donor.len());
    bytes[offset..offset + take].copy_from_slice(&donor[..take]);
    let report = analyze(&bytes).expect("parses");
    let planted = report.resources.iter().find(|r| r.kind == "RT_MANIFEST").expect("manifest");
    assert_eq!(planted.content, fcas_engine::report::Format::Pe);
}

#[test]
fn signatures_match_openssl() {
    let expectations = test_data("authenticode_expected.json");
    for (relative, expected) in expectations.as_object().expect("object") {
        let bytes = std::fs::read(corpus().join(relative)).expect("fixture");
        let report = analyze(&bytes).expect("parses");
        let authenticode = report.authenticode.expect("security directory");
        assert!(authenticode.present);
        assert_eq!(authenticode.malformed, None, "{relative}");
        assert_eq!(authenticode.entries.len(), 1);
        let entry = &authenticode.entries[0];
        assert_eq!((entry.revision, entry.certificate_type), (0x200, 2));
        assert_eq!(u64::from(entry.length), expected["blob_length"].as_u64().expect("length") + 8);
        let signature = authenticode.signature.expect("signature parsed");
        assert_eq!(signature.digest_algorithm, expected["digest_algorithm"].as_str().unwrap(), "{relative}");
        assert_eq!(signature.signing_time.as_deref(), expected["signing_time"].as_str(), "{relative}");
        assert_eq!(signature.signing_time_source.as_deref(), expected["signing_time_source"].as_str(), "{relative}");
        assert_eq!(signature.signer_serial, expected["signer_serial"].as_str().unwrap(), "{relative}");
        assert_eq!(signature.signer_issuer, expected["signer_issuer"].as_str().unwrap(), "{relative}");
        let certificates: Vec<(String, String, String, String, String)> = signature
            .certificates
            .iter()
            .map(|c| (c.subject.clone(), c.issuer.clone(), c.serial_number.clone(), c.not_before.clone(), c.not_after.clone()))
            .collect();
        let expected_certificates: Vec<(String, String, String, String, String)> = expected["certificates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let s = |k: &str| c[k].as_str().unwrap().to_string();
                (s("subject"), s("issuer"), s("serial"), s("not_before"), s("not_after"))
            })
            .collect();
        assert_eq!(certificates, expected_certificates, "{relative}");
        assert_eq!(signature.self_signed, expected["signer_self_signed"].as_bool().unwrap(), "{relative}");
        assert_eq!(signature.signed_digest.len(), 64, "a sha256 file digest");
        assert_eq!(signature.signed_digest_algorithm, "sha256");
        assert_eq!(signature.digest_matches, Some(true), "{relative}: untouched file matches its signed digest");
    }
}

#[test]
fn modified_signed_file_no_longer_matches_its_digest() {
    let original = std::fs::read(corpus().join("files/pe/pypi-msvc-runtime-win_amd64/vcruntime140_1.dll")).expect("fixture");
    let pe_offset = u32::from_le_bytes(original[0x3c..0x40].try_into().unwrap()) as usize;
    // The checksum is outside the digest: changing it keeps the match.
    let mut checksum_changed = original.clone();
    checksum_changed[pe_offset + 24 + 64] ^= 0xff;
    let signature = analyze(&checksum_changed).unwrap().authenticode.unwrap().signature.unwrap();
    assert_eq!(signature.digest_matches, Some(true));
    // One byte of code changed after signing breaks it.
    let mut patched = original.clone();
    patched[0x1000] ^= 0x01;
    let signature = analyze(&patched).unwrap().authenticode.unwrap().signature.unwrap();
    assert_eq!(signature.digest_matches, Some(false));
    assert_ne!(signature.computed_digest, signature.signed_digest);
}

#[test]
fn dotnet_header_matches_an_independent_reader() {
    let expectations = test_data("dotnet_expected.json");
    for (relative, expected) in expectations.as_object().expect("object") {
        let bytes = std::fs::read(corpus().join(relative)).expect("fixture");
        let clr = analyze(&bytes).expect("parses").clr.expect("CLR header");
        assert_eq!(clr.runtime_version.as_deref(), expected["version"].as_str(), "{relative}");
        let streams: Vec<&str> = expected["streams"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        assert_eq!(clr.streams, streams, "{relative}");
        assert_eq!(u64::from(clr.header_size), expected["cb"].as_u64().unwrap());
        assert_eq!(u64::from(clr.major_runtime_version), expected["major_runtime_version"].as_u64().unwrap());
        assert_eq!(u64::from(clr.minor_runtime_version), expected["minor_runtime_version"].as_u64().unwrap());
        assert_eq!(u64::from(clr.flags), expected["flags"].as_u64().unwrap());
        assert_eq!(clr.il_only, expected["flags"].as_u64().unwrap() & 1 != 0);
        assert_eq!(u64::from(clr.metadata_rva), expected["metadata_rva"].as_u64().unwrap());
        assert_eq!(u64::from(clr.metadata_size), expected["metadata_size"].as_u64().unwrap());
    }
}

/// Runs `f` and fails if it takes longer than a hostile input should.
fn bounded<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    assert!(started.elapsed() < Duration::from_secs(5), "{what} took {:?}", started.elapsed());
    out
}

#[test]
fn malformed_mutants_give_partial_results() {
    let dir = corpus().join("files/malformed");
    let mut reached = 0;
    for entry in std::fs::read_dir(&dir).expect("malformed dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("fixture");
        let name = path.display().to_string();
        if bounded(&name, || analyze_lenient(&bytes, &Limits::default())).is_some() {
            reached += 1;
        }
        bounded(&name, || analyze(&bytes));
    }
    assert!(reached >= 5, "only {reached} mutants reached the readers");
}

#[test]
fn truncated_signed_files_never_panic() {
    for relative in [
        "files/pe/pypi-msvc-runtime-win_amd64/vcruntime140_1.dll",
        "files/pe/pypi-numpy-win_amd64/msvcp140-a4c2229bdc2a2a630acdc095b4d86008.dll",
    ] {
        let bytes = std::fs::read(corpus().join(relative)).expect("fixture");
        let report = analyze(&bytes).expect("parses");
        let directory = report.authenticode.expect("signed");
        let start = directory.security_dir_offset as usize;
        let mut cuts: Vec<usize> = (0..bytes.len()).step_by(bytes.len() / 97 + 1).collect();
        // Dense cuts inside the signature, where the DER parser is exercised.
        cuts.extend((start..bytes.len()).step_by(61));
        let mut reached = 0;
        for cut in cuts {
            let truncated = &bytes[..cut];
            if let Some(report) = bounded(relative, || analyze_lenient(truncated, &Limits::default())) {
                reached += 1;
                if cut > start + 8 && cut < bytes.len() {
                    let authenticode = report.authenticode.expect("directory still announced");
                    assert!(authenticode.malformed.is_some(), "a cut signature at {cut} is reported malformed");
                }
            }
        }
        assert!(reached > 100, "{relative}: only {reached} truncations reached the readers");
    }
}

#[test]
fn corrupted_resource_trees_stay_bounded() {
    // Overwrite bytes of the resource directory of a resource-rich file with hostile values.
    let original = std::fs::read(corpus().join("files/pe/deb-libwine-amd64/appwiz.cpl")).expect("fixture");
    let report = analyze(&original).expect("parses");
    let first_data = report.resources.iter().filter_map(|r| r.offset).min().expect("resources") as usize;
    // The tree (directories, entries, names, data entries) runs from the directory's start up to
    // the first leaf's data in this file.
    let parsed = goblin::pe::PE::parse(&original).expect("parses");
    let header = parsed.header.optional_header.expect("optional header");
    let directory = header.data_directories.get_resource_table().expect("resource directory");
    let options = ParseOptions::default();
    let tree_start = goblin::pe::utils::find_offset(
        directory.virtual_address as usize,
        &parsed.sections,
        header.windows_fields.file_alignment,
        &options,
    )
    .expect("mapped");
    assert!(tree_start < first_data);
    let limits = Limits { max_table_entries: 300, ..Limits::default() };
    let mut reached = 0;
    // About 300 corruptions spread over the whole tree keep the test quick in debug builds.
    let step = ((first_data - tree_start) / 300) | 1; // odd, so every field offset is hit
    for (i, at) in (tree_start..first_data).step_by(step).enumerate() {
        let mut bytes = original.clone();
        let value: &[u8] = match i % 4 {
            0 => &[0xff, 0xff, 0xff, 0xff],
            1 => &[0x00, 0x00, 0x00, 0x80], // directory flag pointing at the root: a loop
            2 => &[0x10, 0x00, 0x00, 0x80],
            _ => &[0xff, 0x0f, 0xff, 0x0f], // absurd entry counts
        };
        let end = (at + value.len()).min(bytes.len());
        bytes[at..end].copy_from_slice(&value[..end - at]);
        if let Some(report) = bounded("corrupted tree", || analyze_lenient(&bytes, &limits)) {
            reached += 1;
            assert!(report.resources.len() <= 300);
        }
    }
    assert!(reached > 50, "only {reached} corruptions reached the readers");
}

#[test]
fn corrupted_signatures_are_reported_not_fatal() {
    let bytes = std::fs::read(corpus().join("files/pe/pypi-msvc-runtime-win_amd64/vcruntime140_1.dll")).expect("fixture");
    let start = analyze(&bytes).expect("parses").authenticode.expect("signed").security_dir_offset as usize;
    let mut reached = 0;
    // Overwrite DER headers and lengths throughout the blob with hostile bytes.
    for (i, at) in (start + 8..bytes.len()).step_by(97).enumerate() {
        let mut corrupted = bytes.clone();
        corrupted[at] = [0xff, 0x80, 0x00, 0x30, 0xa0, 0x84][i % 6];
        if let Some(next) = corrupted.get_mut(at + 1) {
            *next = [0xff, 0x00, 0x7f, 0x84][i % 4];
        }
        if let Some(report) = bounded("corrupted signature", || analyze_lenient(&corrupted, &Limits::default())) {
            reached += 1;
            let authenticode = report.authenticode.expect("directory still announced");
            assert!(authenticode.signature.is_some() || authenticode.malformed.is_some(), "either read or explained");
        }
    }
    assert!(reached > 100, "only {reached} corruptions reached the readers");
}

/// `bytes` with `blob` appended as a PKCS#7 `WIN_CERTIFICATE` and the security directory set.
fn with_signature(mut bytes: Vec<u8>, blob: &[u8]) -> Vec<u8> {
    let read_u32 = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let pe = read_u32(&bytes, 0x3c);
    let magic = u16::from_le_bytes([bytes[pe + 24], bytes[pe + 25]]);
    let directories = pe + 24 + if magic == 0x10b { 96 } else { 112 };
    while bytes.len() & 7 != 0 {
        bytes.push(0);
    }
    let offset = bytes.len() as u32;
    let length = (blob.len() + 8) as u32;
    bytes.extend_from_slice(&length.to_le_bytes());
    bytes.extend_from_slice(&0x200u16.to_le_bytes());
    bytes.extend_from_slice(&2u16.to_le_bytes());
    bytes.extend_from_slice(blob);
    let security = directories + 4 * 8;
    bytes[security..security + 4].copy_from_slice(&offset.to_le_bytes());
    bytes[security + 4..security + 8].copy_from_slice(&length.to_le_bytes());
    bytes
}

#[test]
fn self_signed_signature_with_signing_time() {
    let blob = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/selfsigned.p7")).expect("test data");
    let expected = test_data("selfsigned_expected.json");
    let unsigned = std::fs::read(corpus().join("files/pe/pypi-pip-any/t32.exe")).expect("fixture");
    let bytes = with_signature(unsigned, &blob);
    let authenticode = analyze(&bytes).expect("parses").authenticode.expect("security directory");
    assert_eq!(authenticode.malformed, None);
    let signature = authenticode.signature.expect("signature parsed");
    assert!(signature.self_signed);
    assert_eq!(signature.certificates.len(), 1);
    let certificate = &signature.certificates[0];
    assert!(certificate.self_signed);
    assert_eq!(certificate.subject, expected["subject"].as_str().unwrap());
    assert_eq!(certificate.issuer, expected["subject"].as_str().unwrap());
    assert_eq!(certificate.serial_number, expected["serial"].as_str().unwrap());
    assert_eq!(signature.signer_serial, expected["serial"].as_str().unwrap());
    assert_eq!(signature.signing_time.as_deref(), expected["signing_time"].as_str());
    assert_eq!(signature.signing_time_source.as_deref(), Some("signing_time"));
    assert_eq!(signature.digest_algorithm, expected["digest_algorithm"].as_str().unwrap());
    // Not Authenticode content: there is no file digest to report.
    assert_eq!(signature.signed_digest, "");
}

#[test]
fn a_blob_that_is_not_signed_data_is_malformed() {
    let unsigned = std::fs::read(corpus().join("files/pe/pypi-pip-any/t32.exe")).expect("fixture");
    // A DER SEQUENCE holding the OID of PKCS#7 `data`, not `signedData`.
    let blob = [0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
    let authenticode = analyze(&with_signature(unsigned.clone(), &blob)).expect("parses").authenticode.expect("directory");
    assert!(authenticode.signature.is_none());
    assert!(authenticode.malformed.as_deref().is_some_and(|m| m.contains("1.2.840.113549.1.7.1")), "{:?}", authenticode.malformed);
    let garbage = analyze(&with_signature(unsigned, b"not DER at all")).expect("parses").authenticode.expect("directory");
    assert!(garbage.malformed.is_some());
}
