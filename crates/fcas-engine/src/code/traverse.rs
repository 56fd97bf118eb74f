//! Function discovery by bounded recursive traversal.
//!
//! Roots (entry point, exports, TLS callbacks) are functions; a direct call to mapped code makes
//! a new function; direct and conditional jumps stay in the same function. A path ends at `ret`,
//! `int3`, an invalid instruction, an indirect jump, a jump to an import, or a call to an import
//! that never returns. Every instruction start is decoded at most once per function, the whole
//! traversal decodes at most `max_instructions` and finds at most `max_functions`.
use fcas_report::{ApiCallCount, ApiCallSite, CodeFunction};
use iced_x86::{Decoder, DecoderOptions, FlowControl, Instruction, Mnemonic, OpKind};

use super::address_set::AddressSet;
use super::arguments::ConstantArguments;
use super::image::CodeImage;
use super::imports::{ApiId, ApiResolver, LoadedApis};
use super::operands::code_pointer;
use super::stats::{is_near_branch, InstructionStats, XorLoopSpotter};
use crate::{Deadline, Limits};

/// The deadline is checked every this many decoded instructions.
const DEADLINE_STRIDE: u64 = 4096;
/// `int 0x29` is `__fastfail`: the process ends there.
const FASTFAIL_VECTOR: u8 = 0x29;

/// What the traversal found.
pub(crate) struct Traversal {
    /// Functions in discovery order.
    pub functions: Vec<CodeFunction>,
    /// Call sites of imported APIs, at most `max_table_entries`.
    pub api_calls: Vec<ApiCallSite>,
    /// Call sites per API, most called first.
    pub api_call_counts: Vec<ApiCallCount>,
    /// Counts over all decoded instructions.
    pub stats: InstructionStats,
    /// Instructions decoded.
    pub instruction_count: u64,
    /// True when a budget stopped the traversal.
    pub truncated: bool,
}

/// Why the traversal stopped early.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    Instructions,
    Time,
}

/// Walks `image` from its roots within `limits` and `deadline`; budget cuts become `notes`.
pub(crate) fn traverse(image: &CodeImage<'_>, limits: &Limits, deadline: Deadline, notes: &mut Vec<String>) -> Traversal {
    let mut walker = Walker::new(image, limits, deadline);
    for (va, kind) in &image.roots {
        walker.add_function(*va, || kind.label());
    }
    let mut next = 0;
    while next < walker.functions.len() {
        if walker.stop.is_none() && deadline.expired() {
            walker.stop = Some(Stop::Time);
        }
        if walker.stop.is_some() {
            break;
        }
        walker.walk_function(next);
        next += 1;
    }
    // Functions never reached are listed as cut.
    for function in walker.functions.iter_mut().skip(next) {
        function.cut = true;
    }
    walker.finish(notes)
}

/// State of one traversal.
struct Walker<'i, 'a> {
    image: &'i CodeImage<'a>,
    limits: &'i Limits,
    deadline: Deadline,
    resolver: ApiResolver<'i, 'a>,
    functions: Vec<CodeFunction>,
    starts: AddressSet,
    /// Instruction starts decoded in the function being walked; emptied between functions
    /// through `visited_list`, so that its memory is allocated once.
    visited: AddressSet,
    /// Keys of `visited`.
    visited_list: Vec<u64>,
    /// Blocks of the function being walked that are still to decode.
    pending: Vec<u64>,
    stats: InstructionStats,
    decoded: u64,
    /// `decoded` at which the deadline is next checked.
    next_deadline_check: u64,
    api_calls: Vec<ApiCallSite>,
    api_counts: Vec<u64>,
    stop: Option<Stop>,
    functions_capped: bool,
    calls_capped: bool,
}

/// What follows an instruction on its path.
struct Next {
    /// The path goes on with the next instruction.
    falls_through: bool,
    /// A block of the same function to decode later.
    branch: Option<u64>,
}

impl Next {
    const FALL_THROUGH: Next = Next { falls_through: true, branch: None };
    const END: Next = Next { falls_through: false, branch: None };
}

