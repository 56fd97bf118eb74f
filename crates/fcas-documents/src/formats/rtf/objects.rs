//! The OLE1 object records in decoded `\objdata`, and what each carries: the packaged file of a
//! `Package`, the native data (often an OLE compound file) of any other class, the raw bytes
//! when the data is no OLE1 record at all.
use std::borrow::Cow;

use super::compound::compound_facts;
use super::equation::is_equation_editor;
use super::scanner::ObjData;
use crate::formats::ole1;

/// One object found in an RTF document.
#[derive(Debug)]
pub(super) struct RtfObject<'a> {
    /// Offset of its `\objdata` in the document.
    pub(super) offset: usize,
    /// The payload's name: the packaged file's name, else `object<N>.bin`.
    pub(super) name: String,
    /// The OLE1 class, when the data is an OLE1 object record.
    pub(super) class: Option<String>,
    /// Source and temporary paths of a `Package` (text where IOCs may hide).
    pub(super) package_paths: Vec<String>,
    /// The payload.
    pub(super) payload: Cow<'a, [u8]>,
    /// Whether it is (or carries) an Equation Editor object.
    pub(super) equation_editor: bool,
    /// Its class is `OLE2Link`: a link Word resolves on open (CVE-2017-0199).
    pub(super) ole2link: bool,
    /// URLs the object links to (URL monikers of its compound file).
    pub(super) links: Vec<String>,
}

/// The objects of the `\objdata` destinations, at most `max_objects`; true when more were cut.
pub(super) fn decode(objdata: &[ObjData], max_objects: usize) -> (Vec<RtfObject<'_>>, bool) {
    let mut found = Vec::new();
    for data in objdata.iter().filter(|data| !data.bytes.is_empty()) {
        let mut rest = data.bytes.as_slice();
        let mut records = 0;
        // An `\objdata` may hold several records back to back (a presentation record, which is
        // no embedded object, ends the run).
        while let Some((object, after)) = ole1::object(rest) {
            if found.len() >= max_objects {
                return (found, true);
            }
            found.push(from_record(data.offset, &object, found.len() + 1));
            records += 1;
            if after.len() >= rest.len() {
                break;
            }
            rest = after;
        }
        if records == 0 {
            if found.len() >= max_objects {
                return (found, true);
            }
            let facts = compound_facts(&data.bytes);
            found.push(RtfObject {
                offset: data.offset,
                name: format!("object{}.bin", found.len() + 1),
                class: None,
                package_paths: Vec::new(),
                equation_editor: is_equation_editor(None, facts.equation),
                ole2link: false,
                links: facts.links,
                payload: Cow::Borrowed(&data.bytes),
            });
        }
    }
    (found, false)
}

fn from_record<'a>(offset: usize, object: &ole1::Object<'a>, number: usize) -> RtfObject<'a> {
    let (name, payload) = object.payload();
    let package_paths = match (&name, ole1::package(object.data)) {
        (Some(_), Some(package)) => vec![package.source_path, package.temp_path],
        _ => Vec::new(),
    };
    let facts = compound_facts(&payload);
    RtfObject {
        offset,
        name: name.filter(|name| !name.is_empty()).unwrap_or_else(|| format!("object{number}.bin")),
        equation_editor: is_equation_editor(Some(&object.class), facts.equation),
        ole2link: object.class.trim_end_matches('\0').eq_ignore_ascii_case("OLE2Link"),
        links: facts.links,
        class: Some(object.class.clone()),
        package_paths,
        payload,
    }
}
