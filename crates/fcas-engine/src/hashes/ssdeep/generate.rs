//! The ssdeep digest: libfuzzy's multi-blocksize streaming engine.
//!
//! Every block size `3 << i` keeps a piecewise hash (FNV, of which only the low six bits are
//! ever printed, so it is kept modulo 64) that is emitted as one base64 character and reset
//! whenever the rolling hash hits `-1 mod blocksize`. At the end the block size whose digest is
//! long enough is printed, with the next block size as the second part.
//!
//! Speed comes from three things, none of which changes the output:
//! - the rolling hash is a pure function of the last seven bytes, so trigger points of 64
//!   positions are found at once (vectorised) and the rare hits handled one by one;
//! - between two trigger points the piecewise hashes of all tracked block sizes advance by the
//!   same byte sequence, so they run as independent chains held in registers;
//! - the total length is known up front, so block sizes that can no longer be printed are not
//!   tracked (those too large for the length, and those whose larger neighbour already has half
//!   a digest: both are choices the final selection can never make).
use super::roll::{sum_of_window, trigger_mask};
use super::{block_size, B64, NUM_BLOCKHASHES, ROLLING_WINDOW, SPAMSUM_LENGTH};

/// FNV offset basis reduced to the six bits that matter.
const HASH_INIT: u8 = 0x27;
/// FNV prime.
const HASH_PRIME: u32 = 0x0100_0193;
/// Largest input libfuzzy accepts: the largest block size times the digest length.
const TOTAL_SIZE_MAX: u64 = block_size(NUM_BLOCKHASHES - 1) * SPAMSUM_LENGTH as u64;
/// Piecewise hash chains advanced together by one kernel call.
const CHAINS_PER_PASS: usize = 8;
/// Most chains ever tracked: a hash and a half hash per block size, plus the last hash.
const MAX_CHAINS: usize = 2 * NUM_BLOCKHASHES + 1;

/// `SUM_TABLE[c & 63][h]` is the next piecewise hash after byte `c` from state `h`. Rows have
/// 256 entries so that a `u8` state indexes them without a bounds check (states stay < 64).
static SUM_TABLE: [[u8; 256]; 64] = {
    let mut table = [[0u8; 256]; 64];
    let mut c = 0;
    while c < 64 {
        let mut h = 0;
        while h < 256 {
            table[c][h] = ((h as u32).wrapping_mul(HASH_PRIME) ^ c as u32) as u8 & 63;
            h += 1;
        }
        c += 1;
    }
    table
};

/// One block size's digest in progress.
#[derive(Clone, Copy)]
struct BlockHash {
    digest: [u8; SPAMSUM_LENGTH],
    /// Characters emitted so far (at most 63: the last one is overwritten, not appended).
    dindex: usize,
    /// Character of the half hash at the last trigger; 0 while the digest is under 32 long.
    halfdigest: u8,
    h: u8,
    /// Only meaningful once `dindex >= 32`: before that the half hash equals `h`.
    halfh: u8,
}

impl BlockHash {
    const NEW: Self = Self { digest: [0; SPAMSUM_LENGTH], dindex: 0, halfdigest: 0, h: HASH_INIT, halfh: HASH_INIT };

    fn half_state(&self) -> u8 {
        if self.dindex >= SPAMSUM_LENGTH / 2 {
            self.halfh
        } else {
            self.h
        }
    }
}

/// Where a running chain's state lives between trigger points.
#[derive(Clone, Copy)]
enum ChainTarget {
    Hash(usize),
    HalfHash(usize),
    LastHash,
}

/// The piecewise hash states advanced byte by byte between trigger points.
struct Chains {
    states: [u8; MAX_CHAINS],
    targets: [ChainTarget; MAX_CHAINS],
    len: usize,
}

/// Streaming ssdeep generator for an input whose total length is known up front.
pub struct Generator {
    total_len: u64,
    fed: u64,
    /// The last seven bytes seen (zeros before the start).
    tail: [u8; ROLLING_WINDOW],
    bh: Box<[BlockHash; NUM_BLOCKHASHES]>,
    bhstart: usize,
    bhend: usize,
    bhendlimit: usize,
    need_lasth: bool,
    lasth: u8,
}

impl Generator {
    /// A generator for exactly `total_len` bytes (fed through [`Generator::update`]).
    pub fn new(total_len: u64) -> Self {
        let guess = initial_guess(total_len);
        Self {
            total_len,
            fed: 0,
            tail: [0; ROLLING_WINDOW],
            bh: Box::new([BlockHash::NEW; NUM_BLOCKHASHES]),
            bhstart: 0,
            bhend: 1,
            // Index guess + 1 is the largest one that can be printed (as the second part).
            bhendlimit: (guess + 1).min(NUM_BLOCKHASHES - 1),
            need_lasth: false,
            lasth: 0,
        }
    }

