//! Constant arguments of a call, read from the straight-line code just before it: on x64 the
//! immediates moved into `rcx`, `rdx`, `r8`, `r9` (Microsoft x64, PE) or `rdi`, `rsi`, `rdx`,
//! `rcx` (System V, ELF); on x86 the
//! immediates pushed, or stored at `[esp+4*i]` (stdcall/cdecl). That is what makes
//! `SetWindowsHookEx(WH_KEYBOARD_LL, ...)` tell apart from any other hook.
use fcas_report::CallArgument;
use iced_x86::{Instruction, Mnemonic, OpKind, Register};

/// Arguments followed per call: the first four are the register arguments on x64, and enough
/// for every constant an indicator reads.
pub(crate) const TRACKED_ARGUMENTS: usize = 4;
/// Pushes remembered on x86; a call's arguments are the last ones.
const MAX_PUSHES: usize = 8;

const MICROSOFT_X64: [Register; TRACKED_ARGUMENTS] = [Register::RCX, Register::RDX, Register::R8, Register::R9];
const SYSTEM_V_X64: [Register; TRACKED_ARGUMENTS] = [Register::RDI, Register::RSI, Register::RDX, Register::RCX];

/// The constants known to be in argument position along one straight-line path.
pub(crate) struct ConstantArguments {
    bitness: u32,
    /// x64: the registers of the first arguments, in order.
    argument_registers: &'static [Register; TRACKED_ARGUMENTS],
    /// x64: the value of each argument register, when a constant was moved into it.
    registers: [Option<i64>; TRACKED_ARGUMENTS],
    /// x86: values pushed, oldest first (`None` for a push of something not constant).
    pushed: Vec<Option<i64>>,
    /// x86: constants stored at `[esp+4*i]`.
    stored: [Option<i64>; TRACKED_ARGUMENTS],
}

impl ConstantArguments {
    /// A tracker for code of `bitness` (32 or 64), System V's x64 convention when `system_v`.
    pub(crate) fn new(bitness: u32, system_v: bool) -> Self {
        let argument_registers = if system_v { &SYSTEM_V_X64 } else { &MICROSOFT_X64 };
        Self { bitness, argument_registers, registers: [None; TRACKED_ARGUMENTS], pushed: Vec::new(), stored: [None; TRACKED_ARGUMENTS] }
    }

    /// Updates what is known after `instr` (which is not a call).
    pub(crate) fn observe(&mut self, instr: &Instruction) {
        if writes_registers_implicitly(instr) {
            self.forget();
            return;
        }
        if self.bitness == 64 {
            self.observe_x64(instr);
        } else {
            self.observe_x86(instr);
        }
    }

    /// The constant arguments of a call at this point; then forgets everything, since a call
    /// consumes its arguments and may overwrite the argument registers.
    pub(crate) fn take_for_call(&mut self) -> Vec<CallArgument> {
        let mut found = Vec::new();
        for position in 0..TRACKED_ARGUMENTS {
            let value = if self.bitness == 64 {
                self.registers[position]
            } else {
                // The last push is the first argument.
                match self.pushed.len().checked_sub(position + 1).and_then(|i| self.pushed.get(i)) {
                    Some(pushed) => *pushed,
                    None => self.stored[position],
                }
            };
            if let Some(value) = value {
                found.push(CallArgument { position: position as u32, value });
            }
        }
        self.forget();
        found
    }

    /// Forgets every argument (after a call, or an instruction this tracker does not model).
    pub(crate) fn forget(&mut self) {
        self.registers = [None; TRACKED_ARGUMENTS];
        self.pushed.clear();
        self.stored = [None; TRACKED_ARGUMENTS];
    }

    fn observe_x64(&mut self, instr: &Instruction) {
        // `cmp` and `test` read their first operand; they leave the argument as it was.
        if instr.op_count() == 0 || instr.op0_kind() != OpKind::Register || matches!(instr.mnemonic(), Mnemonic::Cmp | Mnemonic::Test) {
            return;
        }
        let written = instr.op0_register().full_register();
        let Some(position) = self.argument_registers.iter().position(|&r| r == written) else { return };
        self.registers[position] = constant_written(instr);
    }

    fn observe_x86(&mut self, instr: &Instruction) {
        match instr.mnemonic() {
            Mnemonic::Push => {
                if self.pushed.len() == MAX_PUSHES {
                    self.pushed.remove(0);
                }
                self.pushed.push(immediate(instr, 0));
            }
            Mnemonic::Pop => {
                self.pushed.pop();
            }
            Mnemonic::Mov if instr.op0_kind() == OpKind::Memory && instr.memory_base() == Register::ESP => {
                if instr.memory_index() != Register::None {
                    return;
                }
                let displacement = instr.memory_displacement32() as usize;
                if displacement.is_multiple_of(4) && displacement / 4 < TRACKED_ARGUMENTS {
                    self.stored[displacement / 4] = immediate(instr, 1);
                }
            }
            _ => {
                // Any other change of esp (`add esp, 8` after a cdecl call, `sub esp, N`)
                // leaves the pushed values where they can no longer be told apart.
                if instr.op_count() > 0 && instr.op0_kind() == OpKind::Register && instr.op0_register() == Register::ESP {
                    self.forget();
                }
            }
        }
    }
}

