//! The decompressed `dir` stream (MS-OVBA 2.3.4.2): the project's code page and, per module,
//! its name, stream name, source offset and kind. Records are read generically (id, size,
//! data), so references and properties FCAS does not use are skipped without parsing them.

/// PROJECTCODEPAGE.
const CODE_PAGE: u16 = 0x0003;
/// PROJECTVERSION: its size field says 4 but 6 bytes of data follow (MS-OVBA 2.3.4.2.1.11).
const VERSION: u16 = 0x0009;
/// MODULENAME: starts a module record.
const MODULE_NAME: u16 = 0x0019;
/// MODULENAMEUNICODE.
const MODULE_NAME_UNICODE: u16 = 0x0047;
/// MODULESTREAMNAME, and the UTF-16 form that follows it.
const MODULE_STREAM_NAME: u16 = 0x001a;
const MODULE_STREAM_NAME_UNICODE: u16 = 0x0032;
/// MODULEOFFSET: where the compressed source starts in the module stream.
const MODULE_OFFSET: u16 = 0x0031;
/// MODULETYPE: procedural or document/class/form.
const MODULE_PROCEDURAL: u16 = 0x0021;
const MODULE_CLASS: u16 = 0x0022;
/// The end of the dir stream.
const TERMINATOR: u16 = 0x0010;

/// What FCAS reads from a `dir` stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Project {
    /// PROJECTCODEPAGE, when there is one.
    pub(crate) code_page: Option<u16>,
    /// The modules in dir order.
    pub(crate) modules: Vec<ModuleEntry>,
    /// Modules left out past the limit.
    pub(crate) modules_cut: usize,
    /// Why reading stopped before the terminator, if it did.
    pub(crate) error: Option<String>,
}

/// One MODULE record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ModuleEntry {
    /// MODULENAME, in the project's code page.
    pub(crate) name: Vec<u8>,
    /// MODULENAMEUNICODE, when present.
    pub(crate) name_unicode: Option<String>,
    /// MODULESTREAMNAME, in the project's code page.
    pub(crate) stream_name: Vec<u8>,
    /// MODULESTREAMNAME's UTF-16 form, when present.
    pub(crate) stream_name_unicode: Option<String>,
    /// MODULEOFFSET.
    pub(crate) offset: u32,
    /// Whether MODULETYPE says procedural (a standard module) rather than a class.
    pub(crate) procedural: bool,
}

/// The project described by the decompressed `dir` stream, at most `max_modules` modules.
pub(crate) fn parse(dir: &[u8], max_modules: usize) -> Project {
    let mut project = Project::default();
    let mut at = 0usize;
    // Each record is at least 6 bytes, so the loop ends within dir.len() / 6 steps.
    while let Some(header) = dir.get(at..at + 6) {
        let id = u16::from_le_bytes([header[0], header[1]]);
        let size = u32::from_le_bytes([header[2], header[3], header[4], header[5]]) as usize;
        let size = if id == VERSION { 6 } else { size };
        let Some(data) = at.checked_add(6).and_then(|start| dir.get(start..start.checked_add(size)?)) else {
            project.error = Some(format!("dir record {id:#06x} at offset {at} claims {size} bytes past the end"));
            return project;
        };
        at += 6 + size;
        if id == TERMINATOR {
            return project;
        }
        record(&mut project, id, data, max_modules);
    }
    project.error = Some("dir stream ends without its terminator".to_string());
    project
}

