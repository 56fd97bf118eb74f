//! What a format reader sees while it opens one container: the passwords to try, the limits
//! (checked before and while each child is decoded) and where children go.
use std::borrow::Cow;
use std::io::Read;
use std::time::Instant;

use fcas_report::{ExtractionStatus, LimitHit, ListedEntry, SkippedEntry};

use crate::limits::{names, ExtractLimits};
use crate::Passwords;

/// How the reason of an entry skipped because its data is damaged starts.
pub(crate) const DAMAGED: &str = "damaged";

/// One entry that came out of a container, decoded in memory. Its name is what the container
/// says and is only ever shown, never used as a path.
#[derive(Debug)]
pub struct Child<'a> {
    /// Its name inside the container (may be `../../x` or `/etc/x`: it is evidence, not a path).
    pub name: String,
    /// Its content.
    pub data: Cow<'a, [u8]>,
}

/// What the receiver of children wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next entry.
    Continue,
    /// Stop opening this container (a limit of the whole submission was met).
    Stop,
}

/// Counts shared by every container of one submission.
#[derive(Debug, Default)]
pub struct Budget {
    /// Children taken out so far, at every depth.
    pub children: usize,
    /// Bytes decoded so far, at every depth.
    pub bytes: u64,
}

/// The state of the container being opened.
pub struct Container<'s> {
    pub(crate) limits: &'s ExtractLimits,
    pub(crate) passwords: &'s Passwords,
    pub(crate) budget: &'s mut Budget,
    pub(crate) sink: &'s mut dyn FnMut(Child<'_>) -> Flow,
    pub(crate) started: Instant,
    /// Time spent by the receiver (the children's analyses), not counted against the budget.
    pub(crate) receiver_time: std::time::Duration,
    /// The container's own size: the compressed size of entries whose format does not say.
    pub(crate) container_size: u64,
    pub(crate) emitted: usize,
    /// Names of the children handed on (7z lists what a given-up block left).
    pub(crate) emitted_names: Vec<String>,
    pub(crate) stopped: bool,
    pub(crate) status: Option<ExtractionStatus>,
    pub(crate) password: Option<String>,
    pub(crate) limits_hit: Vec<LimitHit>,
    pub(crate) skipped: Vec<SkippedEntry>,
    pub(crate) entries: Vec<ListedEntry>,
}

/// Why a child was not decoded whole.
#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    /// A limit stopped it (already recorded in `limits_hit`).
    #[error("{0}")]
    Limit(String),
    /// Its data is damaged or uses a feature the reader does not support.
    #[error("{0}")]
    Read(#[from] std::io::Error),
}

impl<'s> Container<'s> {
    /// The passwords to try, in order.
    pub fn passwords(&self) -> impl Iterator<Item = &str> {
        self.passwords.iter()
    }

    /// The container's limits.
    pub fn limits(&self) -> &ExtractLimits {
        self.limits
    }

    /// Whether more entries may be taken: false once a count, the submission's bytes or the
    /// time budget ran out (recorded once), or the receiver asked to stop.
    pub fn wants_more(&mut self) -> bool {
        if self.stopped {
            return false;
        }
        if self.out_of_time() {
            let detail = format!("stopped after {} s; the remaining entries were not opened", self.limits.container_time.as_secs());
            return self.stop(names::CONTAINER_TIME, detail);
        }
        if self.emitted >= self.limits.max_children_per_container {
            let detail = format!("only the first {} entries of this container were opened", self.limits.max_children_per_container);
            return self.stop(names::MAX_CHILDREN_PER_CONTAINER, detail);
        }
        if self.budget.children >= self.limits.max_children_per_submission {
            let detail = format!(
                "the submission reached {} children; the remaining entries were not opened",
                self.limits.max_children_per_submission
            );
            return self.stop(names::MAX_CHILDREN_PER_SUBMISSION, detail);
        }
        if self.budget.bytes >= self.limits.max_submission_bytes {
            let detail =
                format!("the submission decoded {} bytes; the remaining entries were not opened", self.limits.max_submission_bytes);
            return self.stop(names::MAX_SUBMISSION_BYTES, detail);
        }
        true
    }

    fn out_of_time(&self) -> bool {
        self.time_left().is_zero()
    }

    /// What is left of the container's time budget (its children's analyses not counted).
    pub fn time_left(&self) -> std::time::Duration {
        self.limits.container_time.saturating_sub(self.started.elapsed().saturating_sub(self.receiver_time))
    }

    fn stop(&mut self, limit: &str, detail: String) -> bool {
        self.hit(limit, detail);
        self.stopped = true;
        false
    }

    /// Records a limit met.
    pub fn hit(&mut self, limit: &str, detail: impl Into<String>) {
        self.limits_hit.push(LimitHit { limit: limit.to_string(), detail: detail.into() });
    }

    /// Records an entry that did not come out.
    pub fn skip(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(SkippedEntry { name: name.into(), reason: reason.into() });
    }

    /// Lists an entry whose content could not be decrypted.
    pub fn list(&mut self, name: impl Into<String>, size: u64, encrypted: bool) {
        self.entries.push(ListedEntry { name: name.into(), size, encrypted });
    }

    /// Records the password that opened the container.
    pub fn opened_with(&mut self, password: &str) {
        self.password = Some(password.to_string());
    }

    /// Sets the status (default: `opened`, or `partial` when the reader failed after children).
    pub fn set_status(&mut self, status: ExtractionStatus) {
        self.status = Some(status);
    }

