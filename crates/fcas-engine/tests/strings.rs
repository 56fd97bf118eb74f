//! String and IOC extraction on planted buffers and over the whole corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::Path;
use std::time::Duration;

use fcas_engine::report::StringsReport;
use fcas_engine::strings::{extract, ioc::find_in};
use fcas_engine::{Deadline, Limits};

fn run(bytes: &[u8], limits: &Limits) -> (StringsReport, Vec<String>) {
    let mut notes = Vec::new();
    let report = extract(bytes, limits, Deadline::after(Duration::from_secs(60)), &mut notes);
    (report, notes)
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// True when the file bytes at `offset` spell `value` in `encoding`.
fn decodes_to(bytes: &[u8], offset: u64, encoding: &str, value: &str) -> bool {
    let offset = offset as usize;
    match encoding {
        "ascii" => bytes.get(offset..offset + value.len()) == Some(value.as_bytes()),
        "utf16le" => bytes.get(offset..offset + 2 * value.len()) == Some(utf16(value).as_slice()),
        _ => false,
    }
}

#[test]
fn planted_strings_at_known_offsets() {
    let mut bytes = b"FirstString\x00\x01".to_vec();
    let wide_at = bytes.len() + 1; // odd offset
    bytes.push(0xff);
    bytes.extend(utf16("WideText"));
    bytes.extend([0x00, 0x00, 0x90, 0x90, b'a', b'b', 0x00]); // too short to count
    let tab_at = bytes.len();
    bytes.extend(b"tab\there");
    bytes.push(0x01);
    let last_at = bytes.len();
    bytes.extend(utf16("EndWide"));
    let (report, notes) = run(&bytes, &Limits::default());
    let found: Vec<(u64, &str, &str)> = report.items.iter().map(|s| (s.offset, s.encoding.as_str(), s.value.as_str())).collect();
    assert_eq!(
        found,
        vec![
            (0, "ascii", "FirstString"),
            (wide_at as u64, "utf16le", "WideText"),
            (tab_at as u64, "ascii", "tab\there"),
            (last_at as u64, "utf16le", "EndWide")
        ]
    );
    assert_eq!(report.total, 4);
    assert!(!report.truncated);
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn minimum_length_is_inclusive() {
    let limits = Limits { min_string_len: 5, ..Limits::default() };
    let (report, _) = run(b"\x00abcd\x00abcde\x00", &limits);
    assert_eq!(report.items.iter().map(|s| s.value.as_str()).collect::<Vec<_>>(), ["abcde"]);
    let (report, _) = run(b"abcde", &limits);
    assert_eq!(report.items.len(), 1, "a string that ends the file counts");
}

#[test]
fn caps_count_everything_but_keep_the_first() {
    let mut bytes = Vec::new();
    for index in 0..10 {
        bytes.extend(format!("string number {index}").as_bytes());
        bytes.push(0);
    }
    let limits = Limits { max_strings: 3, ..Limits::default() };
    let (report, notes) = run(&bytes, &limits);
    assert_eq!(report.total, 10);
    assert!(report.truncated);
    assert_eq!(
        report.items.iter().map(|s| s.value.as_str()).collect::<Vec<_>>(),
        ["string number 0", "string number 1", "string number 2"]
    );
    assert!(notes.iter().any(|n| n.contains("only the first 3")), "{notes:?}");
}

#[test]
fn long_runs_are_cut() {
    let bytes = vec![b'A'; 10_000];
    let limits = Limits { max_string_chars: 100, ..Limits::default() };
    let (report, notes) = run(&bytes, &limits);
    assert_eq!(report.total, 1);
    assert_eq!(report.items[0].value.len(), 100);
    assert!(notes.iter().any(|n| n.contains("cut")));
}

#[test]
fn empty_input() {
    let (report, notes) = run(&[], &Limits::default());
    assert_eq!(report, StringsReport::default());
    assert!(notes.is_empty());
}

#[test]
fn expired_deadline_stops_with_a_note() {
    let bytes = vec![0u8; 9 << 20];
    let mut notes = Vec::new();
    let _ = extract(&bytes, &Limits::default(), Deadline::after(Duration::ZERO), &mut notes);
    assert!(notes.iter().any(|n| n.contains("ran out of time")), "{notes:?}");
}

fn kinds_of(text: &str) -> Vec<(&'static str, String)> {
    find_in(text).into_iter().map(|(kind, _, value)| (kind, value)).collect()
}

fn has(text: &str, kind: &str, value: &str) -> bool {
    kinds_of(text).iter().any(|(k, v)| *k == kind && v == value)
}

fn has_kind(text: &str, kind: &str) -> bool {
    kinds_of(text).iter().any(|(k, _)| *k == kind)
}

#[test]
fn network_indicators() {
    assert!(has("get http://evil.example.com/a/b.php?x=1.", "url", "http://evil.example.com/a/b.php?x=1"));
    assert!(has("FTP://files.test.org/pub", "url", "FTP://files.test.org/pub"));
    assert!(has("connect to c2.badhost.ru now", "domain", "c2.badhost.ru"));
    assert!(has("mail admin@example.com", "email", "admin@example.com"));
    assert!(has("server 192.168.10.254:8080", "ipv4", "192.168.10.254"));
    assert!(has("dns 2001:db8::8a2e:370:7334 ok", "ipv6", "2001:db8::8a2e:370:7334"));
    assert!(has("fe80::1ff:fe23:4567:890a", "ipv6", "fe80::1ff:fe23:4567:890a"));
    let positions: Vec<usize> = find_in("xx http://a.com").into_iter().filter(|(k, ..)| *k == "url").map(|(_, p, _)| p).collect();
    assert_eq!(positions, [3]);
}

#[test]
fn network_false_positives() {
    for text in ["kernel32.dll", "KERNEL32.DLL", "msvcrt.dll loaded", "System.IO.File", "a.b", "setup.py", "libc.so.6", "obj.open(x)"] {
        assert!(!has_kind(text, "domain"), "{text}: {:?}", kinds_of(text));
    }
    for text in [
        "Version=4.0.0.0",
        "version 10.0.1.2",
        "v1.2.3.4",
        "1.2.3.4.5",
        "256.1.1.1",
        "01.2.3.4",
        "0.0.0.0",
        "FileVersion 6.1.7601.17514",
        "version=\"6.0.0.0\"",
    ] {
        assert!(!has_kind(text, "ipv4"), "{text}: {:?}", kinds_of(text));
    }
    for text in ["std::vector<int>", "12:34:56", "::", "a::b", "Foo::Bar::baz()", "::1"] {
        assert!(!has_kind(text, "ipv6"), "{text}: {:?}", kinds_of(text));
    }
    assert!(!has_kind("user@localhost", "email"));
}

#[test]
fn host_indicators() {
    assert!(has(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run",
        "registry_key",
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run"
    ));
    assert!(has(r"HKCU\Software\Classes\x", "registry_key", r"HKCU\Software\Classes\x"));
    assert!(has(r"SOFTWARE\Microsoft\Windows NT\CurrentVersion", "registry_key", r"SOFTWARE\Microsoft\Windows NT\CurrentVersion"));
    assert!(!has_kind(r"C:\Windows\System32\drivers", "registry_key"));
    assert!(!has_kind("HKLM", "registry_key"));
    assert!(has(r"copy to C:\Users\Public\evil.exe", "windows_path", r"C:\Users\Public\evil.exe"));
    assert!(has(r"%APPDATA%\Microsoft\upd.exe", "windows_path", r"%APPDATA%\Microsoft\upd.exe"));
    assert!(has(r"\\fileserver\share\x.doc", "windows_path", r"\\fileserver\share\x.doc"));
    assert!(has("open /etc/passwd now", "unix_path", "/etc/passwd"));
    assert!(has("/tmp/.x/run.sh", "unix_path", "/tmp/.x/run.sh"));
    assert!(!has_kind("http://host.com/bin/x", "unix_path"));
    assert!(!has_kind("/binary/thing", "unix_path"));
}

#[test]
fn wallets_and_blobs() {
    assert!(has("pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa now", "btc_address", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
    assert!(!has_kind("pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb now", "btc_address"));
    assert!(has("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "btc_address", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
    assert!(!has_kind("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "btc_address"));
    assert!(has("0x52908400098527886E0F7030069857D2E4169EE7", "eth_address", "0x52908400098527886E0F7030069857D2E4169EE7"));
    assert!(!has_kind("0x0000000000000000000000000000000000000000", "eth_address"));
    let xmr = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
    assert!(has(xmr, "xmr_address", xmr));
    let blob = "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert!(has(&format!("data={blob};"), "base64", blob));
    let text_blob = "U29tZSBoaWRkZW4gcGF5bG9hZCB3aXRoIDEyMzQ1IGFuZCBtb3JlIHRleHQ=";
    assert!(has(text_blob, "base64", text_blob));
    for junk in [
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "abcdefabcdefabcdefabcdefabcdefabcdefabcdefab",
        "4SystemProcessorPerformanceInformationEx",
        "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAx",
    ] {
        assert!(!has_kind(junk, "base64"), "{junk}");
    }
}

#[test]
fn ioc_offsets_are_file_offsets_and_duplicates_are_counted() {
    let mut bytes = vec![0u8; 7];
    bytes.extend(b"see http://a.example.com/x");
    bytes.extend([0u8; 3]);
    let wide_at = bytes.len() as u64;
    bytes.extend(utf16("at http://a.example.com/x"));
    bytes.extend([0u8; 2]);
    let ip_at = bytes.len() as u64;
    bytes.extend(utf16("10.1.2.3"));
    let (report, _) = run(&bytes, &Limits::default());
    let url = report.iocs.iter().find(|i| i.kind == "url").expect("url");
    assert_eq!((url.offset, url.count, url.value.as_str()), (7 + 4, 2, "http://a.example.com/x"));
    let ip = report.iocs.iter().find(|i| i.kind == "ipv4").expect("ipv4");
    assert_eq!(ip.offset, ip_at);
    let domain = report.iocs.iter().find(|i| i.kind == "domain").expect("domain");
    assert_eq!((domain.offset, domain.count), (7 + 11, 2));
    assert!(wide_at > 0);
    let sorted = report.iocs.windows(2).all(|pair| pair[0].offset <= pair[1].offset);
    assert!(sorted);
}

#[test]
fn ioc_cap() {
    let mut bytes = Vec::new();
    for index in 0..20 {
        bytes.extend(format!("host{index}.example.com\0").as_bytes());
    }
    let limits = Limits { max_iocs: 5, ..Limits::default() };
    let (report, notes) = run(&bytes, &limits);
    assert_eq!(report.iocs.len(), 5);
    assert!(report.iocs_truncated);
    assert!(notes.iter().any(|n| n.contains("IOC list cut")));
}

#[test]
fn every_corpus_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus");
    let manifest = std::fs::read_to_string(root.join("MANIFEST.tsv")).expect("manifest");
    let mut files = 0;
    for path in manifest.lines().skip(1).filter_map(|line| line.split('\t').next()) {
        let bytes = std::fs::read(root.join(path)).expect("fixture");
        let (report, _) = run(&bytes, &Limits::default());
        files += 1;
        assert!(report.total >= report.items.len() as u64, "{path}");
        assert!(report.items.windows(2).all(|pair| pair[0].offset <= pair[1].offset), "{path}: not in file order");
        for item in &report.items {
            assert!(item.value.chars().count() >= 5, "{path}");
            assert!(decodes_to(&bytes, item.offset, &item.encoding, &item.value), "{path}: {} at {}", item.value, item.offset);
        }
        for ioc in &report.iocs {
            assert!(
                decodes_to(&bytes, ioc.offset, "ascii", &ioc.value) || decodes_to(&bytes, ioc.offset, "utf16le", &ioc.value),
                "{path}: {} {} at {}",
                ioc.kind,
                ioc.value,
                ioc.offset
            );
            assert!(ioc.count >= 1);
        }
    }
    assert!(files >= 100);
}

#[test]
fn the_string_list_keeps_no_spare_room() {
    // ASCII and UTF-16 strings in turn, so that the list is gathered from several passes.
    let mut bytes = Vec::new();
    for i in 0..1_000u32 {
        bytes.extend_from_slice(format!("ascii string number {i}\0").as_bytes());
        bytes.extend(utf16(&format!("wide {i}")));
        bytes.extend_from_slice(&[0, 0, 0xff]);
    }
    let (found, _) = run(&bytes, &Limits { max_strings: 1_500, ..Limits::default() });
    assert_eq!(found.items.len(), 1_500, "the cap applies");
    assert_eq!(found.items.capacity(), found.items.len());
}
