// FCAS built-in rules: installer and self-extractor formats.
// Copyright the FCAS authors; licensed MIT OR Apache-2.0, like the rest of FCAS.
// Installers are ordinary software: these rules only say what built one (severity info).
import "pe"

rule installer_nsis : installer
{
    meta:
        description = "Nullsoft Scriptable Install System (NSIS) installer or stub"
        severity = "info"
    strings:
        $header = { EF BE AD DE 4E 75 6C 6C 73 6F 66 74 49 6E 73 74 }
        $stub1 = "Nullsoft Install System" ascii wide
        $stub2 = "NullsoftInst" ascii wide
    condition:
        $header or (uint16(0) == 0x5A4D and any of ($stub*))
}

rule installer_inno_setup : installer
{
    meta:
        description = "Inno Setup installer"
        severity = "info"
    strings:
        $data = "Inno Setup Setup Data (" ascii
        $msgs = "Inno Setup Messages (" ascii
        $mutex = "JR.Inno.Setup" ascii wide
    condition:
        uint16(0) == 0x5A4D and any of them
}

rule installer_installshield : installer
{
    meta:
        description = "InstallShield setup launcher"
        severity = "info"
    strings:
        $name = "InstallShield" ascii wide
        $setup1 = "ISSetupStream" ascii wide
        $setup2 = "ISSetupPrerequisites" ascii wide
        $setup3 = "InstallShield Setup.exe" ascii wide
    condition:
        uint16(0) == 0x5A4D and $name and any of ($setup*)
}

rule installer_msi : installer
{
    meta:
        description = "Windows Installer package (an OLE compound file with the MSI class id)"
        severity = "info"
    strings:
        $clsid = { 84 10 0C 00 00 00 00 00 C0 00 00 00 00 00 00 46 }
    condition:
        uint32(0) == 0xE011CFD0 and uint32(4) == 0xE11AB1A1 and $clsid
}

rule installer_wix_burn : installer
{
    meta:
        description = "WiX Burn bootstrapper bundle (.wixburn section)"
        severity = "info"
    condition:
        pe.is_pe and for any s in pe.sections : (s.name == ".wixburn")
}

rule installer_7zip_sfx : installer
{
    meta:
        description = "7-Zip self-extracting archive (a PE with a 7z archive appended)"
        severity = "info"
    strings:
        $sig = { 37 7A BC AF 27 1C 00 }
        $sfx = "7-Zip" ascii wide
    condition:
        uint16(0) == 0x5A4D and $sfx and $sig in (pe.overlay.offset .. filesize)
}
