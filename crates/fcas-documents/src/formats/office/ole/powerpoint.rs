//! OLE storages a PowerPoint binary keeps in its `PowerPoint Document` stream: ExOleObjStg
//! records (MS-PPT 2.10.34), zlib-compressed when their instance is 1. They hold embedded
//! objects and the VBA project.
use std::io::Read;

use flate2::read::ZlibDecoder;

/// Record type of ExOleObjStg.
const EX_OLE_OBJ_STG: u16 = 0x1011;
/// Record version of a container, whose data is more records.
const CONTAINER: u16 = 0x000F;

/// The OLE files stored in `stream`, each decompressed within `cap` bytes; `truncated` when one
/// was cut, `max` objects at most.
pub(super) fn ole_objects(stream: &[u8], cap: usize, max: usize, truncated: &mut bool) -> Vec<Vec<u8>> {
    let mut found = Vec::new();
    let mut at = 0usize;
    // Containers are walked by stepping into them (their data is the next records), so the
    // walk is one pass over the stream whatever the nesting.
    while let Some(header) = stream.get(at..at.saturating_add(8)) {
        let version_instance = u16::from_le_bytes([header[0], header[1]]);
        let kind = u16::from_le_bytes([header[2], header[3]]);
        let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let data_at = at + 8;
        if version_instance & 0x000F == CONTAINER {
            at = data_at;
            continue;
        }
        let Some(data) = stream.get(data_at..data_at.saturating_add(length)) else { break };
        if kind == EX_OLE_OBJ_STG && found.len() < max {
            let compressed = version_instance >> 4 == 1;
            match object(data, compressed, cap) {
                Some((bytes, cut)) => {
                    *truncated |= cut;
                    found.push(bytes);
                }
                None => *truncated = true,
            }
        }
        at = data_at + length;
    }
    found
}

fn object(data: &[u8], compressed: bool, cap: usize) -> Option<(Vec<u8>, bool)> {
    if !compressed {
        return Some((data.get(..cap.min(data.len()))?.to_vec(), data.len() > cap));
    }
    let mut bytes = Vec::new();
    // A stream that ends early still gave its bytes so far (read_to_end keeps them): they are
    // kept, and the object is reported cut.
    let complete = ZlibDecoder::new(data.get(4..)?).take(cap as u64 + 1).read_to_end(&mut bytes).is_ok();
    if bytes.is_empty() {
        return None;
    }
    let cut = !complete || bytes.len() > cap;
    bytes.truncate(cap);
    Some((bytes, cut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn compressed_object_inside_a_container() {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&[7u8; 100]).unwrap();
        let mut data = 100u32.to_le_bytes().to_vec();
        data.extend(encoder.finish().unwrap());
        let mut inner = vec![0x10, 0x00, 0x11, 0x10];
        inner.extend_from_slice(&(data.len() as u32).to_le_bytes());
        inner.extend_from_slice(&data);
        let mut stream = vec![0x0F, 0x00, 0xE8, 0x03];
        stream.extend_from_slice(&(inner.len() as u32).to_le_bytes());
        stream.extend_from_slice(&inner);
        let mut truncated = false;
        assert_eq!(ole_objects(&stream, 1 << 20, 10, &mut truncated), vec![vec![7u8; 100]]);
        assert!(!truncated);
        assert_eq!(ole_objects(&stream, 10, 10, &mut truncated), vec![vec![7u8; 10]]);
        assert!(truncated);
        let _ = ole_objects(&stream[..20], 10, 10, &mut truncated);
    }
}
