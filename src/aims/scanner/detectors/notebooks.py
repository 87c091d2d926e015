"""Jupyter notebooks: AI imports, `%pip install`s, provider references and datasets in code cells.

The notebook's JSON is read by a small position-keeping reader that decodes only what it needs
(cell types, code cell sources and the top-level metadata) and skips every other value, outputs
included, without decoding it: a notebook with megabytes of saved outputs costs one regex pass
over them. Each source line is reported at the line of the `.ipynb` file where its JSON string
sits, with the cell's index in `properties["notebook_cells"]`. nbformat 4 (`cells`) and 3
(`worksheets[].cells[].input`) are read; a malformed file yields what was read before the
fault plus a warning.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aims.inventory import Component, Evidence, ScanWarning
from aims.scanner.detectors import _source, datasets, imports, provider_refs
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "notebooks"


class MalformedNotebookError(ValueError):
    """The notebook's JSON is broken at `offset`."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} at offset {offset}")
        self.offset = offset


@dataclass(slots=True)
class Cell:
    """One code cell: its source and where each source string sits in the notebook file."""

    index: int
    """0-based position among all cells of the notebook."""
    source: str = ""
    starts: list[int] = field(default_factory=list)
    """Offset in `source` where each JSON string element begins."""
    file_offsets: list[int] = field(default_factory=list)
    """Offset in the notebook text of each JSON string element's opening quote."""

    def file_offset(self, source_offset: int) -> int:
        """Return the notebook-text offset of the string element holding `source_offset`."""
        if not self.starts:
            return 0
        i = bisect.bisect_right(self.starts, source_offset) - 1
        return self.file_offsets[max(i, 0)]


@dataclass(slots=True)
class Notebook:
    """What the reader got out of a notebook file."""

    cells: list[Cell] = field(default_factory=list)
    """Code cells only."""
    language: str | None = None
    """The kernel's language from the metadata, lower case, when stated."""
    error: str | None = None
    """Why reading stopped early, or None."""


_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]++|\\[\s\S])*+"')
_SCALAR = re.compile(r"-?\d[\d.eE+-]*|true|false|null")
_SKIP_TOKEN = re.compile(r'"(?:[^"\\]++|\\[\s\S])*+"|[\[\]{}]')


