//! Recognising calls to imported APIs: through an IAT/GOT slot, through a thunk or PLT stub
//! that jumps through one, or through a register loaded from one.
use std::collections::HashMap;

use iced_x86::{Decoder, DecoderOptions, Instruction, Mnemonic, OpKind, Register};

use super::address_set::AddressSet;
use super::image::CodeImage;
use super::operands::memory_address;

/// Index of an API in [`ApiResolver::name`].
pub(crate) type ApiId = u32;

/// Imported functions that never return: a path ends after calling one.
const NO_RETURN: &[&str] = &[
    "ExitProcess",
    "ExitThread",
    "FreeLibraryAndExitThread",
    "RaiseFailFastException",
    "RtlExitUserProcess",
    "RtlExitUserThread",
    "_CxxThrowException",
    "_invalid_parameter_noinfo_noreturn",
    "__fastfail",
    "exit",
    "_exit",
    "_Exit",
    "quick_exit",
    "abort",
    "__stack_chk_fail",
    "__assert_fail",
    "__fortify_fail",
    "__libc_start_main",
    "__cxa_throw",
    "__cxa_rethrow",
    "longjmp",
    "siglongjmp",
    "err",
    "errx",
    "pthread_exit",
    "_ZSt9terminatev",
];

/// Maps slots and stubs to imported APIs for one image.
pub(crate) struct ApiResolver<'i, 'a> {
    image: &'i CodeImage<'a>,
    names: Vec<String>,
    no_return: Vec<bool>,
    slots: HashMap<u64, ApiId>,
    /// Lowest and highest slot address: most memory operands are not slots, and are turned
    /// away without hashing.
    slot_span: (u64, u64),
    /// Mapped call targets already checked for being a thunk/stub...
    checked_stubs: AddressSet,
    /// ...and the API of those that are.
    stubs: HashMap<u64, ApiId>,
}

impl<'i, 'a> ApiResolver<'i, 'a> {
    /// A resolver over the import slots of `image`.
    pub(crate) fn new(image: &'i CodeImage<'a>) -> Self {
        let mut slots: Vec<(u64, &String)> = image.import_slots.iter().map(|(&slot, name)| (slot, name)).collect();
        slots.sort_unstable();
        let slot_span = (slots.first().map_or(u64::MAX, |s| s.0), slots.last().map_or(0, |s| s.0));
        let mut resolver = Self {
            image,
            names: Vec::new(),
            no_return: Vec::new(),
            slots: HashMap::new(),
            slot_span,
            checked_stubs: AddressSet::new(image),
            stubs: HashMap::new(),
        };
        let mut ids: HashMap<&str, ApiId> = HashMap::new();
        for (slot, name) in slots {
            let next = ApiId::try_from(resolver.names.len()).unwrap_or(ApiId::MAX);
            let id = *ids.entry(name.as_str()).or_insert_with(|| {
                let function = name.rsplit('!').next().unwrap_or(name);
                resolver.no_return.push(NO_RETURN.contains(&function));
                resolver.names.push(name.clone());
                next
            });
            resolver.slots.insert(slot, id);
        }
        resolver
    }

    /// Number of distinct APIs.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// Name of API `id` (`dll!function` or an ELF symbol).
    pub(crate) fn name(&self, id: ApiId) -> &str {
        self.names.get(id as usize).map_or("?", String::as_str)
    }

    /// True when API `id` never returns to its caller.
    pub(crate) fn never_returns(&self, id: ApiId) -> bool {
        self.no_return.get(id as usize).copied().unwrap_or(false)
    }

    /// The API whose slot the memory operand of `instr` reads, if any.
    pub(crate) fn through_memory(&self, instr: &Instruction) -> Option<ApiId> {
        let address = memory_address(instr, self.image)?;
        let (low, high) = self.slot_span;
        if address < low || address > high {
            return None;
        }
        self.slots.get(&address).copied()
    }

    /// The API that the code at `target` jumps to, when it is a thunk (`jmp [IAT]`) or a PLT
    /// stub (`endbr; jmp [GOT]`). Each target is decoded once.
    pub(crate) fn stub_at(&mut self, target: u64) -> Option<ApiId> {
        if self.slots.is_empty() {
            return None;
        }
        if self.checked_stubs.contains(self.image, target) {
            return self.stubs.get(&target).copied();
        }
        // An unmapped target decodes to nothing at once; a mapped one is decoded only once.
        let found = self.decode_stub(target);
        self.checked_stubs.insert(self.image, target);
        if let Some(api) = found {
            self.stubs.insert(target, api);
        }
        found
    }

    fn decode_stub(&self, target: u64) -> Option<ApiId> {
        let bytes = self.image.bytes_at(target)?;
        let mut decoder = Decoder::with_ip(self.image.bitness, bytes, target, DecoderOptions::NONE);
        // At most two instructions: an optional `endbr32/64`, then the jump.
        for _ in 0..2 {
            if !decoder.can_decode() {
                return None;
            }
            let instr = decoder.decode();
            match instr.mnemonic() {
                Mnemonic::Endbr32 | Mnemonic::Endbr64 => continue,
                Mnemonic::Jmp if instr.op0_kind() == OpKind::Memory => return self.through_memory(&instr),
                _ => return None,
            }
        }
        None
    }
}

/// Registers that hold an API address loaded from its slot (`mov esi, [IAT]` ... `call esi`),
/// along one straight-line path.
#[derive(Default)]
pub(crate) struct LoadedApis {
    loaded: Vec<(Register, ApiId)>,
}

/// Registers a call leaves intact in every x86/x64 calling convention FCAS meets.
const PRESERVED_ACROSS_CALLS: &[Register] = &[
    Register::EBX,
    Register::ESI,
    Register::EDI,
    Register::EBP,
    Register::RBX,
    Register::RSI,
    Register::RDI,
    Register::RBP,
    Register::R12,
    Register::R13,
    Register::R14,
    Register::R15,
];

impl LoadedApis {
    /// Updates the tracked registers after `instr` (which is not a call).
    pub(crate) fn observe(&mut self, instr: &Instruction, resolver: &ApiResolver<'_, '_>) {
        if instr.op_count() == 0 || instr.op0_kind() != OpKind::Register {
            return;
        }
        let written = instr.op0_register().full_register();
        self.loaded.retain(|&(register, _)| register != written);
        if instr.mnemonic() == Mnemonic::Mov && instr.op1_kind() == OpKind::Memory {
            if let Some(api) = resolver.through_memory(instr) {
                self.loaded.push((written, api));
            }
        }
    }

    /// Forgets the registers a call may overwrite.
    pub(crate) fn after_call(&mut self) {
        self.loaded.retain(|(register, _)| PRESERVED_ACROSS_CALLS.contains(register));
    }

    /// The API held by the register operand of `call reg` / `jmp reg`.
    pub(crate) fn in_register(&self, instr: &Instruction) -> Option<ApiId> {
        if instr.op0_kind() != OpKind::Register {
            return None;
        }
        let register = instr.op0_register().full_register();
        self.loaded.iter().find(|(r, _)| *r == register).map(|&(_, api)| api)
    }
}
