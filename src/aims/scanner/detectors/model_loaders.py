"""Models loaded through a library's own loader by name (torch.hub, timm, Ultralytics, Whisper,
spaCy), which carry neither a provider model ID nor a Hugging Face repo ID, and the model files
(and MLflow registry models) that code saves or loads by path."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from aims.inventory import Component, ComponentType, Evidence
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "model-loaders"


BY_PUBLISHER = "by-publisher"
"""A loader whose models' provider is the publisher named in the handle (TF Hub, Kaggle)."""


@dataclass(frozen=True)
class Loader:
    """One library loader (data from `catalog/data/model_loaders.yaml`)."""

    id: str
    provider: str
    pattern: re.Pattern[str]
    name: str
    keyword: str
    positive: tuple[str, ...]
    negative: tuple[str, ...]

    def component_name(self, match: re.Match[str]) -> str:
        """The model's name as the loader's `name` template spells it."""
        return self.name.format(**{k: v or "" for k, v in match.groupdict().items()}) + (
            match.groupdict().get("en") or ""
        )


@lru_cache(maxsize=1)
def load_loaders() -> tuple[Loader, ...]:
    """The loader table, compiled."""
    text = resources.files("aims.catalog").joinpath("data/model_loaders.yaml").read_text("utf-8")
    return tuple(
        Loader(
            id=str(entry["id"]),
            provider=str(entry["provider"]),
            pattern=re.compile(entry["pattern"]),
            name=str(entry["name"]),
            keyword=str(entry["keyword"]).lower(),
            positive=tuple(entry["examples"]["positive"]),
            negative=tuple(entry["examples"]["negative"]),
        )
        for entry in yaml.safe_load(text) or []
    )


def find_loaded_models(line: str) -> list[tuple[Loader, re.Match[str]]]:
    """Every loader call with a literal model name on one line of code."""
    low = line.lower()
    found = []
    for loader in load_loaders():
        if loader.keyword in low:
            found += [(loader, m) for m in loader.pattern.finditer(line)]
    return found


class ModelLoaderDetector:
    """Reports models that Python code loads by name through torch.hub, timm, Ultralytics,
    Whisper or spaCy, and the model files (and MLflow registry models) it saves or loads."""

    name = DETECTOR_NAME
    version = "2"

    def wants(self, relpath: str, name: str) -> bool:
        """Python source files."""
        return name.endswith((".py", ".pyi"))

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """The loaders' call names and the libraries that save and load model files."""
        words = {loader.keyword.encode() for loader in load_loaders()}
        words |= {a.library.encode() for a in load_artifacts() if a.library != "gradient-boosting"}
        words |= {b"xgboost", b"lightgbm", b"catboost", b"pickle", b"tensorflow", b"keras"}
        return sorted(words)

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """One model component per loaded model, with every line that loads it."""
        result = DetectResult()
        by_name: dict[tuple[str, str], Component] = {}
        for number, line in enumerate(file.text.splitlines(), start=1):
            if "#" in line and line.lstrip().startswith("#"):
                continue
            for loader, match in find_loaded_models(line):
                name = loader.component_name(match)
                component = by_name.get((loader.id, name))
                if component is None:
                    if loader.provider == BY_PUBLISHER:
                        found = ctx.catalog.provider_for_hf_org(match.group("publisher"))
                        provider = found.id if found is not None else None
                    else:
                        provider = (
                            loader.provider if ctx.catalog.provider(loader.provider) else None
                        )
                    component = Component(
                        type=ComponentType.MODEL,
                        name=name,
                        provider=provider,
                        category="open-weights",
                        properties={"loader": loader.id},
                    )
                    by_name[(loader.id, name)] = component
                component.evidence.append(
                    Evidence(file.relpath, number, DETECTOR_NAME, _source.snippet(line))
                )
        result.components.extend(by_name.values())
        if file.name.endswith((".py", ".pyi")):
            result.components.extend(artifact_components(file))
        return result


# -- model files saved or loaded by path ----------------------------------------------------------