fn record(project: &mut Project, id: u16, data: &[u8], max_modules: usize) {
    if id == CODE_PAGE {
        if let Some(bytes) = data.get(..2) {
            project.code_page = Some(u16::from_le_bytes([bytes[0], bytes[1]]));
        }
        return;
    }
    if id == MODULE_NAME {
        if project.modules.len() < max_modules {
            project.modules.push(ModuleEntry { name: data.to_vec(), ..ModuleEntry::default() });
        } else {
            project.modules_cut += 1;
        }
        return;
    }
    // Module properties belong to the last MODULENAME; past the limit they are dropped.
    if project.modules_cut > 0 {
        return;
    }
    let Some(module) = project.modules.last_mut() else { return };
    match id {
        MODULE_NAME_UNICODE => module.name_unicode = Some(super::text::utf16le(data)),
        MODULE_STREAM_NAME => module.stream_name = data.to_vec(),
        MODULE_STREAM_NAME_UNICODE => module.stream_name_unicode = Some(super::text::utf16le(data)),
        MODULE_OFFSET => {
            if let Some(bytes) = data.get(..4) {
                module.offset = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            }
        }
        MODULE_PROCEDURAL => module.procedural = true,
        MODULE_CLASS => module.procedural = false,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn push(dir: &mut Vec<u8>, id: u16, data: &[u8]) {
        dir.extend_from_slice(&id.to_le_bytes());
        dir.extend_from_slice(&(data.len() as u32).to_le_bytes());
        dir.extend_from_slice(data);
    }

    fn module(dir: &mut Vec<u8>, name: &str, offset: u32) {
        push(dir, MODULE_NAME, name.as_bytes());
        let unicode: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        push(dir, MODULE_NAME_UNICODE, &unicode);
        push(dir, MODULE_STREAM_NAME, name.as_bytes());
        push(dir, MODULE_STREAM_NAME_UNICODE, &unicode);
        push(dir, MODULE_OFFSET, &offset.to_le_bytes());
        push(dir, MODULE_PROCEDURAL, &[]);
        push(dir, 0x002b, &[]);
    }

    fn project_of(modules: &[(&str, u32)]) -> Vec<u8> {
        let mut dir = Vec::new();
        push(&mut dir, 0x0001, &[1, 0, 0, 0]);
        push(&mut dir, CODE_PAGE, &1252u16.to_le_bytes());
        // PROJECTVERSION lies about its size: 4 said, 6 there.
        dir.extend_from_slice(&[0x09, 0x00, 0x04, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6]);
        push(&mut dir, 0x000f, &(modules.len() as u16).to_le_bytes());
        for (name, offset) in modules {
            module(&mut dir, name, *offset);
        }
        push(&mut dir, TERMINATOR, &[]);
        dir
    }

    #[test]
    fn modules_and_code_page_are_read() {
        let project = parse(&project_of(&[("Module1", 1234), ("ThisDocument", 99)]), 10);
        assert_eq!(project.code_page, Some(1252));
        assert_eq!(project.error, None);
        assert_eq!(project.modules.len(), 2);
        assert_eq!(project.modules[0].name, b"Module1");
        assert_eq!(project.modules[0].stream_name_unicode.as_deref(), Some("Module1"));
        assert_eq!(project.modules[0].offset, 1234);
        assert!(project.modules[1].procedural);
    }

    #[test]
    fn modules_past_the_limit_are_counted_not_kept() {
        let names: Vec<(String, u32)> = (0..50).map(|i| (format!("M{i}"), 0)).collect();
        let refs: Vec<(&str, u32)> = names.iter().map(|(n, o)| (n.as_str(), *o)).collect();
        let project = parse(&project_of(&refs), 8);
        assert_eq!(project.modules.len(), 8);
        assert_eq!(project.modules_cut, 42);
    }

    #[test]
    fn hostile_dir_streams_end_in_bounded_time() {
        // A record claiming 4 GiB.
        let mut dir = Vec::new();
        push(&mut dir, MODULE_NAME, b"A");
        dir.extend_from_slice(&[0x1a, 0x00, 0xff, 0xff, 0xff, 0xff, 0x41]);
        let project = parse(&dir, 10);
        assert_eq!(project.modules.len(), 1);
        assert!(project.error.is_some());
        // Millions of empty MODULENAME records: bounded by the limit and the length.
        let mut dir = Vec::new();
        for _ in 0..1_000_000 {
            push(&mut dir, MODULE_NAME, &[]);
        }
        let started = std::time::Instant::now();
        let project = parse(&dir, 256);
        assert_eq!(project.modules.len(), 256);
        assert!(started.elapsed().as_secs() < 5);
        // Every truncation of a good stream parses to something.
        let good = project_of(&[("Module1", 1), ("Two", 2)]);
        for cut in 0..good.len() {
            let _ = parse(&good[..cut], 10);
        }
    }
}
