//! UDF images without an ISO 9660 side: genisoimage's UDF bridge with its ISO 9660 volume
//! descriptors blanked (the UDF tree alone left), and mkudffs's empty file systems of each
//! layout (512- and 2,048-byte blocks, UDF 2.50's metadata partition), when the tools are
//! installed.
use fcas_report::{ExtractionStatus, Format};

use crate::common::{damage_never_panics, names, open, sha256};

const SECTOR: usize = 2048;

/// The image with every ISO 9660 volume descriptor (`CD001` from sector 16 on) zeroed.
fn without_iso_9660(mut image: Vec<u8>) -> Vec<u8> {
    let mut sector = 16;
    while image.get(sector * SECTOR + 1..sector * SECTOR + 6) == Some(b"CD001") {
        image[sector * SECTOR..(sector + 1) * SECTOR].fill(0);
        sector += 1;
    }
    assert!(sector > 16, "the bridge had ISO 9660 descriptors");
    image
}

#[test]
fn the_udf_tree_alone_gives_every_file_with_its_bytes() {
    let Some(images) = crate::tools::genisoimage(&[&["-udf"]]) else { return };
    let udf = without_iso_9660(images.into_iter().next().unwrap().1);
    let (extraction, children) = open(Format::Udf, &udf);
    assert_eq!(extraction.format, "udf", "read by the UDF reader, not the ISO 9660 one");
    assert_eq!(extraction.status, ExtractionStatus::Opened, "{extraction:?}");
    let mut got: Vec<(String, String)> = children.iter().map(|(n, d)| (n.clone(), sha256(d))).collect();
    got.sort();
    let mut want: Vec<(String, String)> = crate::tools::TREE.iter().map(|(n, d)| (n.to_string(), sha256(d))).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn empty_file_systems_of_every_layout_open_with_no_children() {
    let layouts: &[&[&str]] = &[
        &["--media-type=hd"],
        &["--media-type=hd", "--blocksize=1024"],
        &["--media-type=hd", "--udfrev=1.02", "--blocksize=4096"],
        &["--media-type=dvd"],
    ];
    let Some(images) = crate::tools::mkudffs(layouts) else { return };
    for (flags, image) in images {
        let (extraction, children) = open(Format::Udf, &image);
        assert_eq!(extraction.status, ExtractionStatus::Opened, "{flags}: {extraction:?}");
        assert!(children.is_empty(), "{flags}: {:?}", names(&children));
    }
}

#[test]
fn write_once_layouts_are_reported_not_misread() {
    // A virtual allocation table (CD-R; BD-R with UDF 2.50's metadata partition over it).
    let Some(images) = crate::tools::mkudffs(&[&["--media-type=cdr"], &["--media-type=bdr", "--udfrev=2.50"]]) else { return };
    for (flags, image) in images {
        let (extraction, children) = open(Format::Udf, &image);
        assert!(children.is_empty(), "{flags}");
        assert!(matches!(extraction.status, ExtractionStatus::Unsupported | ExtractionStatus::Opened), "{flags}: {extraction:?}");
    }
}

#[test]
fn damaged_udf_images_never_panic() {
    let Some(images) = crate::tools::genisoimage(&[&["-udf"]]) else { return };
    let udf = without_iso_9660(images.into_iter().next().unwrap().1);
    damage_never_panics(Format::Udf, &udf, udf.len() / 97);
    // The descriptors where they are: damage aimed at them.
    let Some(empty) = crate::tools::mkudffs(&[&["--media-type=hd"]]) else { return };
    damage_never_panics(Format::Udf, &empty[0].1[..1 << 20], 4093);
}

/// Images built here: a tree of files under UDF's own structures, optionally in UDF 2.50's
/// metadata partition (split over two extents of the physical partition), with extended file
/// entries, and small files embedded in their entries.
mod built {
    use super::SECTOR as B;

    /// Where the physical partition starts, in sectors.
    const PARTITION: usize = 300;
    /// Physical blocks of metadata: the metadata partition's first two blocks, then the rest.
    const META_FIRST: usize = 10;
    const META_REST: usize = 20;
    const META_CAPACITY: usize = 80;
    /// Where file data goes, in physical blocks.
    const DATA: usize = 100;
    /// The metadata file's entry, in physical blocks.
    const META_FILE: usize = 5;

    #[derive(Clone, Copy, Default)]
    pub struct Options {
        pub metadata: bool,
        pub extended: bool,
        /// Data of at most this many bytes is embedded in its file entry.
        pub embed_up_to: usize,
    }

    pub enum Node {
        File(Vec<u8>),
        Folder(Vec<(String, Node)>),
    }

    /// A folder of `entries`.
    pub fn folder(entries: Vec<(&str, Node)>) -> Node {
        Node::Folder(entries.into_iter().map(|(n, node)| (n.to_string(), node)).collect())
    }

    fn tag(block: &mut [u8], id: u16, location: u32) {
        block[0..2].copy_from_slice(&id.to_le_bytes());
        block[2..4].copy_from_slice(&2u16.to_le_bytes());
        block[12..16].copy_from_slice(&location.to_le_bytes());
        block[4] = (0..16).filter(|&i| i != 4).fold(0u8, |sum, i| sum.wrapping_add(block[i]));
    }

    fn long_ad(length: u32, block: u32, partition: u16) -> [u8; 16] {
        let mut ad = [0u8; 16];
        ad[0..4].copy_from_slice(&length.to_le_bytes());
        ad[4..8].copy_from_slice(&block.to_le_bytes());
        ad[8..10].copy_from_slice(&partition.to_le_bytes());
        ad
    }

    fn cs0(name: &str) -> Vec<u8> {
        if name.is_ascii() {
            std::iter::once(8).chain(name.bytes()).collect()
        } else {
            std::iter::once(16).chain(name.encode_utf16().flat_map(u16::to_be_bytes)).collect()
        }
    }

    pub struct Image {
        options: Options,
        physical: Vec<Vec<u8>>,
        meta_used: usize,
        data_used: usize,
    }

    impl Image {
        fn meta_ref(&self) -> u16 {
            u16::from(self.options.metadata)
        }

        /// A new block of the metadata space: (its address there, its physical block).
        fn meta_block(&mut self) -> (u32, usize) {
            let index = self.meta_used;
            self.meta_used += 1;
            assert!(index < META_CAPACITY, "the test image's metadata space is full");
            let address = if self.options.metadata { index } else { META_FIRST + index } as u32;
            (address, self.physical_of(address))
        }

        fn block(&mut self, physical: usize) -> &mut Vec<u8> {
            if self.physical.len() <= physical {
                self.physical.resize(physical + 1, vec![0u8; B]);
            }
            &mut self.physical[physical]
        }

        /// Writes `data` to fresh data blocks; its first block.
        fn data(&mut self, data: &[u8]) -> u32 {
            let first = DATA + self.data_used;
            for (i, chunk) in data.chunks(B).enumerate() {
                self.block(first + i)[..chunk.len()].copy_from_slice(chunk);
            }
            self.data_used += data.len().div_ceil(B).max(1);
            first as u32
        }

        /// A file entry at a new metadata block whose data is `ads` (allocation type `kind`).
        fn entry(&mut self, directory: bool, size: u64, kind: u16, ads: &[u8]) -> u32 {
            let (address, physical) = self.meta_block();
            let extended = self.options.extended;
            let block = self.block(physical);
            block[16 + 4..16 + 6].copy_from_slice(&4u16.to_le_bytes());
            block[27] = if directory { 4 } else { 5 };
            block[34..36].copy_from_slice(&kind.to_le_bytes());
            block[56..64].copy_from_slice(&size.to_le_bytes());
            let (lengths, start) = if extended { (208, 216) } else { (168, 176) };
            block[lengths + 4..lengths + 8].copy_from_slice(&(ads.len() as u32).to_le_bytes());
            block[start..start + ads.len()].copy_from_slice(ads);
            tag(block, if extended { 266 } else { 261 }, address);
            address
        }

        fn file(&mut self, data: &[u8]) -> u32 {
            if data.len() <= self.options.embed_up_to {
                return self.entry(false, data.len() as u64, 3, data);
            }
            let first = self.data(data);
            self.entry(false, data.len() as u64, 1, &long_ad(data.len() as u32, first, 0))
        }

        /// Writes the folder and everything under it; its entry's address. `parent` is the
        /// folder above (the root's parent is itself).
        fn folder(&mut self, entries: &[(String, Node)], parent: Option<u32>) -> u32 {
            // The listing's block first, so its entry can be written once the listing is known.
            let (listing_address, listing_physical) = self.meta_block();
            let mut children = Vec::new();
            for (name, node) in entries {
                let (address, directory) = match node {
                    Node::File(data) => (self.file(data), false),
                    Node::Folder(inner) => (self.folder(inner, Some(u32::MAX)), true),
                };
                children.push((name.clone(), address, directory));
            }
            let meta = self.meta_ref();
            let mut listing = Vec::new();
            let fid = |characteristics: u8, name: &[u8], address: u32, listing: &mut Vec<u8>| {
                let length = (38 + name.len()).div_ceil(4) * 4;
                let mut record = vec![0u8; length];
                record[16..18].copy_from_slice(&1u16.to_le_bytes());
                record[18] = characteristics;
                record[19] = name.len() as u8;
                record[20..36].copy_from_slice(&long_ad(B as u32, address, meta));
                record[38..38 + name.len()].copy_from_slice(name);
                tag(&mut record, 257, listing_address);
                listing.extend(record);
            };
            fid(0x0a, &[], parent.unwrap_or(0), &mut listing);
            for (name, address, directory) in &children {
                fid(if *directory { 0x02 } else { 0 }, &cs0(name), *address, &mut listing);
            }
            assert!(listing.len() <= B, "the test image's folders fit a block");
            self.block(listing_physical)[..listing.len()].copy_from_slice(&listing);
            let entry = self.entry(true, listing.len() as u64, 1, &long_ad(listing.len() as u32, listing_address, meta));
            // Children's parent entries point here.
            for (_, address, directory) in children {
                if directory {
                    self.set_parent(address, entry);
                }
            }
            entry
        }

        /// Points the parent entry (the first identifier) of the folder at `address` to `parent`.
        fn set_parent(&mut self, address: u32, parent: u32) {
            let listing = self.listing_block(address);
            self.block(listing)[24..28].copy_from_slice(&parent.to_le_bytes());
        }

        fn physical_of(&self, address: u32) -> usize {
            let address = address as usize;
            if !self.options.metadata {
                address
            } else if address < 2 {
                META_FIRST + address
            } else {
                META_REST + address - 2
            }
        }

        /// The physical block of the listing of the folder whose entry is at `address`.
        fn listing_block(&self, address: u32) -> usize {
            let entry = &self.physical[self.physical_of(address)];
            let start = if self.options.extended { 216 } else { 176 };
            self.physical_of(u32::from_le_bytes(entry[start + 4..start + 8].try_into().unwrap()))
        }

        /// Points the folder identifier named `name` in the root's listing at the root itself.
        pub fn loop_folder_to_root(image: &mut [u8], name: &str) {
            let fsd = find(image, 256).expect("a file set descriptor");
            let root = u32::from_le_bytes(image[fsd + 404..fsd + 408].try_into().unwrap());
            let name = cs0(name);
            let at = (0..image.len() - name.len())
                .find(|&i| image[i..].starts_with(&name) && image[i - 22..i - 20] == [1, 0] && image[i - 19] as usize == name.len())
                .expect("the folder's identifier");
            image[at - 38 + 24..at - 38 + 28].copy_from_slice(&root.to_le_bytes());
        }
    }

    /// The byte offset of the first block tagged `id`.
    fn find(image: &[u8], id: u16) -> Option<usize> {
        (0..image.len() / B).map(|b| b * B).find(|&at| image[at..at + 2] == id.to_le_bytes() && image[at + 2] == 2)
    }

    /// The image of `root` (a folder).
    pub fn image(root: &Node, options: Options) -> Vec<u8> {
        let Node::Folder(entries) = root else { panic!("the root is a folder") };
        let mut image = Image { options, physical: Vec::new(), meta_used: 0, data_used: 0 };
        let (fsd_address, fsd_physical) = image.meta_block();
        let root = image.folder(entries, None);
        image.set_parent(root, root);
        let meta = image.meta_ref();
        let fsd = image.block(fsd_physical);
        fsd[400..416].copy_from_slice(&long_ad(B as u32, root, meta));
        tag(fsd, 256, fsd_address);
        if options.metadata {
            // The metadata file: its two extents, in the physical partition.
            let mut ads = Vec::new();
            for (start, blocks) in [(META_FIRST, 2), (META_REST, META_CAPACITY - 2)] {
                ads.extend((blocks as u32 * B as u32).to_le_bytes());
                ads.extend((start as u32).to_le_bytes());
            }
            let block = image.block(META_FILE);
            block[20..22].copy_from_slice(&4u16.to_le_bytes());
            block[27] = 250;
            block[56..64].copy_from_slice(&((META_CAPACITY * B) as u64).to_le_bytes());
            block[172..176].copy_from_slice(&(ads.len() as u32).to_le_bytes());
            block[176..176 + ads.len()].copy_from_slice(&ads);
            tag(block, 261, META_FILE as u32);
        }
        image.block(DATA + image.data_used);
        let blocks = image.physical.len();
        let mut bytes = vec![0u8; (PARTITION + blocks) * B];
        for (i, block) in image.physical.iter().enumerate() {
            bytes[(PARTITION + i) * B..(PARTITION + i + 1) * B].copy_from_slice(block);
        }
        // Volume recognition, the anchor, and the volume descriptor sequence at sector 32.
        for (sector, id) in [(16, b"BEA01"), (17, b"NSR03"), (18, b"TEA01")] {
            bytes[sector * B + 1..sector * B + 6].copy_from_slice(id);
            bytes[sector * B + 6] = 1;
        }
        let anchor = &mut bytes[256 * B..257 * B];
        anchor[16..20].copy_from_slice(&(16 * B as u32).to_le_bytes());
        anchor[20..24].copy_from_slice(&32u32.to_le_bytes());
        tag(anchor, 2, 256);
        let partition = &mut bytes[32 * B..33 * B];
        partition[188..192].copy_from_slice(&(PARTITION as u32).to_le_bytes());
        partition[192..196].copy_from_slice(&(blocks as u32).to_le_bytes());
        tag(partition, 5, 32);
        let logical = &mut bytes[33 * B..34 * B];
        logical[212..216].copy_from_slice(&(B as u32).to_le_bytes());
        logical[248..264].copy_from_slice(&long_ad(B as u32, fsd_address, meta));
        let mut maps = vec![1u8, 6, 1, 0, 0, 0];
        if options.metadata {
            let mut map = vec![0u8; 64];
            map[0] = 2;
            map[1] = 64;
            map[5..28].copy_from_slice(b"*UDF Metadata Partition");
            map[36] = 1;
            map[40..44].copy_from_slice(&(META_FILE as u32).to_le_bytes());
            map[44..48].copy_from_slice(&(META_FILE as u32).to_le_bytes());
            maps.extend(map);
        }
        logical[264..268].copy_from_slice(&(maps.len() as u32).to_le_bytes());
        logical[268..272].copy_from_slice(&(1 + u32::from(options.metadata)).to_le_bytes());
        logical[440..440 + maps.len()].copy_from_slice(&maps);
        tag(logical, 6, 33);
        tag(&mut bytes[34 * B..35 * B], 8, 34);
        bytes
    }
}

fn sample_tree() -> built::Node {
    use built::{folder, Node};
    folder(vec![
        ("readme.txt", Node::File(b"tiny".to_vec())),
        ("big.bin", Node::File((0..5000u32).map(|i| (i % 251) as u8).collect())),
        ("docs", folder(vec![("Отчёт.doc", Node::File(b"a document".repeat(300))), ("empty", Node::File(Vec::new()))])),
    ])
}

fn expected(tree: &built::Node, prefix: &str, out: &mut Vec<(String, String)>) {
    if let built::Node::Folder(entries) = tree {
        for (name, node) in entries {
            match node {
                built::Node::File(data) => out.push((format!("{prefix}{name}"), sha256(data))),
                folder => expected(folder, &format!("{prefix}{name}/"), out),
            }
        }
    }
}

fn children_of(image: &[u8]) -> (fcas_report::Extraction, Vec<(String, String)>) {
    let (extraction, children) = open(Format::Udf, image);
    (extraction, children.iter().map(|(n, d)| (n.clone(), sha256(d))).collect())
}

#[test]
fn every_layout_built_here_gives_the_tree_back() {
    let tree = sample_tree();
    let mut want = Vec::new();
    expected(&tree, "", &mut want);
    let layouts = [
        built::Options::default(),
        built::Options { extended: true, ..Default::default() },
        built::Options { embed_up_to: 100, ..Default::default() },
        built::Options { metadata: true, extended: true, embed_up_to: 100 },
        built::Options { metadata: true, ..Default::default() },
    ];
    for options in layouts {
        let (extraction, got) = children_of(&built::image(&tree, options));
        assert_eq!(extraction.status, ExtractionStatus::Opened, "{extraction:?}");
        assert_eq!(got, want);
    }
}

#[test]
fn a_folder_pointing_back_at_the_root_is_walked_once() {
    let mut image = built::image(&sample_tree(), built::Options { metadata: true, ..Default::default() });
    built::Image::loop_folder_to_root(&mut image, "docs");
    let (extraction, got) = children_of(&image);
    // docs/ is now the root again: not walked a second time, and said so.
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["readme.txt", "big.bin"], "{extraction:?}");
    assert_eq!(extraction.skipped.len(), 1, "{extraction:?}");
    assert_eq!(extraction.skipped[0].name, "docs");
    assert!(extraction.skipped[0].reason.contains("already walked"));
}