_UNUSABLE = re.compile(r"[{}*?<>|$%]|://|^\s*$")
_MLFLOW_REGISTRY_URI = re.compile(
    r"models:/(?P<name>[^/@\s]+)(?:/(?P<version>[^/\s]+)|@(?P<alias>[\w-]+))?"
)
_REGISTRY_NAME = re.compile(r"[A-Za-z0-9][\w.\- ]{0,120}")
_OPEN_CALL = re.compile(
    r"(?:(?<![\w.])open|(?<![\w.])(?:pathlib\s*\.\s*)?Path)\s*\(\s*(?:file\s*=\s*)?"
)
_WITH_OPEN = r"(?<![\w.])open\s*\(\s*(?P<q>[rRuU]?)(?=[\"'])"


@dataclass(frozen=True)
class Artifact:
    """One save or load call that names a model file (data from `model_artifacts.yaml`)."""

    id: str
    call: re.Pattern[str]
    bare: tuple[tuple[str, str], ...]
    arg: int
    keywords: tuple[str, ...]
    op: str
    library: str
    format: str | None
    requires: tuple[str, ...]
    suffixes: tuple[str, ...]
    exclude: re.Pattern[str] | None
    named: bool
    registry: str | None
    positive: tuple[str, ...]
    negative: tuple[str, ...]


