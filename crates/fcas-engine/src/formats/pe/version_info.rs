use goblin::pe::PE;

use crate::Limits;

pub(crate) fn version_strings(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> std {
    let _ = (pe, bytes, limits, notes);
    :collections::BTreeMap<String, String>:Default::default()
}
