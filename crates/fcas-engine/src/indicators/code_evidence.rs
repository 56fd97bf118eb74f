//! What the disassembly shows of a behaviour: its APIs called from one function, or an API
//! called with a telling constant argument. Imports say what a program could do; call sites say
//! what its code does.
use std::collections::BTreeMap;

use fcas_report::{ApiCallSite, CodeReport, Evidence, Severity};

use super::api_behaviour::same_api;

/// Call sites listed as evidence at most (the report lists every call site anyway).
const MAX_CALL_SITES: usize = 16;

/// The code evidence that raises a behaviour's severity.
pub(super) enum CodeRule {
    /// One function calls an API of every group (e.g. a cross-process write and a remote thread).
    CoLocated { severity: Severity, title: &'static str, groups: &'static [&'static [&'static str]] },
    /// A call to `api` whose argument at `position` is a constant among `values`.
    ConstantArgument { severity: Severity, title: &'static str, calls: &'static [(&'static str, u32, &'static [i64])] },
}

/// The severity and title the code earns, and the call sites that earn it.
pub(super) struct Shown {
    pub severity: Severity,
    pub title: &'static str,
    pub call_sites: Vec<Evidence>,
}

/// What `code` shows of `rule`, if anything.
pub(super) fn shown(rule: &CodeRule, code: &CodeReport) -> Option<Shown> {
    match rule {
        CodeRule::CoLocated { severity, title, groups } => {
            let sites = co_located(groups, &code.api_calls)?;
            Some(Shown { severity: *severity, title, call_sites: sites.into_iter().map(call_site_evidence).collect() })
        }
        CodeRule::ConstantArgument { severity, title, calls } => {
            let sites: Vec<Evidence> = code
                .api_calls
                .iter()
                .filter(|site| calls.iter().any(|&(api, position, values)| calls_with(site, api, position, values)))
                .take(MAX_CALL_SITES)
                .map(call_site_evidence)
                .collect();
            (!sites.is_empty()).then_some(Shown { severity: *severity, title, call_sites: sites })
        }
    }
}

/// The call sites of the first function (lowest address) that calls an API of every group.
fn co_located<'c>(groups: &[&[&str]], calls: &'c [ApiCallSite]) -> Option<Vec<&'c ApiCallSite>> {
    let mut by_function: BTreeMap<u64, Vec<&ApiCallSite>> = BTreeMap::new();
    for site in calls.iter().filter(|site| groups.iter().any(|group| in_group(site, group))) {
        by_function.entry(site.function).or_default().push(site);
    }
    by_function.into_values().find(|sites| groups.iter().all(|group| sites.iter().any(|site| in_group(site, group)))).map(|mut sites| {
        sites.truncate(MAX_CALL_SITES);
        sites
    })
}

fn in_group(site: &ApiCallSite, group: &[&str]) -> bool {
    group.iter().any(|api| same_api(function_name(&site.api), api))
}

fn calls_with(site: &ApiCallSite, api: &str, position: u32, values: &[i64]) -> bool {
    same_api(function_name(&site.api), api) && site.arguments.iter().any(|a| a.position == position && values.contains(&a.value))
}

/// `kernel32.dll!WriteProcessMemory` is the function `WriteProcessMemory`.
fn function_name(api: &str) -> &str {
    api.rsplit_once('!').map_or(api, |(_, function)| function)
}

fn call_site_evidence(site: &ApiCallSite) -> Evidence {
    let mut detail = format!("{} at 0x{:x} in the function at 0x{:x}", site.kind, site.address, site.function);
    for argument in &site.arguments {
        detail.push_str(&format!(", argument {} = {}", argument.position, argument.value));
    }
    Evidence { api: Some(site.api.clone()), detail: Some(detail), ..Evidence::default() }
}
