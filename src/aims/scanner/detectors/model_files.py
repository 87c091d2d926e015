"""Finds local model files by their magic bytes and headers, without ever loading them.

Recognised formats: GGUF (and legacy GGML), safetensors, ONNX, PyTorch (zip archives with a
`data.pkl`, TorchScript, legacy raw pickles), Keras (`.keras` zips and HDF5 files), TFLite,
TensorFlow SavedModel directories, and pickle / joblib files. Every parser works on bounded byte
strings, never executes anything (pickles are only disassembled with `pickletools`), and never
raises: malformed input simply yields no result.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickletools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aims.findings import Confidence, Finding, Location, Severity, make_finding
from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

NAME = "model-files"

_EXTENSIONS = frozenset(
    {
        ".gguf",
        ".ggml",
        ".safetensors",
        ".onnx",
        ".pt",
        ".pth",
        ".bin",
        ".ckpt",
        ".pkl",
        ".pickle",
        ".joblib",
        ".keras",
        ".h5",
        ".hdf5",
        ".tflite",
    }
)
_FILE_NAMES = frozenset({"saved_model.pb"})
_PYTORCH_EXTENSIONS = frozenset({".pt", ".pth", ".bin", ".ckpt"})
_PICKLE_EXTENSIONS = frozenset({".pkl", ".pickle", ".joblib"})

MAX_HEADER_BYTES = 16 * 1024 * 1024
"""Largest safetensors JSON header or zip member aims reads (bigger ones are not parsed)."""
MAX_PICKLE_BYTES = 4 * 1024 * 1024
"""Largest pickle stream disassembled to list the globals it imports."""
_MAX_GGUF_KVS = 512
_MAX_PICKLE_OPS = 500_000

# A pickle global is dangerous when loading it can run commands, import code, open files or
# sockets, or evaluate text. Module prefixes match the module and its sub-modules.
_DANGEROUS_MODULES = frozenset(
    {
        "os",
        "posix",
        "nt",
        "subprocess",
        "sys",
        "socket",
        "shutil",
        "runpy",
        "pty",
        "commands",
        "webbrowser",
        "ctypes",
        "importlib",
        "marshal",
        "code",
        "codeop",
        "pdb",
        "bdb",
        "timeit",
        "urllib",
        "urllib2",
        "http",
        "httplib",
        "requests",
        "asyncio",
        "multiprocessing",
        "types",
        "pip",
        "setuptools",
    }
)
_DANGEROUS_GLOBALS = frozenset(
    {
        "builtins.eval",
        "builtins.exec",
        "builtins.compile",
        "builtins.__import__",
        "builtins.getattr",
        "builtins.setattr",
        "builtins.delattr",
        "builtins.open",
        "builtins.input",
        "builtins.breakpoint",
        "builtins.globals",
        "builtins.vars",
        "__builtin__.eval",
        "__builtin__.exec",
        "__builtin__.execfile",
        "__builtin__.compile",
        "__builtin__.__import__",
        "__builtin__.getattr",
        "__builtin__.open",
        "__builtin__.file",
        "__builtin__.apply",
        "operator.attrgetter",
        "operator.methodcaller",
        "pickle.loads",
        "pickle.load",
        "_pickle.loads",
        "_pickle.load",
        "dill.loads",
        "torch.load",
        "numpy.load",
        "joblib.load",
    }
)


class ParseError(Exception):
    """Internal: the bytes are not (or no longer) the expected structure."""


# --------------------------------------------------------------------------------------------
# Small binary readers


class _Reader:
    """A bounds-checked little-endian reader over bytes; raises `ParseError` past the end."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ParseError("truncated")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u32(self) -> int:
        value: int = struct.unpack("<I", self.take(4))[0]
        return value

    def u64(self) -> int:
        value: int = struct.unpack("<Q", self.take(8))[0]
        return value


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Read one protobuf base-128 varint at `pos`; return (value, next position).

    Raises `ParseError` when the data ends first or the varint is longer than 10 bytes.
    """
    value = 0
    for shift in range(0, 70, 7):
        if pos >= len(data):
            raise ParseError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
    raise ParseError("varint too long")


@dataclass(slots=True)
class ProtoField:
    """One top-level protobuf field: number, wire type and value (int or raw bytes)."""

    number: int
    wire_type: int
    value: int | bytes


def iter_proto_fields(data: bytes, *, limit: int = 10_000) -> Iterator[ProtoField]:
    """Yield the top-level fields of a protobuf message until the data ends or is invalid.

    Length-delimited fields that run past the end of `data` stop the iteration (a header read
    is usually truncated inside the big `graph` field). Never raises.
    """
    pos = 0
    for _ in range(limit):
        if pos >= len(data):
            return
        try:
            key, pos = read_varint(data, pos)
            number, wire_type = key >> 3, key & 7
            if number == 0:
                return
            if wire_type == 0:
                value, pos = read_varint(data, pos)
                yield ProtoField(number, wire_type, value)
            elif wire_type == 1:
                if pos + 8 > len(data):
                    return
                yield ProtoField(number, wire_type, data[pos : pos + 8])
                pos += 8
            elif wire_type == 2:
                length, pos = read_varint(data, pos)
                if pos + length > len(data):
                    return
                yield ProtoField(number, wire_type, data[pos : pos + length])
                pos += length
            elif wire_type == 5:
                if pos + 4 > len(data):
                    return
                yield ProtoField(number, wire_type, data[pos : pos + 4])
                pos += 4
            else:
                return  # groups (3, 4) and invalid wire types never occur in these files
        except ParseError:
            return


def _text(raw: bytes, limit: int = 256) -> str | None:
    try:
        value = raw[:limit].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return value if value.isprintable() else None


# --------------------------------------------------------------------------------------------
# Format parsers: each takes bytes and returns a dict of facts, or None when it is not that format


_GGUF_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_GGUF_STRING, _GGUF_ARRAY = 8, 9
_GGUF_WANTED = {
    "general.architecture": "architecture",
    "general.name": "model_name",
    "general.basename": "basename",
    "general.size_label": "size_label",
    "general.license": "license",
    "general.file_type": "file_type",
    "general.quantization_version": "quantization_version",
}


def _gguf_string(reader: _Reader, version: int) -> bytes:
    length = reader.u32() if version == 1 else reader.u64()
    return reader.take(length)


def _gguf_value(reader: _Reader, kind: int, version: int, depth: int = 0) -> Any:
    if kind in _GGUF_SCALARS:
        fmt = _GGUF_SCALARS[kind]
        return struct.unpack(fmt, reader.take(struct.calcsize(fmt)))[0]
    if kind == _GGUF_STRING:
        return _gguf_string(reader, version)
    if kind == _GGUF_ARRAY and depth < 2:
        item_kind = reader.u32()
        count = reader.u32() if version == 1 else reader.u64()
        if item_kind in _GGUF_SCALARS:
            reader.take(count * struct.calcsize(_GGUF_SCALARS[item_kind]))
        else:
            if count > len(reader.data):
                raise ParseError("array too long")
            for _ in range(count):
                _gguf_value(reader, item_kind, version, depth + 1)
        return None
    raise ParseError(f"unknown GGUF value type {kind}")


def parse_gguf(data: bytes) -> dict[str, Any] | None:
    """Parse a GGUF header: version, tensor and metadata counts, and the `general.*` facts.

    Returns None unless `data` starts with the `GGUF` magic and a known version (1 to 3). The
    metadata is read only as far as `data` goes; arrays (the tokenizer vocabulary) are skipped.
    """
    if len(data) < 8 or data[:4] != b"GGUF":
        return None
    reader = _Reader(data, 4)
    try:
        version = reader.u32()
        if version not in (1, 2, 3):
            return None
        facts: dict[str, Any] = {"gguf_version": version}
        tensor_count = reader.u32() if version == 1 else reader.u64()
        kv_count = reader.u32() if version == 1 else reader.u64()
        facts["tensor_count"] = tensor_count
        facts["metadata_count"] = kv_count
        for _ in range(min(kv_count, _MAX_GGUF_KVS)):
            key = _text(_gguf_string(reader, version))
            kind = reader.u32()
            value = _gguf_value(reader, kind, version)
            if key is None:
                continue
            if key in _GGUF_WANTED:
                out = _text(value) if isinstance(value, bytes) else value
                if out is not None:
                    facts[_GGUF_WANTED[key]] = out
            elif key.endswith(".context_length") and isinstance(value, int):
                facts["context_length"] = value
    except (ParseError, struct.error):
        pass
    return facts


_GGML_MAGICS = {b"lmgg": "ggml", b"fmgg": "ggmf", b"tjgg": "ggjt"}


def parse_ggml(data: bytes) -> dict[str, Any] | None:
    """Recognise the legacy GGML/GGMF/GGJT files that predate GGUF (magic stored little-endian)."""
    variant = _GGML_MAGICS.get(data[:4])
    return None if variant is None else {"ggml_variant": variant}


def safetensors_header_length(data: bytes) -> int | None:
    """Return the JSON header length a safetensors file declares, or None if implausible."""
    if len(data) < 10:
        return None
    length: int = struct.unpack("<Q", data[:8])[0]
    if length < 2 or length > MAX_HEADER_BYTES or data[8:9] != b"{":
        return None
    return length


def parse_safetensors(data: bytes, size: int | None = None) -> dict[str, Any] | None:
    """Parse a safetensors header: tensor count, dtypes, parameter count and `__metadata__`.

    `data` must hold at least the 8-byte length and the whole JSON header. Returns None when
    the header is missing, too big, runs past the file size, or is not a tensor table.
    """
    length = safetensors_header_length(data)
    if length is None or len(data) < 8 + length:
        return None
    if size is not None and 8 + length > size:
        return None
    try:
        header = json.loads(data[8 : 8 + length])
    except (ValueError, RecursionError):
        return None
    if not isinstance(header, dict):
        return None
    metadata = header.pop("__metadata__", None)
    dtypes: set[str] = set()
    parameters = 0
    for entry in header.values():
        if not isinstance(entry, dict) or not isinstance(entry.get("dtype"), str):
            return None
        dtypes.add(entry["dtype"])
        shape = entry.get("shape")
        if isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape):
            count = 1
            for dim in shape:
                count *= dim
            parameters += count
    facts: dict[str, Any] = {
        "tensor_count": len(header),
        "dtypes": sorted(dtypes),
        "parameters": parameters,
    }
    if isinstance(metadata, dict):
        facts["metadata"] = {
            str(k)[:100]: str(v)[:200] for k, v in list(metadata.items())[:50] if isinstance(v, str)
        }
    return facts


_ONNX_MAX_IR_VERSION = 64


def parse_onnx(data: bytes) -> dict[str, Any] | None:
    """Read the leading fields of an ONNX `ModelProto` with a tiny protobuf reader.

    Needs `ir_version` (field 1) as the first field, as every ONNX exporter writes it, plus a
    producer, an opset import or a graph. Returns ir_version, producer, domain, model_version
    and opsets when present, or None.
    """
    if not data or data[0] != 0x08:
        return None
    facts: dict[str, Any] = {}
    opsets: dict[str, int] = {}
    seen_other = False
    for index, fld in enumerate(iter_proto_fields(data, limit=64)):
        if index == 0:
            if fld.number != 1 or not isinstance(fld.value, int):
                return None
            if not 1 <= fld.value <= _ONNX_MAX_IR_VERSION:
                return None
            facts["ir_version"] = fld.value
            continue
        if isinstance(fld.value, bytes) and fld.wire_type == 2:
            if fld.number == 2:
                facts["producer"] = _text(fld.value)
            elif fld.number == 3:
                facts["producer_version"] = _text(fld.value)
            elif fld.number == 4:
                facts["domain"] = _text(fld.value)
            elif fld.number == 8:
                domain, version = "", None
                for sub in iter_proto_fields(fld.value, limit=8):
                    if sub.number == 1 and isinstance(sub.value, bytes):
                        domain = _text(sub.value) or ""
                    elif sub.number == 2 and isinstance(sub.value, int):
                        version = sub.value
                if version is not None:
                    opsets[domain or "ai.onnx"] = version
            seen_other = seen_other or fld.number in (2, 7, 8)
        elif fld.number == 5 and isinstance(fld.value, int):
            facts["model_version"] = fld.value
    if "ir_version" not in facts:
        return None
    if not seen_other and not (len(data) >= 2 and data[2:3] in (b"\x12", b":", b"B")):
        return None
    if opsets:
        facts["opsets"] = opsets
    return {k: v for k, v in facts.items() if v is not None}


def parse_saved_model(data: bytes) -> dict[str, Any] | None:
    """Check that `saved_model.pb` bytes look like a `SavedModel` proto (schema version + graphs)."""
    fields = list(iter_proto_fields(data, limit=4))
    if not fields:
        return None
    first = fields[0]
    if first.number == 1 and first.wire_type == 0:
        return {"schema_version": first.value}
    if first.number == 2 and first.wire_type == 2:
        return {}
    return None


def pickle_protocol(data: bytes) -> int | None:
    """Return the protocol of a binary pickle (`\\x80` then 2..5), or None."""
    if len(data) >= 2 and data[0] == 0x80 and 2 <= data[1] <= 5:
        return data[1]
    return None


_STRING_OPS = frozenset(
    {
        "SHORT_BINUNICODE",
        "BINUNICODE",
        "BINUNICODE8",
        "UNICODE",
        "SHORT_BINSTRING",
        "BINSTRING",
        "STRING",
    }
)
_MEMO_PUT = frozenset({"PUT", "BINPUT", "LONG_BINPUT"})
_MEMO_GET = frozenset({"GET", "BINGET", "LONG_BINGET"})


@dataclass(slots=True)
class PickleScan:
    """What disassembling a pickle stream showed, without executing it."""

    globals: list[str] = field(default_factory=list)
    """`module.name` of every class or function the pickle would import, in first-seen order."""
    complete: bool = False
    """True when the stream was read to its STOP opcode."""
    opcodes: int = 0
    """How many opcodes were read."""


def scan_pickle(data: bytes) -> PickleScan:
    """List the globals a pickle stream would import by walking its opcodes (never loads it).

    Handles `GLOBAL`/`INST` (protocols 0-3) and `STACK_GLOBAL` (4+) including memoised names.
    Stops at `STOP`, at the first malformed opcode, or after a bounded number of opcodes.
    """
    result = PickleScan()
    seen: set[str] = set()
    recent: list[str | None] = []
    memo: dict[int, str | None] = {}
    next_memo = 0

    def add(name: str) -> None:
        if name not in seen and len(seen) < 1000:
            seen.add(name)
            result.globals.append(name)

    try:
        for count, (opcode, arg, _pos) in enumerate(pickletools.genops(data[:MAX_PICKLE_BYTES])):
            if count > _MAX_PICKLE_OPS:
                break
            op = opcode.name
            result.opcodes = count + 1
            if op in ("GLOBAL", "INST") and isinstance(arg, str):
                module, _, attr = arg.partition(" ")
                add(f"{module}.{attr}")
                recent.append(None)
            elif op == "STACK_GLOBAL":
                if len(recent) >= 2 and recent[-2] is not None and recent[-1] is not None:
                    add(f"{recent[-2]}.{recent[-1]}")
                else:
                    add("?.?")  # NOTE: computed names hide what is imported; treat as unknown
                recent.append(None)
            elif op in _STRING_OPS:
                value = arg.decode("latin-1") if isinstance(arg, bytes) else arg
                recent.append(value if isinstance(value, str) else None)
            elif op in _MEMO_PUT and isinstance(arg, int):
                memo[arg] = recent[-1] if recent else None
            elif op == "MEMOIZE":
                memo[next_memo] = recent[-1] if recent else None
                next_memo += 1
            elif op in _MEMO_GET and isinstance(arg, int):
                recent.append(memo.get(arg))
            elif op == "STOP":
                result.complete = True
                break
            else:
                recent.append(None)
            if len(recent) > 64:
                del recent[:-8]
    except Exception:  # pickletools raises many types on malformed input
        pass
    return result


_GLOBAL_BYTES = re.compile(rb"c([A-Za-z_][\w.]{0,100})\n([A-Za-z_][\w.]{0,100})\n")
_STACK_GLOBAL_BYTES = re.compile(
    rb"\x8c([\x01-\x64])([A-Za-z_][\w.]{0,99})\x94?\x8c([\x01-\x64])([A-Za-z_][\w.]{0,99})\x94?\x93"
)


def scan_pickle_imports_in_bytes(data: bytes) -> list[str]:
    """Find import opcodes anywhere in `data` by their byte shape, without disassembling.

    A fallback for streams the disassembler cannot walk end to end (joblib files embed raw
    array bytes between pickle opcodes): `GLOBAL` (`c module\\n name\\n`) and protocol 4+
    `SHORT_BINUNICODE module, SHORT_BINUNICODE name, STACK_GLOBAL` whose length bytes agree.
    """
    head = data[:MAX_PICKLE_BYTES]
    out = [f"{m.group(1).decode()}.{m.group(2).decode()}" for m in _GLOBAL_BYTES.finditer(head)]
    out += [
        f"{m.group(2).decode()}.{m.group(4).decode()}"
        for m in _STACK_GLOBAL_BYTES.finditer(head)
        if m.group(1)[0] == len(m.group(2)) and m.group(3)[0] == len(m.group(4))
    ]
    return list(dict.fromkeys(out))


def dangerous_globals(names: Iterable[str]) -> list[str]:
    """Return the globals that let a pickle run code, touch files or the network when loaded."""
    out = []
    for name in names:
        module = name.rsplit(".", 1)[0] if "." in name else name
        top = module.split(".", 1)[0]
        if name in _DANGEROUS_GLOBALS or top in _DANGEROUS_MODULES or name == "?.?":
            out.append(name)
    return out


_COMPRESSIONS = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x04\x22\x4d\x18", "lz4"),
    (b"ZF", "zlib"),
)


def joblib_compression(data: bytes) -> str | None:
    """Return the compression of a compressed joblib/pickle file, or None."""
    for magic, name in _COMPRESSIONS:
        if data.startswith(magic):
            return name
    if len(data) >= 2 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0:
        return "zlib"
    return None


def _decompress_prefix(data: bytes, compression: str) -> bytes:
    """Decompress at most `MAX_PICKLE_BYTES` of a zlib or gzip stream; b"" when not possible."""
    if compression == "zlib" and data.startswith(b"ZF"):
        data = data[2:].lstrip(b"0123456789abcdefx ")  # NOTE: joblib<0.10 "ZF" + length header
    wbits = {"zlib": zlib.MAX_WBITS, "gzip": 16 + zlib.MAX_WBITS}.get(compression)
    if wbits is None:
        return b""
    try:
        return zlib.decompressobj(wbits).decompress(data, MAX_PICKLE_BYTES)
    except zlib.error:
        return b""


# --------------------------------------------------------------------------------------------
# Zip archives: PyTorch, TorchScript, Keras


def _open_zip(file: ScanFile) -> zipfile.ZipFile | None:
    source: Any
    if file.size > len(file.data) and file.abspath:
        source = file.abspath
    else:
        source = io.BytesIO(file.data)
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, *, partial: bool = False
) -> bytes | None:
    """Read a member, or (with `partial`) its first `limit` bytes; None when too big or bad."""
    if info.file_size > limit and not partial:
        return None
    try:
        with archive.open(info) as handle:
            return handle.read(limit)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None
    except zlib.error:
        return None


def parse_zip_model(file: ScanFile) -> tuple[str, dict[str, Any], bytes | None] | None:
    """Classify a zip-based model: `pytorch`, `torchscript` or `keras`.

    Returns (format, facts, pickle bytes or None) or None when the archive is not a model.
    Only the central directory and small members are read.
    """
    archive = _open_zip(file)
    if archive is None:
        return None
    with archive:
        try:
            infos = archive.infolist()[:100_000]
        except (OSError, ValueError):
            return None
        names = {info.filename: info for info in infos}
        data_pkl = [
            info
            for name, info in names.items()
            if name.endswith("/data.pkl") and name.count("/") == 1
        ]
        if data_pkl:
            info = data_pkl[0]
            prefix = info.filename[: -len("data.pkl")]
            torchscript = f"{prefix}constants.pkl" in names or any(
                n.startswith(f"{prefix}code/") for n in names
            )
            facts: dict[str, Any] = {
                "tensor_storages": sum(
                    1 for n in names if n.startswith(f"{prefix}data/") and not n.endswith("/")
                )
            }
            version = names.get(f"{prefix}version") or names.get(f"{prefix}.data/version")
            if version is not None:
                raw = _read_member(archive, version, 64)
                text = _text(raw.strip()) if raw else None
                if text:
                    facts["archive_version"] = text
            pickled = _read_member(archive, info, MAX_PICKLE_BYTES, partial=True)
            return ("torchscript" if torchscript else "pytorch", facts, pickled)
        config = names.get("config.json")
        if config is not None and (
            "metadata.json" in names or "model.weights.h5" in names or file.name.endswith(".keras")
        ):
            facts = {}
            meta_info = names.get("metadata.json")
            raw_meta = _read_member(archive, meta_info, 1 << 20) if meta_info else None
            if raw_meta:
                try:
                    meta = json.loads(raw_meta)
                    if isinstance(meta, dict) and isinstance(meta.get("keras_version"), str):
                        facts["keras_version"] = meta["keras_version"][:40]
                except (ValueError, RecursionError):
                    pass
            raw_config = _read_member(archive, config, MAX_HEADER_BYTES)
            if raw_config:
                facts.update(_keras_config_facts(raw_config))
            return ("keras", facts, None)
    return None


def _keras_config_facts(raw: bytes) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    try:
        config = json.loads(raw)
    except (ValueError, RecursionError):
        return facts
    if isinstance(config, dict):
        if isinstance(config.get("class_name"), str):
            facts["class_name"] = config["class_name"][:100]
        name = (config.get("config") or {}) if isinstance(config.get("config"), dict) else {}
        if isinstance(name.get("name"), str):
            facts["model_name"] = name["name"][:100]
    facts["lambda_layers"] = raw.count(b'"class_name": "Lambda"') + raw.count(
        b'"class_name":"Lambda"'
    )
    return facts


_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


def parse_hdf5(data: bytes) -> dict[str, Any] | None:
    """Recognise an HDF5 file (signature at 0 or 512, 1024, 2048, ...) and Keras markers in it."""
    offsets = [0] + [512 << i for i in range(8)]
    if not any(data[o : o + 8] == _HDF5_MAGIC for o in offsets if o + 8 <= len(data)):
        return None
    facts: dict[str, Any] = {}
    if b"keras_version" in data or b"model_config" in data:
        facts["keras"] = True
    if b'"class_name": "Lambda"' in data or b'"class_name":"Lambda"' in data:
        facts["lambda_layers"] = True
    return facts


def parse_tflite(data: bytes) -> dict[str, Any] | None:
    """Recognise a TFLite flatbuffer by its `TFL3` file identifier at offset 4."""
    return {} if len(data) >= 8 and data[4:8] == b"TFL3" else None


# --------------------------------------------------------------------------------------------
# Hashing


def _hash_file(path: str) -> str | None:
    try:
        from aims.scanner import walker  # NOTE: the engine's helper, when it exists

        helper = getattr(walker, "hash_file", None)
    except ImportError:
        helper = None
    if helper is not None:
        try:
            value = helper(path)
        except OSError:
            return None
        if isinstance(value, str):
            return value
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def sha256_of(file: ScanFile) -> str | None:
    """SHA-256 of the whole file: from `data` when complete, else streamed from disk."""
    if len(file.data) >= file.size or not file.abspath:
        return hashlib.sha256(file.data).hexdigest()
    return _hash_file(file.abspath)


# --------------------------------------------------------------------------------------------
# The detector


@dataclass(slots=True)
class _Identified:
    format: str
    facts: dict[str, Any]
    pickle: bool = False
    pickle_bytes: bytes | None = None


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def identify(file: ScanFile) -> _Identified | None:
    """Work out a model file's format from its leading bytes (and, for zips, its directory)."""
    data, ext, lname = file.data, _extension(file.name), file.name.lower()
    if (facts := parse_gguf(data)) is not None:
        return _Identified("gguf", facts)
    if (facts := parse_ggml(data)) is not None:
        return _Identified("ggml", facts)
    length = safetensors_header_length(data)
    if length is not None:
        header = data
        if len(data) < 8 + length and file.abspath and 8 + length <= file.size:
            header = _read_prefix(file.abspath, 8 + length)
        facts = parse_safetensors(header, file.size)
        if facts is not None:
            return _Identified("safetensors", facts)
    if data[:4] == b"PK\x03\x04":
        zipped = parse_zip_model(file)
        if zipped is not None:
            fmt, facts, pickled = zipped
            return _Identified(fmt, facts, pickle=fmt != "keras", pickle_bytes=pickled)
        return None
    if (facts := parse_hdf5(data)) is not None:
        return _Identified("keras-h5" if facts.pop("keras", False) else "hdf5", facts)
    if (facts := parse_tflite(data)) is not None:
        return _Identified("tflite", facts)
    if lname == "saved_model.pb":
        facts = parse_saved_model(data)
        folder = os.path.dirname(file.abspath)
        if facts is not None and os.path.isdir(os.path.join(folder, "variables")):
            return _Identified("tensorflow-savedmodel", facts)
        return None
    if ext == ".onnx" and (facts := parse_onnx(data)) is not None:
        return _Identified("onnx", facts)
    protocol = pickle_protocol(data)
    if protocol is not None:
        if ext in _PYTORCH_EXTENSIONS:
            fmt = "pytorch-legacy"
        elif ext == ".joblib":
            fmt = "joblib"
        else:
            fmt = "pickle"
        return _Identified(fmt, {"pickle_protocol": protocol}, pickle=True, pickle_bytes=data)
    if ext in _PICKLE_EXTENSIONS | _PYTORCH_EXTENSIONS and data[:1] in _TEXT_PICKLE_STARTS:
        # Protocol 0/1 pickles have no header: accept a stream that disassembles cleanly.
        scan = scan_pickle(data)
        truncated = file.size > len(data)
        if (scan.complete and scan.opcodes >= 2) or (truncated and scan.opcodes >= 16):
            fmt = "pytorch-legacy" if ext in _PYTORCH_EXTENSIONS else _pickle_format(ext)
            return _Identified(fmt, {"pickle_protocol": 0}, pickle=True, pickle_bytes=data)
    if ext in _PICKLE_EXTENSIONS:
        compression = joblib_compression(data)
        if compression is not None:
            raw = data
            if file.size > len(data) and file.abspath:
                raw = _read_prefix(file.abspath, MAX_PICKLE_BYTES) or data
            inner = _decompress_prefix(raw, compression)
            facts = {"compression": compression}
            if (inner_protocol := pickle_protocol(inner)) is not None:
                facts["pickle_protocol"] = inner_protocol
            fmt = "joblib" if ext == ".joblib" else "pickle"
            return _Identified(fmt, facts, pickle=True, pickle_bytes=inner or None)
    return None


