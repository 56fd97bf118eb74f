//! `fcas scan` on containers and `fcas db export-samples`, through the real binary: the tree,
//! root-first JSON Lines, --no-extract, --max-depth, passwords from flags and files, exit codes
//! untouched by a child's errors, and samples leaving only inside an AES-256 ZIP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fcas_report::{ExtractionStatus, Report};

fn corpus(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(relative)
}

/// A ZIP of `entries` (name, bytes), encrypted with AES-256 under `password` when given.
fn zip_of(path: &Path, entries: &[(&str, Vec<u8>)], password: Option<&str>) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let mut options = zip::write::SimpleFileOptions::default();
    if let Some(password) = password {
        options = options.with_aes_encryption(zip::AesMode::Aes256, password);
    }
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
}

fn fcas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas")).args(args).output().unwrap()
}

fn reports(output: &Output) -> Vec<Report> {
    String::from_utf8(output.stdout.clone()).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// 7-Zip (`7z` or `7zz`); required when the container corpus is (`make test` sets
/// FCAS_CONTAINERS and installs it).
fn seven_zip() -> Option<String> {
    let found = ["7zz", "7z"].into_iter().find(|name| Command::new(name).arg("i").output().is_ok_and(|o| o.status.success()));
    if found.is_none() && std::env::var_os("FCAS_CONTAINERS").is_some() {
        panic!("7-Zip is not installed: run scripts/setup-system.sh containers");
    }
    found.map(str::to_string)
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    fcas_report::hex(&sha2::Sha256::digest(bytes))
}

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    outer: PathBuf,
    pe: Vec<u8>,
    elf: Vec<u8>,
}

/// outer.zip (plain) holding inner.zip (AES under `s3cret`, not in the default list) holding a
/// PE and an ELF, and a file of junk.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let pe = std::fs::read(corpus("pe/deb-libwine-i386/ping.exe")).unwrap();
    let elf = std::fs::read(corpus("elf/deb-elf-amd64/crt1.o")).unwrap();
    let inner = path.join("inner.zip");
    zip_of(&inner, &[("ping.exe", pe.clone()), ("crt1.o", elf.clone())], Some("s3cret"));
    let outer = path.join("outer.zip");
    zip_of(&outer, &[("inner.zip", std::fs::read(&inner).unwrap()), ("junk.bin", b"\x00\x01 not much".to_vec())], None);
    Fixture { _dir: dir, dir: path, outer, pe, elf }
}

#[test]
fn jsonl_streams_the_root_then_its_descendants_and_an_unknown_password_lists_the_entries() {
    let f = fixture();
    let outer = f.outer.to_str().unwrap();
    let locked = fcas(&["scan", "--jsonl", "--no-models", outer]);
    assert_eq!(locked.status.code(), Some(0), "an encrypted child does not change the exit code");
    let locked = reports(&locked);
    let paths: Vec<_> = locked.iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, [outer.to_string(), format!("{outer}!inner.zip"), format!("{outer}!junk.bin")]);
    let inner = locked[1].extraction.as_ref().unwrap();
    assert_eq!(inner.status, ExtractionStatus::Encrypted);
    let listed: Vec<_> = inner.entries.iter().map(|e| (e.name.as_str(), e.size, e.encrypted)).collect();
    assert_eq!(listed, [("ping.exe", f.pe.len() as u64, true), ("crt1.o", f.elf.len() as u64, true)]);
    assert_eq!(locked[1].lineage[0].sha256, locked[0].hashes.sha256);

    let opened = reports(&fcas(&["scan", "--jsonl", "--no-models", "--password", "wrong", "--password", "s3cret", outer]));
    assert_eq!(opened.len(), 5);
    assert_eq!(opened[1].extraction.as_ref().unwrap().password.as_deref(), Some("s3cret"));
    assert_eq!(opened[2].path, format!("{outer}!inner.zip!ping.exe"));
    assert_eq!(opened[2].hashes.sha256, sha256(&f.pe));
    assert_eq!(opened[3].hashes.sha256, sha256(&f.elf));
    assert_eq!(opened[2].lineage.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), [outer, "inner.zip"]);

    let file = f.dir.join("passwords.txt");
    std::fs::write(&file, "first\r\ns3cret\n").unwrap();
    let from_file = reports(&fcas(&["scan", "--jsonl", "--no-models", "--passwords-file", file.to_str().unwrap(), outer]));
    assert_eq!(from_file.len(), 5);
}