impl<'i, 'a> Walker<'i, 'a> {
    fn new(image: &'i CodeImage<'a>, limits: &'i Limits, deadline: Deadline) -> Self {
        let resolver = ApiResolver::new(image);
        let api_counts = vec![0; resolver.len()];
        Self {
            image,
            limits,
            deadline,
            resolver,
            functions: Vec::new(),
            starts: AddressSet::new(image),
            visited: AddressSet::new(image),
            visited_list: Vec::new(),
            pending: Vec::new(),
            stats: InstructionStats::default(),
            decoded: 0,
            next_deadline_check: DEADLINE_STRIDE,
            api_calls: Vec::new(),
            api_counts,
            stop: None,
            functions_capped: false,
            calls_capped: false,
        }
    }

    /// Queues a function at `va` unless known, unmapped, or over the function budget.
    /// `found_by` is only built for a new function.
    fn add_function(&mut self, va: u64, found_by: impl FnOnce() -> String) {
        if self.image.bytes_at(va).is_none() || self.starts.contains(self.image, va) {
            return;
        }
        if self.functions.len() >= self.limits.max_functions {
            self.functions_capped = true;
            return;
        }
        self.starts.insert(self.image, va);
        self.functions.push(CodeFunction { address: va, found_by: found_by(), ..CodeFunction::default() });
    }

    /// True (and the reason recorded) once a budget is spent.
    fn out_of_budget(&mut self) -> bool {
        if self.stop.is_some() {
            return true;
        }
        if self.decoded >= self.limits.max_instructions as u64 {
            self.stop = Some(Stop::Instructions);
        } else if self.decoded >= self.next_deadline_check {
            self.next_deadline_check = self.decoded.saturating_add(DEADLINE_STRIDE);
            if self.deadline.expired() {
                self.stop = Some(Stop::Time);
            }
        }
        self.stop.is_some()
    }

