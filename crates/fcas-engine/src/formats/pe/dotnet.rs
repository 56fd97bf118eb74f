use goblin::pe::PE;

use crate::Limits;

pub(crate) fn clr(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Option<fcas_report::PeClr> {
    let _ = (pe, bytes, limits, notes);
    None
}
