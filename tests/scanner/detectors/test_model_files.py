"""Tests for the model-file detector: synthetic headers of every format, pickle risk, robustness."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog.model import Catalog
from aims.inventory import ComponentType
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.model_files import (
    ModelFileDetector,
    dangerous_globals,
    iter_proto_fields,
    parse_gguf,
    parse_onnx,
    parse_safetensors,
    read_varint,
    scan_pickle,
    scan_pickle_imports_in_bytes,
)

CTX = DetectContext(catalog=Catalog(providers=[], packages=[], model_families=[]))
DETECTOR = ModelFileDetector()

# ---------------------------------------------------------------------------------------------
# Builders of small, synthetic model files (headers written by hand; nothing is downloaded)


def gguf_bytes(*, name: str = "Tiny Llama", arch: str = "llama", version: int = 3) -> bytes:
    def string(text: str) -> bytes:
        raw = text.encode()
        return struct.pack("<Q", len(raw)) + raw

    kvs = [
        string("general.architecture") + struct.pack("<I", 8) + string(arch),
        string("general.name") + struct.pack("<I", 8) + string(name),
        # a string array (tokenizer vocabulary) that the reader must skip
        string("tokenizer.ggml.tokens")
        + struct.pack("<I", 9)
        + struct.pack("<I", 8)
        + struct.pack("<Q", 3)
        + string("<s>")
        + string("</s>")
        + string("hello"),
        string("llama.context_length") + struct.pack("<I", 4) + struct.pack("<I", 4096),
        string("general.file_type") + struct.pack("<I", 4) + struct.pack("<I", 15),
    ]
    header = b"GGUF" + struct.pack("<I", version) + struct.pack("<QQ", 291, len(kvs))
    return header + b"".join(kvs) + b"\0" * 64


def safetensors_bytes(metadata: dict[str, str] | None = None) -> bytes:
    header: dict[str, object] = {
        "model.embed.weight": {"dtype": "F16", "shape": [32, 8], "data_offsets": [0, 512]},
        "model.head.weight": {"dtype": "BF16", "shape": [8, 4], "data_offsets": [512, 576]},
    }
    if metadata is not None:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + b"\0" * 576


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field_bytes(number: int, payload: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def onnx_bytes() -> bytes:
    opset = varint(1 << 3 | 2) + varint(0) + varint(2 << 3) + varint(17)
    graph = b"\x0a\x04node" * 2000  # big graph field, truncated by the 64 KiB header read
    return (
        varint(1 << 3)
        + varint(8)
        + field_bytes(2, b"pytorch")
        + field_bytes(3, b"2.3.0")
        + field_bytes(8, opset)
        + field_bytes(7, graph)
    )


def torch_zip(pickled: bytes, prefix: str = "archive") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{prefix}/data.pkl", pickled)
        archive.writestr(f"{prefix}/byteorder", "little")
        archive.writestr(f"{prefix}/data/0", b"\0" * 64)
        archive.writestr(f"{prefix}/data/1", b"\0" * 64)
        archive.writestr(f"{prefix}/version", "3\n")
    return buffer.getvalue()


class Payload:
    """A pickle whose loading would call os.system: the shape of a malicious model file."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return (os.system, ("echo pwned",))


BENIGN = pickle.dumps({"weights": [0.1, 0.2], "layers": 2}, protocol=4)
MALICIOUS = pickle.dumps(Payload(), protocol=4)
MALICIOUS_V2 = pickle.dumps(Payload(), protocol=2)


def scan(tmp_path: Path, relpath: str, data: bytes, *, head: int | None = None):
    path = tmp_path / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    shown = data if head is None else data[:head]
    file = ScanFile(relpath=relpath, abspath=str(path), data=shown, size=len(data))
    return DETECTOR.detect(file, CTX)


# ---------------------------------------------------------------------------------------------
# Formats


