//! Windows shortcuts (MS-SHLLINK): the target, its arguments and the traces of the machine the
//! link was made on, read section by section; a damaged section ends the reading there and the
//! sections before it still count.
mod extra_data;
mod header;
mod id_list;
mod indicators;
mod link_info;
mod string_data;

use fcas_report::{DocumentKind, LnkReport};

use crate::{DocLimits, Findings};
use header::flag;

pub(crate) fn analyze(bytes: &[u8], _limits: &DocLimits) -> Findings {
    let mut findings = Findings::new(DocumentKind::Lnk);
    let Some(header) = header::parse(bytes) else {
        findings.errors.push("lnk: not a shell link header".to_string());
        return findings;
    };
    let mut report = LnkReport {
        flags: header.flag_names(),
        file_attributes: header.attribute_names(),
        created: header::filetime_text(header.created),
        accessed: header::filetime_text(header.accessed),
        modified: header::filetime_text(header.modified),
        file_size: u64::from(header.file_size),
        show_command: header.show_command_name().to_string(),
        hotkey: header::hotkey_text(header.hotkey),
        ..LnkReport::default()
    };
    read_sections(bytes, &header, &mut report, &mut findings.errors);
    indicators::raise(&report, &mut findings);
    findings.lnk = Some(report);
    findings
}

/// The sections after the header, in file order; each needs the offset the one before ends at.
fn read_sections(bytes: &[u8], header: &header::Header, report: &mut LnkReport, errors: &mut Vec<String>) {
    let mut at = header::HEADER_SIZE;
    if header.has(flag::HAS_ID_LIST) {
        let Some((path, end)) = id_list::parse(bytes, at) else {
            errors.push(format!("lnk: the ID list at offset {at} runs past the end"));
            return;
        };
        report.id_list_path = path;
        at = end;
    }
    if header.has(flag::HAS_LINK_INFO) {
        let Some((info, end)) = link_info::parse(bytes, at) else {
            errors.push(format!("lnk: the link info at offset {at} runs past the end"));
            return;
        };
        // ForceNoLinkInfo: Windows ignores the link info, so its path is not the target.
        if !header.has(flag::FORCE_NO_LINK_INFO) {
            report.target = info.target;
        }
        report.volume = info.volume;
        report.network_share = info.network_share;
        report.network_device = info.network_device;
        at = end;
    }
    if report.target.is_none() {
        report.target = report.id_list_path.clone();
    }
    let (strings, end, error) = string_data::parse(bytes, at, header);
    report.description = strings.name;
    report.relative_path = strings.relative_path;
    report.working_dir = strings.working_dir;
    report.arguments = strings.arguments;
    report.icon = strings.icon;
    if let Some(error) = error {
        errors.push(error);
        return;
    }
    let (extra, error) = extra_data::parse(bytes, end);
    errors.extend(error);
    report.environment_target = extra.environment_target;
    report.icon_environment = extra.icon_environment;
    report.machine_id = extra.machine_id;
    report.droids = extra.droids;
    report.mac_address = extra.mac_address;
    report.known_folder = extra.known_folder;
    report.special_folder = extra.special_folder;
    report.extra_blocks = extra.signatures;
}