class _Reader:
    """A JSON reader that keeps positions and skips values it is not asked to decode."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _ws(self) -> None:
        m = _WS.match(self.text, self.pos)
        self.pos = m.end() if m else self.pos

    def peek(self) -> str:
        self._ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise MalformedNotebookError(f"expected {char!r}", self.pos)
        self.pos += 1

    def string(self) -> tuple[int, str]:
        """Decode the string at the cursor; returns its offset and value."""
        self._ws()
        m = _STRING.match(self.text, self.pos)
        if m is None:
            raise MalformedNotebookError("expected a string", self.pos)
        try:
            value = json.loads(m.group(0))
        except ValueError as exc:
            raise MalformedNotebookError("bad string", self.pos) from exc
        start, self.pos = self.pos, m.end()
        return start, value

    def skip(self) -> None:
        """Move past the value at the cursor without decoding it."""
        char = self.peek()
        if char == '"':
            m = _STRING.match(self.text, self.pos)
            if m is None:
                raise MalformedNotebookError("unterminated string", self.pos)
            self.pos = m.end()
        elif char in ("[", "{"):
            depth = 0
            for m in _SKIP_TOKEN.finditer(self.text, self.pos):
                token = m.group(0)
                if token in ("[", "{"):
                    depth += 1
                elif token in ("]", "}"):
                    depth -= 1
                    if depth == 0:
                        self.pos = m.end()
                        return
            raise MalformedNotebookError("unterminated value", self.pos)
        else:
            m = _SCALAR.match(self.text, self.pos)
            if m is None:
                raise MalformedNotebookError("unexpected character", self.pos)
            self.pos = m.end()

    def value(self) -> Any:
        """Decode the (small) value at the cursor fully."""
        self._ws()
        start = self.pos
        self.skip()
        try:
            return json.loads(self.text[start : self.pos])
        except ValueError as exc:
            raise MalformedNotebookError("bad value", start) from exc

    def members(self) -> Iterator[str]:
        """Iterate over an object's keys; the caller consumes each value."""
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            _, key = self.string()
            self.expect(":")
            yield key
            char = self.peek()
            self.pos += 1
            if char == "}":
                return
            if char != ",":
                raise MalformedNotebookError("expected ',' or '}'", self.pos - 1)

    def items(self) -> Iterator[None]:
        """Iterate over an array's elements; the caller consumes each element."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield None
            char = self.peek()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                raise MalformedNotebookError("expected ',' or ']'", self.pos - 1)


def read_notebook(text: str) -> Notebook:
    """Read the code cells and kernel language of a notebook; never raises."""
    notebook = Notebook()
    reader = _Reader(text)
    if text.startswith("\ufeff"):
        reader.pos = 1
    counter = [0]
    try:
        for key in reader.members():
            if key == "cells" and reader.peek() == "[":
                _read_cells(reader, notebook, counter)
            elif key == "worksheets" and reader.peek() == "[":
                for _ in reader.items():
                    if reader.peek() != "{":
                        reader.skip()
                        continue
                    for sheet_key in reader.members():
                        if sheet_key == "cells" and reader.peek() == "[":
                            _read_cells(reader, notebook, counter)
                        else:
                            reader.skip()
            elif key == "metadata" and reader.peek() == "{":
                notebook.language = _language(reader.value())
            else:
                reader.skip()
    except MalformedNotebookError as exc:
        notebook.error = str(exc)
    except RecursionError:  # pragma: no cover - the reader does not recurse deeply
        notebook.error = "nesting too deep"
    return notebook


def _language(metadata: Any) -> str | None:
    if not isinstance(metadata, dict):
        return None
    for key, inner in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(inner), str):
            return str(section[inner]).lower()
    return None


def _read_cells(reader: _Reader, notebook: Notebook, counter: list[int]) -> None:
    for _ in reader.items():
        index = counter[0]
        counter[0] += 1
        if reader.peek() != "{":
            reader.skip()
            continue
        cell_type: str | None = None
        cell = Cell(index=index)
        has_source = False
        for key in reader.members():
            if key == "cell_type" and reader.peek() == '"':
                cell_type = reader.string()[1]
            elif key in ("source", "input"):
                has_source = _read_source(reader, cell) or has_source
            else:
                reader.skip()
        if cell_type == "code" and has_source:
            notebook.cells.append(cell)


def _read_source(reader: _Reader, cell: Cell) -> bool:
    char = reader.peek()
    parts: list[str] = []
    if char == '"':
        offset, value = reader.string()
        cell.starts.append(0)
        cell.file_offsets.append(offset)
        parts.append(str(value))
    elif char == "[":
        length = 0
        for _ in reader.items():
            if reader.peek() != '"':
                reader.skip()
                continue
            offset, value = reader.string()
            cell.starts.append(length)
            cell.file_offsets.append(offset)
            parts.append(str(value))
            length += len(str(value))
    else:
        reader.skip()
        return False
    cell.source = "".join(parts)
    return True


# -- magics ---------------------------------------------------------------------------------------

_SHELL_CELL_MAGICS = frozenset({"bash", "sh", "script", "system", "zsh"})
_NON_PYTHON_CELL_MAGICS = _SHELL_CELL_MAGICS | frozenset(
    {"html", "javascript", "js", "latex", "markdown", "svg", "perl", "ruby", "writefile", "sql"}
)
_MAGIC_LINE = re.compile(r"(?m)^[ \t]*[%!][^\n]*")
_PIP_INSTALL = re.compile(
    r"(?m)^[ \t]*(?P<bang>[%!][ \t]*)?(?:(?:\{[^}\n]*\}|\S*python[\d.]*)[ \t]+-m[ \t]+)?"
    r"(?:uv[ \t]+)?pip3?[ \t]+install[ \t]+(?P<args>[^\n#]*)"
)
_PIP_VALUE_OPTIONS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--platform",
        "--python-version",
        "--upgrade-strategy",
        "--src",
        "--python",
    }
)
_REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


_EXACT_PIN = re.compile(r"\s*===?\s*(?P<version>[A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*(?:;|$)")


def pip_install_packages(args: str) -> list[tuple[int, str, str | None]]:
    """Return (offset in `args`, distribution name, exact pin or None) for each requirement."""
    found: list[tuple[int, str, str | None]] = []
    skip_next = False
    for m in re.finditer(r"\S+", args):
        token = m.group(0)
        if skip_next:
            skip_next = False
            continue
        if token.startswith("-"):
            skip_next = token in _PIP_VALUE_OPTIONS
            continue
        bare = token.strip("\"'")
        if "://" in bare or bare.startswith((".", "/", "$", "{", "~")) or "@" in bare.split(";")[0]:
            continue
        name = _REQUIREMENT_NAME.match(bare)
        if name:
            rest = re.sub(r"^\[[^\]]*\]", "", bare[name.end() :])
            pin = _EXACT_PIN.match(rest)
            found.append((m.start(), name.group(0), pin.group("version") if pin else None))
    return found


def python_view(source: str) -> tuple[str, bool, bool]:
    """Return the cell source with IPython magic lines blanked, and whether it is Python/shell.

    Returns `(code, is_python, is_shell)`: a `%%bash` cell is shell, not Python; other cell
    magics (`%%time`) only blank their first line.
    """
    stripped = source.lstrip()
    if stripped.startswith("%%"):
        magic = re.match(r"%%(\w+)", stripped)
        name = magic.group(1) if magic else ""
        if name in _NON_PYTHON_CELL_MAGICS:
            return source, False, name in _SHELL_CELL_MAGICS
    code = _MAGIC_LINE.sub(lambda m: " " * len(m.group(0)), source)
    return code, True, False


# -- detector -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Emitter:
    relpath: str
    lines: _source.LineIndex
    sdk: imports.ComponentCollector = field(default_factory=imports.ComponentCollector)
    providers: provider_refs.ProviderCollector = field(
        default_factory=lambda: provider_refs.ProviderCollector(DETECTOR_NAME)
    )
    datasets: dict[tuple[str, str], Component] = field(default_factory=dict)
    local_dirs: tuple[str, ...] = ()
    """Folders where the notebook's own modules live (see `imports.is_local_module`)."""
    abspath: str = ""

    def evidence(self, cell: Cell, cell_lines: _source.LineIndex, offset: int) -> Evidence:
        line = self.lines.line_of(cell.file_offset(offset))
        text = cell_lines.line_text(cell_lines.line_of(offset))
        return Evidence(self.relpath, line, DETECTOR_NAME, _source.snippet(text))


