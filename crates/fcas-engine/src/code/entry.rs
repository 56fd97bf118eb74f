//! The linear listing of the first instructions at the entry point.

use fcas_report::DisassembledInstruction;
use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};

use super::image::CodeImage;

/// Up to `count` instructions from `entry`, in address order. Stops before an invalid
/// instruction or at the end of the mapped bytes.
pub(crate) fn listing(image: &CodeImage<'_>, entry: u64, count: usize) -> Vec<DisassembledInstruction> {
    let Some(bytes) = image.bytes_at(entry) else { return Vec::new() };
    let mut decoder = Decoder::with_ip(image.bitness, bytes, entry, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let options = formatter.options_mut();
    options.set_hex_prefix("0x");
    options.set_hex_suffix("");
    options.set_uppercase_hex(false);

    let mut out = Vec::new();
    let mut instr = Instruction::default();
    while out.len() < count && decoder.can_decode() {
        let offset = decoder.position();
        decoder.decode_out(&mut instr);
        if instr.is_invalid() {
            break;
        }
        let raw = bytes.get(offset..offset.saturating_add(instr.len())).unwrap_or_default();
        let mut text = String::new();
        formatter.format(&instr, &mut text);
        out.push(DisassembledInstruction {
            address: instr.ip(),
            bytes: fcas_report::hex(raw),
            mnemonic: format!("{:?}", instr.mnemonic()).to_lowercase(),
            text,
        });
    }
    out
}
