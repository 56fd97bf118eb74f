use goblin::pe::PE;

use crate::Limits;

pub(crate) fn version_strings(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> std::collections::BTreeMap<String, String> {
    let _ = (pe, bytes, limits, notes);
    Default::default()
}