@dataclass(slots=True)
class _CellView:
    """A code cell prepared for scanning: its Python view, masked when it is Python."""

    cell: Cell
    masked: _source.Masked | None
    is_shell: bool


def prepare_cells(cells: list[Cell], *, python: bool) -> tuple[list[_CellView], str]:
    """Mask every Python cell; returns the views and the notebook's whole masked code.

    Cells share one namespace, so imports and string constants of any cell are in scope in the
    others: the joined code is the context of the dataset scan, and every cell's `constants`
    holds the notebook's names bound once to a string literal.
    """
    views: list[_CellView] = []
    constants: dict[str, str | None] = {}
    for cell in cells:
        code, is_python, is_shell = python_view(cell.source)
        masked = _source.mask(code, _source.PYTHON) if python and is_python else None
        if masked is not None:
            for name, value in _source.python_string_constants(masked).items():
                constants[name] = value if constants.get(name, value) == value else None
        views.append(_CellView(cell, masked, is_shell))
    shared = {name: value for name, value in constants.items() if value is not None}
    for view in views:
        if view.masked is not None:
            view.masked.constants = shared
    context = "\n".join(v.masked.code for v in views if v.masked is not None)
    return views, context


def scan_cell(view: _CellView, catalog: Catalog, emitter: _Emitter, *, context: str) -> None:
    """Add what one code cell shows to `emitter`."""
    cell = view.cell
    source = cell.source
    cell_lines = _source.LineIndex(source)
    is_shell = view.is_shell
    props = {"notebook_cells": cell.index}

    for m in _PIP_INSTALL.finditer(source):
        if not (m.group("bang") or is_shell):
            continue
        for offset, name, version in pip_install_packages(m.group("args")):
            package = catalog.package("pypi", name)
            if package is not None:
                ev = emitter.evidence(cell, cell_lines, m.start("args") + offset)
                emitter.sdk.add(package, ev, props, version=version)

    masked = view.masked
    if masked is not None:
        hits = imports.scan_imports(
            masked.text, _source.PYTHON, catalog, masked=masked, local_dirs=emitter.local_dirs
        )
        for offset, package in hits:
            emitter.sdk.add(package, emitter.evidence(cell, cell_lines, offset), props)
        for ref in datasets.find_python_datasets(masked, context):
            ev = emitter.evidence(cell, cell_lines, ref.offset)
            ref = datasets.resolve_training_file(
                ref, emitter.relpath, emitter.abspath, notebook=True
            )
            _add_dataset(emitter, ref, ev, cell.index)
    for ref in datasets.find_command_datasets(_shell_lines(source, is_shell)):
        _add_dataset(emitter, ref, emitter.evidence(cell, cell_lines, ref.offset), cell.index)

    prefs = provider_refs.find_provider_refs(source, catalog)
    snippets = provider_refs.line_snippets(source, cell_lines, prefs)
    for pref in prefs:
        snippet = snippets[cell_lines.line_of(pref.offset)]
        file_line = emitter.lines.line_of(cell.file_offset(pref.offset))
        component = emitter.providers.add(pref, emitter.relpath, file_line, snippet)
        cells = component.properties.setdefault("notebook_cells", [])
        if cell.index not in cells:
            cells.append(cell.index)


def _shell_lines(source: str, is_shell: bool) -> str:
    """Return the text shell commands can be read from: `!cmd` lines, or the whole shell cell."""
    if is_shell:
        return source
    return re.sub(r"(?m)^(?![ \t]*!)[^\n]*", lambda m: " " * len(m.group(0)), source)