    /// The most `name` may decode to, given the bytes it was compressed into (`None`: the
    /// container's size); records the limit and skips it when its declared size is larger.
    pub fn admit(&mut self, name: &str, declared: Option<u64>, compressed: Option<u64>) -> Option<u64> {
        let cap = self.cap(compressed);
        match declared {
            Some(size) if size > cap => {
                self.refuse(name, size, compressed);
                None
            }
            _ => Some(cap),
        }
    }

    fn cap(&self, compressed: Option<u64>) -> u64 {
        let left = self.limits.max_submission_bytes.saturating_sub(self.budget.bytes);
        self.limits.max_decoded(compressed.unwrap_or(self.container_size)).min(left)
    }

    fn refuse(&mut self, name: &str, size: u64, compressed: Option<u64>) {
        let limits = self.limits;
        // A compressed stream's content is named by the caller, after its container.
        let name = if name.is_empty() { "the decoded stream" } else { name };
        let compressed = compressed.unwrap_or(self.container_size);
        let (limit, why) = if size > limits.max_child_size {
            (names::MAX_CHILD_SIZE, format!("larger than {} bytes", limits.max_child_size))
        } else if size > limits.max_decoded(compressed) {
            (names::MAX_RATIO, format!("expands more than {}:1 beyond {} bytes", limits.max_ratio, limits.ratio_floor))
        } else {
            (names::MAX_SUBMISSION_BYTES, format!("the submission's {} decoded bytes would be exceeded", limits.max_submission_bytes))
        };
        self.hit(limit, format!("{name}: {why}"));
        self.skip(name, format!("not decoded: {why}"));
    }

    /// Decodes `reader` into memory, stopping at the limits (the entry is then skipped and the
    /// limit recorded). `declared` is the size the headers claim; `compressed`, the bytes it
    /// was compressed into when the format says.
    pub fn read_child(
        &mut self,
        name: &str,
        reader: &mut dyn Read,
        declared: Option<u64>,
        compressed: Option<u64>,
    ) -> Result<Vec<u8>, ChildError> {
        let cap = self.admit(name, declared, compressed).ok_or_else(|| ChildError::Limit(format!("{name}: over a limit")))?;
        // Reserved once, up front: the declared size (a lie is bounded by the cap), else the cap
        // itself. The reservation is address space only: pages become memory as data arrives,
        // and the buffer never grows by doubling, which would hold two copies at the largest.
        let reserve = declared.map_or(cap, |size| size.min(cap));
        let mut data = Vec::new();
        // Refused address space (a tight RLIMIT_AS) only means growing as the data comes.
        let _ = data.try_reserve_exact(usize::try_from(reserve).unwrap_or(usize::MAX));
        let mut chunk = vec![0u8; 256 << 10];
        loop {
            if self.out_of_time() {
                self.hit(names::CONTAINER_TIME, format!("{name}: decoding stopped after {} s", self.limits.container_time.as_secs()));
                self.skip(name, "not decoded: the container's time budget ran out");
                self.stopped = true;
                return Err(ChildError::Limit(format!("{name}: time budget")));
            }
            let read = match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(ChildError::Read(error)),
            };
            if (data.len() + read) as u64 > cap {
                self.refuse(name, cap.saturating_add(1), compressed);
                return Err(ChildError::Limit(format!("{name}: over a limit")));
            }
            // A reader claiming more than it was given is broken: its data cannot be trusted.
            let Some(part) = chunk.get(..read) else {
                return Err(ChildError::Read(std::io::Error::other("the decoder returned more bytes than asked for")));
            };
            data.extend_from_slice(part);
        }
        // Give back most of an unfilled reservation (a stream much smaller than its cap).
        if data.capacity() > data.len().saturating_mul(2) {
            data.shrink_to_fit();
        }
        Ok(data)
    }

    /// Hands a child to the receiver, counting it against the limits.
    pub fn emit(&mut self, name: impl Into<String>, data: Cow<'_, [u8]>) {
        if self.stopped {
            return;
        }
        let name = name.into();
        self.emitted += 1;
        self.emitted_names.push(name.clone());
        self.budget.children += 1;
        self.budget.bytes = self.budget.bytes.saturating_add(data.len() as u64);
        let handed = Instant::now();
        let flow = (self.sink)(Child { name, data });
        self.receiver_time += handed.elapsed();
        if flow == Flow::Stop {
            self.stopped = true;
        }
    }

    /// Whether any child came out.
    pub fn emitted(&self) -> usize {
        self.emitted
    }

    /// Whether `name` came out or was recorded as skipped.
    pub(crate) fn has_recorded(&self, name: &str) -> bool {
        self.emitted_names.iter().any(|n| n == name) || self.skipped.iter().any(|s| s.name == name)
    }

    /// How many entries were skipped because their data is damaged.
    pub(crate) fn damaged(&self) -> usize {
        self.skipped.iter().filter(|s| s.reason.starts_with(DAMAGED)).count()
    }

    /// Reads `reader` into a child and emits it; a child that fails to decode is skipped with
    /// the reason. Returns whether it came out.
    pub fn take(&mut self, name: &str, reader: &mut dyn Read, declared: Option<u64>, compressed: Option<u64>) -> bool {
        match self.read_child(name, reader, declared, compressed) {
            // A member cut short by the end of a truncated container: its bytes are not the file.
            Ok(data) if declared.is_some_and(|size| (data.len() as u64) < size) => {
                let size = declared.unwrap_or_default();
                self.skip(name, format!("{DAMAGED}: cut short ({} of {size} bytes)", data.len()));
                false
            }
            Ok(data) => {
                self.emit(name, Cow::Owned(data));
                true
            }
            Err(ChildError::Limit(_)) => false,
            Err(ChildError::Read(error)) => {
                self.skip(name, format!("{DAMAGED}: {error}"));
                false
            }
        }
    }
}