#[test]
fn folders_deeper_than_the_limit_are_reported() {
    use built::{folder, Node};
    let mut tree = folder(vec![("bottom.txt", Node::File(b"deep".to_vec()))]);
    for level in (0..20).rev() {
        tree = Node::Folder(vec![(format!("d{level}"), tree)]);
    }
    let (extraction, got) = children_of(&built::image(&tree, built::Options::default()));
    assert!(got.is_empty());
    assert!(extraction.skipped.iter().any(|s| s.reason.contains("nested deeper than 16")), "{extraction:?}");
}

#[test]
fn a_folder_listing_over_its_bound_is_refused_before_it_is_read() {
    // A volume of 20 MiB, so that the listing below is within the volume yet over the bound.
    let tree = built::folder(vec![("big.bin", built::Node::File(vec![7u8; 20 << 20]))]);
    let mut image = built::image(&tree, built::Options::default());
    // The root folder's entry: its information length made 17 MiB, its one extent unrecorded
    // (zeros) and as long.
    let fsd = (0..image.len() / SECTOR).map(|b| b * SECTOR).find(|&at| image[at..at + 2] == 256u16.to_le_bytes()).unwrap();
    let root = u32::from_le_bytes(image[fsd + 404..fsd + 408].try_into().unwrap()) as usize;
    let entry = (300 + root) * SECTOR;
    image[entry + 56..entry + 64].copy_from_slice(&(17u64 << 20).to_le_bytes());
    image[entry + 176..entry + 180].copy_from_slice(&((17u32 << 20) | 0x8000_0000).to_le_bytes());
    let (extraction, children) = open(Format::Udf, &image);
    assert!(children.is_empty());
    assert!(extraction.message.as_deref().unwrap_or_default().contains("folder listing"), "{extraction:?}");
}

#[test]
fn damaged_built_images_never_panic() {
    let image = built::image(&sample_tree(), built::Options { metadata: true, extended: true, embed_up_to: 100 });
    damage_never_panics(Format::Udf, &image, 1021);
}
