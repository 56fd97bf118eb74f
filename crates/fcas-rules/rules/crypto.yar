// FCAS built-in rules: constants of well-known cryptographic algorithms.
// Copyright the FCAS authors; licensed MIT OR Apache-2.0, like the rest of FCAS.
// Crypto code is everywhere in benign software (TLS, compression, checksums): severity info.
// Tables are matched on their first 16 bytes, in the byte order they are stored in.

rule crypto_aes_sbox : crypto
{
    meta:
        description = "AES (Rijndael) S-box or inverse S-box"
        severity = "info"
    strings:
        $sbox = { 63 7C 77 7B F2 6B 6F C5 30 01 67 2B FE D7 AB 76 }
        $inverse = { 52 09 6A D5 30 36 A5 38 BF 40 A3 9E 81 F3 D7 FB }
    condition:
        any of them
}

rule crypto_aes_ttable : crypto
{
    meta:
        description = "AES T-table Te0 (little- or big-endian words)"
        severity = "info"
    strings:
        $le = { A5 63 63 C6 84 7C 7C F8 99 77 77 EE 8D 7B 7B F6 }
        $be = { C6 63 63 A5 F8 7C 7C 84 EE 77 77 99 F6 7B 7B 8D }
    condition:
        any of them
}

rule crypto_sha256_constants : crypto
{
    meta:
        description = "SHA-256 (or SHA-224) round constants K"
        severity = "info"
    strings:
        $le = { 98 2F 8A 42 91 44 37 71 CF FB C0 B5 A5 DB B5 E9 }
        $be = { 42 8A 2F 98 71 37 44 91 B5 C0 FB CF E9 B5 DB A5 }
    condition:
        any of them
}

rule crypto_sha256_init : crypto
{
    meta:
        description = "SHA-256 initial hash values"
        severity = "info"
    strings:
        $le = { 67 E6 09 6A 85 AE 67 BB 72 F3 6E 3C 3A F5 4F A5 }
        $be = { 6A 09 E6 67 BB 67 AE 85 3C 6E F3 72 A5 4F F5 3A }
    condition:
        any of them
}

rule crypto_md5_sha1_init : crypto
{
    meta:
        description = "MD5 / SHA-1 initial state (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476)"
        severity = "info"
    strings:
        $le = { 01 23 45 67 89 AB CD EF FE DC BA 98 76 54 32 10 }
    condition:
        $le
}

rule crypto_md5_table : crypto
{
    meta:
        description = "MD5 sine table T"
        severity = "info"
    strings:
        $le = { 78 A4 6A D7 56 B7 C7 E8 DB 70 20 24 EE CE BD C1 }
    condition:
        $le
}

rule crypto_crc32_table : crypto
{
    meta:
        description = "CRC-32 (IEEE 802.3) lookup table"
        severity = "info"
    strings:
        $le = { 00 00 00 00 96 30 07 77 2C 61 0E EE BA 51 09 99 }
        $be = { 00 00 00 00 77 07 30 96 EE 0E 61 2C 99 09 51 BA }
    condition:
        any of them
}

rule crypto_blowfish_parray : crypto
{
    meta:
        description = "Blowfish initial P-array (digits of pi)"
        severity = "info"
    strings:
        $le = { 88 6A 3F 24 D3 08 A3 85 2E 8A 19 13 44 73 70 03 }
        $be = { 24 3F 6A 88 85 A3 08 D3 13 19 8A 2E 03 70 73 44 }
    condition:
        any of them
}

rule crypto_chacha_salsa_sigma : crypto
{
    meta:
        description = "ChaCha20 / Salsa20 constant \"expand 32-byte k\""
        severity = "info"
    strings:
        $sigma = "expand 32-byte k"
    condition:
        $sigma
}

rule crypto_rc4_ksa : crypto
{
    meta:
        description = "Code that looks like the RC4 key schedule (a byte store in a loop counted to 256)"
        severity = "info"
    strings:
        // mov [reg+reg], al ; inc eax ; cmp eax, 0x100
        $x86 = { 88 04 ?? 40 3D 00 01 00 00 }
        // mov [reg+reg], al ; inc rax/eax (REX) ; cmp rax/eax, 0x100
        $x64 = { 88 04 ?? 48 FF C0 48 3D 00 01 00 00 }
    condition:
        uint16(0) == 0x5A4D and any of them
}