def test_gguf_header_and_metadata(tmp_path: Path) -> None:
    data = gguf_bytes()
    result = scan(tmp_path, "models/tiny.Q4_K_M.gguf", data)
    [component] = result.components
    assert component.type is ComponentType.MODEL_FILE
    assert component.name == "models/tiny.Q4_K_M.gguf"
    assert component.properties["model_name"] == "Tiny Llama"
    props = component.properties
    assert props["format"] == "gguf"
    assert props["gguf_version"] == 3
    assert props["tensor_count"] == 291
    assert props["architecture"] == "llama"
    assert props["context_length"] == 4096
    assert props["file_type"] == 15
    assert props["pickle"] is False
    assert props["size"] == len(data)
    assert props["sha256"] == hashlib.sha256(data).hexdigest()
    assert result.findings == []
    assert component.evidence[0].path == "models/tiny.Q4_K_M.gguf"


def test_two_quantisations_of_one_model_stay_two_components(tmp_path: Path) -> None:
    q4 = scan(tmp_path, "models/tiny.Q4_K_M.gguf", gguf_bytes()).components[0]
    q8 = scan(tmp_path, "models/tiny.Q8_0.gguf", gguf_bytes() + b"\x01").components[0]
    assert q4.properties["model_name"] == q8.properties["model_name"] == "Tiny Llama"
    assert q4.key() != q8.key()
    assert q4.properties["sha256"] != q8.properties["sha256"]


def test_gguf_v1_and_truncated_metadata_still_identify() -> None:
    facts = parse_gguf(gguf_bytes(version=2)[:40])
    assert facts is not None and facts["gguf_version"] == 2
    assert "architecture" not in facts
    assert parse_gguf(b"GGUF" + struct.pack("<I", 99)) is None
    assert parse_gguf(b"GGML....") is None


def test_safetensors_header_is_parsed_and_not_pickle(tmp_path: Path) -> None:
    data = safetensors_bytes({"format": "pt"})
    result = scan(tmp_path, "checkpoints/encoder/model.safetensors", data)
    [component] = result.components
    assert component.name == "checkpoints/encoder/model.safetensors"
    props = component.properties
    assert props["format"] == "safetensors"
    assert props["tensor_count"] == 2
    assert props["dtypes"] == ["BF16", "F16"]
    assert props["parameters"] == 32 * 8 + 8 * 4
    assert props["metadata"] == {"format": "pt"}
    assert props["pickle"] is False
    assert result.findings == []


def test_safetensors_rejects_header_longer_than_file() -> None:
    raw = b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'
    data = struct.pack("<Q", len(raw)) + raw
    assert parse_safetensors(data, size=len(data)) is not None
    assert parse_safetensors(data, size=len(data) - 5) is None
    assert parse_safetensors(struct.pack("<Q", 10**12) + b"{") is None
    assert parse_safetensors(struct.pack("<Q", 4) + b"[1,2]") is None


def test_safetensors_header_beyond_engine_head_is_read_from_disk(tmp_path: Path) -> None:
    header = {
        f"layer.{i}.weight": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}
        for i in range(3000)
    }
    raw = json.dumps(header).encode()
    data = struct.pack("<Q", len(raw)) + raw + b"\0" * 16
    assert len(raw) > 64 * 1024
    result = scan(tmp_path, "big.safetensors", data, head=64 * 1024)
    [component] = result.components
    assert component.properties["tensor_count"] == 3000
    assert component.properties["sha256"] == hashlib.sha256(data).hexdigest()


def test_onnx_fields_with_tiny_protobuf_reader(tmp_path: Path) -> None:
    data = onnx_bytes()
    result = scan(tmp_path, "export/classifier.onnx", data, head=64)
    [component] = result.components
    props = component.properties
    assert component.name == "export/classifier.onnx"
    assert props["format"] == "onnx"
    assert props["ir_version"] == 8
    assert props["producer"] == "pytorch"
    assert props["producer_version"] == "2.3.0"
    assert props["opsets"] == {"ai.onnx": 17}
    assert props["pickle"] is False


