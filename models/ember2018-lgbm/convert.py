"""Converts the EMBER-2018 LightGBM booster (a pickled `lightgbm.Booster` inside a zip) to ONNX.

Usage: convert.py SOURCE_ZIP OUT_ONNX

The graph takes `features` float32 [N, 2381] (EMBER feature version 2) and gives `label` int64 [N]
and `probabilities` float32 [N, 2]; column 1 is P(malicious). Run only at set-up time, inside the
pinned conversion venv: never at analysis time.
"""
import pickle
import sys
import zipfile

import lightgbm  # noqa: F401  (the pickle refers to lightgbm.basic.Booster)
import onnx
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType

FEATURES = 2381
# onnxmltools 1.16 refuses opset 17 for LightGBM; 15 is the newest it accepts.
TARGET_OPSET = 15


def main(source_zip: str, out_path: str) -> None:
    with zipfile.ZipFile(source_zip) as archive:
        [member] = [n for n in archive.namelist() if n.endswith(".pkl")]
        booster = pickle.loads(archive.read(member))
    if booster.num_feature() != FEATURES:
        sys.exit(f"expected {FEATURES} features, the booster has {booster.num_feature()}")
    model = convert_lightgbm(
        booster,
        name="ember2018-lgbm",
        initial_types=[("features", FloatTensorType([None, FEATURES]))],
        target_opset=TARGET_OPSET,
        zipmap=False,
    )
    # Fixed metadata so that the same inputs give the same bytes (and the same sha256).
    model.producer_name = "fcas-models"
    model.producer_version = "1"
    model.doc_string = "EMBER-2018 LightGBM (feature version 2), converted by models/ember2018-lgbm/convert.py"
    # The converter collects opsets in a set, whose order follows Python's per-process string hash seed.
    opsets = sorted(model.opset_import, key=lambda opset: opset.domain)
    del model.opset_import[:]
    model.opset_import.extend(opsets)
    onnx.save_model(model, out_path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