#[test]
fn the_human_output_shows_the_tree_and_the_flags_limit_extraction() {
    let f = fixture();
    let outer = f.outer.to_str().unwrap();
    let human = fcas(&["scan", "--no-models", "--password", "s3cret", outer]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.starts_with(&format!("{outer}  zip, opened\n├── inner.zip  zip, opened with password \"s3cret\"\n│   ├── ping.exe  pe\n")),
        "{text}"
    );

    let wrapper = reports(&fcas(&["scan", "--jsonl", "--no-models", "--no-extract", outer]));
    assert_eq!(wrapper.len(), 1);
    assert_eq!(wrapper[0].extraction.as_ref().unwrap().status, ExtractionStatus::NotOpened);

    let shallow = reports(&fcas(&["scan", "--jsonl", "--no-models", "--password", "s3cret", "--max-depth", "1", outer]));
    assert_eq!(shallow.len(), 3, "the children of the outer archive, not theirs");
    let inner = shallow[1].extraction.as_ref().unwrap();
    assert_eq!(inner.status, ExtractionStatus::NotOpened);
    assert_eq!(inner.limits_hit[0].limit, "max_depth");

    let missing = fcas(&["scan", "--passwords-file", "/nonexistent/passwords", outer]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read the passwords file"));
}

#[test]
fn samples_are_exported_only_inside_an_aes_256_zip_found_again_through_their_containers() {
    let f = fixture();
    let db = f.dir.join("cases.db");
    let stored = fcas(&["scan", "--no-models", "--db", db.to_str().unwrap(), "--password", "s3cret", f.outer.to_str().unwrap()]);
    assert_eq!(stored.status.code(), Some(0), "{}", String::from_utf8_lossy(&stored.stderr));
    let out = f.dir.join("export.zip");
    let (pe_sha, elf_sha) = (sha256(&f.pe), sha256(&f.elf));
    let export = fcas(&["db", "--db", db.to_str().unwrap(), "export-samples", "-o", out.to_str().unwrap(), &pe_sha, &elf_sha]);
    assert_eq!(export.status.code(), Some(0), "{}", String::from_utf8_lossy(&export.stderr));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    assert_eq!(archive.len(), 2);
    for (index, (sha, bytes)) in [(pe_sha.clone(), &f.pe), (elf_sha.clone(), &f.elf)].into_iter().enumerate() {
        assert!(archive.by_index(index).is_err(), "never readable without the password");
        let mut entry = archive.by_index_decrypt(index, b"infected").unwrap();
        assert_eq!(entry.name().unwrap(), sha);
        assert_eq!(entry.unix_mode().map(|m| m & 0o111), Some(0), "never executable");
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        assert_eq!(&content, bytes);
    }
    // 7-Zip, the reference, agrees that it is AES-256 and intact.
    if let Some(seven) = seven_zip() {
        let listing = Command::new(&seven).args(["l", "-slt", "-pinfected"]).arg(&out).output().unwrap();
        let text = String::from_utf8_lossy(&listing.stdout);
        assert_eq!(text.lines().filter(|l| l.starts_with("Method = ") && l.contains("AES-256")).count(), 2, "{text}");
        let tested = Command::new(&seven).args(["t", "-pinfected"]).arg(&out).output().unwrap();
        assert!(tested.status.success(), "{}", String::from_utf8_lossy(&tested.stdout));
    }

    // A sample whose container moved cannot be found again: said, and exit code 3.
    std::fs::rename(&f.outer, f.dir.join("moved.zip")).unwrap();
    let gone = fcas(&["db", "--db", db.to_str().unwrap(), "export-samples", "-o", out.to_str().unwrap(), &pe_sha]);
    assert_eq!(gone.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("must still be where it was scanned"));
}