def test_onnx_rejects_text_and_other_protobufs() -> None:
    assert parse_onnx(b"hello world") is None
    assert parse_onnx(varint(1 << 3) + varint(500)) is None  # ir_version out of range
    assert parse_onnx(varint(2 << 3 | 2) + varint(1) + b"x") is None  # first field not 1


def test_varint_reader() -> None:
    assert read_varint(varint(300), 0) == (300, 2)
    assert read_varint(b"\x01", 0) == (1, 1)
    fields = list(iter_proto_fields(varint(1 << 3) + varint(7) + field_bytes(2, b"ab")))
    assert [(f.number, f.value) for f in fields] == [(1, 7), (2, b"ab")]


def test_pytorch_zip_checkpoint_is_medium_risk(tmp_path: Path) -> None:
    state = pickle.dumps({"layer.weight": "tensor-ref"}, protocol=2)
    result = scan(tmp_path, "runs/exp1/model.pt", torch_zip(state))
    [component] = result.components
    props = component.properties
    assert component.name == "runs/exp1/model.pt"
    assert props["format"] == "pytorch"
    assert props["pickle"] is True
    assert props["tensor_storages"] == 2
    assert props["archive_version"] == "3"
    [finding] = result.findings
    assert finding.rule_id == "AIM305"
    assert str(finding.severity) == "medium"
    assert "weights_only=True" in finding.message


def test_large_data_pkl_is_scanned_from_its_start(tmp_path: Path) -> None:
    padding = b"X" * (5 * 1024 * 1024)
    big = MALICIOUS[:-1] + b"\x8c" + b"\x00" + b"0" + padding  # stays a valid prefix
    result = scan(tmp_path, "big.pt", torch_zip(big))
    assert [f.rule_id for f in result.findings] == ["AIM304"]