def _add_dataset(emitter: _Emitter, ref: datasets.DatasetRef, ev: Evidence, cell: int) -> None:
    datasets.merge_into(emitter.datasets, ref, ev)
    component = emitter.datasets[(ref.ecosystem, ref.name)]
    cells = component.properties.setdefault("notebook_cells", [])
    if cell not in cells:
        cells.append(cell)


def model_components(
    views: list[_CellView],
    catalog: Catalog,
    *,
    relpath: str,
    lines: _source.LineIndex,
    abspath: str = "",
) -> list[Component]:
    """Run the model-reference and model-loader detectors over the notebook's Python cells, as
    one module.

    The cells are joined (they share a namespace, so a constant in one cell names a model
    loaded in another) and every evidence line is mapped back to the notebook file. Findings
    (deprecated models) are left to a scan of exported code: their fingerprints name a path.
    """
    from aims.scanner.detectors.model_loaders import ModelLoaderDetector
    from aims.scanner.detectors.model_refs import ModelRefDetector

    starts: list[int] = []
    chunks: list[str] = []
    python_views = [v for v in views if v.masked is not None]
    length = 0
    for view in python_views:
        assert view.masked is not None
        starts.append(length)
        chunks.append(view.masked.text)
        length += len(view.masked.text) + 1
    if not chunks:
        return []
    joined = "\n".join(chunks)
    data = joined.encode("utf-8", errors="replace")
    # NOTE: named `<notebook>.ipynb.py` beside the notebook, so model files the cells save or
    # load resolve against the notebook's folder (see `model_loaders.model_file_name`).
    module = ScanFile(relpath=relpath + ".py", abspath=abspath + ".py", data=data, size=len(data))
    context = DetectContext(catalog=catalog)
    found = ModelRefDetector().detect(module, context).components
    found += ModelLoaderDetector().detect(module, context).components
    joined_lines = _source.LineIndex(joined)
    merged: dict[tuple[str, str, str, str, str], Component] = {}
    for component in found:
        evidence: list[Evidence] = []
        cells: list[int] = []
        for ev in component.evidence:
            offset = joined_lines.start_of(ev.line or 1)
            i = max(bisect.bisect_right(starts, offset) - 1, 0)
            view = python_views[i]
            file_offset = view.cell.file_offset(offset - starts[i])
            evidence.append(
                Evidence(relpath, lines.line_of(file_offset), DETECTOR_NAME, ev.snippet)
            )
            cells.append(view.cell.index)
        existing = merged.get(component.key())
        if existing is None:
            component.evidence = evidence
            component.properties["notebook_cells"] = sorted(set(cells))
            merged[component.key()] = component
        else:
            existing.evidence.extend(e for e in evidence if e not in existing.evidence)
            known = existing.properties["notebook_cells"]
            existing.properties["notebook_cells"] = sorted(set(known) | set(cells))
    return list(merged.values())


class NotebookDetector:
    """Reads the code cells of Jupyter notebooks for AI imports, installs, providers, datasets."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """Jupyter notebooks (`.ipynb`)."""
        return name.lower().endswith(".ipynb")

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Import keywords of Python packages, provider hosts and env vars, dataset words."""
        words = set(catalog.import_keywords("pypi"))
        words.update(b.replace(b"_", b"-") for b in catalog.import_keywords("pypi"))
        words.update(p.name.lower().encode() for p in catalog.packages_of("pypi"))
        words.update(catalog.host_keywords())
        words.update(catalog.env_keywords())
        words.update(
            (b"dataset", b"kaggle", b"tfds", *datasets.READ_KEYWORDS, *datasets.REMOTE_KEYWORDS)
        )
        return sorted(words)

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Report SDKs, providers and datasets found in the notebook's code cells."""
        result = DetectResult()
        notebook = read_notebook(file.text)
        if notebook.error is not None:
            result.warnings.append(
                ScanWarning(file.relpath, f"notebook is not valid JSON ({notebook.error})")
            )
        python = notebook.language is None or notebook.language.startswith("python")
        emitter = _Emitter(file.relpath, _source.LineIndex(file.text))
        emitter.local_dirs = imports.local_import_dirs(file.relpath, file.abspath)
        emitter.abspath = file.abspath
        views, context = prepare_cells(notebook.cells, python=python)
        for view in views:
            scan_cell(view, ctx.catalog, emitter, context=context)
        result.components.extend(emitter.sdk.components())
        result.components.extend(emitter.providers.components())
        result.components.extend(emitter.datasets.values())
        result.components.extend(
            model_components(
                views, ctx.catalog, relpath=file.relpath, lines=emitter.lines, abspath=file.abspath
            )
        )
        return result
