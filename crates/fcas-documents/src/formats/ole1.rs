//! OLE1 objects (MS-OLEDS 2.2): the `Package` native data an Office document stores in an
//! `\x01Ole10Native` stream, and the OLE1 object records RTF `\objdata` carries. Both hand the
//! embedded file out; every length is checked against the bytes there are.
use crate::findings::latin1;
use std::borrow::Cow;

/// The OLE1 format id of an embedded (not linked) object.
const EMBEDDED: u32 = 2;
/// Bytes of a zero-terminated string read at most (a path).
const MAX_STRING: usize = 4096;

/// The file inside an OLE1 `Package`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Package<'a> {
    /// The label, usually the file name.
    pub(crate) name: String,
    /// The path it was packaged from.
    pub(crate) source_path: String,
    /// The path it is written to when opened.
    pub(crate) temp_path: String,
    /// The file's bytes.
    pub(crate) data: &'a [u8],
}

/// An OLE1 object record: its class and native data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Object<'a> {
    /// The class name (`Package`, `Equation.3`, `Word.Document.8`).
    pub(crate) class: String,
    /// The native data (a `Package`, an OLE compound file, ...).
    pub(crate) data: &'a [u8],
}

/// The package of an `\x01Ole10Native` stream (which starts with the total size).
pub(crate) fn native_stream(stream: &[u8]) -> Option<Package<'_>> {
    let mut cursor = Cursor::new(stream);
    let total = cursor.u32()? as usize;
    let rest = stream.get(4..)?;
    package(rest.get(..total.min(rest.len()))?)
}

/// The package in native data without the leading size (what an OLE1 object record holds).
pub(crate) fn package(data: &[u8]) -> Option<Package<'_>> {
    let mut cursor = Cursor::new(data);
    let _kind = cursor.u16()?;
    let name = cursor.c_string()?;
    let source_path = cursor.c_string()?;
    let _reserved = cursor.u32()?;
    let _temp_path_length = cursor.u32()?;
    let temp_path = cursor.c_string()?;
    let size = cursor.u32()? as usize;
    let data = cursor.take(size)?;
    Some(Package { name, source_path, temp_path, data })
}

/// The OLE1 embedded object at the start of `data`, and the bytes after it.
pub(crate) fn object(data: &[u8]) -> Option<(Object<'_>, &[u8])> {
    let mut cursor = Cursor::new(data);
    let _version = cursor.u32()?;
    if cursor.u32()? != EMBEDDED {
        return None;
    }
    let class = cursor.length_prefixed()?;
    let _topic = cursor.length_prefixed()?;
    let _item = cursor.length_prefixed()?;
    let size = cursor.u32()? as usize;
    let native = cursor.take(size)?;
    Some((Object { class, data: native }, cursor.rest()))
}

impl<'a> Object<'a> {
    /// The file this object carries: a package's file, else the native data itself.
    pub(crate) fn payload(&self) -> (Option<String>, Cow<'a, [u8]>) {
        if self.class.eq_ignore_ascii_case("Package") {
            if let Some(package) = package(self.data) {
                return (Some(package.name), Cow::Borrowed(package.data));
            }
        }
        (None, Cow::Borrowed(self.data))
    }
}

/// A bounds-checked reader of little-endian fields.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    fn take(&mut self, length: usize) -> Option<&'a [u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(length)?)?;
        self.at += length;
        Some(taken)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    /// A zero-terminated ANSI string (Latin-1 decoded), at most [`MAX_STRING`] bytes.
    fn c_string(&mut self) -> Option<String> {
        let rest = self.rest();
        let end = memchr::memchr(0, rest.get(..MAX_STRING.min(rest.len()))?)?;
        let text = latin1(rest.get(..end)?);
        self.at += end + 1;
        Some(text)
    }

    /// A string with a 32-bit length that counts its terminating zero.
    fn length_prefixed(&mut self) -> Option<String> {
        let length = self.u32()? as usize;
        if length > MAX_STRING {
            return None;
        }
        let raw = self.take(length)?;
        Some(latin1(raw.split(|&b| b == 0).next().unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package_bytes(name: &str, data: &[u8]) -> Vec<u8> {
        let mut native = vec![2, 0];
        for text in [name, "C:\\src\\x"] {
            native.extend_from_slice(text.as_bytes());
            native.push(0);
        }
        native.extend_from_slice(&[0, 0, 3, 0]);
        let temp = b"C:\\tmp\\x\0";
        native.extend_from_slice(&(temp.len() as u32).to_le_bytes());
        native.extend_from_slice(temp);
        native.extend_from_slice(&(data.len() as u32).to_le_bytes());
        native.extend_from_slice(data);
        native
    }

    #[test]
    fn native_stream_gives_the_packaged_file() {
        let native = package_bytes("evil.vbs", b"MsgBox 1");
        let mut stream = (native.len() as u32).to_le_bytes().to_vec();
        stream.extend_from_slice(&native);
        let package = native_stream(&stream).unwrap();
        assert_eq!(package.name, "evil.vbs");
        assert_eq!(package.source_path, "C:\\src\\x");
        assert_eq!(package.temp_path, "C:\\tmp\\x");
        assert_eq!(package.data, b"MsgBox 1");
    }

    #[test]
    fn object_record_of_a_package() {
        let native = package_bytes("a.exe", b"MZ..");
        let mut record = vec![1, 5, 0, 0, 2, 0, 0, 0];
        for text in ["Package\0", "\0", "\0"] {
            record.extend_from_slice(&(text.len() as u32).to_le_bytes());
            record.extend_from_slice(text.as_bytes());
        }
        record.extend_from_slice(&(native.len() as u32).to_le_bytes());
        record.extend_from_slice(&native);
        record.extend_from_slice(b"tail");
        let (object, rest) = object(&record).unwrap();
        assert_eq!(object.class, "Package");
        assert_eq!(rest, b"tail");
        let (name, payload) = object.payload();
        assert_eq!(name.as_deref(), Some("a.exe"));
        assert_eq!(payload.as_ref(), b"MZ..");
    }

    #[test]
    fn lies_about_lengths_are_none() {
        assert!(native_stream(&[0xff, 0xff, 0xff, 0xff, 2, 0]).is_none());
        assert!(object(&[1, 5, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]).is_none());
        for cut in 0..40 {
            let native = package_bytes("n", b"data");
            let _ = package(&native[..cut.min(native.len())]);
        }
    }
}
