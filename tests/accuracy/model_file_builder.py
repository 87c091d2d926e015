"""Build the tiny, clearly synthetic model files of the corpus (GGUF, safetensors, pickle, ONNX).

The files are committed (each well under 1 KB); `test_corpus.py` checks they still equal what
this module builds, and `python tests/accuracy/model_file_builder.py DIR` rewrites them.
None of them holds real weights.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path


def gguf_bytes(*, name: str = "synthetic-test-model", architecture: str = "llama") -> bytes:
    """Return a valid GGUF v3 file with two metadata keys and no tensors."""

    def gguf_string(text: str) -> bytes:
        raw = text.encode()
        return struct.pack("<Q", len(raw)) + raw

    kv = [("general.architecture", architecture), ("general.name", name)]
    out = b"GGUF" + struct.pack("<I", 3) + struct.pack("<Q", 0) + struct.pack("<Q", len(kv))
    for key, value in kv:
        out += gguf_string(key) + struct.pack("<I", 8) + gguf_string(value)  # 8 = string
    return out


def safetensors_bytes() -> bytes:
    """Return a valid safetensors file holding one 2x2 float32 tensor of zeros."""
    header = {
        "__metadata__": {"format": "pt", "note": "synthetic test file, no real weights"},
        "classifier.weight": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
    }
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"\x00" * 16


def sklearn_pickle_bytes() -> bytes:
    """Return a protocol-2 pickle that would rebuild a scikit-learn LogisticRegression.

    Built opcode by opcode so no scikit-learn is needed (and nothing is ever unpickled).
    """
    return (
        b"\x80\x02"  # PROTO 2
        b"csklearn.linear_model._logistic\nLogisticRegression\n"  # GLOBAL
        b")\x81"  # EMPTY_TUPLE, NEWOBJ
        b"}(X\x01\x00\x00\x00Cq\x00G?\xf0\x00\x00\x00\x00\x00\x00"  # {"C": 1.0
        b"X\x08\x00\x00\x00max_iterq\x01Kdu"  # "max_iter": 100}
        b"b."  # BUILD, STOP
    )


def onnx_bytes() -> bytes:
    """Return a minimal ONNX ModelProto (IR 9, opset 17, empty graph) in protobuf wire format."""

    def field(number: int, payload: bytes) -> bytes:
        return bytes([number << 3 | 2, len(payload)]) + payload

    graph = field(2, b"synthetic_graph")
    opset = b"\x10\x11"  # version = 17, default domain
    return (
        b"\x08\x09"  # ir_version = 9
        + field(2, b"pytorch")
        + field(3, b"2.5.1")
        + field(7, graph)
        + field(8, opset)
    )


FILES: dict[str, bytes] = {
    "models/tiny-chat.Q4_K_M.gguf": gguf_bytes(),
    "models/classifier/model.safetensors": safetensors_bytes(),
    "models/churn-logreg.pkl": sklearn_pickle_bytes(),
    "models/intent.onnx": onnx_bytes(),
}
"""Relative path in the model-files fixture repository -> content."""


def write_all(root: Path) -> list[Path]:
    """Write every synthetic model file under `root` and return their paths."""
    written = []
    for rel, data in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1])):
        print(p)