_TEXT_PICKLE_STARTS = frozenset(bytes([op]) for op in b"(c]})SVILFNiJKMGTUX")
"""Opcodes a protocol 0 or 1 pickle can start with (those have no `\\x80` header)."""


def _pickle_format(ext: str) -> str:
    return "joblib" if ext == ".joblib" else "pickle"


def _read_prefix(path: str, length: int) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(min(length, 8 + MAX_HEADER_BYTES))
    except OSError:
        return b""


_DATA_MODULES = frozenset(
    {
        "builtins",
        "__builtin__",
        "copyreg",
        "copy_reg",
        "collections",
        "_collections_abc",
        "datetime",
        "decimal",
        "fractions",
        "uuid",
        "pathlib",
        "_codecs",
        "codecs",
        "enum",
        "array",
        "numpy",
        "pandas",
        "scipy",
    }
)
"""Modules whose objects are plain data: a pickle importing nothing else holds no model."""


def _plain_data(fmt: str, imports: list[str], *, complete: bool, relpath: str) -> bool:
    """Whether a pickle is plain data rather than a model: it rebuilds only containers, arrays
    or data frames (no scikit-learn, PyTorch, XGBoost... class), and its path does not say it
    holds a model (`vector_db.pkl`, `training_data.pkl`, `results.bin`). A scan that stopped
    early without finding any import proves nothing, so that file stays a model file."""
    if fmt not in ("pickle", "joblib", "pytorch-legacy") or (not complete and not imports):
        return False
    if any(g.split(".", 1)[0] not in _DATA_MODULES for g in imports):
        return False
    if relpath.lower().endswith((".pt", ".pth", ".ckpt")):
        return False  # NOTE: PyTorch's own extensions say "weights" whatever the content
    return not _source.names_a_model(relpath)


