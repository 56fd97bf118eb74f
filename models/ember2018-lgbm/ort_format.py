"""Saves an ONNX model in ONNX Runtime's own format (`.ort`), byte for byte the same on every run.

Why this format: a session built from an ONNX file keeps the file's node protos beside the kernel's
own trees for as long as it lives (for a tree ensemble, a second copy of the whole model); one built
from the ORT format does not. The EMBER session keeps about 140 MiB instead of 240
(docs/BENCHMARKS.md, "Loading the EMBER model").

Why the rewrite: ONNX Runtime writes the model the same each time, but writes its table of kernel
type strings in front of it in the order of a hash map seeded by an address, which changes from run
to run. `canonical` rebuilds that front part, every list in it sorted, before the model's own bytes
(kept as they are: every offset inside them is relative, and their distance from the end of the
buffer, which flatbuffers aligns by, does not change), so the file has one sha256.
"""
import struct
import tempfile

import flatbuffers
import onnxruntime
from onnxruntime.tools.ort_format_model.ort_flatbuffers_py.fbs import (
    ArgTypeAndIndex,
    InferenceSession,
    KernelTypeStrArgsEntry,
    KernelTypeStrResolver,
    OpIdKernelTypeStrArgsEntry,
)

# Flatbuffers aligns to the end of the buffer; 8 covers every scalar ONNX Runtime writes.
ALIGNMENT = 8
IDENTIFIER = b"ORTM"


def save(model_bytes: bytes) -> bytes:
    """The ORT-format bytes of the ONNX model `model_bytes`, graph unchanged (no optimisation)."""
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/model.ort"
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        options.optimized_model_filepath = path
        options.add_session_config_entry("session.save_model_format", "ORT")
        onnxruntime.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
        with open(path, "rb") as f:
            return canonical(f.read())


def _table_start(data: bytes, table_pos: int) -> int:
    """Where a table's bytes begin: at its vtable when that was written just before it."""
    vtable_pos = table_pos - struct.unpack_from("<i", data, table_pos)[0]
    return min(table_pos, vtable_pos)


def canonical(data: bytes) -> bytes:
    """`data` with its kernel type string table rebuilt in sorted order in front of the model."""
    if data[4:8] != IDENTIFIER:
        raise ValueError("not an ORT-format model")
    root = InferenceSession.InferenceSession.GetRootAs(data, 0)
    table = root._tab
    model_pos = table.Indirect(table.Pos + table.Offset(6))
    version_pos = table.Indirect(table.Pos + table.Offset(4))
    model_start = _table_start(data, model_pos)
    # The layout ONNX Runtime writes: version string and model first (the buffer's end), then the
    # kernel type strings, then the root; no deprecated session state.
    if table.Offset(8) or version_pos < model_start or table.Pos >= model_start:
        raise ValueError("unexpected ORT-format layout: the model is not the end of the buffer")
    tail = data[model_start:]
    builder = flatbuffers.Builder(len(tail) + 65536)
    builder.Bytes[len(builder.Bytes) - len(tail) :] = tail
    builder.head = len(builder.Bytes) - len(tail)
    builder.minalign = ALIGNMENT
    resolver = _resolver(builder, root.KernelTypeStrResolver())
    InferenceSession.Start(builder)
    InferenceSession.AddOrtVersion(builder, len(data) - version_pos)
    InferenceSession.AddModel(builder, len(data) - model_pos)
    InferenceSession.AddKernelTypeStrResolver(builder, resolver)
    builder.Finish(InferenceSession.End(builder), file_identifier=IDENTIFIER)
    return bytes(builder.Output())


def _offsets(builder, start_vector, offsets):
    start_vector(builder, len(offsets))
    for offset in reversed(offsets):
        builder.PrependUOffsetTRelative(offset)
    return builder.EndVector()


def _table(builder, kind, *fields):
    """One table of the generated module `kind`, its fields given as (adder, value) in order."""
    kind.Start(builder)
    for add, value in fields:
        add(builder, value)
    return kind.End(builder)


def _resolver(builder, resolver) -> int:
    ops = [resolver.OpKernelTypeStrArgs(i) for i in range(resolver.OpKernelTypeStrArgsLength())]
    entries = []
    for op in sorted(ops, key=lambda op: op.OpId()):
        strs = sorted((op.KernelTypeStrArgs(j) for j in range(op.KernelTypeStrArgsLength())), key=lambda s: s.KernelTypeStr())
        str_entries = []
        for type_str in strs:
            pairs = sorted((type_str.Args(k).ArgType(), type_str.Args(k).Index()) for k in range(type_str.ArgsLength()))
            args = [
                _table(builder, ArgTypeAndIndex, (ArgTypeAndIndex.AddArgType, arg_type), (ArgTypeAndIndex.AddIndex, index))
                for arg_type, index in pairs
            ]
            args_vector = _offsets(builder, KernelTypeStrArgsEntry.StartArgsVector, args)
            name = builder.CreateString(type_str.KernelTypeStr())
            entry = KernelTypeStrArgsEntry
            str_entries.append(_table(builder, entry, (entry.AddKernelTypeStr, name), (entry.AddArgs, args_vector)))
        strs_vector = _offsets(builder, OpIdKernelTypeStrArgsEntry.StartKernelTypeStrArgsVector, str_entries)
        op_id = builder.CreateString(op.OpId())
        entry = OpIdKernelTypeStrArgsEntry
        entries.append(_table(builder, entry, (entry.AddOpId, op_id), (entry.AddKernelTypeStrArgs, strs_vector)))
    entries_vector = _offsets(builder, KernelTypeStrResolver.StartOpKernelTypeStrArgsVector, entries)
    return _table(builder, KernelTypeStrResolver, (KernelTypeStrResolver.AddOpKernelTypeStrArgs, entries_vector))
