//! Opening a file for analysis: refuse what is not a regular file, map what is large.
use std::fs::{File, Metadata};
use std::io::Read;
use std::ops::Deref;
use std::path::Path;

/// Files up to this size are read into memory; larger ones are memory-mapped.
const READ_WHOLE_MAX: u64 = 16 << 20;

/// Why a path could not be analysed at all. Each message says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Nothing at that path.
    #[error("no such file; check the path")]
    NotFound,
    /// Permission denied.
    #[error("permission denied; run as a user who can read the file")]
    PermissionDenied,
    /// A directory where a file was expected.
    #[error("is a directory; scan it recursively with `fcas scan DIR`")]
    IsDirectory,
    /// A device, FIFO or socket.
    #[error("not a regular file ({0}); only regular files are analysed")]
    NotRegular(&'static str),
    /// Symbolic links that point at each other.
    #[error("too many levels of symbolic links (a link loop); fix or remove the link")]
    SymlinkLoop,
    /// Larger than the configured limit.
    #[error("file is {size} bytes, over the limit of {max} bytes; raise it with --max-size")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Any other I/O error.
    #[error("cannot read the file: {0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for InputError {
    fn from(e: std::io::Error) -> Self {
        const ELOOP: i32 = 40;
        match e.kind() {
            std::io::ErrorKind::NotFound => InputError::NotFound,
            std::io::ErrorKind::PermissionDenied => InputError::PermissionDenied,
            std::io::ErrorKind::IsADirectory => InputError::IsDirectory,
            _ if cfg!(target_os = "linux") && e.raw_os_error() == Some(ELOOP) => InputError::SymlinkLoop,
            _ => InputError::Io(e),
        }
    }
}

/// The bytes of a file: empty, read into memory, or memory-mapped.
#[derive(Debug)]
pub enum MappedInput {
    /// A zero-length file.
    Empty,
    /// A small file read whole.
    Owned(Vec<u8>),
    /// A large file, mapped read-only.
    Mapped(memmap2::Mmap),
}

impl Deref for MappedInput {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            MappedInput::Empty => &[],
            MappedInput::Owned(v) => v,
            MappedInput::Mapped(m) => m,
        }
    }
}

impl MappedInput {
    /// Lets the kernel drop the pages of a mapped file under `part` (a slice of these bytes)
    /// from this process's memory: they were read and will be read again from the file only if
    /// touched again. Scanning a 2 GiB disk image then holds only the pages in use, not the
    /// whole image. Does nothing for bytes read into memory, or for a slice not of this mapping.
    pub fn release(&self, part: &[u8]) {
        let Self::Mapped(map) = self else { return };
        let (base, start) = (map.as_ptr() as usize, part.as_ptr() as usize);
        let Some(offset) = start.checked_sub(base).filter(|offset| offset.saturating_add(part.len()) <= map.len()) else { return };
        // Whole pages only: the pages at either end may hold bytes still in use.
        let page = page_size();
        let first = offset.div_ceil(page) * page;
        let end = (offset + part.len()) / page * page;
        if end > first {
            // SAFETY: the mapping is read-only and private, and nothing here ever writes to it;
            // MADV_DONTNEED on such a mapping only drops pages, which the next access reads
            // from the file again with the same content (a file rewritten meanwhile is outside
            // what the engine promises, as for any mapping).
            let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, first, end - first) };
        }
    }

    /// The whole input as [`Self::release`] sees it.
    pub fn release_all(&self) {
        self.release(self);
    }
    /// Opens `path` for reading without ever blocking on a FIFO or device, refusing anything
    /// but a regular file, and refusing files over `max_size`.
    pub fn open(path: &Path, max_size: u64) -> Result<Self, InputError> {
        OpenedFile::open(path, max_size)?.into_bytes()
    }
}

/// A regular file opened for analysis: the only way FCAS opens a sample. Opening never blocks
/// (FIFOs, devices and sockets are refused before and after opening, the open itself is
/// non-blocking), and the size limit is checked before a byte is read.
#[derive(Debug)]
pub struct OpenedFile {
    file: File,
    size: u64,
}

impl OpenedFile {
    /// Opens `path` (symbolic links followed) as a regular file of at most `max_size` bytes.
    pub fn open(path: &Path, max_size: u64) -> Result<Self, InputError> {
        check_kind(&std::fs::metadata(path)?)?;
        let file = open_nonblocking(path)?;
        // Check again on the open handle: the path may have been swapped since `metadata`.
        let meta = file.metadata()?;
        check_kind(&meta)?;
        let size = meta.len();
        if size > max_size {
            return Err(InputError::TooLarge { size, max: max_size });
        }
        Ok(Self { file, size })
    }

    /// The size when the file was opened.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The open file's modification time now (taken before hashing it, it dates what was hashed:
    /// a write during the hash moves it).
    pub fn modified(&self) -> Option<std::time::SystemTime> {
        self.file.metadata().and_then(|m| m.modified()).ok()
    }

    /// Another handle on the same open file, positioned at its start (for a second pass, or an
    /// upload retried). Handles share one read position: use one at a time.
    pub fn reopen(&self) -> std::io::Result<File> {
        use std::io::{Seek, SeekFrom};
        let mut file = self.file.try_clone()?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }

    /// SHA-256 of the file's first `size()` bytes (bytes appended since opening are not read),
    /// lowercase hex. Reading bytes interprets nothing, so this is safe in any process.
    pub fn sha256(&self) -> Result<String, InputError> {
        use sha2::{Digest, Sha256};
        let mut reader = self.reopen()?.take(self.size);
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            let read = reader.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(buffer.get(..read).unwrap_or_default());
        }
        Ok(fcas_report::hex(&hasher.finalize()))
    }

    /// The bytes: read whole when small, memory-mapped when large.
    pub fn into_bytes(self) -> Result<MappedInput, InputError> {
        let Self { mut file, size } = self;
        // Clones made by `reopen` share the read position: start from the first byte.
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(0))?;
        if size == 0 {
            return Ok(MappedInput::Empty);
        }
        if size <= READ_WHOLE_MAX {
            let mut bytes = Vec::with_capacity(size as usize);
            // `take` bounds the read even if the file grows while we read it.
            file.take(size).read_to_end(&mut bytes)?;
            return Ok(MappedInput::Owned(bytes));
        }
        // SAFETY: the map is read-only and private to this process. A file truncated by another
        // process while mapped could raise SIGBUS; analysing files that are being rewritten is
        // outside what the engine promises (documented in README "Limits").
        let map = unsafe { memmap2::Mmap::map(&file)? };
        Ok(MappedInput::Mapped(map))
    }
}

fn check_kind(meta: &Metadata) -> Result<(), InputError> {
    let ft = meta.file_type();
    if ft.is_dir() {
        return Err(InputError::IsDirectory);
    }
    if ft.is_file() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Err(InputError::NotRegular("a FIFO"));
        }
        if ft.is_socket() {
            return Err(InputError::NotRegular("a socket"));
        }
        if ft.is_block_device() || ft.is_char_device() {
            return Err(InputError::NotRegular("a device"));
        }
    }
    Err(InputError::NotRegular("special file"))
}

fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    options.open(path)
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).ok().filter(|size| *size > 0).unwrap_or(4096)
}
