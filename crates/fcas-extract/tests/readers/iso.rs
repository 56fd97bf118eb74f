//! ISO 9660 images built here: primary names, Joliet, Rock Ridge (with a continuation area),
//! and images made by genisoimage when it is installed.
use fcas_report::{ExtractionStatus, Format};

use crate::common::{damage_never_panics, garbage_is_a_value, names, open, sha256};

const SECTOR: usize = 2048;

#[derive(Default)]
struct Node {
    name: String,
    children: Vec<usize>,
    data: Option<Vec<u8>>,
    /// Where its data or directory sector is.
    lba: u32,
}

/// How to write the image.
#[derive(Clone, Copy, Default)]
pub struct Options {
    pub joliet: bool,
    pub rock_ridge: bool,
}

fn record(lba: u32, length: u32, directory: bool, name: &[u8], system_use: &[u8]) -> Vec<u8> {
    let pad = usize::from(name.len().is_multiple_of(2));
    let size = 33 + name.len() + pad + system_use.len();
    let mut r = vec![0u8; size];
    r[0] = size as u8;
    r[2..6].copy_from_slice(&lba.to_le_bytes());
    r[6..10].copy_from_slice(&lba.to_be_bytes());
    r[10..14].copy_from_slice(&length.to_le_bytes());
    r[14..18].copy_from_slice(&length.to_be_bytes());
    r[25] = if directory { 2 } else { 0 };
    r[28] = 1;
    r[32] = name.len() as u8;
    r[33..33 + name.len()].copy_from_slice(name);
    r[33 + name.len() + pad..].copy_from_slice(system_use);
    r
}

fn nm(name: &str, flags: u8) -> Vec<u8> {
    let mut e = vec![b'N', b'M', (5 + name.len()) as u8, 1, flags];
    e.extend(name.as_bytes());
    e
}

