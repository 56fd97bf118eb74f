//! Images made by Debian's tools, only when the tool is installed (the tests that use them
//! pass without). Inputs go to a private temporary folder removed afterwards.
use std::path::PathBuf;
use std::process::Command;

/// The files every tool-made image holds.
pub const TREE: &[(&str, &[u8])] = &[("a.txt", b"hello\n"), ("sub/b-file.bin", b"\x00\x01\x02 binary"), ("sub/deep/c.txt", b"deep\n")];

/// A fresh folder for one test's inputs, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Self {
        // Unique per call: tests run in parallel threads of one process.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("fcas-extract-{tag}-{}-{call}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Writes [`TREE`] under `src/`.
    pub fn tree(&self) -> PathBuf {
        let src = self.0.join("src");
        for (name, data) in TREE {
            let path = src.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, data).unwrap();
        }
        src
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether `tool` runs.
pub fn installed(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

/// One ISO image of [`TREE`] per set of flags, with its flags joined; `None` without the tool.
pub fn genisoimage(flag_sets: &[&[&str]]) -> Option<Vec<(String, Vec<u8>)>> {
    if !installed("genisoimage") {
        return None;
    }
    let scratch = Scratch::new("iso");
    let src = scratch.tree();
    let images = flag_sets
        .iter()
        .enumerate()
        .map(|(i, flags)| {
            let out = scratch.0.join(format!("{i}.iso"));
            let status = Command::new("genisoimage").arg("-quiet").args(*flags).arg("-o").arg(&out).arg(&src).status().unwrap();
            assert!(status.success(), "genisoimage {flags:?}");
            (flags.join(" "), std::fs::read(&out).unwrap())
        })
        .collect();
    Some(images)
}

/// An empty UDF file system made by mkudffs for each set of flags, on a 4 MiB image; `None`
/// without the tool.
pub fn mkudffs(flag_sets: &[&[&str]]) -> Option<Vec<(String, Vec<u8>)>> {
    if !installed("mkudffs") {
        return None;
    }
    let scratch = Scratch::new("udf");
    let images = flag_sets
        .iter()
        .enumerate()
        .map(|(i, flags)| {
            let out = scratch.0.join(format!("{i}.udf"));
            std::fs::File::create(&out).unwrap().set_len(4 << 20).unwrap();
            let status = Command::new("mkudffs").args(*flags).arg(&out).stdout(std::process::Stdio::null()).status().unwrap();
            assert!(status.success(), "mkudffs {flags:?}");
            (flags.join(" "), std::fs::read(&out).unwrap())
        })
        .collect();
    Some(images)
}
