use goblin::pe::PE;

use crate::Limits;

pub(crate) fn resources(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Vec<fcas_report::PeResource> {
    let _ = (pe, bytes, limits, notes);
    Vec::new()
}