/// An image of `files` (paths with `/`), with a long Rock Ridge name split over a `CE` area
/// when a name is longer than 40 bytes.
pub fn image(files: &[(&str, &[u8])], options: Options) -> Vec<u8> {
    let mut nodes = vec![Node::default()];
    for (path, data) in files {
        let mut at = 0;
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            let found = nodes[at].children.iter().copied().find(|&c| nodes[c].name == *part);
            at = match found {
                Some(child) => child,
                None => {
                    nodes.push(Node { name: part.to_string(), ..Node::default() });
                    let child = nodes.len() - 1;
                    nodes[at].children.push(child);
                    child
                }
            };
            if i == parts.len() - 1 {
                nodes[at].data = Some(data.to_vec());
            }
        }
    }
    let trees = if options.joliet { 2 } else { 1 };
    let descriptors = 1 + usize::from(options.joliet) + 1;
    let directories: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].data.is_none()).collect();
    let mut next = 16 + descriptors;
    let continuation_lba = next;
    next += 1;
    // One sector per directory per tree; the Joliet tree's directories follow the primary's.
    let dir_lba = |tree: usize, node: usize| {
        (continuation_lba + 1 + tree * directories.len() + directories.iter().position(|&d| d == node).unwrap()) as u32
    };
    next += trees * directories.len();
    for node in &mut nodes {
        if let Some(data) = &node.data {
            node.lba = next as u32;
            next += data.len().div_ceil(SECTOR);
        }
    }
    let mut out = vec![0u8; next * SECTOR];
    let mut continuation = Vec::new();
    for tree in 0..trees {
        let joliet = tree == 1;
        let encode = |name: &str| -> Vec<u8> {
            if joliet {
                name.encode_utf16().flat_map(u16::to_be_bytes).collect()
            } else {
                format!("{};1", name.to_ascii_uppercase()).into_bytes()
            }
        };
        for &dir in &directories {
            let own = dir_lba(tree, dir);
            let parent = (0..nodes.len()).find(|&p| nodes[p].children.contains(&dir)).map(|p| dir_lba(tree, p)).unwrap_or(own);
            let mut sector = Vec::new();
            let sp = if options.rock_ridge && !joliet && dir == 0 { vec![b'S', b'P', 7, 1, 0xbe, 0xef, 0] } else { Vec::new() };
            sector.extend(record(own, SECTOR as u32, true, &[0], &sp));
            sector.extend(record(parent, SECTOR as u32, true, &[1], &[]));
            for &child in &nodes[dir].children {
                let node = &nodes[child];
                let (lba, length, is_dir) = match &node.data {
                    Some(data) => (node.lba, data.len() as u32, false),
                    None => (dir_lba(tree, child), SECTOR as u32, true),
                };
                let mut name = encode(&node.name);
                if is_dir && !joliet {
                    name.truncate(name.len() - 2);
                }
                let mut su = Vec::new();
                if options.rock_ridge && !joliet {
                    if node.name.len() > 40 {
                        let (head, tail) = node.name.split_at(20);
                        su.extend(nm(head, 1));
                        let offset = continuation.len() as u32;
                        continuation.extend(nm(tail, 0));
                        let mut ce = vec![b'C', b'E', 28, 1];
                        for value in [continuation_lba as u32, offset, (continuation.len() as u32) - offset] {
                            ce.extend(value.to_le_bytes());
                            ce.extend(value.to_be_bytes());
                        }
                        su.extend(ce);
                    } else {
                        su.extend(nm(&node.name, 0));
                    }
                }
                sector.extend(record(lba, length, is_dir, &name, &su));
            }
            assert!(sector.len() <= SECTOR);
            let at = own as usize * SECTOR;
            out[at..at + sector.len()].copy_from_slice(&sector);
        }
        let vd = (16 + tree) * SECTOR;
        out[vd] = if joliet { 2 } else { 1 };
        out[vd + 1..vd + 6].copy_from_slice(b"CD001");
        out[vd + 6] = 1;
        out[vd + 128..vd + 130].copy_from_slice(&(SECTOR as u16).to_le_bytes());
        if joliet {
            out[vd + 88..vd + 91].copy_from_slice(b"%/E");
        }
        let root = record(dir_lba(tree, 0), SECTOR as u32, true, &[0], &[]);
        out[vd + 156..vd + 156 + 34].copy_from_slice(&root);
    }
    let end = (16 + descriptors - 1) * SECTOR;
    out[end] = 255;
    out[end + 1..end + 6].copy_from_slice(b"CD001");
    let at = continuation_lba * SECTOR;
    out[at..at + continuation.len()].copy_from_slice(&continuation);
    for node in &nodes {
        if let Some(data) = &node.data {
            let at = node.lba as usize * SECTOR;
            out[at..at + data.len()].copy_from_slice(data);
        }
    }
    out
}

fn sample_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("readme.txt", b"read me\n".to_vec()),
        ("bin/tool.exe", (0..5000u32).map(|i| (i % 253) as u8).collect()),
        ("bin/deeper/a-rather-long-rock-ridge-name-split-over-a-continuation.dat", b"long".to_vec()),
        ("empty", Vec::new()),
    ]
}

fn sample(options: Options) -> Vec<u8> {
    let files = sample_files();
    let borrowed: Vec<(&str, &[u8])> = files.iter().map(|(n, d)| (*n, d.as_slice())).collect();
    image(&borrowed, options)
}

fn sorted(children: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    let mut got: Vec<(String, String)> = children.iter().map(|(n, d)| (n.clone(), sha256(d))).collect();
    got.sort();
    got
}

fn expected(rename: impl Fn(&str) -> String) -> Vec<(String, String)> {
    let mut want: Vec<(String, String)> = sample_files().iter().map(|(n, d)| (rename(n), sha256(d))).collect();
    want.sort();
    want
}

