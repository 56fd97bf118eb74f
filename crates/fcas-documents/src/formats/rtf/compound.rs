//! What the OLE compound file an object carries says about it: whether it is an Equation Editor
//! object (root CLSID, `Equation Native` stream, equation data in `\x01Ole10Native`), and the
//! URL an `OLE2Link` object fetches (the URL moniker of its `\x01Ole` stream, CVE-2017-0199).
use std::io::Read;

/// The Equation Editor 3.0 CLSID, as the compound file's root entry gives it.
const EQUATION_CLSID: &str = "0002ce02-0000-0000-c000-000000000046";
/// The compound file signature.
const CFB_MAGIC: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/// Start of an `EQNOLEFILEHDR` (cbHdr = 28, version 0x00020000): equation data, in an
/// `\x01Ole10Native` stream after its size.
const EQUATION_HEADER: &[u8] = &[0x1c, 0x00, 0x00, 0x00, 0x02, 0x00];
/// The URL moniker CLSID {79EAC9E0-BAF9-11CE-8C82-00AA004BA90B}, as stored.
const URL_MONIKER: &[u8] = b"\xe0\xc9\xea\x79\xf9\xba\xce\x11\x8c\x82\x00\xaa\x00\x4b\xa9\x0b";
/// Bytes of an `\x01Ole` stream searched for monikers (the stream is small).
const MAX_OLE_STREAM: u64 = 64 << 10;
/// Monikers read from one stream.
const MAX_LINKS: usize = 8;

/// What a compound file tells.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct CompoundFacts {
    /// It holds an Equation Editor object.
    pub(super) equation: bool,
    /// URLs its OLE link fetches.
    pub(super) links: Vec<String>,
}

/// The facts of `bytes` when it is a compound file that opens.
pub(super) fn compound_facts(bytes: &[u8]) -> CompoundFacts {
    if !bytes.starts_with(CFB_MAGIC) {
        return CompoundFacts::default();
    }
    let Ok(mut file) = crate::open_compound(bytes) else { return CompoundFacts::default() };
    let equation = file.root_entry().clsid().to_string().eq_ignore_ascii_case(EQUATION_CLSID)
        || file.is_stream("/Equation Native")
        || read_start(&mut file, "/\u{1}Ole10Native", 4 + EQUATION_HEADER.len() as u64)
            .is_some_and(|start| start.get(4..) == Some(EQUATION_HEADER));
    let links = read_start(&mut file, "/\u{1}Ole", MAX_OLE_STREAM).map(|stream| url_monikers(&stream)).unwrap_or_default();
    CompoundFacts { equation, links }
}

fn read_start(file: &mut crate::CompoundFile<'_>, path: &str, length: u64) -> Option<Vec<u8>> {
    let stream = file.open_stream(path).ok()?;
    let mut start = Vec::new();
    stream.take(length).read_to_end(&mut start).ok()?;
    Some(start)
}

/// The URLs of the URL monikers in `stream`: the CLSID, a 32-bit byte length, UTF-16LE text.
fn url_monikers(stream: &[u8]) -> Vec<String> {
    let mut links = Vec::new();
    for at in memchr::memmem::find_iter(stream, URL_MONIKER).take(MAX_LINKS) {
        let Some(length) = at
            .checked_add(URL_MONIKER.len())
            .and_then(|start| stream.get(start..start.checked_add(4)?))
            .and_then(|raw| raw.try_into().ok())
            .map(u32::from_le_bytes)
        else {
            continue;
        };
        let text_start = at + URL_MONIKER.len() + 4;
        let text_end = text_start.saturating_add(length as usize).min(stream.len());
        let units: Vec<u16> = stream
            .get(text_start..text_end)
            .unwrap_or_default()
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .take_while(|&unit| unit != 0)
            .collect();
        let url = String::from_utf16_lossy(&units);
        if !url.is_empty() {
            links.push(url);
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_monikers_are_read_within_the_stream() {
        let mut stream = vec![1, 0, 0, 2, 0, 0, 0, 0];
        stream.extend_from_slice(URL_MONIKER);
        let url: Vec<u8> = "http://192.0.2.9/a.hta\0".encode_utf16().flat_map(u16::to_le_bytes).collect();
        stream.extend_from_slice(&(url.len() as u32 + 24).to_le_bytes());
        stream.extend_from_slice(&url);
        assert_eq!(url_monikers(&stream), ["http://192.0.2.9/a.hta"]);
        // A cut moniker gives what is there, a lying length nothing past the end.
        for cut in 0..stream.len() {
            let _ = url_monikers(&stream[..cut]);
        }
    }

    #[test]
    fn broken_compound_files_tell_nothing() {
        let mut bytes = CFB_MAGIC.to_vec();
        bytes.extend_from_slice(&[0xff; 600]);
        assert_eq!(compound_facts(&bytes), CompoundFacts::default());
        assert_eq!(compound_facts(b"MZ"), CompoundFacts::default());
    }
}
