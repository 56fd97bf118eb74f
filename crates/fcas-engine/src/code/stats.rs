//! Counts over every decoded instruction: mnemonics, indirect branches and instructions that
//! indicators care about.
use fcas_report::{CodePatterns, MnemonicCount};
use iced_x86::{FlowControl, Instruction, Mnemonic, OpKind, Register};

/// Mnemonics kept in the report's histogram.
pub(crate) const HISTOGRAM_SIZE: usize = 64;
/// Larger than the number of iced-x86 mnemonics, so any mnemonic indexes the table.
const MNEMONIC_SLOTS: usize = 4096;
/// Furthest back (in bytes) a branch may go and still close a loop over an `xor` into memory.
const MAX_LOOP_SPAN: u64 = 256;

/// Running counts over decoded instructions.
pub(crate) struct InstructionStats {
    mnemonics: Vec<u64>,
    /// Instructions that did not decode.
    pub invalid: u64,
    /// `call reg` / `call [mem]`.
    pub indirect_calls: u64,
    /// `jmp reg` / `jmp [mem]`.
    pub indirect_jumps: u64,
    /// Suspicious instruction counts.
    pub patterns: CodePatterns,
}

impl Default for InstructionStats {
    fn default() -> Self {
        Self { mnemonics: vec![0; MNEMONIC_SLOTS], invalid: 0, indirect_calls: 0, indirect_jumps: 0, patterns: CodePatterns::default() }
    }
}

impl InstructionStats {
    /// Counts `instr`, decoded in `bitness`-bit code.
    pub(crate) fn record(&mut self, instr: &Instruction, bitness: u32) {
        if let Some(count) = self.mnemonics.get_mut(instr.mnemonic() as usize) {
            *count += 1;
        }
        match instr.flow_control() {
            FlowControl::IndirectCall => self.indirect_calls += 1,
            FlowControl::IndirectBranch => self.indirect_jumps += 1,
            _ => {}
        }
        if instr.is_invalid() {
            self.invalid += 1;
            return;
        }
        let p = &mut self.patterns;
        match instr.mnemonic() {
            Mnemonic::Syscall | Mnemonic::Sysenter => p.syscalls += 1,
            Mnemonic::Int => match instr.immediate8() {
                0x80 | 0x2e => p.syscalls += 1,
                0x2d => p.int_2d += 1,
                _ => {}
            },
            Mnemonic::Int1 => p.int1 += 1,
            Mnemonic::Rdtsc | Mnemonic::Rdtscp => p.rdtsc += 1,
            Mnemonic::Cpuid => p.cpuid += 1,
            Mnemonic::In
            | Mnemonic::Out
            | Mnemonic::Insb
            | Mnemonic::Insw
            | Mnemonic::Insd
            | Mnemonic::Outsb
            | Mnemonic::Outsw
            | Mnemonic::Outsd => p.port_io += 1,
            Mnemonic::Sidt | Mnemonic::Sgdt | Mnemonic::Sldt | Mnemonic::Str => p.descriptor_table_reads += 1,
            _ => {}
        }
        if reads_peb_pointer(instr, bitness) {
            p.peb_access += 1;
        }
    }

    /// Counts one likely decryption loop.
    pub(crate) fn record_xor_loop(&mut self) {
        self.patterns.xor_decrypt_loops += 1;
    }

    /// The `limit` most frequent mnemonics, most frequent first (ties by name).
    pub(crate) fn histogram(&self, limit: usize) -> Vec<MnemonicCount> {
        let mut counts: Vec<MnemonicCount> = Mnemonic::values()
            .filter_map(|m| {
                let count = self.mnemonics.get(m as usize).copied().unwrap_or(0);
                (count > 0).then(|| MnemonicCount { mnemonic: format!("{m:?}").to_lowercase(), count })
            })
            .collect();
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.mnemonic.cmp(&b.mnemonic)));
        counts.truncate(limit);
        counts
    }
}

/// `mov reg, fs:[0x30]` (x86) or `mov reg, gs:[0x60]` (x64): the PEB pointer of the TEB.
fn reads_peb_pointer(instr: &Instruction, bitness: u32) -> bool {
    let (segment, offset) = if bitness == 64 { (Register::GS, 0x60) } else { (Register::FS, 0x30) };
    instr.memory_segment() == segment
        && instr.memory_base() == Register::None
        && instr.memory_index() == Register::None
        && instr.memory_displacement64() == offset
        && (0..instr.op_count()).any(|i| instr.op_kind(i) == OpKind::Memory)
}

/// Spots `xor [mem], x` followed, on the same straight path, by a short backward branch over it.
#[derive(Default)]
pub(crate) struct XorLoopSpotter {
    last_memory_xor: Option<u64>,
}

impl XorLoopSpotter {
    /// Looks at `instr`; true when it closes a loop over an `xor` into memory.
    pub(crate) fn closes_loop(&mut self, instr: &Instruction) -> bool {
        if instr.mnemonic() == Mnemonic::Xor && instr.op0_kind() == OpKind::Memory {
            self.last_memory_xor = Some(instr.ip());
            return false;
        }
        if instr.flow_control() != FlowControl::ConditionalBranch || !is_near_branch(instr) {
            return false;
        }
        let Some(xor_ip) = self.last_memory_xor else { return false };
        let target = instr.near_branch_target();
        let closes = target <= xor_ip && xor_ip - target <= MAX_LOOP_SPAN;
        if closes {
            self.last_memory_xor = None;
        }
        closes
    }
}

/// True when the first operand is a near branch target (not a far pointer or register).
pub(crate) fn is_near_branch(instr: &Instruction) -> bool {
    matches!(instr.op0_kind(), OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64)
}
