"""Converts the EMBER-2018 LightGBM booster (a pickled `lightgbm.Booster` inside a zip) to ONNX,
saved in ONNX Runtime's own format (`ember2018-lgbm.ort`, see ort_format.py).

Usage: convert.py SOURCE_ZIP OUT_ORT

The graph takes `features` float32 [N, 2381] (EMBER feature version 2) and gives `label` int64 [N]
and `probabilities` float32 [N, 2]; column 1 is P(malicious). Run only at set-up time, inside the
pinned conversion venv: never at analysis time.

onnxmltools converts the booster to one TreeEnsembleClassifier (ai.onnx.ml 1) holding all 1,000
trees. That graph is then re-expressed, tree for tree and threshold for threshold, as PARTS
TreeEnsemble nodes (ai.onnx.ml 5) whose raw sums are added and put through the logistic function,
and both graphs are run on the same rows to check they agree; the split graph is then saved in
ONNX Runtime's format, which must score those rows exactly as the ONNX graph does. Why: ONNX Runtime builds a tree node
with temporary tables as large as all its trees, and the classifier's attributes are lists of
strings and 64-bit integers; loading the one-node graph peaked at about 1.3 GB and kept about
460 MB, the split graph peaks at about 320 MB and keeps about 200 MB (docs/BENCHMARKS.md,
"Loading the EMBER model").
"""
import pickle
import sys
import zipfile

import lightgbm  # noqa: F401  (the pickle refers to lightgbm.basic.Booster)
import numpy as np
import onnx
import onnxruntime
import ort_format
from onnx import TensorProto, helper, numpy_helper
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType

FEATURES = 2381
# onnxmltools 1.16 refuses opset 17 for LightGBM; 15 is the newest it accepts.
CONVERTER_OPSET = 15
# TreeEnsemble needs ai.onnx.ml 5, which goes with opset 21.
OPSET = 21
ML_OPSET = 5
# 20 nodes of 50 trees each: the load's peak falls with the largest node; more nodes gain little.
PARTS = 20
# Rows both graphs score before the split one is written, and how far apart they may be.
CHECK_ROWS = 256
CHECK_TOLERANCE = 1e-5


def converted_classifier(source_zip):
    """The booster as onnxmltools converts it: one TreeEnsembleClassifier."""
    with zipfile.ZipFile(source_zip) as archive:
        [member] = [n for n in archive.namelist() if n.endswith(".pkl")]
        booster = pickle.loads(archive.read(member))
    if booster.num_feature() != FEATURES:
        sys.exit(f"expected {FEATURES} features, the booster has {booster.num_feature()}")
    return convert_lightgbm(
        booster,
        name="ember2018-lgbm",
        initial_types=[("features", FloatTensorType([None, FEATURES]))],
        target_opset=CONVERTER_OPSET,
        zipmap=False,
    )


class Trees:
    """The classifier's node and leaf tuples, as arrays."""

    def __init__(self, classifier_node):
        a = {attr.name: helper.get_attribute_value(attr) for attr in classifier_node.attribute}
        if a.get("post_transform") != b"LOGISTIC" or a.get("base_values") or set(a["class_ids"]) != {0}:
            sys.exit("unexpected classifier: a binary LightGBM model (one score, logistic) was expected")
        self.tree = np.array(a["nodes_treeids"])
        self.node = np.array(a["nodes_nodeids"])
        self.mode = np.array(a["nodes_modes"])
        if set(self.mode.tolist()) - {b"BRANCH_LEQ", b"LEAF"}:
            sys.exit(f"unexpected node modes {set(self.mode.tolist())}")
        self.feature = np.array(a["nodes_featureids"])
        self.threshold = np.array(a["nodes_values"], dtype=np.float32)
        self.true_child = np.array(a["nodes_truenodeids"])
        self.false_child = np.array(a["nodes_falsenodeids"])
        self.missing_true = np.array(a["nodes_missing_value_tracks_true"])
        self.leaf_weight = dict(zip(zip(a["class_treeids"], a["class_nodeids"]), a["class_weights"]))

    def tree_ids(self):
        return sorted(set(self.tree.tolist()))

    def ensemble_node(self, trees, output, name):
        """One TreeEnsemble node summing the leaves of `trees` (raw scores, no transform)."""
        rows = np.nonzero(np.isin(self.tree, trees))[0]
        is_leaf = self.mode[rows] == b"LEAF"
        branches, leaves = rows[~is_leaf], rows[is_leaf]
        branch_at = {(self.tree[k], self.node[k]): i for i, k in enumerate(branches)}
        leaf_at = {(self.tree[k], self.node[k]): i for i, k in enumerate(leaves)}

        def child(k, child_id):
            key = (self.tree[k], child_id)
            return (branch_at[key], 0) if key in branch_at else (leaf_at[key], 1)

        true_children = [child(k, self.true_child[k]) for k in branches]
        false_children = [child(k, self.false_child[k]) for k in branches]
        missing_roots = [t for t in trees if (t, 0) not in branch_at]
        if missing_roots:
            sys.exit(f"trees without a branch (a single leaf) are not handled: {missing_roots[:5]}")
        weights = np.array([self.leaf_weight[(self.tree[k], self.node[k])] for k in leaves], dtype=np.float32)
        return helper.make_node(
            "TreeEnsemble",
            ["features"],
            [output],
            domain="ai.onnx.ml",
            name=name,
            n_targets=1,
            aggregate_function=1,  # SUM
            post_transform=0,  # NONE: the logistic is applied once, to the sum of every part
            tree_roots=[branch_at[(t, 0)] for t in trees],
            nodes_featureids=self.feature[branches].tolist(),
            nodes_splits=numpy_helper.from_array(self.threshold[branches]),
            nodes_modes=numpy_helper.from_array(np.zeros(len(branches), dtype=np.uint8)),  # 0 = BRANCH_LEQ
            nodes_truenodeids=[index for index, _ in true_children],
            nodes_trueleafs=[to_leaf for _, to_leaf in true_children],
            nodes_falsenodeids=[index for index, _ in false_children],
            nodes_falseleafs=[to_leaf for _, to_leaf in false_children],
            nodes_missing_value_tracks_true=self.missing_true[branches].tolist(),
            leaf_targetids=[0] * len(leaves),
            leaf_weights=numpy_helper.from_array(weights),
        )