def _component_name(file: ScanFile, fmt: str) -> str:
    """The file's path (a SavedModel's folder): unique, so two files never merge into one.

    Names found inside the file (GGUF `general.name`) go to `properties["model_name"]`; two
    quantisations of one model are two files with two hashes and stay two components.
    """
    if fmt == "tensorflow-savedmodel" and "/" in file.relpath:
        return file.relpath.rsplit("/", 1)[0]
    return file.relpath


class ModelFileDetector:
    """Reports model weight files (GGUF, safetensors, ONNX, PyTorch, Keras, TFLite, pickle...)."""

    name = NAME
    version = "2"

    def wants(self, relpath: str, name: str) -> bool:
        """Model files are recognised by extension first (`.gguf`, `.pt`, ...) or name."""
        lower = name.lower()
        return _extension(lower) in _EXTENSIONS or lower in _FILE_NAMES

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Binary files have no keywords: every wanted file is examined."""
        return None

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Identify the file's format, describe it, and flag pickle-based formats."""
        result = DetectResult()
        try:
            found = identify(file)
        except Exception as exc:  # a bad file is a warning, never a crash
            result.warnings.append(ScanWarning(file.relpath, f"cannot read model header: {exc}"))
            return result
        if found is None:
            return result
        properties: dict[str, Any] = {"format": found.format, "size": file.size}
        digest = sha256_of(file)
        if digest is None:
            result.warnings.append(ScanWarning(file.relpath, "cannot hash model file"))
        properties["sha256"] = digest
        properties["pickle"] = found.pickle
        properties.update(found.facts)
        imports: list[str] = []
        if found.pickle and found.pickle_bytes:
            stream = found.pickle_bytes
            if stream is file.data and file.size > len(stream) and file.abspath:
                stream = _read_prefix(file.abspath, MAX_PICKLE_BYTES) or stream
            scan = scan_pickle(stream)
            imports = scan.globals
            if not scan.complete:
                # NOTE: joblib interleaves raw array bytes with its pickle opcodes, which stops
                # the disassembler; look for import opcodes in the rest of the bytes as well.
                imports += [g for g in scan_pickle_imports_in_bytes(stream) if g not in imports]
            properties["pickle_imports"] = imports[:50]
            if _plain_data(found.format, imports, complete=scan.complete, relpath=file.relpath):
                # NOTE: still a pickle the code may load, so the findings stay.
                result.findings.extend(_findings(file, found, digest, imports))
                return result
        result.components.append(
            Component(
                type=ComponentType.MODEL_FILE,
                name=_component_name(file, found.format),
                evidence=[Evidence(file.relpath, None, NAME, f"{found.format} model file")],
                properties=properties,
            )
        )
        result.findings.extend(_findings(file, found, digest, imports))
        return result