def test_torchscript_archive(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("scripted/data.pkl", BENIGN)
        archive.writestr("scripted/constants.pkl", BENIGN)
        archive.writestr("scripted/code/__torch__/model.py", "def forward(self): ...")
    result = scan(tmp_path, "scripted.pt", buffer.getvalue())
    assert result.components[0].properties["format"] == "torchscript"
    assert [f.rule_id for f in result.findings] == ["AIM305"]


def test_legacy_pytorch_pickle_is_high(tmp_path: Path) -> None:
    result = scan(tmp_path, "legacy.pth", BENIGN)
    assert result.components[0].properties["format"] == "pytorch-legacy"
    [finding] = result.findings
    assert finding.rule_id == "AIM305" and str(finding.severity) == "high"


def test_malicious_pickle_inside_pytorch_zip_is_critical(tmp_path: Path) -> None:
    result = scan(tmp_path, "pytorch_model.bin", torch_zip(MALICIOUS))
    [finding] = result.findings
    assert finding.rule_id == "AIM304"
    assert str(finding.severity) == "critical"
    imports = result.components[0].properties["pickle_imports"]
    assert any(name.endswith(".system") for name in imports)
    assert "system" in finding.message


@pytest.mark.parametrize("payload", [MALICIOUS, MALICIOUS_V2], ids=["proto4", "proto2"])
def test_malicious_raw_pickle(tmp_path: Path, payload: bytes) -> None:
    result = scan(tmp_path, "models/clf.pkl", payload)
    assert result.components[0].properties["format"] == "pickle"
    assert [f.rule_id for f in result.findings] == ["AIM304"]


def test_protocol_zero_pickle_without_header_is_found(tmp_path: Path) -> None:
    payload = pickle.dumps(Payload(), protocol=0)
    assert payload[:1] == b"c"  # GLOBAL opcode: no header to sniff
    result = scan(tmp_path, "models/old.pkl", payload)
    assert result.components[0].properties["format"] == "pickle"
    assert result.components[0].properties["pickle_protocol"] == 0
    assert [f.rule_id for f in result.findings] == ["AIM304"]
    result = scan(tmp_path, "models/state.pth", pickle.dumps({"w": [1.0]}, protocol=0))
    assert result.components[0].properties["format"] == "pytorch-legacy"
    assert scan(tmp_path, "notes.pkl", b"cat notes.txt\n").components == []


def test_benign_joblib_pickle_is_high(tmp_path: Path) -> None:
    result = scan(tmp_path, "models/classifier.joblib", BENIGN)
    [component] = result.components
    assert component.name == "models/classifier.joblib"
    assert component.properties["format"] == "joblib"
    assert component.properties["pickle_protocol"] == 4
    [finding] = result.findings
    assert finding.rule_id == "AIM303" and str(finding.severity) == "high"
    assert finding.primary.path == "models/classifier.joblib"
    assert finding.fingerprint  # keyed on the file hash


def test_compressed_joblib_is_decompressed_for_the_import_scan(tmp_path: Path) -> None:
    result = scan(tmp_path, "clf.joblib", zlib.compress(MALICIOUS))
    assert result.components[0].properties["compression"] == "zlib"
    assert [f.rule_id for f in result.findings] == ["AIM304"]
    result = scan(tmp_path, "clf2.joblib", zlib.compress(BENIGN))
    assert [f.rule_id for f in result.findings] == ["AIM303"]


def test_payload_after_a_joblib_array_is_still_found(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    numpy = pytest.importorskip("numpy")
    path = tmp_path / "models" / "bundle.joblib"
    path.parent.mkdir()
    joblib.dump([numpy.arange(50_000, dtype="float64"), Payload()], path)
    data = path.read_bytes()
    assert len(data) > 64 * 1024  # the engine hands over only the first 64 KiB
    file = ScanFile("models/bundle.joblib", str(path), data[: 64 * 1024], len(data))
    result = DETECTOR.detect(file, CTX)
    assert [f.rule_id for f in result.findings] == ["AIM304"]
    benign = tmp_path / "models" / "arrays.joblib"
    joblib.dump({"w": numpy.arange(50_000, dtype="float64")}, benign)
    raw = benign.read_bytes()
    file = ScanFile("models/arrays.joblib", str(benign), raw[: 64 * 1024], len(raw))
    assert [f.rule_id for f in DETECTOR.detect(file, CTX).findings] == ["AIM303"]


def test_keras_archive_with_lambda_layer(tmp_path: Path) -> None:
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "digits",
            "layers": [{"class_name": "Lambda", "config": {"function": "..."}}],
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.3.3"}))
        archive.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n")
    result = scan(tmp_path, "digits.keras", buffer.getvalue())
    props = result.components[0].properties
    assert props["format"] == "keras"
    assert props["keras_version"] == "3.3.3"
    assert props["lambda_layers"] == 1
    assert props["pickle"] is False
    assert [f.rule_id for f in result.findings] == ["AIM306"]


def test_hdf5_keras_and_tflite(tmp_path: Path) -> None:
    h5 = b"\x89HDF\r\n\x1a\n" + b"\0" * 100 + b'keras_version 2.15 model_config {"layers": []}'
    result = scan(tmp_path, "weights/model.h5", h5)
    assert result.components[0].properties["format"] == "keras-h5"
    assert result.findings == []
    tflite = b"\x1c\0\0\0TFL3" + b"\0" * 40
    result = scan(tmp_path, "mobile/detect.tflite", tflite)
    assert result.components[0].properties["format"] == "tflite"
    assert result.components[0].name == "mobile/detect.tflite"


def test_saved_model_needs_variables_dir(tmp_path: Path) -> None:
    data = varint(1 << 3) + varint(1) + field_bytes(2, b"\x0a\x00")
    result = scan(tmp_path, "export/resnet/saved_model.pb", data)
    assert result.components == []
    (tmp_path / "export/resnet/variables").mkdir()
    result = scan(tmp_path, "export/resnet/saved_model.pb", data)
    [component] = result.components
    assert component.name == "export/resnet"
    assert component.properties["format"] == "tensorflow-savedmodel"


# ---------------------------------------------------------------------------------------------
# Negatives and robustness


def test_wants_by_extension_and_name() -> None:
    assert DETECTOR.wants("a/b.gguf", "b.gguf")
    assert DETECTOR.wants("a/B.SAFETENSORS", "B.SAFETENSORS")
    assert DETECTOR.wants("export/saved_model.pb", "saved_model.pb")
    assert not DETECTOR.wants("src/model.py", "model.py")
    assert not DETECTOR.wants("data/train.csv", "train.csv")


def test_non_model_files_with_model_extensions_are_ignored(tmp_path: Path) -> None:
    assert scan(tmp_path, "firmware.bin", b"\x7fELF" + b"\0" * 60).components == []
    assert scan(tmp_path, "notes.pkl", b"just some text").components == []
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert scan(tmp_path, "bundle.pt", zipped.getvalue()).components == []


def test_hash_streams_from_disk_when_engine_gave_a_header_only(tmp_path: Path) -> None:
    data = gguf_bytes() + b"\x01" * (200 * 1024)
    result = scan(tmp_path, "big.gguf", data, head=64 * 1024)
    assert result.components[0].properties["sha256"] == hashlib.sha256(data).hexdigest()
    assert result.components[0].properties["size"] == len(data)


def test_unreadable_file_gives_a_warning_not_a_crash() -> None:
    data = gguf_bytes()
    file = ScanFile("gone.gguf", "/nonexistent/gone.gguf", data[:32], size=len(data))
    result = DETECTOR.detect(file, CTX)
    assert result.components[0].properties["sha256"] is None
    assert [w.path for w in result.warnings] == ["gone.gguf"]


def test_pickle_scan_lists_globals_without_loading() -> None:
    scan_result = scan_pickle(MALICIOUS)
    assert scan_result.complete
    assert dangerous_globals(scan_result.globals)
    benign = scan_pickle(pickle.dumps(zipfile.ZipInfo("x"), protocol=4))
    assert benign.globals == ["zipfile.ZipInfo"]
    assert dangerous_globals(benign.globals) == []


@given(st.binary(max_size=4096))
def test_parsers_never_raise_on_arbitrary_bytes(data: bytes) -> None:
    parse_gguf(data)
    parse_gguf(b"GGUF\x03\0\0\0" + data)
    parse_safetensors(data)
    parse_safetensors(struct.pack("<Q", len(data)) + data)
    parse_onnx(data)
    parse_onnx(b"\x08\x08" + data)
    list(iter_proto_fields(data))
    scan_pickle(data)
    scan_pickle(b"\x80\x04" + data)
    scan_pickle_imports_in_bytes(data)


@given(st.binary(max_size=2048), st.sampled_from([".gguf", ".pt", ".pkl", ".onnx", ".keras"]))
def test_detector_never_raises(data: bytes, ext: str) -> None:
    file = ScanFile(f"m{ext}", "", data, size=len(data))
    DETECTOR.detect(file, CTX)


def test_a_pickle_of_plain_data_is_not_a_model_file(tmp_path: Path) -> None:
    # crewAI's `trained_agents_data.pkl`, a pickled vector store, evaluation results in a
    # `.bin`: containers and arrays only, and a name that does not say "model".
    for relpath in ("crews/trip/trained_agents_data.pkl", "vector_db.pkl", "eval/results.bin"):
        result = scan(tmp_path, relpath, BENIGN)
        assert result.components == [], relpath
        assert [f.rule_id for f in result.findings], relpath  # still a pickle that code loads
    # The same bytes under a model's name, or with a class from an ML library, stay models.
    assert scan(tmp_path, "models/ranker.pkl", BENIGN).components
    from tests.accuracy.model_file_builder import sklearn_pickle_bytes

    assert scan(tmp_path, "features.pkl", sklearn_pickle_bytes()).components
