#!/usr/bin/env bash
# Builds the container test corpus: a container of every format FCAS opens, made by the reference
# tools from a handful of files of tests/fixtures/corpus/files, plus hostile cases (traversal names,
# unknown passwords, bombs, damaged copies), and OUT_DIR/MANIFEST.json saying what FCAS must find in
# each (format, status, password, children with their sha256). Provenance: tests/fixtures/SOURCES.md.
#
# Usage: scripts/make-container-corpus.sh OUT_DIR     (tools: scripts/setup-system.sh containers)
#
# Idempotent: OUT_DIR is rebuilt whole and replaced at the end. Deterministic where the tools allow
# (fixed dates, sorted inputs, no owner names); encrypted archives (random salts), VHD/VHDX (UUIDs,
# creation time) and the MSI differ from run to run, which the manifest's hashes follow.
set -euo pipefail

out=${1:?usage: scripts/make-container-corpus.sh OUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$root/tests/fixtures/corpus
helper=$root/scripts/container-corpus.py

export SOURCE_DATE_EPOCH=1700000000 TZ=UTC LC_ALL=C
stamp="@$SOURCE_DATE_EPOCH"
umask 022

for tool in 7zz zip gzip bzip2 xz zstd tar gcab wixl genisoimage mkudffs mkfs.vfat mmd mcopy mkntfs ntfscp sfdisk qemu-img python3; do
  command -v "$tool" >/dev/null || { echo "make-container-corpus: $tool missing (run scripts/setup-system.sh containers)" >&2; exit 1; }
done

out=$(realpath -m "$out")
build=$out.tmp
rm -rf "$build"
mkdir -p "$build"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The inputs: three PEs, an ELF, a Mach-O and a text file, under short names (C-locale order).
INPUTS=(
  "ClrLoader-amd64.dll files/pe/pypi-clr-loader-any/ClrLoader-amd64.dll"
  "cat files/elf/deb-elf-amd64/cat"
  "hostname.exe files/pe/deb-libwine-amd64/hostname.exe"
  "matplotlib.svg files/other/pypi-matplotlib-win_amd64/matplotlib.svg"
  "speedups.so files/macho/pypi-markupsafe-macos-x86_64/_speedups.cpython-312-darwin.so"
  "t64.exe files/pe/pypi-pip-any/t64.exe"
)
FLAT=()
mkdir -p "$work/payload"
for input in "${INPUTS[@]}"; do
  read -r name source <<<"$input"
  cp "$corpus/$source" "$work/payload/$name"
  printf '%s\t%s\n' "$name" "$source" >>"$work/inputs.tsv"
  FLAT+=("$name")
done
BINARIES=(ClrLoader-amd64.dll cat hostname.exe speedups.so t64.exe)
chmod 644 "$work"/payload/*
touch -d "$stamp" "$work"/payload/*

# expect FILE FORMAT STATUS OPTION...: one line of the manifest. FORMAT and STATUS may list
# alternatives with '|'. Options: child=PATH=CONTENT (PATH inside the container, '!' between
# levels, '**!' any levels or folders; CONTENT a file under the work folder), dup=PATH=CONTENT (a child
# marked duplicate), password=P, entries=A|B (listed, not decrypted), skipped=A|B, pending
# (no reader yet), flag=bomb|damaged|traversal, note=TEXT, reference=ntfscat (the tool that checks
# the children instead of 7-Zip).
expect() {
  local IFS=$'\t'
  echo "$*" >>"$work/expect.tsv"
}

# children PREFIX NAME...: child options for payload files NAME under PREFIX.
children() {
  local prefix=$1 name
  shift
  for name in "$@"; do
    printf 'child=%s%s=payload/%s\n' "$prefix" "$name" "$name"
  done
}

joined() {
  local IFS='|'
  echo "$*"
}

cd "$work/payload"
mapfile -t ALL < <(children "" "${FLAT[@]}")

# ZIP: every method Info-ZIP and 7-Zip write, and both encryptions.
zip -q -X -0 "$build/zip-stored.zip" "${FLAT[@]}"
expect zip-stored.zip zip opened "${ALL[@]}"
zip -q -X -9 "$build/zip-deflate.zip" "${FLAT[@]}"
expect zip-deflate.zip zip opened "${ALL[@]}"
zip -q -X -Z bzip2 "$build/zip-bzip2.zip" "${FLAT[@]}"
expect zip-bzip2.zip zip opened "${ALL[@]}"
for method in LZMA Deflate64 XZ PPMd; do
  file=zip-${method,,}.zip
  7zz a -tzip -mm="$method" -mx=9 -mmt=1 -mtc=off -mta=off -bd -bso0 -bsp0 "$build/$file" "${FLAT[@]}"
  expect "$file" zip opened "${ALL[@]}"
done
zip -q -X -P infected "$build/zip-zipcrypto.zip" "${FLAT[@]}"
expect zip-zipcrypto.zip zip opened password=infected "${ALL[@]}"
zip -q -X -P not-in-the-list "$build/zip-zipcrypto-unknown.zip" "${FLAT[@]}"
expect zip-zipcrypto-unknown.zip zip encrypted "entries=$(joined "${FLAT[@]}")"
7zz a -tzip -pinfected -mem=AES256 -mmt=1 -mtc=off -mta=off -bd -bso0 -bsp0 "$build/zip-aes256.zip" "${FLAT[@]}"
expect zip-aes256.zip zip opened password=infected "${ALL[@]}"
7zz a -tzip -pnot-in-the-list -mem=AES256 -mmt=1 -mtc=off -mta=off -bd -bso0 -bsp0 "$build/zip-aes256-unknown.zip" "${FLAT[@]}"
expect zip-aes256-unknown.zip zip encrypted "entries=$(joined "${FLAT[@]}")"

# 7z: coders, AES-256 on content and on headers, unknown passwords.
sevenzip() {
  local file=$1
  shift
  7zz a -t7z -mx=9 -mmt=1 -mtc=off -mta=off -bd -bso0 -bsp0 "$@" "$build/$file" "${FLAT[@]}"
}
sevenzip 7z-lzma2.7z -m0=LZMA2
expect 7z-lzma2.7z sevenzip opened "${ALL[@]}"
sevenzip 7z-bzip2.7z -m0=BZip2
expect 7z-bzip2.7z sevenzip opened "${ALL[@]}"
sevenzip 7z-deflate.7z -m0=Deflate
expect 7z-deflate.7z sevenzip opened "${ALL[@]}"
sevenzip 7z-aes.7z -pinfected
expect 7z-aes.7z sevenzip opened password=infected "${ALL[@]}"
sevenzip 7z-aes-headers.7z -pinfected -mhe=on
expect 7z-aes-headers.7z sevenzip opened password=infected "${ALL[@]}"
sevenzip 7z-aes-unknown.7z -pnot-in-the-list
expect 7z-aes-unknown.7z sevenzip encrypted "entries=$(joined "${FLAT[@]}")"
sevenzip 7z-aes-headers-unknown.7z -pnot-in-the-list -mhe=on
expect 7z-aes-headers-unknown.7z sevenzip encrypted "note=encrypted headers: nothing can be listed"

# Single-stream compressors of one PE: the child is named after the container.
gzip -n -9 -c t64.exe >"$build/t64.exe.gz"
bzip2 -9 -c t64.exe >"$build/t64.exe.bz2"
xz -9 -c t64.exe >"$build/t64.exe.xz"
zstd -q -19 -c t64.exe >"$build/t64.exe.zst"
for suffix in gz:gzip bz2:bzip2 xz:xz zst:zstd; do
  expect "t64.exe.${suffix%%:*}" "${suffix#*:}" opened child=t64.exe=payload/t64.exe
done

# tar in its three formats, with a path longer than ustar's 100-character name field.
longdir=a-folder-whose-name-is-long-enough-to-push-the-path-past-the-one-hundred-characters-of-ustar
mkdir -p "$work/tree-tar/$longdir"
cp -p "${BINARIES[@]}" "$work/tree-tar/"
cp -p matplotlib.svg "$work/tree-tar/$longdir/matplotlib.svg"
mapfile -t TAR_KIDS < <(children "" "${BINARIES[@]}")
TAR_KIDS+=("child=$longdir/matplotlib.svg=payload/matplotlib.svg")
for format in ustar pax gnu; do
  pax=()
  [[ $format == pax ]] && pax=("--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime")
  tar --format="$format" --sort=name --mtime="$stamp" --owner=0 --group=0 --numeric-owner "${pax[@]}" \
    -cf "$build/tar-$format.tar" -C "$work/tree-tar" "${BINARIES[@]}" "$longdir/matplotlib.svg"
  expect "tar-$format.tar" tar opened "${TAR_KIDS[@]}"
done

# Cabinets (gcab, stored and MSZIP) and an MSI (wixl) whose files sit in an embedded cabinet.
gcab -c -n "$build/cab-stored.cab" "${FLAT[@]}"
expect cab-stored.cab cab opened "${ALL[@]}"
gcab -c -n -z "$build/cab-mszip.cab" "${FLAT[@]}"
expect cab-mszip.cab cab opened "${ALL[@]}"
mkdir -p "$work/msi"
cp -p ClrLoader-amd64.dll "$work/msi/ClrLoader_amd64.dll"
cp -p cat "$work/msi/cat"
cat >"$work/msi/product.wxs" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="6c7f3b1e-4b1d-4c39-9a52-0fca5000a001" Name="FCAS container test" Language="1033" Version="1.0.0"
           Manufacturer="FCAS tests" UpgradeCode="6c7f3b1e-4b1d-4c39-9a52-0fca5000a002">
    <Package Id="6c7f3b1e-4b1d-4c39-9a52-0fca5000a003" InstallerVersion="200" Compressed="yes"/>
    <Media Id="1" Cabinet="payload.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFilesFolder">
        <Directory Id="INSTALLDIR" Name="FCAS">
          <Component Id="Main" Guid="6c7f3b1e-4b1d-4c39-9a52-0fca5000a004">
            <File Id="ClrLoader_amd64.dll" Name="ClrLoader-amd64.dll" Source="ClrLoader_amd64.dll"/>
            <File Id="cat" Name="cat" Source="cat"/>
          </Component>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="All" Level="1"><ComponentRef Id="Main"/></Feature>
  </Product>
</Wix>
EOF
(cd "$work/msi" && wixl -o "$build/installer.msi" product.wxs)
# Inside the MSI's cabinet the files carry their File table keys.
expect installer.msi ole opened "child=**!ClrLoader_amd64.dll=payload/ClrLoader-amd64.dll" "child=**!cat=payload/cat"

# Disc images: ISO 9660 with Joliet and Rock Ridge names; an ISO/UDF bridge (the same names in
# its UDF tree and in its Joliet and Rock Ridge ones).
mkdir -p "$work/tree-disk/docs"
cp -p "${BINARIES[@]}" "$work/tree-disk/"
cp -p matplotlib.svg "$work/tree-disk/docs/"
touch -d "$stamp" "$work/tree-disk/docs" "$work/tree-disk"
mapfile -t DISK_KIDS < <(children "" "${BINARIES[@]}")
DISK_KIDS+=("child=docs/matplotlib.svg=payload/matplotlib.svg")
genisoimage -quiet -J -R -V FCAS_ISO -o "$build/iso-joliet-rr.iso" "$work/tree-disk"
expect iso-joliet-rr.iso iso opened "${DISK_KIDS[@]}"
genisoimage -quiet -udf -J -R -V FCAS_UDF -o "$build/udf-bridge.iso" "$work/tree-disk"
expect udf-bridge.iso "udf|iso" opened "${DISK_KIDS[@]}"
# Pure UDF (no ISO 9660 side): the bridge with its ISO 9660 volume descriptors blanked, so only
# its UDF tree names the files; and an empty file system of 512-byte blocks from mkudffs (filling
# one needs a mount).
python3 "$helper" blank-iso9660 "$build/udf-bridge.iso" "$build/udf-only.iso"
expect udf-only.iso udf opened "${DISK_KIDS[@]}"
truncate -s 2M "$build/udf-empty.udf"
mkudffs --media-type=hd --label=FCAS_UDF --uuid=46434153fca5fca5 "$build/udf-empty.udf" >/dev/null
expect udf-empty.udf udf opened "note=empty: a pure UDF file system with no files"

# A FAT file system image and an MBR-partitioned disk holding one.
mkfs.vfat --invariant -n FCAS_FAT -C "$work/fat.img" 2048 >/dev/null
fat_fill() {
  local image=$1 name
  mmd -i "$image" ::docs
  for name in "${BINARIES[@]}"; do
    mcopy -m -i "$image" "$name" "::$name"
  done
  mcopy -m -i "$image" matplotlib.svg ::docs/matplotlib.svg
}
fat_fill "$work/fat.img"
cp "$work/fat.img" "$build/fat.img"
expect fat.img diskimage opened "${DISK_KIDS[@]}"
truncate -s 4M "$work/mbr-fat.img"
printf 'label: dos\nlabel-id: 0x46434153\nstart=2048, type=c\n' | sfdisk -q "$work/mbr-fat.img"
mkfs.vfat --invariant -n FCAS_PART --offset 2048 "$work/mbr-fat.img" 3072 >/dev/null
fat_fill "$work/mbr-fat.img@@1M"
cp "$work/mbr-fat.img" "$build/mbr-fat.img"
mapfile -t DEEP_KIDS < <(children "**!" "${BINARIES[@]}")
DEEP_KIDS+=("child=**!docs/matplotlib.svg=payload/matplotlib.svg")
expect mbr-fat.img diskimage opened "${DEEP_KIDS[@]}"
# The same files on a GPT disk (sfdisk writes the protective MBR, both headers and tables).
truncate -s 8M "$work/gpt-fat.img"
printf 'label: gpt\nlabel-id: 46434153-0000-4000-8000-000000000001\nstart=2048, size=6144, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, uuid=46434153-0000-4000-8000-000000000002\n' |
  sfdisk -q "$work/gpt-fat.img"
mkfs.vfat --invariant -n FCAS_GPT --offset 2048 "$work/gpt-fat.img" 3072 >/dev/null
fat_fill "$work/gpt-fat.img@@1M"
cp "$work/gpt-fat.img" "$build/gpt-fat.img"
expect gpt-fat.img diskimage opened "${DEEP_KIDS[@]}"

# Virtual disks of those images (qemu-img).
qemu-img convert -f raw -O vpc -o subformat=fixed,force_size=on "$work/fat.img" "$build/vhd-fixed.vhd"
expect vhd-fixed.vhd vhd opened "${DEEP_KIDS[@]}"
qemu-img convert -f raw -O vpc -o subformat=dynamic,force_size=on "$work/fat.img" "$build/vhd-dynamic.vhd"
expect vhd-dynamic.vhd vhd opened "${DEEP_KIDS[@]}"
qemu-img convert -f raw -O vhdx -o subformat=dynamic "$work/mbr-fat.img" "$build/disk.vhdx"
expect disk.vhdx vhdx opened "${DEEP_KIDS[@]}"

# NTFS: a volume made by mkntfs and filled by ntfscp without a mount (which cannot make
# folders), t64.exe carrying the Zone.Identifier stream Windows writes on a download; the same
# volume as the partition of an MBR disk in a dynamic VHD (a mailed VHD's usual shape); and the
# test volume the ntfs crate ships (made by ntfs-3g: 515 folders, so indexes with allocation
# blocks; resident, non-resident, sparse and empty files).
truncate -s 8M "$work/ntfs.img"
mkntfs -F -Q -q -T -L FCAS_NTFS "$work/ntfs.img" 2>/dev/null
for name in "${FLAT[@]}"; do
  ntfscp -q "$work/ntfs.img" "$name" "$name"
done
mkdir -p "$work/ntfs"
printf '[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=http://downloads.fcas.test/t64.exe\r\n' >"$work/ntfs/Zone.Identifier"
ntfscp -q -N Zone.Identifier "$work/ntfs.img" "$work/ntfs/Zone.Identifier" t64.exe
cp "$work/ntfs.img" "$build/ntfs.img"
expect ntfs.img diskimage opened "${ALL[@]}" "child=t64.exe:Zone.Identifier=ntfs/Zone.Identifier"
truncate -s 10M "$work/mbr-ntfs.img"
printf 'label: dos\nlabel-id: 0x46434154\nstart=2048, type=7\n' | sfdisk -q "$work/mbr-ntfs.img"
dd if="$work/ntfs.img" of="$work/mbr-ntfs.img" bs=1M seek=1 conv=notrunc status=none
qemu-img convert -f raw -O vpc -o subformat=dynamic "$work/mbr-ntfs.img" "$build/vhd-ntfs.vhd"
mapfile -t NTFS_KIDS < <(children "**!" "${FLAT[@]}")
expect vhd-ntfs.vhd vhd opened "${NTFS_KIDS[@]}" "child=**!t64.exe:Zone.Identifier=ntfs/Zone.Identifier"
ntfs_crate=$(cd "$root" && "${CARGO:-cargo}" metadata --format-version 1 --locked |
  python3 -c 'import json, sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "ntfs"))')
testfs1=$(dirname "$ntfs_crate")/testdata/testfs1
echo "e3612c182b8010e3599b5eb93bff427c7d824e85bdc2ddbe46e378e3ba814eb9  $testfs1" | sha256sum --quiet -c
cp "$testfs1" "$build/ntfs-testfs1.img"
# Their contents, as the crate's create-testfs1.sh wrote them.
printf '12345' >"$work/ntfs/file-with-12345"
python3 -c 'import sys; sys.stdout.buffer.write(b"12345" * 200)' >"$work/ntfs/1000-bytes-file"
python3 -c 'import sys; sys.stdout.buffer.write(b"12345" + bytes(500000 - 5) + b"11111")' >"$work/ntfs/sparse-file"
: >"$work/ntfs/empty-file"
expect ntfs-testfs1.img diskimage opened reference=ntfscat child=1000-bytes-file=ntfs/1000-bytes-file child=empty-file=ntfs/empty-file \
  child=file-with-12345=ntfs/file-with-12345 child=sparse-file=ntfs/sparse-file

# A PE with a ZIP appended (what pip's t64.exe launcher runs as a console script).
mkdir -p "$work/overlay"
zip -q -X -9 "$work/overlay/payload.zip" cat
cat t64.exe "$work/overlay/payload.zip" >"$build/pe-overlay.exe"
expect pe-overlay.exe pe opened "child=**!cat=payload/cat"

# Four levels of nesting: zip -> 7z -> tar.gz -> tar -> exe.
mkdir -p "$work/nest"
tar --format=ustar --mtime="$stamp" --owner=0 --group=0 --numeric-owner -cf "$work/nest/level3.tar" t64.exe
gzip -n -9 -c "$work/nest/level3.tar" >"$work/nest/level3.tar.gz"
touch -d "$stamp" "$work/nest/level3.tar.gz"
(cd "$work/nest" && 7zz a -t7z -mx=9 -mmt=1 -mtc=off -mta=off -bd -bso0 -bsp0 level2.7z level3.tar.gz)
touch -d "$stamp" "$work/nest/level2.7z"
(cd "$work/nest" && zip -q -X -9 "$build/nested4.zip" level2.7z)
expect nested4.zip zip opened child=level2.7z=nest/level2.7z child=level2.7z!level3.tar.gz=nest/level3.tar.gz \
  child=level2.7z!level3.tar.gz!level3.tar=nest/level3.tar child=level2.7z!level3.tar.gz!level3.tar!t64.exe=payload/t64.exe

# The same content twice in one zip and once more one level down: analysed once, then duplicates.
mkdir -p "$work/dup"
cp -p t64.exe "$work/dup/a.exe"
cp -p t64.exe "$work/dup/copy-of-a.exe"
tar --format=ustar --mtime="$stamp" --owner=0 --group=0 --numeric-owner -cf "$work/dup/again.tar" -C "$work/dup" a.exe
touch -d "$stamp" "$work/dup/again.tar"
(cd "$work/dup" && zip -q -X -9 "$build/duplicate.zip" a.exe copy-of-a.exe again.tar)
expect duplicate.zip zip opened child=a.exe=payload/t64.exe dup=copy-of-a.exe=payload/t64.exe \
  child=again.tar=dup/again.tar dup=again.tar!a.exe=payload/t64.exe

# Small containers of the two smallest inputs, which the mutation test mutates (flag small).
SMALL=(ClrLoader-amd64.dll speedups.so)
mapfile -t SMALL_KIDS < <(children "" "${SMALL[@]}")
zip -q -X -9 "$build/small.zip" "${SMALL[@]}"
expect small.zip zip opened flag=small "${SMALL_KIDS[@]}"
7zz a -tzip -pinfected -mem=AES256 -mmt=1 -mtc=off -mta=off -bd -bso0 -bsp0 "$build/small-aes.zip" "${SMALL[@]}"
expect small-aes.zip zip opened flag=small password=infected "${SMALL_KIDS[@]}"
7zz a -t7z -mx=9 -mmt=1 -mtc=off -mta=off -bd -bso0 -bsp0 "$build/small.7z" "${SMALL[@]}"
expect small.7z sevenzip opened flag=small "${SMALL_KIDS[@]}"
mkdir -p "$work/small"
tar --format=ustar --mtime="$stamp" --owner=0 --group=0 --numeric-owner -cf "$work/small/small.tar" "${SMALL[@]}"
gzip -n -9 -c "$work/small/small.tar" >"$build/small.tar.gz"
mapfile -t SMALL_TAR_KIDS < <(children "small.tar!" "${SMALL[@]}")
expect small.tar.gz gzip opened flag=small child=small.tar=small/small.tar "${SMALL_TAR_KIDS[@]}"
gcab -c -n -z "$build/small.cab" "${SMALL[@]}"
expect small.cab cab opened flag=small "${SMALL_KIDS[@]}"
mkfs.vfat --invariant -n FCAS_SMALL -C "$build/small-fat.img" 128 >/dev/null
for name in "${SMALL[@]}"; do
  mcopy -m -i "$build/small-fat.img" "$name" "::$name"
done
expect small-fat.img diskimage opened flag=small "${SMALL_KIDS[@]}"
truncate -s 1200K "$build/small-ntfs.img"
mkntfs -F -Q -q -T -L FCAS_SMALL "$build/small-ntfs.img" 2>/dev/null
for name in "${SMALL[@]}"; do
  ntfscp -q "$build/small-ntfs.img" "$name" "$name"
done
expect small-ntfs.img diskimage opened flag=small "${SMALL_KIDS[@]}"
mkdir -p "$work/small-udf"
cp -p "${SMALL[@]}" "$work/small-udf/"
touch -d "$stamp" "$work/small-udf"
genisoimage -quiet -udf -V FCAS_SMALL -o "$work/small-bridge.iso" "$work/small-udf"
python3 "$helper" blank-iso9660 "$work/small-bridge.iso" "$build/small-udf.iso"
expect small-udf.iso udf opened flag=small "${SMALL_KIDS[@]}"

# Traversal and absolute entry names, written raw by Python's zipfile and tarfile.
python3 "$helper" hostile "$work"
cp "$work/traversal.zip" "$work/traversal.tar" "$build/"
mapfile -t NAMES < <(python3 "$helper" hostile-names)
HOSTILE=()
for index in "${!NAMES[@]}"; do
  HOSTILE+=("child=${NAMES[$index]}=hostile/$index.txt")
done
expect traversal.zip zip opened flag=traversal "${HOSTILE[@]}"
expect traversal.tar tar opened flag=traversal "${HOSTILE[@]}"

# Bombs: 4 GiB of zeros streamed through gzip, 7-Zip and Python's zipfile (never on disk), 64 MiB
# of zeros (over the ratio, under the size limit), and the bombs nested two zips down.
mkdir -p "$work/bombs"
head -c 4G /dev/zero | gzip -n -9 >"$work/bombs/bomb.gz"
python3 "$helper" zeros-zip "$work/bombs/bomb.zip" zeros 4096
head -c 4G /dev/zero | (cd "$work/bombs" && 7zz a -t7z -mx=1 -mmt=1 -mtm=off -bd -bso0 -bsp0 -sizeros bomb.7z)
head -c 64M /dev/zero | gzip -n -9 >"$work/bombs/bomb-ratio.gz"
touch -d "$stamp" "$work"/bombs/*
for file in bomb.gz bomb.zip bomb.7z bomb-ratio.gz; do
  cp "$work/bombs/$file" "$build/$file"
done
expect bomb.gz gzip opened flag=bomb
expect bomb.zip zip opened flag=bomb skipped=zeros
expect bomb.7z sevenzip opened flag=bomb skipped=zeros
expect bomb-ratio.gz gzip opened flag=bomb
(cd "$work/bombs" && zip -q -X -0 bombs.zip bomb.gz bomb.zip bomb.7z bomb-ratio.gz && touch -d "$stamp" bombs.zip &&
  zip -q -X -0 "$build/bomb-nested.zip" bombs.zip)
expect bomb-nested.zip zip opened flag=bomb child=bombs.zip=bombs/bombs.zip child=bombs.zip!bomb.gz=bombs/bomb.gz \
  child=bombs.zip!bomb.zip=bombs/bomb.zip child=bombs.zip!bomb.7z=bombs/bomb.7z child=bombs.zip!bomb-ratio.gz=bombs/bomb-ratio.gz

# A quine: a gzip file that decompresses to itself (Russ Cox's, which Go's net/http tests carry as
# `rgz`), taken from Debian's golang-1.19-src (BSD-3-Clause), downloaded once into target/cache.
# Its only child has its own sha256: marked duplicate, not opened again.
quine_deb_dir=$root/target/cache/debian
quine_deb=$quine_deb_dir/golang-1.19-src_1.19.8-2_all.deb
if [[ ! -f $quine_deb ]]; then
  mkdir -p "$quine_deb_dir"
  (cd "$quine_deb_dir" && apt-get download golang-1.19-src=1.19.8-2 2>/dev/null)
fi
echo "2dfa82fe4f08f4e0193c532e561af4c91871f5235608f04f2bb8d57bb288df5a  $quine_deb" | sha256sum --quiet -c
dpkg-deb --fsys-tarfile "$quine_deb" | tar -xO ./usr/share/go-1.19/src/net/http/transport_test.go |
  python3 "$helper" go-bytes rgz "$work/quine.gz"
cp "$work/quine.gz" "$build/quine.gz"
expect quine.gz gzip opened dup=recursive=quine.gz
# A ZIP quine: a ZIP whose only entry, r/r.zip, is the ZIP itself (Russ Cox's r.zip, its CRC-32
# included), which Go's archive/zip tests carry as a hex dump in `rZipBytes`; same package.
dpkg-deb --fsys-tarfile "$quine_deb" | tar -xO ./usr/share/go-1.19/src/archive/zip/reader_test.go |
  python3 "$helper" go-hexdump rZipBytes "$work/quine.zip"
cp "$work/quine.zip" "$build/quine.zip"
expect quine.zip zip opened dup=r/r.zip=quine.zip

# Damaged copies: cut in half, one byte of compressed data flipped.
for file in zip-deflate.zip 7z-lzma2.7z tar-ustar.tar t64.exe.gz cab-mszip.cab iso-joliet-rr.iso; do
  python3 "$helper" cut "$build/$file" "$build/cut-$file"
done
expect cut-zip-deflate.zip zip "partial|failed" flag=damaged
expect cut-7z-lzma2.7z sevenzip "partial|failed" flag=damaged
mapfile -t CUT_KIDS < <(python3 "$helper" survivors "$build/cut-tar-ustar.tar" "$work" "${TAR_KIDS[@]}")
expect cut-tar-ustar.tar tar "partial|failed" flag=damaged "${CUT_KIDS[@]}"
expect cut-t64.exe.gz gzip "partial|failed" flag=damaged
expect cut-cab-mszip.cab cab "partial|failed" flag=damaged
mapfile -t CUT_KIDS < <(python3 "$helper" survivors "$build/cut-iso-joliet-rr.iso" "$work" "${DISK_KIDS[@]}")
expect cut-iso-joliet-rr.iso iso "partial|failed" flag=damaged "${CUT_KIDS[@]}"
damaged=$(python3 "$helper" flip-zip "$build/zip-deflate.zip" "$build/flip-zip-deflate.zip")
mapfile -t FLIP_KIDS < <(children "" "${FLAT[@]}" | grep -vxF "child=$damaged=payload/$damaged")
expect flip-zip-deflate.zip zip partial flag=damaged "skipped=$damaged" "${FLIP_KIDS[@]}"
python3 "$helper" flip "$build/7z-lzma2.7z" "$build/flip-7z-lzma2.7z" 1000
expect flip-7z-lzma2.7z sevenzip "partial|failed" flag=damaged
size=$(stat -c %s "$build/t64.exe.xz")
python3 "$helper" flip "$build/t64.exe.xz" "$build/flip-t64.exe.xz" $((size / 2))
expect flip-t64.exe.xz xz "partial|failed" flag=damaged

# Which tool versions made them.
dpkg-query -W -f='${Package} ${Version}\n' 7zip zip gzip bzip2 xz-utils zstd tar gcab wixl genisoimage udftools dosfstools \
  mtools ntfs-3g fdisk qemu-utils python3 >"$work/tools.txt" 2>/dev/null || echo "tool versions unknown (no dpkg)" >"$work/tools.txt"

python3 "$helper" manifest "$work" "$build"
python3 "$helper" verify "$build"
chmod 644 "$build"/*
rm -rf "$out"
mv "$build" "$out"
echo "make-container-corpus: $(find "$out" -type f | wc -l) files in $out"