    /// Feeds the next bytes of the input.
    pub fn update(&mut self, data: &[u8]) {
        self.fed = self.fed.saturating_add(data.len() as u64);
        let mut chains = self.load_chains();
        for block in data.chunks(64) {
            let history = tail_history(&self.tail);
            let mut mask = trigger_mask(&history, block, self.bhstart as u32);
            let mut start = 0;
            while mask != 0 {
                let j = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                // Block sizes may have been dropped since the mask was computed: check again.
                let s1 = u64::from(sum_of_window(&window_at(&history, block, j))) + 1;
                if s1 % block_size(self.bhstart) != 0 {
                    continue;
                }
                run_chains(&mut chains, block.get(start..=j).unwrap_or_default());
                start = j + 1;
                self.store_chains(&chains);
                self.trigger(s1);
                chains = self.load_chains();
            }
            run_chains(&mut chains, block.get(start..).unwrap_or_default());
            push_tail(&mut self.tail, block);
        }
        self.store_chains(&chains);
    }

    /// The digest as libfuzzy prints it, or `None` where libfuzzy refuses: an input over
    /// 192 GiB, or fewer or more bytes fed than announced.
    pub fn digest(&self) -> Option<String> {
        if self.total_len > TOTAL_SIZE_MAX || self.fed != self.total_len {
            return None;
        }
        let rolling_nonzero = sum_of_window(&self.tail) != 0;
        let mut bi = initial_guess(self.total_len).min(self.bhend - 1);
        while bi > self.bhstart && self.bh[bi].dindex < SPAMSUM_LENGTH / 2 {
            bi -= 1;
        }
        let mut out = String::with_capacity(2 * SPAMSUM_LENGTH + 20);
        out.push_str(&block_size(bi).to_string());
        out.push(':');

        let first = &self.bh[bi];
        push_chars(&mut out, first.digest.get(..first.dindex).unwrap_or_default());
        if rolling_nonzero {
            out.push(b64(first.h));
        } else if let Some(&c) = first.digest.get(first.dindex).filter(|&&c| c != 0) {
            // A trigger at the last position overwrote it without starting a new one.
            out.push(char::from(c));
        }
        out.push(':');

        if bi + 1 < self.bhend {
            let second = &self.bh[bi + 1];
            let len = second.dindex.min(SPAMSUM_LENGTH / 2 - 1);
            push_chars(&mut out, second.digest.get(..len).unwrap_or_default());
            if rolling_nonzero {
                out.push(b64(second.half_state()));
            } else if second.halfdigest != 0 {
                out.push(char::from(second.halfdigest));
            }
        } else if rolling_nonzero {
            let h = if self.need_lasth { self.lasth } else { self.bh[bi].h };
            out.push(b64(h));
        }
        Some(out)
    }

    /// A trigger point: `s1` (rolling sum plus one) is divisible by the smallest tracked block
    /// size, and by every larger one up to its largest power-of-two factor.
    fn trigger(&mut self, s1: u64) {
        let mut i = self.bhstart;
        let mut h = s1 >> self.bhstart;
        loop {
            if self.bh[i].dindex == 0 {
                self.try_fork();
            }
            let bh = &mut self.bh[i];
            let half = bh.half_state();
            if let Some(slot) = bh.digest.get_mut(bh.dindex) {
                *slot = B64[usize::from(bh.h & 63)];
            }
            bh.halfdigest = B64[usize::from(half & 63)];
            if bh.dindex < SPAMSUM_LENGTH - 1 {
                // A full digest keeps accumulating into its last character instead.
                bh.dindex += 1;
                bh.h = HASH_INIT;
                if bh.dindex < SPAMSUM_LENGTH / 2 {
                    bh.halfdigest = 0;
                } else {
                    bh.halfh = half;
                }
            }
            if h & 1 != 0 {
                break;
            }
            h >>= 1;
            i += 1;
            if i >= self.bhend {
                break;
            }
        }
        self.drop_unprintable();
    }

    /// Starts tracking the next block size (on the first trigger of the largest one).
    fn try_fork(&mut self) {
        let last = self.bhend - 1;
        let (h, half) = (self.bh[last].h, self.bh[last].half_state());
        if self.bhend <= self.bhendlimit {
            self.bh[self.bhend] = BlockHash { h, halfh: half, ..BlockHash::NEW };
            self.bhend += 1;
        } else if self.bhend == NUM_BLOCKHASHES && !self.need_lasth {
            self.need_lasth = true;
            self.lasth = h;
        }
    }

    /// Stops tracking the smallest block size once the final choice can no longer fall on it:
    /// the input is longer than its digest could cover and the next one is half full.
    fn drop_unprintable(&mut self) {
        while self.bhend - self.bhstart >= 2
            && self.total_len > block_size(self.bhstart) * SPAMSUM_LENGTH as u64
            && self.bh[self.bhstart + 1].dindex >= SPAMSUM_LENGTH / 2
        {
            self.bhstart += 1;
        }
    }

