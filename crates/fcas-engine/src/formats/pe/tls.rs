//! The TLS directory and its callbacks (code that runs before the entry point).
use fcas_report::PeTls;

use super::image::{u32_at, u64_at, Image};

/// The TLS directory at `rva`; callbacks are read from the NULL-terminated VA array, at most
/// `max` of them.
pub(crate) fn tls(image: &Image<'_>, rva: u32, is_pe32_plus: bool, image_base: u64, max: usize, notes: &mut Vec<String>) -> Option<PeTls> {
    let width: u64 = if is_pe32_plus { 8 } else { 4 };
    let size = 4 * width + 8;
    let Some(data) = image.data(u64::from(rva), size).filter(|d| d.len() as u64 == size) else {
        notes.push(format!("TLS directory unreadable at RVA {rva:#x}"));
        return None;
    };
    let pointer = |index: u64| -> u64 {
        let at = (index * width) as usize;
        if is_pe32_plus {
            u64_at(data, at).unwrap_or(0)
        } else {
            u64::from(u32_at(data, at).unwrap_or(0))
        }
    };
    let mut tls = PeTls {
        start_address_of_raw_data: pointer(0),
        end_address_of_raw_data: pointer(1),
        address_of_index: pointer(2),
        address_of_callbacks: pointer(3),
        size_of_zero_fill: u32_at(data, (4 * width) as usize).unwrap_or(0),
        characteristics: u32_at(data, (4 * width + 4) as usize).unwrap_or(0),
        callbacks: Vec::new(),
    };
    if tls.address_of_callbacks != 0 {
        let mut at = tls.address_of_callbacks.wrapping_sub(image_base);
        loop {
            let callback = if is_pe32_plus { image.u64_rva(at) } else { image.u32_rva(at).map(u64::from) };
            match callback {
                Some(0) | None => break,
                Some(_) if tls.callbacks.len() >= max => {
                    notes.push(format!("only the first {max} TLS callbacks are listed"));
                    break;
                }
                Some(va) => tls.callbacks.push(va),
            }
            at = at.saturating_add(width);
        }
    }
    Some(tls)
}