    /// Decodes every path of function `index`.
    fn walk_function(&mut self, index: usize) {
        let Some(start) = self.functions.get(index).map(|f| f.address) else { return };
        let bitness = self.image.bitness;
        let (mut instructions, mut size, mut cut) = (0u64, 0u64, false);
        let image = self.image;
        self.pending.clear();
        self.pending.push(start);
        let mut instr = Instruction::default();
        'paths: while let Some(block) = self.pending.pop() {
            let Some(bytes) = self.image.bytes_at(block) else { continue };
            let Some(block_key) = self.visited.key(image, block) else { continue };
            let mut decoder = Decoder::with_ip(bitness, bytes, block, DecoderOptions::NONE);
            let mut xor_loops = XorLoopSpotter::default();
            let mut loaded = LoadedApis::default();
            let mut arguments = ConstantArguments::new(bitness, image.system_v_abi);
            while decoder.can_decode() {
                // The decoder stays inside the block's range, where keys follow addresses.
                let key = block_key.wrapping_add(decoder.ip().wrapping_sub(block));
                if !self.visited.insert_key(key) {
                    break;
                }
                self.visited_list.push(key);
                if self.out_of_budget() {
                    cut = true;
                    break 'paths;
                }
                decoder.decode_out(&mut instr);
                self.decoded += 1;
                instructions += 1;
                size += instr.len() as u64;
                self.stats.record(&instr, bitness);
                if xor_loops.closes_loop(&instr) {
                    self.stats.record_xor_loop();
                }
                let next = self.follow(&instr, start, &mut loaded, &mut arguments);
                if let Some(target) = next.branch.filter(|&t| !self.visited.contains(image, t)) {
                    self.pending.push(target);
                }
                if !next.falls_through {
                    break;
                }
            }
        }
        for key in self.visited_list.drain(..) {
            self.visited.remove_key(key);
        }
        if let Some(function) = self.functions.get_mut(index) {
            function.instruction_count = instructions;
            function.size = size;
            function.cut = cut;
        }
    }

    /// Acts on the control flow of `instr` in the function starting at `function`.
    fn follow(&mut self, instr: &Instruction, function: u64, loaded: &mut LoadedApis, arguments: &mut ConstantArguments) -> Next {
        match instr.flow_control() {
            FlowControl::Next | FlowControl::XbeginXabortXend => {
                loaded.observe(instr, &self.resolver);
                arguments.observe(instr);
                if let Some(code) = code_pointer(instr, self.image) {
                    self.add_function(code, || "pointer".to_string());
                }
                Next::FALL_THROUGH
            }
            FlowControl::ConditionalBranch => {
                Next { falls_through: true, branch: is_near_branch(instr).then(|| instr.near_branch_target()) }
            }
            FlowControl::UnconditionalBranch => {
                if !is_near_branch(instr) {
                    return Next::END;
                }
                let target = instr.near_branch_target();
                match self.resolver.stub_at(target) {
                    Some(api) => {
                        self.record_call(api, instr, function, "jmp", arguments);
                        Next::END
                    }
                    None => Next { falls_through: false, branch: Some(target) },
                }
            }
            FlowControl::IndirectBranch => {
                if let Some(api) = self.indirect_api(instr, loaded) {
                    self.record_call(api, instr, function, "jmp", arguments);
                }
                Next::END
            }
            FlowControl::Call | FlowControl::IndirectCall => {
                let api = if instr.flow_control() == FlowControl::IndirectCall {
                    self.indirect_api(instr, loaded)
                } else if is_near_branch(instr) {
                    let target = instr.near_branch_target();
                    let api = self.resolver.stub_at(target);
                    if api.is_none() {
                        self.add_function(target, || "call".to_string());
                    }
                    api
                } else {
                    None
                };
                loaded.after_call();
                match api {
                    Some(api) => {
                        self.record_call(api, instr, function, "call", arguments);
                        if self.resolver.never_returns(api) {
                            Next::END
                        } else {
                            Next::FALL_THROUGH
                        }
                    }
                    None => {
                        arguments.forget();
                        Next::FALL_THROUGH
                    }
                }
            }
            FlowControl::Interrupt => match instr.mnemonic() {
                Mnemonic::Int3 => Next::END,
                Mnemonic::Int if instr.immediate8() == FASTFAIL_VECTOR => Next::END,
                _ => Next::FALL_THROUGH,
            },
            FlowControl::Return | FlowControl::Exception => Next::END,
        }
    }

    /// The API an indirect call or jump reaches, through its memory slot or a loaded register.
    fn indirect_api(&self, instr: &Instruction, loaded: &LoadedApis) -> Option<ApiId> {
        if instr.op0_kind() == OpKind::Memory {
            self.resolver.through_memory(instr)
        } else {
            loaded.in_register(instr)
        }
    }

    fn record_call(&mut self, api: ApiId, instr: &Instruction, function: u64, kind: &str, arguments: &mut ConstantArguments) {
        let arguments = arguments.take_for_call();
        if let Some(count) = self.api_counts.get_mut(api as usize) {
            *count += 1;
        }
        if self.api_calls.len() < self.limits.max_table_entries {
            self.api_calls.push(ApiCallSite {
                address: instr.ip(),
                function,
                api: self.resolver.name(api).to_string(),
                kind: kind.to_string(),
                arguments,
            });
        } else {
            self.calls_capped = true;
        }
    }

    fn finish(self, notes: &mut Vec<String>) -> Traversal {
        match self.stop {
            Some(Stop::Instructions) => notes.push(format!(
                "disassembly stopped at the budget of {} instructions; some functions are cut",
                self.limits.max_instructions
            )),
            Some(Stop::Time) => notes.push("disassembly stopped at the stage time limit; some functions are cut".to_string()),
            None => {}
        }
        if self.functions_capped {
            notes.push(format!("disassembly found more than {} functions; the others were not followed", self.limits.max_functions));
        }
        if self.calls_capped {
            notes.push(format!("disassembly listed {} API call sites; the others are only counted", self.limits.max_table_entries));
        }
        let mut api_call_counts: Vec<ApiCallCount> = self
            .api_counts
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0)
            .map(|(id, &count)| ApiCallCount { api: self.resolver.name(id as ApiId).to_string(), count })
            .collect();
        api_call_counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.api.cmp(&b.api)));
        Traversal {
            functions: self.functions,
            api_calls: self.api_calls,
            api_call_counts,
            stats: self.stats,
            instruction_count: self.decoded,
            truncated: self.stop.is_some() || self.functions_capped,
        }
    }
}