/// The constant a write to the register operand 0 leaves in it: `mov reg, imm` or
/// `xor reg, reg` (zero); `None` for anything else.
fn constant_written(instr: &Instruction) -> Option<i64> {
    match instr.mnemonic() {
        Mnemonic::Mov => immediate(instr, 1),
        Mnemonic::Xor | Mnemonic::Sub if instr.op1_kind() == OpKind::Register && instr.op1_register() == instr.op0_register() => Some(0),
        _ => None,
    }
}

/// Operand `operand` when it is an immediate, sign-extended as the instruction does.
fn immediate(instr: &Instruction, operand: u32) -> Option<i64> {
    if operand >= instr.op_count() {
        return None;
    }
    match instr.op_kind(operand) {
        // iced sign-extends the `8to32`-style kinds into the u64 already.
        OpKind::Immediate8
        | OpKind::Immediate16
        | OpKind::Immediate32
        | OpKind::Immediate64
        | OpKind::Immediate8to16
        | OpKind::Immediate8to32
        | OpKind::Immediate8to64
        | OpKind::Immediate32to64 => Some(instr.immediate(operand) as i64),
        _ => None,
    }
}

/// Instructions that write argument registers or the stack without naming them as operand 0
/// (`cpuid`, `mul`, `xchg`, string instructions, ...): after one, nothing is known.
fn writes_registers_implicitly(instr: &Instruction) -> bool {
    matches!(
        instr.mnemonic(),
        Mnemonic::Cpuid
            | Mnemonic::Rdtsc
            | Mnemonic::Rdtscp
            | Mnemonic::Mul
            | Mnemonic::Div
            | Mnemonic::Idiv
            | Mnemonic::Cdq
            | Mnemonic::Cqo
            | Mnemonic::Cwd
            | Mnemonic::Xchg
            | Mnemonic::Xadd
            | Mnemonic::Cmpxchg
            | Mnemonic::Loop
            | Mnemonic::Loope
            | Mnemonic::Loopne
            | Mnemonic::Syscall
            | Mnemonic::Pushad
            | Mnemonic::Popad
            | Mnemonic::Leave
    ) || (instr.mnemonic() == Mnemonic::Imul && instr.op_count() == 1)
        || instr.has_rep_prefix()
        || instr.has_repne_prefix()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use iced_x86::{Decoder, DecoderOptions, FlowControl};

    use super::ConstantArguments;

    /// Decodes `code` and returns the constant arguments (position, value) at its first call.
    fn at_first_call(bitness: u32, code: &[u8]) -> Vec<(u32, i64)> {
        let mut arguments = ConstantArguments::new(bitness, false);
        for instr in Decoder::with_ip(bitness, code, 0x1000, DecoderOptions::NONE) {
            if matches!(instr.flow_control(), FlowControl::Call | FlowControl::IndirectCall) {
                return arguments.take_for_call().into_iter().map(|a| (a.position, a.value)).collect();
            }
            arguments.observe(&instr);
        }
        panic!("no call in the code");
    }

    #[test]
    fn x64_reads_the_argument_registers() {
        // mov ecx, 13; xor edx, edx; mov r8, rax; mov r9d, 7; call [rip+0x100]
        let code = [0xb9, 0x0d, 0, 0, 0, 0x31, 0xd2, 0x49, 0x89, 0xc0, 0x41, 0xb9, 0x07, 0, 0, 0, 0xff, 0x15, 0, 1, 0, 0];
        assert_eq!(at_first_call(64, &code), vec![(0, 13), (1, 0), (3, 7)]);
    }

    #[test]
    fn x64_forgets_a_register_overwritten_by_something_else() {
        // mov ecx, 13; add ecx, eax; call [rip+0x100]
        let code = [0xb9, 0x0d, 0, 0, 0, 0x01, 0xc1, 0xff, 0x15, 0, 1, 0, 0];
        assert_eq!(at_first_call(64, &code), vec![]);
    }

    #[test]
    fn x86_reads_pushes_last_first() {
        // push 0; push eax; push 0x401000; push 13; call [0x402000]
        let code = [0x6a, 0x00, 0x50, 0x68, 0x00, 0x10, 0x40, 0x00, 0x6a, 0x0d, 0xff, 0x15, 0x00, 0x20, 0x40, 0x00];
        assert_eq!(at_first_call(32, &code), vec![(0, 13), (1, 0x401000), (3, 0)]);
    }

    #[test]
    fn x86_reads_stores_relative_to_esp() {
        // mov dword [esp], 2; mov dword [esp+4], 0; call [0x402000]
        let code = [0xc7, 0x04, 0x24, 0x02, 0, 0, 0, 0xc7, 0x44, 0x24, 0x04, 0, 0, 0, 0, 0xff, 0x15, 0x00, 0x20, 0x40, 0x00];
        assert_eq!(at_first_call(32, &code), vec![(0, 2), (1, 0)]);
    }

    #[test]
    fn x86_forgets_pushes_once_esp_moves() {
        // push 13; add esp, 4; call [0x402000]
        let code = [0x6a, 0x0d, 0x83, 0xc4, 0x04, 0xff, 0x15, 0x00, 0x20, 0x40, 0x00];
        assert_eq!(at_first_call(32, &code), vec![]);
    }
}