#[test]
fn iso_primary_names() {
    let (extraction, children) = open(Format::Iso, &sample(Options::default()));
    assert_eq!((extraction.status, extraction.format.as_str()), (ExtractionStatus::Opened, "iso9660"), "{extraction:?}");
    let upper = |n: &str| {
        let mut parts: Vec<String> = n.split('/').map(str::to_ascii_uppercase).collect();
        parts.last_mut().map(|last| last.trim_end_matches('.').to_string()).into_iter().for_each(|l| *parts.last_mut().unwrap() = l);
        parts.join("/")
    };
    assert_eq!(sorted(&children), expected(upper));
}

#[test]
fn iso_joliet_names_preferred() {
    let (extraction, children) = open(Format::Iso, &sample(Options { joliet: true, rock_ridge: true }));
    assert_eq!(extraction.status, ExtractionStatus::Opened, "{extraction:?}");
    assert_eq!(sorted(&children), expected(str::to_string));
}

#[test]
fn iso_rock_ridge_names_with_continuation() {
    let (extraction, children) = open(Format::Iso, &sample(Options { joliet: false, rock_ridge: true }));
    assert_eq!(extraction.status, ExtractionStatus::Opened, "{extraction:?}");
    assert_eq!(sorted(&children), expected(str::to_string));
}

#[test]
fn iso_directory_loop_terminates() {
    let mut iso = sample(Options::default());
    // Point BIN's entry at the root directory: the walk must see the root once.
    let root_lba = u32::from_le_bytes(iso[16 * SECTOR + 158..16 * SECTOR + 162].try_into().unwrap());
    let root = root_lba as usize * SECTOR;
    let bin = (root..root + SECTOR).find(|&i| &iso[i..i + 3] == b"BIN" && iso[i - 1] == 3).unwrap() - 33;
    iso[bin + 2..bin + 6].copy_from_slice(&root_lba.to_le_bytes());
    let (extraction, children) = open(Format::Iso, &iso);
    assert_eq!(extraction.status, ExtractionStatus::Opened);
    assert_eq!(names(&children), ["README.TXT", "EMPTY"]);
}

#[test]
fn iso_truncated_is_partial() {
    let iso = sample(Options::default());
    let (extraction, children) = open(Format::Iso, &iso[..iso.len() - 3000]);
    assert_eq!(extraction.status, ExtractionStatus::Partial, "{extraction:?}");
    assert!(!children.is_empty() && children.len() < 4);
    let (extraction, _) = open(Format::Iso, &iso[..16 * SECTOR + 100]);
    assert_eq!(extraction.status, ExtractionStatus::Failed);
}

#[test]
fn iso_damage_never_panics() {
    let iso = sample(Options { joliet: true, rock_ridge: true });
    damage_never_panics(Format::Iso, &iso, 997);
    let rr = sample(Options { joliet: false, rock_ridge: true });
    // Damage aimed at the directories and descriptors.
    damage_never_panics(Format::Iso, &rr[..rr.len().min(24 * SECTOR)], 4099);
    let mut garbage = vec![0u8; 40_000];
    garbage[0x8000] = 1;
    garbage[0x8001..0x8006].copy_from_slice(b"CD001");
    garbage_is_a_value(Format::Iso, &garbage[..0x8006]);
}

/// genisoimage's images, when it is installed: Joliet, Rock Ridge, and UDF bridge.
#[test]
fn iso_from_genisoimage() {
    let Some(images) = crate::tools::genisoimage(&[&["-J", "-R"], &["-R"], &[], &["-udf", "-J"]]) else { return };
    for ((flags, iso), format) in images.into_iter().zip([Format::Iso, Format::Iso, Format::Iso, Format::Udf]) {
        let (extraction, children) = open(format, &iso);
        assert_eq!(extraction.status, ExtractionStatus::Opened, "{flags}: {extraction:?}");
        let rename = |n: &str| if flags.is_empty() { n.to_ascii_uppercase().replace('-', "_") } else { n.to_string() };
        let want: Vec<(String, String)> = {
            let mut w: Vec<_> = crate::tools::TREE.iter().map(|(n, d)| (rename(n), sha256(d))).collect();
            w.sort();
            w
        };
        assert_eq!(sorted(&children), want, "{flags}");
    }
}
