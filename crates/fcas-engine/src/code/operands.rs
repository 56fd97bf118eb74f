//! Addresses an instruction's operands name statically: memory slots and pointers to code.
use iced_x86::{Instruction, Mnemonic, OpKind, Register};

use super::image::CodeImage;

/// The absolute address a memory operand refers to, when it can be known statically: RIP
/// relative, an absolute address, or (x86 ELF PIC code) the GOT base in `ebx` plus a
/// displacement. Segment-relative (`fs:`/`gs:`) and indexed operands are not.
pub(crate) fn memory_address(instr: &Instruction, image: &CodeImage<'_>) -> Option<u64> {
    if matches!(instr.memory_segment(), Register::FS | Register::GS) || instr.memory_index() != Register::None {
        return None;
    }
    if instr.is_ip_rel_memory_operand() {
        return Some(instr.ip_rel_memory_address());
    }
    match instr.memory_base() {
        Register::None if image.bitness == 64 => Some(instr.memory_displacement64()),
        Register::None => Some(u64::from(instr.memory_displacement32())),
        Register::EBX if image.bitness == 32 => {
            let got = u32::try_from(image.got_base?).ok()?;
            Some(u64::from(got.wrapping_add(instr.memory_displacement32())))
        }
        _ => None,
    }
}

/// The address of executable code that `instr` takes without calling it: `lea reg, [rip+f]`,
/// `mov reg, offset f`, `push offset f`, or a pointer-sized load of a slot that holds `f` in the
/// file (`push [ebx+main@GOT]`). That is how `main` reaches `__libc_start_main`, and how
/// callbacks, thread procedures and handlers are passed.
pub(crate) fn code_pointer(instr: &Instruction, image: &CodeImage<'_>) -> Option<u64> {
    let pointer_load = |instr: &Instruction| image.read_pointer(memory_address(instr, image)?);
    let address = match (instr.mnemonic(), instr.op0_kind()) {
        (Mnemonic::Lea, _) if instr.op1_kind() == OpKind::Memory => memory_address(instr, image)?,
        (Mnemonic::Mov, OpKind::Register) if instr.op1_kind() == OpKind::Memory => {
            let register = instr.op0_register();
            let pointer_sized = if image.bitness == 64 { register.is_gpr64() } else { register.is_gpr32() };
            if !pointer_sized {
                return None;
            }
            pointer_load(instr)?
        }
        (Mnemonic::Mov, OpKind::Register) => immediate(instr, 1)?,
        (Mnemonic::Push, OpKind::Memory) => pointer_load(instr)?,
        (Mnemonic::Push, _) => immediate(instr, 0)?,
        _ => return None,
    };
    image.is_executable(address).then_some(address)
}

/// Operand `operand` when it is a 32- or 64-bit immediate.
fn immediate(instr: &Instruction, operand: u32) -> Option<u64> {
    if operand >= instr.op_count() {
        return None;
    }
    match instr.op_kind(operand) {
        OpKind::Immediate32 | OpKind::Immediate64 | OpKind::Immediate32to64 | OpKind::Immediate8to32 => Some(instr.immediate(operand)),
        _ => None,
    }
}