@lru_cache(maxsize=1)
def load_artifacts() -> tuple[Artifact, ...]:
    """The model-file call table, compiled. `\\n` in an example separates its lines."""
    path = "data/model_artifacts.yaml"
    text = resources.files("aims.catalog").joinpath(path).read_text("utf-8")
    out = []
    for entry in yaml.safe_load(text) or []:
        examples = entry.get("examples", {})
        out.append(
            Artifact(
                id=str(entry["id"]),
                call=re.compile(entry["call"] + r"\s*\("),
                bare=tuple((str(m), str(n)) for m, n in (entry.get("bare") or {}).items()),
                arg=int(entry["arg"]),
                keywords=tuple(entry.get("keywords") or ()),
                op=str(entry["op"]),
                library=str(entry["library"]),
                format=entry.get("format"),
                requires=tuple(entry.get("requires") or ()),
                suffixes=tuple(entry.get("suffixes") or ()),
                exclude=re.compile(entry["exclude"]) if entry.get("exclude") else None,
                named=bool(entry.get("named", False)),
                registry=entry.get("registry"),
                positive=tuple(x.replace("\\n", "\n") for x in examples.get("positive", ())),
                negative=tuple(x.replace("\\n", "\n") for x in examples.get("negative", ())),
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ArtifactRef:
    """A model file (or registry model) one call saves or loads."""

    offset: int
    """Offset of the call in the scanned text."""
    artifact: Artifact
    value: str
    """The path or URI as written (after constant resolution)."""
    op: str
    """`save` or `load`."""


_IMPORTED = re.compile(
    r"(?m)^[ \t]*(?:from[ \t]+(?P<from>[\w.]+)[ \t]+import\b|import[ \t]+(?P<mods>[\w., \t]+))"
)


def _imported_modules(code: str) -> set[str]:
    """Top-level modules the code imports (`import a.b as c` and `from a.b import c` give `a`)."""
    found: set[str] = set()
    for m in _IMPORTED.finditer(code):
        if m.group("from"):
            found.add(m.group("from").split(".")[0])
        else:
            found.update(
                part.split()[0].split(".")[0] for part in m.group("mods").split(",") if part.strip()
            )
    return found


def _bare_names(code: str, artifact: Artifact) -> list[str]:
    """Names bound by `from <module> import <name>` for the artifact's bare calls."""
    names: list[str] = []
    for module, name in artifact.bare:
        pattern = (
            rf"(?m)^[ \t]*from[ \t]+{re.escape(module)}[ \t]+import[ \t]*\(?[^\n)]*"
            rf"\b{name}\b(?:[ \t]+as[ \t]+(?P<alias>\w+))?"
        )
        names.extend(m.group("alias") or name for m in re.finditer(pattern, code))
    return names


def _arguments(code: str, open_paren: int) -> list[tuple[int, int]]:
    """Spans of the top-level arguments of the call whose `(` is at `open_paren` (masked code)."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = open_paren + 1
    end = min(len(code), open_paren + 4000)
    for i in range(open_paren, end):
        char = code[i]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                if code[start:i].strip():
                    spans.append((start, i))
                return spans
        elif char == "," and depth == 1:
            spans.append((start, i))
            start = i + 1
    return spans


def _literal(masked: _source.Masked, start: int, end: int) -> str | None:
    """The string literal, module-level string constant, `open("x")`, `Path("x")` or
    `os.path.join("a", "b")` of literals that spans `[start, end)`, or None."""
    code = masked.code
    while start < end and code[start].isspace():
        start += 1
    while end > start and code[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    if code[start] in "rRuUbB" and start + 1 < end and code[start + 1] in "\"'":
        start += 1
    if code[start] in "\"'":
        value = masked.string_at(start)
        if value is None or code[masked.strings[start][1] : end].strip().strip("\"'"):
            return None  # NOTE: not one whole literal: a concatenation, a `%` format, ...
        return value
    name = code[start:end]
    if name.isidentifier():
        return masked.constants.get(name)
    opener = _OPEN_CALL.match(code, start)
    if opener is not None:
        inner = _arguments(code, code.index("(", start))
        return _literal(masked, *inner[0]) if inner else None
    if re.match(r"os\s*\.\s*path\s*\.\s*join\s*\(", code[start:end]):
        parts = [_literal(masked, a, b) for a, b in _arguments(code, code.index("(", start))]
        if parts and all(parts):
            return "/".join(p.strip("/") for p in parts if p)
    return None


def _handle_path(masked: _source.Masked, name: str, before: int) -> str | None:
    """The file a handle was opened on: `with open("m.pkl", "wb") as f:` or `f = open(...)`."""
    code = masked.code
    found = None
    for m in re.finditer(
        rf"{_WITH_OPEN}|(?<![\w.]){re.escape(name)}\s*=\s*open\s*\(\s*(?=[rRuU]?[\"'])",
        code[:before],
    ):
        if m.group("q") is not None:
            tail = re.compile(rf"[^\n]*\bas\s+{re.escape(name)}\b").match(code, m.end())
            if tail is None:
                continue
        literal_at = m.end() + (1 if code[m.end() : m.end() + 1] in "rRuU" else 0)
        value = masked.string_at(literal_at)
        if value is not None:
            found = value
    return found


def find_artifacts(masked: _source.Masked, context: str | None = None) -> list[ArtifactRef]:
    """Every save or load call of a model file by a literal path (or registry name) in masked
    Python. `context` is code whose imports are in scope too (a notebook's other cells)."""
    code = masked.code
    modules = _imported_modules(context if context is not None else code)
    refs: list[ArtifactRef] = []
    for artifact in load_artifacts():
        if artifact.requires and not modules.intersection(artifact.requires):
            continue
        patterns = [artifact.call]
        bare = _bare_names(context if context is not None else code, artifact)
        if bare:
            alternation = "|".join(re.escape(n) for n in bare)
            patterns.append(re.compile(rf"(?<![\w.])(?:{alternation})\s*\("))
        for pattern in patterns:
            for m in pattern.finditer(code):
                ref = _artifact_ref(masked, artifact, m)
                if ref is not None:
                    refs.append(ref)
    refs.sort(key=lambda r: r.offset)
    return refs


def _artifact_ref(
    masked: _source.Masked, artifact: Artifact, m: re.Match[str]
) -> ArtifactRef | None:
    code = masked.code
    args = _arguments(code, m.end() - 1)
    value: str | None = None
    chosen: tuple[int, int] | None = None
    positional = [a for a in args if not re.match(r"\s*\w+\s*=(?!=)", code[a[0] : a[1]])]
    for a, b in args:
        kw = re.match(r"\s*(\w+)\s*=(?!=)", code[a:b])
        if kw and kw.group(1) in artifact.keywords:
            chosen = (a + kw.end(), b)
    if chosen is None and 0 <= artifact.arg < len(positional):
        chosen = positional[artifact.arg]
    if chosen is None:
        return None
    value = _literal(masked, *chosen)
    if value is None:
        name = code[chosen[0] : chosen[1]].strip()
        if name.isidentifier():
            value = _handle_path(masked, name, m.start())
    if value is None:
        return None
    value = value.strip()
    called = m.group(0).lower()
    op = "load" if "load" in called or artifact.op == "load" and "save" not in called else "save"
    if artifact.registry is None:
        if _UNUSABLE.search(value) or (
            artifact.suffixes and not value.lower().endswith(artifact.suffixes)
        ):
            return None
        if artifact.exclude is not None and artifact.exclude.match(value):
            return None
        if artifact.named and not _source.names_a_model(value.rsplit("/", 1)[-1]):
            saved = code[positional[0][0] : positional[0][1]] if op == "save" and positional else ""
            if not _source.names_a_model(saved):
                return None
    elif value.startswith("runs:/") or "{" in value:
        return None
    return ArtifactRef(m.start(), artifact, value, op)


NOTEBOOK_SUFFIX = ".ipynb.py"
"""The notebook detector hands a notebook's joined cells to this detector as `<nb>.ipynb.py`."""


def model_file_name(value: str, relpath: str, abspath: str) -> tuple[str, bool]:
    """The repository path of a model file a call names, and whether it is committed (see
    `_source.repo_path`; a notebook's own folder comes first)."""
    return _source.repo_path(value, relpath, abspath, notebook=relpath.endswith(NOTEBOOK_SUFFIX))


def artifact_components(file: ScanFile) -> list[Component]:
    """One `model-file` component per model file the code saves or loads (one `model` per MLflow
    registry model), each with every call's line."""
    text = file.text
    lower = text.lower()
    if not any(word in lower for word in _ARTIFACT_WORDS):
        return []
    masked = _source.mask(text, _source.PYTHON)
    masked.constants = _source.python_string_constants(masked)
    lines = _source.LineIndex(text)
    by_key: dict[tuple[str, str, str], Component] = {}
    for ref in find_artifacts(masked):
        line = lines.line_of(ref.offset)
        evidence = Evidence(
            file.relpath, line, DETECTOR_NAME, _source.snippet(lines.line_text(line))
        )
        component = _artifact_component(ref, file)
        if component is None:
            continue
        key = (component.type.value, component.name, component.version or "")
        existing = by_key.get(key)
        if existing is None:
            component.evidence.append(evidence)
            by_key[key] = component
            continue
        if evidence not in existing.evidence:
            existing.evidence.append(evidence)
        operations = existing.properties.setdefault("operations", [])
        if ref.op not in operations:
            operations.append(ref.op)
            operations.sort()
    return list(by_key.values())


_ARTIFACT_WORDS = (
    "joblib",
    "pickle",
    "dill",
    "torch",
    "keras",
    "tensorflow",
    "save_model",
    "load_model",
    "booster",
    "inferencesession",
    "llama",
    "yolo",
    "rtdetr",
    "gensim",
    "mlflow",
)


def _artifact_component(ref: ArtifactRef, file: ScanFile) -> Component | None:
    artifact = ref.artifact
    properties: dict[str, object] = {"library": artifact.library, "operations": [ref.op]}
    if artifact.registry is not None:
        m = _MLFLOW_REGISTRY_URI.fullmatch(ref.value)
        version: str | None = None
        if m is not None:
            name = m.group("name")
            version = m.group("version") or m.group("alias")
        elif ref.value.startswith(("models:", "runs:", "/")) or "://" in ref.value:
            return None
        elif artifact.id.endswith("load-model"):
            name, in_repo = model_file_name(ref.value, file.relpath, file.abspath)
            properties["in_repo"] = in_repo
            return Component(type=ComponentType.MODEL_FILE, name=name, properties=properties)
        else:
            name = ref.value
        if not _REGISTRY_NAME.fullmatch(name):
            return None
        properties["registry"] = artifact.registry
        return Component(
            type=ComponentType.MODEL,
            name=name,
            version=version,
            category="registry",
            properties=properties,
        )
    name, in_repo = model_file_name(ref.value, file.relpath, file.abspath)
    properties["in_repo"] = in_repo
    if artifact.format and not in_repo:
        properties["format"] = artifact.format
    return Component(type=ComponentType.MODEL_FILE, name=name, properties=properties)
