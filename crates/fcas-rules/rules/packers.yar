// FCAS built-in rules: executable packers and protectors.
// Copyright the FCAS authors; licensed MIT OR Apache-2.0, like the rest of FCAS.
// Packing is common in benign software (installers, games, licensed tools): these rules say what
// packed a file, at severity low at most.
import "pe"

rule packer_upx : packer
{
    meta:
        description = "Packed with UPX (UPX0/UPX1 sections, or the UPX header and banner)"
        severity = "low"
        attack = "T1027.002"
    strings:
        $banner = "This file is packed with the UPX executable packer"
        $magic = "UPX!"
    condition:
        (pe.is_pe and for any s in pe.sections : (s.name == "UPX0" or s.name == "UPX1" or s.name == "UPX2"))
        or $banner
        or (uint32(0) == 0x464C457F and $magic in (0 .. 1024))
}

rule packer_mpress : packer
{
    meta:
        description = "Packed with MPRESS (.MPRESS1/.MPRESS2 sections)"
        severity = "low"
        attack = "T1027.002"
    condition:
        pe.is_pe and for any s in pe.sections : (s.name == ".MPRESS1" or s.name == ".MPRESS2")
}

rule packer_aspack : packer
{
    meta:
        description = "Packed with ASPack (.aspack/.adata sections)"
        severity = "low"
        attack = "T1027.002"
    condition:
        pe.is_pe and for any s in pe.sections : (s.name == ".aspack" or s.name == ".adata")
}

rule packer_pecompact : packer
{
    meta:
        description = "Packed with PECompact (PEC2 marker or pec sections)"
        severity = "low"
        attack = "T1027.002"
    strings:
        $marker = "PEC2"
    condition:
        pe.is_pe and ($marker in (0 .. 1024) or for any s in pe.sections : (s.name == "pec1" or s.name == "pec2" or s.name == "PEC2TO"))
}

rule packer_nspack : packer
{
    meta:
        description = "Packed with NsPack (.nsp0/.nsp1/.nsp2 sections)"
        severity = "low"
        attack = "T1027.002"
    condition:
        pe.is_pe and for any s in pe.sections : (s.name == ".nsp0" or s.name == ".nsp1" or s.name == ".nsp2")
}

rule packer_petite : packer
{
    meta:
        description = "Packed with Petite (.petite section)"
        severity = "low"
        attack = "T1027.002"
    condition:
        pe.is_pe and for any s in pe.sections : (s.name == ".petite")
}

rule protector_themida : packer protector
{
    meta:
        description = "Protected with Themida or WinLicense (.themida/.winlice sections)"
        severity = "low"
        attack = "T1027.002"
    condition:
        pe.is_pe and for any s in pe.sections : (s.name == ".themida" or s.name == ".winlice" or s.name == "Themida" or s.name == "WinLicen")
}

rule protector_vmprotect : packer protector
{
    meta:
        description = "Protected with VMProtect (.vmp0/.vmp1/.vmp2 sections)"
        severity = "low"
        attack = "T1027.002"
    condition:
        pe.is_pe and for any s in pe.sections : (s.name == ".vmp0" or s.name == ".vmp1" or s.name == ".vmp2")
}

rule protector_enigma : packer protector
{
    meta:
        description = "Protected with Enigma Protector (.enigma1/.enigma2 sections)"
        severity = "low"
        attack = "T1027.002"
    condition:
        pe.is_pe and for any s in pe.sections : (s.name == ".enigma1" or s.name == ".enigma2")
}

rule packer_pyinstaller : packer bundler
{
    meta:
        description = "A PyInstaller bundle (its CArchive cookie and bootloader strings)"
        severity = "info"
    strings:
        $cookie = { 4D 45 49 0C 0B 0A 0B 0E }
        $boot1 = "PyInstaller: FormatMessageW failed."
        $boot2 = "_MEIPASS" ascii wide
        $boot3 = "Cannot open PyInstaller archive from executable"
    condition:
        $cookie or 2 of ($boot*)
}
