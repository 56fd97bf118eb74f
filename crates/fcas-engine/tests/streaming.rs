//! A container's children are handed to the pool as they are decoded and finished in container
//! order: whatever the pool's timing, the reports come out in the same order every run, each
//! container's children in entry order, and every descendant after its parent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way

use std::io::Cursor;
use std::sync::mpsc;
use std::time::Duration;

use fcas_engine::{sha256_hex, submission_of_bytes, Options};
use fcas_extract::pack::{EncryptedZip, EXPORT_PASSWORD};

/// A ZIP (AES-256 under `infected`, which the walk tries first) of `files`, in this order.
fn zip_of(files: &[Vec<u8>]) -> Vec<u8> {
    let mut zip = EncryptedZip::new(Cursor::new(Vec::new()), EXPORT_PASSWORD).unwrap();
    for file in files {
        assert!(zip.add(&sha256_hex(file), file).unwrap());
    }
    zip.finish().unwrap().into_inner()
}

/// Distinct files of unequal sizes (some under the size the pool takes at all, most over).
fn samples(tag: &str, count: usize) -> Vec<Vec<u8>> {
    (0..count).map(|i| format!("{tag} sample {i} http://example.org/{tag}/{i}\n").repeat(1 + i * 23).into_bytes()).collect()
}

/// What a run gives: the root's children (sha256, duplicate) in order, and each descendant's
/// lineage (sha256 from the root down) and sha256, in the submission's order.
type Walked = (Vec<(String, bool)>, Vec<(Vec<String>, String)>);

/// No walk of these few small files may take longer (debug build, two cores shared with other
/// tests): a child whose answer never comes fails here instead of hanging.
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// One walk of `bytes`, on its own thread so that a hang fails within [`TIME_LIMIT`].
fn walk(bytes: &[u8]) -> Walked {
    let (sender, receiver) = mpsc::channel();
    let bytes = bytes.to_vec();
    std::thread::spawn(move || {
        let _ = sender.send(submission_of_bytes("outer.zip", &bytes, &Options::default(), &[]));
    });
    let submission = receiver.recv_timeout(TIME_LIMIT).expect("the walk answers in time, without panicking");
    let children = submission.root.children.iter().map(|child| (child.sha256.clone(), child.duplicate)).collect();
    let descendants = submission
        .unpack_all()
        .unwrap()
        .into_iter()
        .skip(1)
        .map(|report| (report.lineage.iter().map(|step| step.sha256.clone()).collect(), report.hashes.sha256))
        .collect();
    (children, descendants)
}

#[test]
fn children_come_out_in_container_order_and_after_their_parent_every_run() {
    let (inner_a, inner_b) = (samples("a", 20), samples("b", 20));
    let mut outer = samples("o", 50);
    // Containers among plain files, and one file inside a container met again later outside it.
    outer.insert(7, zip_of(&inner_a));
    outer.insert(30, zip_of(&inner_b));
    outer.push(inner_a[3].clone());
    let bytes = zip_of(&outer);

    let first = walk(&bytes);
    for _ in 0..3 {
        assert_eq!(walk(&bytes), first, "the same container gives the same walk");
    }
    let (children, descendants) = first;

    let listed: Vec<String> = children.iter().map(|(sha256, _)| sha256.clone()).collect();
    let expected: Vec<String> = outer.iter().map(|file| sha256_hex(file)).collect();
    assert_eq!(listed, expected, "the root lists its children in entry order");
    let duplicates: Vec<usize> = children.iter().enumerate().filter(|(_, (_, duplicate))| *duplicate).map(|(i, _)| i).collect();
    assert_eq!(duplicates, vec![outer.len() - 1], "the file met inside a container first is a duplicate outside it");

    assert_eq!(descendants.len(), 52 + 40, "every distinct file once: 50 files and two ZIPs in the root, 20 in each ZIP");
    let root = sha256_hex(&bytes);
    for (at, (lineage, sha256)) in descendants.iter().enumerate() {
        let parent = lineage.last().unwrap();
        let parent_at = descendants.iter().position(|(_, other)| other == parent);
        assert!(parent == &root || parent_at.is_some_and(|p| p < at), "descendant {at} ({sha256}) comes after its parent");
    }
    let inner = |files: &[Vec<u8>], container: &Vec<u8>| {
        let parent = sha256_hex(container);
        let found: Vec<&String> =
            descendants.iter().filter(|(lineage, _)| lineage.last() == Some(&parent)).map(|(_, sha256)| sha256).collect();
        let wanted: Vec<String> = files.iter().map(|file| sha256_hex(file)).collect();
        assert_eq!(found, wanted.iter().collect::<Vec<_>>(), "an inner ZIP's children in entry order");
    };
    inner(&inner_a, &outer[7]);
    inner(&inner_b, &outer[30]);
}
