"""Converts the EMBER-trained MalConv weights (a torch legacy `.pth` file) to ONNX, without torch.

Usage: convert.py SOURCE_PTH OUT_ONNX

Torch's legacy serialization is: pickled magic number, protocol version and system info, then the
pickled state dict whose tensors name their storage by key (a "persistent id"), then the pickled
list of storage keys, then each storage as an int64 element count followed by raw little-endian
float32 values. We read it with a restricted unpickler that only builds tensor descriptions.

The graph (opset 18) takes `bytes` int64 [1, T] (byte values 0..255, padding 256; T a multiple of
500) and gives:
- `score` float32 [1, 1]: P(malware);
- `window_argmax` int64 [1, 128]: for each channel, the 500-byte window that won the global max-pool;
- `channel_contributions` float32 [1, 128]: each channel's pooled activation times the gradient of
  the logit with respect to it (gradient x input), so that the caller can explain the score.
Run only at set-up time, inside the pinned conversion venv.
"""
import io
import pickle
import struct
import sys
from collections import OrderedDict

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

WINDOW = 500
CHANNELS = 128
EMBED = 8
VOCAB = 257  # 256 byte values plus the padding symbol 256
EXPECTED = {
    "embedding_1.weight": (VOCAB, EMBED),
    "conv1d_1.weight": (CHANNELS, EMBED, WINDOW),
    "conv1d_1.bias": (CHANNELS,),
    "conv1d_2.weight": (CHANNELS, EMBED, WINDOW),
    "conv1d_2.bias": (CHANNELS,),
    "dense_1.weight": (CHANNELS, CHANNELS),
    "dense_1.bias": (CHANNELS,),
    "dense_2.weight": (1, CHANNELS),
    "dense_2.bias": (1,),
}


class _TensorRef:
    def __init__(self, key, offset, size, stride):
        self.key, self.offset, self.size, self.stride = key, offset, tuple(size), tuple(stride)


def _rebuild_tensor(storage, storage_offset, size, stride, *_ignored):
    return _TensorRef(storage, storage_offset, size, stride)


class _StateDictUnpickler(pickle.Unpickler):
    """Builds only what a state dict needs; any other global is refused."""

    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if module == "torch._utils" and name in ("_rebuild_tensor", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name == "FloatStorage":
            return "float32"
        raise pickle.UnpicklingError(f"unexpected global {module}.{name}")

    def persistent_load(self, pid):
        kind, dtype, key = pid[0], pid[1], pid[2]
        if kind != "storage" or dtype != "float32":
            raise pickle.UnpicklingError(f"unexpected storage {pid!r}")
        return key


def read_state_dict(path):
    with open(path, "rb") as f:
        data = f.read()
    stream = io.BytesIO(data)
    for _ in range(3):  # magic number, protocol version, system info
        pickle.load(stream)
    state = _StateDictUnpickler(stream).load()
    keys = pickle.load(stream)
    storages = {}
    for key in keys:
        (count,) = struct.unpack("<q", stream.read(8))
        storages[key] = np.frombuffer(stream.read(count * 4), dtype="<f4", count=count)
    tensors = {}
    for name, ref in state.items():
        flat = storages[ref.key]
        numel = int(np.prod(ref.size))
        contiguous = tuple(int(np.prod(ref.size[i + 1:])) for i in range(len(ref.size)))
        if ref.stride != contiguous:
            sys.exit(f"{name}: non-contiguous tensor (stride {ref.stride})")
        tensors[name] = flat[ref.offset:ref.offset + numel].reshape(ref.size).astype(np.float32)
    for name, shape in EXPECTED.items():
        if name not in tensors or tensors[name].shape != shape:
            sys.exit(f"{name}: expected shape {shape}, found {getattr(tensors.get(name), 'shape', None)}")
    return tensors


def build_graph(t):
    init = [numpy_helper.from_array(v, name) for name, v in t.items()]
    # Gradient x input on the pooled vector needs W2 as a row and W1 as is.
    nodes = [
        helper.make_node("Gather", ["embedding_1.weight", "bytes"], ["embedded"], axis=0),  # [1,T,8]
        helper.make_node("Transpose", ["embedded"], ["embedded_t"], perm=[0, 2, 1]),  # [1,8,T]
        helper.make_node("Conv", ["embedded_t", "conv1d_1.weight", "conv1d_1.bias"], ["conv1"],
                         kernel_shape=[WINDOW], strides=[WINDOW]),
        helper.make_node("Relu", ["conv1"], ["conv1_relu"]),
        helper.make_node("Conv", ["embedded_t", "conv1d_2.weight", "conv1d_2.bias"], ["conv2"],
                         kernel_shape=[WINDOW], strides=[WINDOW]),
        helper.make_node("Sigmoid", ["conv2"], ["gate"]),
        helper.make_node("Mul", ["conv1_relu", "gate"], ["gated"]),  # [1,128,W]
        helper.make_node("ReduceMax", ["gated", "time_axis"], ["pooled"], keepdims=0),  # [1,128]
        helper.make_node("ArgMax", ["gated"], ["window_argmax"], axis=2, keepdims=0, select_last_index=0),
        helper.make_node("Gemm", ["pooled", "dense_1.weight", "dense_1.bias"], ["hidden"], transB=1),
        helper.make_node("Relu", ["hidden"], ["hidden_relu"]),
        helper.make_node("Gemm", ["hidden_relu", "dense_2.weight", "dense_2.bias"], ["logit"], transB=1),
        helper.make_node("Sigmoid", ["logit"], ["score"]),
        # d logit / d pooled = (W2 * 1[hidden > 0]) @ W1
        helper.make_node("Greater", ["hidden", "zero"], ["active"]),
        helper.make_node("Cast", ["active"], ["active_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["active_f", "dense_2.weight"], ["upstream"]),  # [1,128]
        helper.make_node("MatMul", ["upstream", "dense_1.weight"], ["gradient"]),  # [1,128]
        helper.make_node("Mul", ["gradient", "pooled"], ["channel_contributions"]),
    ]
    init += [
        numpy_helper.from_array(np.array([2], dtype=np.int64), "time_axis"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
    ]
    graph = helper.make_graph(
        nodes,
        "malconv_ember",
        [helper.make_tensor_value_info("bytes", TensorProto.INT64, [1, "T"])],
        [
            helper.make_tensor_value_info("score", TensorProto.FLOAT, [1, 1]),
            helper.make_tensor_value_info("window_argmax", TensorProto.INT64, [1, CHANNELS]),
            helper.make_tensor_value_info("channel_contributions", TensorProto.FLOAT, [1, CHANNELS]),
        ],
        initializer=init,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)],
                              producer_name="fcas-models", producer_version="1")
    model.ir_version = 8
    model.doc_string = "MalConv (EMBER weights), converted by models/malconv-ember/convert.py"
    onnx.checker.check_model(model)
    return model


def main(source, out_path):
    onnx.save_model(build_graph(read_state_dict(source)), out_path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