def _findings(
    file: ScanFile, found: _Identified, digest: str | None, imports: list[str]
) -> list[Finding]:
    from aims.catalog.rules import load_rules

    rules = load_rules()
    where = Location(file.relpath)
    key = digest or file.relpath
    out: list[Finding] = []

    def emit(rule_id: str, message: str, evidence: str, **extra: Any) -> None:
        rule = rules.require(rule_id)
        out.append(
            make_finding(
                rule_id=rule.id,
                rule_name=rule.name,
                message=message,
                severity=extra.pop("severity", rule.severity),
                confidence=extra.pop("confidence", rule.confidence),
                primary=where,
                match=key,
                evidence=evidence,
                properties={"format": found.format, **extra},
            )
        )

    bad = dangerous_globals(imports)
    if bad:
        shown = ", ".join(bad[:5])
        emit(
            "AIM304",
            f"Model file `{file.name}` is a pickle that imports {shown} when loaded: loading it "
            "runs that code with your privileges. Do not load it; obtain the model in "
            "safetensors or another data-only format from a trusted source.",
            f"{found.format}: {shown}",
            imports=bad[:20],
        )
    elif found.format in ("pytorch", "torchscript", "pytorch-legacy"):
        severity = Severity.HIGH if found.format == "pytorch-legacy" else Severity.MEDIUM
        emit(
            "AIM305",
            f"Model file `{file.name}` is a PyTorch {found.format} checkpoint whose tensors are "
            "described by a pickle; `torch.load` without `weights_only=True` (the default only "
            "since PyTorch 2.6) runs any code embedded in it. Convert it to safetensors, or "
            "load it with `torch.load(..., weights_only=True)`.",
            f"{found.format} checkpoint",
            severity=severity,
        )
    elif found.pickle:
        emit(
            "AIM303",
            f"Model file `{file.name}` is a {found.format} pickle: unpickling runs arbitrary "
            "code, so whoever can change this file can run commands wherever it is loaded. "
            "Store the model in a data-only format (safetensors, ONNX, skops) or verify its "
            "hash before loading.",
            f"{found.format} (pickle protocol {found.facts.get('pickle_protocol', '?')})",
        )
    lambdas = found.facts.get("lambda_layers")
    if lambdas:
        emit(
            "AIM306",
            f"Keras model `{file.name}` contains Lambda layers, which store Python bytecode that "
            "runs when the model is loaded with safe mode off (always for legacy HDF5). Replace "
            "Lambda layers with registered custom layers and keep `safe_mode=True`.",
            f"{found.format} with Lambda layer",
            confidence=Confidence.MEDIUM,
        )
    return out
