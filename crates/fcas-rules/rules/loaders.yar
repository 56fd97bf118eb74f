// FCAS built-in rules: tricks of loaders and shellcode.
// Copyright the FCAS authors; licensed MIT OR Apache-2.0, like the rest of FCAS.
// Only code that benign software essentially never carries (position-independent API resolvers
// of public shellcode, reflective loaders) is severity high; API names alone are low or medium.

rule loader_block_api_x86 : shellcode malicious
{
    meta:
        description = "32-bit API resolver of public shellcode (PEB walk, then ror13 hashes of export names)"
        severity = "high"
        attack = "T1027.007"
    strings:
        // pushad ; mov ebp, esp ; xor edx, edx ; mov edx, fs:[edx+0x30] ; mov edx, [edx+0xc] ; mov edx, [edx+0x14]
        $prologue = { 60 89 E5 31 ?? 64 8B ?? 30 8B ?? 0C 8B ?? 14 }
    condition:
        $prologue
}

rule loader_block_api_x64 : shellcode malicious
{
    meta:
        description = "64-bit API resolver of public shellcode (PEB walk through gs:[0x60], then ror13 hashes)"
        severity = "high"
        attack = "T1027.007"
    strings:
        // ... xor rdx, rdx ; mov rdx, gs:[rdx+0x60] ; mov rdx, [rdx+0x18] ; mov rdx, [rdx+0x20]
        $walk = { 48 31 D2 65 48 8B 52 60 48 8B 52 18 48 8B 52 20 }
    condition:
        $walk
}

rule loader_ror13_api_hashes : shellcode
{
    meta:
        description = "Three or more ror13 hashes of Windows API names (how shellcode finds functions without imports)"
        severity = "high"
        attack = "T1027.007"
    strings:
        $load_library_a = { 4C 77 26 07 }
        $get_proc_address = { 49 F7 02 78 }
        $virtual_alloc = { 58 A4 53 E5 }
        $exit_process = { F0 B5 A2 56 }
        $win_exec = { 31 8B 6F 87 }
        $ws2_startup = { 29 80 6B 00 }
        $create_process_a = { 79 CC 3F 86 }
        $exit_thread = { E0 1D 2A 0A }
    condition:
        3 of them
}

rule loader_ror13_hash_loop : shellcode
{
    meta:
        description = "A ror13 hash loop over a name (ror edi, 13 ; add edi, eax)"
        severity = "medium"
        attack = "T1027.007"
    strings:
        $loop = { C1 CF 0D 01 C7 }
        $loop64 = { 41 C1 C9 0D 41 01 C1 }
    condition:
        any of them
}

rule loader_peb_access : loader
{
    meta:
        description = "Reads the process environment block directly (fs:[0x30] or gs:[0x60]), as loaders walking the module list do"
        severity = "low"
        attack = "T1106"
    strings:
        $x86_eax = { 64 A1 30 00 00 00 }
        $x86_reg = { 64 8B ?? 30 00 00 00 }
        $x64 = { 65 48 8B ?? 25 60 00 00 00 }
    condition:
        uint16(0) == 0x5A4D and any of them
}

rule loader_reflective_dll : loader malicious
{
    meta:
        description = "Exports or names ReflectiveLoader, the entry point of reflectively injected DLLs"
        severity = "high"
        attack = "T1620"
    strings:
        $name = "ReflectiveLoader" ascii
    condition:
        uint16(0) == 0x5A4D and $name
}

rule loader_process_hollowing_apis : loader
{
    meta:
        description = "Names every API of process hollowing (create suspended, unmap, write, set context, resume)"
        severity = "medium"
        attack = "T1055.012"
    strings:
        $create = "CreateProcess" ascii wide
        $unmap1 = "NtUnmapViewOfSection" ascii wide
        $unmap2 = "ZwUnmapViewOfSection" ascii wide
        $write = "WriteProcessMemory" ascii wide
        $context1 = "SetThreadContext" ascii wide
        $context2 = "Wow64SetThreadContext" ascii wide
        $resume = "ResumeThread" ascii wide
    condition:
        uint16(0) == 0x5A4D and $create and any of ($unmap*) and $write and any of ($context*) and $resume
}

rule loader_remote_thread_injection_apis : loader
{
    meta:
        description = "Names the APIs of remote thread injection (allocate, write, start a thread in another process)"
        severity = "low"
        attack = "T1055.002"
    strings:
        $alloc = "VirtualAllocEx" ascii wide
        $write = "WriteProcessMemory" ascii wide
        $thread1 = "CreateRemoteThread" ascii wide
        $thread2 = "NtCreateThreadEx" ascii wide
        $thread3 = "RtlCreateUserThread" ascii wide
    condition:
        uint16(0) == 0x5A4D and $alloc and $write and any of ($thread*)
}

rule loader_anti_debug_apis : loader
{
    meta:
        description = "Names several debugger checks (IsDebuggerPresent, CheckRemoteDebuggerPresent, NtQueryInformationProcess, OutputDebugString)"
        severity = "low"
        attack = "T1622"
    strings:
        $a = "IsDebuggerPresent" ascii wide
        $b = "CheckRemoteDebuggerPresent" ascii wide
        $c = "NtQueryInformationProcess" ascii wide
        $d = "OutputDebugStringA" ascii wide
    condition:
        uint16(0) == 0x5A4D and 3 of them
}