def split_graph(classifier_model):
    """The same trees as PARTS TreeEnsemble nodes, with the classifier's inputs and outputs."""
    [classifier] = [n for n in classifier_model.graph.node if n.op_type == "TreeEnsembleClassifier"]
    trees = Trees(classifier)
    parts = [list(chunk) for chunk in np.array_split(np.array(trees.tree_ids()), PARTS)]
    raw = [f"raw_{i}" for i in range(len(parts))]
    nodes = [trees.ensemble_node([int(t) for t in part], out, f"trees_{i}") for i, (part, out) in enumerate(zip(parts, raw))]
    nodes += [
        helper.make_node("Sum", raw, ["raw"]),
        helper.make_node("Sigmoid", ["raw"], ["malicious"]),
        helper.make_node("Sub", ["one", "malicious"], ["benign"]),
        helper.make_node("Concat", ["benign", "malicious"], ["probabilities"], axis=1),
        helper.make_node("Greater", ["malicious", "half"], ["is_malicious"]),
        helper.make_node("Cast", ["is_malicious"], ["label_column"], to=TensorProto.INT64),
        helper.make_node("Squeeze", ["label_column", "column_axis"], ["label"]),
    ]
    constants = [
        numpy_helper.from_array(np.array([1.0], dtype=np.float32), "one"),
        numpy_helper.from_array(np.array([0.5], dtype=np.float32), "half"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "column_axis"),
    ]
    graph = helper.make_graph(
        nodes,
        "ember2018-lgbm",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, FEATURES])],
        [
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2]),
        ],
        constants,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)])
    model.ir_version = 10
    onnx.checker.check_model(model)
    return model


def check_rows():
    """Rows drawn like EMBER vectors (fixed seed): values over several orders of magnitude."""
    rows = np.random.default_rng(2018).random((CHECK_ROWS, FEATURES), dtype=np.float32)
    rows *= np.float32(10.0) ** np.random.default_rng(2381).integers(-3, 6, FEATURES).astype(np.float32)
    return rows


def probabilities(model_bytes, rows):
    session = onnxruntime.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    return session.run(["probabilities"], {"features": rows})[0]


def check_same_scores(classifier_model, split_model):
    """Both graphs give the same probabilities on the check rows."""
    rows = check_rows()
    scores = [probabilities(model.SerializeToString(), rows) for model in (classifier_model, split_model)]
    difference = float(np.abs(scores[0] - scores[1]).max())
    if difference > CHECK_TOLERANCE:
        sys.exit(f"the split graph differs from the converted classifier by {difference}")
    print(f"  ember2018-lgbm: split into {PARTS} nodes, largest difference over {CHECK_ROWS} rows {difference:.2e}")


def check_same_bytes_out(onnx_bytes, ort_bytes):
    """The ORT-format file scores the check rows exactly as the ONNX graph it was saved from."""
    rows = check_rows()
    if not np.array_equal(probabilities(onnx_bytes, rows), probabilities(ort_bytes, rows)):
        sys.exit("the ORT-format model does not score exactly as the ONNX graph it was saved from")
    print(f"  ember2018-lgbm: saved in ONNX Runtime's format, the same {CHECK_ROWS} scores bit for bit")


def main(source_zip: str, out_path: str) -> None:
    classifier_model = converted_classifier(source_zip)
    model = split_graph(classifier_model)
    check_same_scores(classifier_model, model)
    # Fixed metadata so that the same inputs give the same bytes (and the same sha256).
    model.producer_name = "fcas-models"
    model.producer_version = "2"
    model.doc_string = "EMBER-2018 LightGBM (feature version 2), converted by models/ember2018-lgbm/convert.py"
    onnx_bytes = model.SerializeToString()
    ort_bytes = ort_format.save(onnx_bytes)
    check_same_bytes_out(onnx_bytes, ort_bytes)
    with open(out_path, "wb") as f:
        f.write(ort_bytes)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
