use serde::{Deserialize, Serialize};

/// Facts derived from disassembly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeReport {
    /// `x86` or `x64`.
    pub arch: String,
    /// Number of functions discovered.
    pub function_count: u64,
    /// Number of instructions decoded.
    pub instruction_count: u64,
    /// Virtual address of the entry point, when the file has one.
    pub entry_point: Option<u64>,
    /// The first instructions from the entry point, in file order (a linear listing that does
    /// not follow jumps). Stops at an invalid instruction or at the end of the mapped bytes.
    pub entry_disassembly: Vec<DisassembledInstruction>,
    /// Functions found by recursive traversal from the entry point, exports and TLS callbacks,
    /// in discovery order.
    pub functions: Vec<CodeFunction>,
    /// Calls and jumps to imported APIs (through the IAT/GOT, or through a thunk or PLT stub),
    /// in discovery order. Cut at the table limit; `api_call_counts` still counts them all.
    pub api_calls: Vec<ApiCallSite>,
    /// Number of call sites per imported API, most called first.
    pub api_call_counts: Vec<ApiCallCount>,
    /// The most frequent mnemonics over all decoded instructions, most frequent first.
    pub mnemonic_histogram: Vec<MnemonicCount>,
    /// Instructions that did not decode (each ends a path). Garbage is normal in hostile files.
    pub invalid_instruction_count: u64,
    /// Calls through a register or memory operand.
    pub indirect_call_count: u64,
    /// Jumps through a register or memory operand.
    pub indirect_jump_count: u64,
    /// Instructions worth an indicator's attention, as plain counts.
    pub patterns: CodePatterns,
    /// True when a budget (instructions, functions, time) stopped the traversal early.
    pub truncated: bool,
}

/// One instruction of a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisassembledInstruction {
    /// Virtual address.
    pub address: u64,
    /// Raw bytes as lowercase hex.
    pub bytes: String,
    /// Mnemonic, lowercase (`mov`, `call`, ...).
    pub mnemonic: String,
    /// Intel-syntax text of the whole instruction.
    pub text: String,
}

/// A function found by traversal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeFunction {
    /// Virtual address of the first instruction.
    pub address: u64,
    /// Instructions decoded in this function.
    pub instruction_count: u64,
    /// Bytes covered by those instructions.
    pub size: u64,
    /// How it was found: `entry`, `export:NAME`, `tls`, `call`, or `pointer` (its address is
    /// taken by `lea`/`mov`/`push`, e.g. `main` handed to `__libc_start_main`).
    pub found_by: String,
    /// True when a budget stopped its traversal (or prevented it).
    pub cut: bool,
}

/// A call or jump to an imported API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiCallSite {
    /// Virtual address of the call or jump instruction.
    pub address: u64,
    /// Start address of the function that contains it.
    pub function: u64,
    /// `dll!function` (PE; `dll!#ordinal` for imports by ordinal) or the symbol name (ELF).
    pub api: String,
    /// `call` or `jmp` (a tail call or a thunk's jump).
    pub kind: String,
    /// The arguments whose value is a constant set just before the call, in the same
    /// straight-line code (x64: `rcx`, `rdx`, `r8`, `r9` in a PE, `rdi`, `rsi`, `rdx`, `rcx` in an ELF;
    /// x86: the last pushes or `[esp+4*i]`),
    /// among the first four. Empty when none is known. Lets indicators read e.g. the hook type of
    /// `SetWindowsHookEx`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<CallArgument>,
}

/// A constant argument of an API call site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallArgument {
    /// Position of the argument, from 0 (the first).
    pub position: u32,
    /// Its value (immediates sign-extended as the instruction does).
    pub value: i64,
}

/// How often one imported API is called.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiCallCount {
    /// API name, as in [`ApiCallSite::api`].
    pub api: String,
    /// Number of call sites.
    pub count: u64,
}

/// Count of one mnemonic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MnemonicCount {
    /// Mnemonic, lowercase.
    pub mnemonic: String,
    /// Number of decoded instructions with it.
    pub count: u64,
}

/// Counts of instructions that anti-analysis, shellcode and crypto code tend to use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodePatterns {
    /// `syscall`, `sysenter`, `int 0x80` and `int 0x2e`: direct system calls.
    pub syscalls: u64,
    /// `rdtsc`/`rdtscp`: timing checks against debuggers and sandboxes.
    pub rdtsc: u64,
    /// `cpuid`: hypervisor detection.
    pub cpuid: u64,
    /// `int 0x2d`: a kernel-debugger trick.
    pub int_2d: u64,
    /// `int1` (`icebp`): single-step trap against debuggers.
    pub int1: u64,
    /// `in`/`out`/`ins`/`outs`: port I/O, e.g. the VMware backdoor port.
    pub port_io: u64,
    /// `sidt`/`sgdt`/`sldt`/`str`: descriptor-table reads used to detect virtual machines.
    pub descriptor_table_reads: u64,
    /// Reads of the PEB pointer (`fs:[0x30]` on x86, `gs:[0x60]` on x64), typical of shellcode
    /// and anti-debugging.
    pub peb_access: u64,
    /// Backward branches closing over an `xor` into memory: a likely decryption loop.
    pub xor_decrypt_loops: u64,
}