    fn load_chains(&self) -> Chains {
        let mut chains = Chains { states: [0; MAX_CHAINS], targets: [ChainTarget::LastHash; MAX_CHAINS], len: 0 };
        let mut push = |state: u8, target: ChainTarget| {
            if let (Some(s), Some(t)) = (chains.states.get_mut(chains.len), chains.targets.get_mut(chains.len)) {
                *s = state;
                *t = target;
                chains.len += 1;
            }
        };
        for i in self.bhstart..self.bhend {
            let bh = &self.bh[i];
            push(bh.h, ChainTarget::Hash(i));
            if bh.dindex >= SPAMSUM_LENGTH / 2 {
                push(bh.halfh, ChainTarget::HalfHash(i));
            }
        }
        if self.need_lasth {
            push(self.lasth, ChainTarget::LastHash);
        }
        chains
    }

    fn store_chains(&mut self, chains: &Chains) {
        for (&state, &target) in chains.states.iter().zip(&chains.targets).take(chains.len) {
            match target {
                ChainTarget::Hash(i) => self.bh[i].h = state,
                ChainTarget::HalfHash(i) => self.bh[i].halfh = state,
                ChainTarget::LastHash => self.lasth = state,
            }
        }
    }
}

/// ssdeep digest of `bytes` as libfuzzy's `fuzzy_hash_buf` prints it (`None` over 192 GiB).
pub fn digest(bytes: &[u8]) -> Option<String> {
    let mut generator = Generator::new(bytes.len() as u64);
    generator.update(bytes);
    generator.digest()
}

/// Index of the smallest block size whose full digest covers `total_len` bytes.
fn initial_guess(total_len: u64) -> usize {
    let mut i = 0;
    while i < NUM_BLOCKHASHES - 1 && block_size(i) * (SPAMSUM_LENGTH as u64) < total_len {
        i += 1;
    }
    i
}

fn b64(h: u8) -> char {
    char::from(B64[usize::from(h & 63)])
}

fn push_chars(out: &mut String, chars: &[u8]) {
    out.extend(chars.iter().map(|&c| char::from(c)));
}

fn tail_history(tail: &[u8; ROLLING_WINDOW]) -> [u8; ROLLING_WINDOW - 1] {
    let mut history = [0u8; ROLLING_WINDOW - 1];
    history.copy_from_slice(&tail[1..]);
    history
}

/// The seven bytes ending at position `j` of `block`, `history` holding the six before it.
fn window_at(history: &[u8; ROLLING_WINDOW - 1], block: &[u8], j: usize) -> [u8; ROLLING_WINDOW] {
    let mut w = [0u8; ROLLING_WINDOW];
    for (k, slot) in w.iter_mut().enumerate() {
        // Position j - 6 + k of the block; negative positions come from the history.
        let pos = j + k;
        *slot = if pos < ROLLING_WINDOW - 1 {
            history.get(pos).copied().unwrap_or(0)
        } else {
            block.get(pos - (ROLLING_WINDOW - 1)).copied().unwrap_or(0)
        };
    }
    w
}

fn push_tail(tail: &mut [u8; ROLLING_WINDOW], block: &[u8]) {
    if block.len() >= ROLLING_WINDOW {
        tail.copy_from_slice(&block[block.len() - ROLLING_WINDOW..]);
    } else {
        tail.rotate_left(block.len());
        tail[ROLLING_WINDOW - block.len()..].copy_from_slice(block);
    }
}

/// Advances every chain over `bytes`, eight chains per pass (each pass is one kernel with its
/// states in registers; chains are independent, so passes can be split freely).
fn run_chains(chains: &mut Chains, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let Some(states) = chains.states.get_mut(..chains.len) else { return };
    for group in states.chunks_mut(CHAINS_PER_PASS) {
        match group.len() {
            1 => advance::<1>(group, bytes),
            2 => advance::<2>(group, bytes),
            3 => advance::<3>(group, bytes),
            4 => advance::<4>(group, bytes),
            5 => advance::<5>(group, bytes),
            6 => advance::<6>(group, bytes),
            7 => advance::<7>(group, bytes),
            _ => advance::<8>(group, bytes),
        }
    }
}

#[inline(always)]
fn advance<const K: usize>(group: &mut [u8], bytes: &[u8]) {
    let mut states = [0u8; K];
    for (s, g) in states.iter_mut().zip(group.iter()) {
        *s = *g;
    }
    for &c in bytes {
        let row = &SUM_TABLE[usize::from(c & 63)];
        for s in states.iter_mut() {
            *s = row[usize::from(*s)];
        }
    }
    for (g, s) in group.iter_mut().zip(states) {
        *g = s;
    }
}
