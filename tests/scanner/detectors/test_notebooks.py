"""NotebookDetector: code cells only, lines of the .ipynb file, magics, malformed notebooks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog import Catalog, Package, Provider, load_catalog
from aims.inventory import Component, ComponentType
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.notebooks import (
    NotebookDetector,
    pip_install_packages,
    python_view,
    read_notebook,
)

FIXTURES = Path(__file__).parent / "fixtures" / "source"
ROOT = FIXTURES / "notebooks"
_EXAMPLES = {"positive": ["x"], "negative": ["y"]}
_MARKER = re.compile(r"aims-expect:\s*([^\s<>\\\",]+(?:\s*,\s*[^\s<>\\\",]+)*)")
DETECTOR = NotebookDetector()


def load_test_catalog() -> Catalog:
    """The fixed catalog of `fixtures/source/catalog.yaml`."""
    data = yaml.safe_load((FIXTURES / "catalog.yaml").read_text(encoding="utf-8"))
    return Catalog(
        providers=[
            Provider.model_validate({"examples": _EXAMPLES, **p}) for p in data["providers"]
        ],
        packages=[Package.model_validate({"examples": _EXAMPLES, **p}) for p in data["packages"]],
        model_families=[],
    )


CATALOG = load_test_catalog()


def expected_markers(text: str) -> set[tuple[str, int]]:
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for m in _MARKER.finditer(line):
            found.update((name.strip(), number) for name in m.group(1).split(","))
    return found


def label(component: Component) -> str:
    if component.type is ComponentType.DATASET:
        return f"dataset:{component.ecosystem}:{component.name}"
    return f"{component.type}:{component.name}"


def run_text(relpath: str, text: str) -> DetectResult:
    data = text.encode()
    file = ScanFile(relpath=relpath, abspath=relpath, data=data, size=len(data))
    return DETECTOR.detect(file, DetectContext(catalog=CATALOG))


def pairs(result: DetectResult) -> set[tuple[str, int]]:
    return {(label(c), e.line or 0) for c in result.components for e in c.evidence}


@pytest.mark.parametrize("name", ["evaluation.ipynb", "legacy_v3.ipynb", "r_kernel.ipynb"])
def test_fixture_reports_exactly_the_marked_lines(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    result = run_text(f"notebooks/{name}", text)
    assert result.warnings == []
    assert pairs(result) == expected_markers(text)


def test_cells_and_evidence() -> None:
    result = run_text("nb/evaluation.ipynb", (ROOT / "evaluation.ipynb").read_text("utf-8"))
    by_label = {label(c): c for c in result.components}
    openai = by_label["sdk:openai"]
    assert openai.properties == {"notebook_cells": [1, 2]}
    assert openai.ecosystem == "pypi"
    assert openai.version == "1.40.0", "the exact pin of `%pip install openai==1.40.0`"
    assert openai.purl == "pkg:pypi/openai@1.40.0"
    assert [(e.line, e.detector) for e in openai.evidence] == [(29, "notebooks"), (62, "notebooks")]
    # The snippet is the source line, not the JSON text around it.
    assert openai.evidence[1].snippet == "import openai  # aims-expect: sdk:openai"
    provider = by_label["provider:openai"]
    assert provider.properties == {
        "hosts": [],
        "env_vars": ["OPENAI_API_KEY"],
        "notebook_cells": [2],
    }
    assert by_label["sdk:transformers"].properties == {"notebook_cells": [5]}
    assert by_label["dataset:huggingface:openai/gsm8k"].properties == {
        "source": "load_dataset",
        "notebook_cells": [2],
    }


def test_outputs_markdown_and_raw_cells_are_not_read() -> None:
    text = (ROOT / "evaluation.ipynb").read_text("utf-8")
    notebook = read_notebook(text)
    assert [c.index for c in notebook.cells] == [1, 2, 4, 5, 6]
    assert notebook.language == "python"
    assert all("Successfully installed" not in c.source for c in notebook.cells)
    assert notebook.cells[-1].source == ""


def test_source_line_offsets_point_into_the_file() -> None:
    text = (ROOT / "evaluation.ipynb").read_text("utf-8")
    cell = read_notebook(text).cells[1]
    offset = cell.source.index("from anthropic")
    file_offset = cell.file_offset(offset)
    assert text[file_offset : file_offset + 15] == '"from anthropic'
    assert text.count("\n", 0, file_offset) + 1 == 63


def test_truncated_notebook_keeps_what_was_read_and_warns() -> None:
    text = (ROOT / "truncated.ipynb").read_text("utf-8")
    result = run_text("t.ipynb", text)
    assert pairs(result) == expected_markers(text)
    assert len(result.warnings) == 1
    assert result.warnings[0].message.startswith("notebook is not valid JSON")


def test_byte_order_mark_is_tolerated() -> None:
    text = "\ufeff" + (ROOT / "legacy_v3.ipynb").read_text("utf-8")
    result = run_text("bom.ipynb", text)
    assert result.warnings == []
    assert [c.name for c in result.components] == ["openai"]


@pytest.mark.parametrize(
    "text", ["", "null", "[1, 2]", '{"cells": 3}', '{"cells": [{]}', "\x00\x01"]
)
def test_garbage_never_raises(text: str) -> None:
    assert isinstance(run_text("g.ipynb", text), DetectResult)


def _notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "metadata": {}, "source": [src]} for src in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_imports_and_constants_of_other_cells_are_in_scope() -> None:
    text = _notebook(
        "from datasets import load_dataset\nDATA = 'stanfordnlp/sst2'\n",
        "ds = load_dataset(DATA)\nimdb = load_dataset('imdb')\n",
    )
    found = [
        (c.name, c.properties["notebook_cells"])
        for c in run_text("n.ipynb", text).components
        if c.type is ComponentType.DATASET
    ]
    assert found == [("stanfordnlp/sst2", [1]), ("imdb", [1])]


def test_a_name_bound_to_two_values_is_not_resolved() -> None:
    text = _notebook(
        "from datasets import load_dataset\nDATA = 'a/b'\n",
        "DATA = 'c/d'\nds = load_dataset(DATA)\n",
    )
    assert [
        c for c in run_text("n.ipynb", text).components if c.type is ComponentType.DATASET
    ] == []


def test_model_references_across_cells_with_notebook_lines() -> None:
    cells = [
        {
            "cell_type": "code",
            "source": [
                "from transformers import AutoModel\n",
                "BASE = 'distilbert-base-uncased'\n",
            ],
        },
        {"cell_type": "markdown", "source": ["Labels come from gpt-4o-mini.\n"]},
        {
            "cell_type": "code",
            "source": [
                "model = AutoModel.from_pretrained(BASE)\n",
                'r = client.chat.completions.create(model="gpt-4o-mini")\n',
            ],
        },
    ]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}, indent=1)
    data = text.encode()
    file = ScanFile(relpath="nb/x.ipynb", abspath="x.ipynb", data=data, size=len(data))
    result = DETECTOR.detect(file, DetectContext(catalog=load_catalog()))
    models = {
        c.name: ([(e.line, e.detector) for e in c.evidence], c.properties["notebook_cells"])
        for c in result.components
        if c.type is ComponentType.MODEL
    }
    lines = text.splitlines()
    base_line = next(i for i, line in enumerate(lines, 1) if "BASE = " in line)
    gpt_line = next(i for i, line in enumerate(lines, 1) if 'model=\\"gpt' in line)
    assert models == {
        "distilbert-base-uncased": ([(base_line, "notebooks")], [0]),
        "gpt-4o-mini": ([(gpt_line, "notebooks")], [2]),
    }


def test_models_loaded_by_library_loaders_in_cells() -> None:
    # whisper.load_model / spacy.load / YOLO(...) name a model with no repo ID; notebooks are
    # where they are most often written.
    cells = [
        {
            "cell_type": "code",
            "source": ["import whisper, spacy\n", "nlp = spacy.load('en_core_web_sm')\n"],
        },
        {
            "cell_type": "code",
            "source": ["# whisper.load_model('tiny')\n", "asr = whisper.load_model('base')\n"],
        },
    ]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}, indent=1)
    data = text.encode()
    file = ScanFile(relpath="asr.ipynb", abspath="asr.ipynb", data=data, size=len(data))
    result = DETECTOR.detect(file, DetectContext(catalog=load_catalog()))
    lines = text.splitlines()
    models = {
        c.name: ([e.line for e in c.evidence], c.properties["notebook_cells"], c.provider)
        for c in result.components
        if c.type is ComponentType.MODEL
    }
    assert models == {
        "en_core_web_sm": (
            [next(i for i, x in enumerate(lines, 1) if "spacy.load" in x)],
            [0],
            "explosion",
        ),
        "whisper-base": ([next(i for i, x in enumerate(lines, 1) if "asr =" in x)], [1], "openai"),
    }


def test_large_outputs_are_skipped_without_decoding() -> None:
    blob = "A" * 5_000_000
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [{"output_type": "display_data", "data": {"image/png": blob}}],
                "source": ["import anthropic\n"],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    result = run_text("big.ipynb", json.dumps(nb))
    assert [(c.name, c.evidence[0].line) for c in result.components] == [("anthropic", 1)]


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (
            "-q openai==1.40.0 'anthropic>=0.30' pandas",
            [("openai", "1.40.0"), ("anthropic", None), ("pandas", None)],
        ),
        ("-r requirements.txt -U langchain-openai[all]==0.2.1", [("langchain-openai", "0.2.1")]),
        ("--index-url https://x/simple torch==2.*", [("torch", None)]),
        ("git+https://github.com/openai/openai-python ./local -e .", []),
        ("$PKG {pkg} openai @ https://x/openai.whl", [("openai", None)]),
    ],
)
def test_pip_install_packages(args: str, found: list[tuple[str, str | None]]) -> None:
    assert [(name, version) for _, name, version in pip_install_packages(args)] == found


def test_python_view_blanks_magics_and_detects_shell_cells() -> None:
    code, is_python, is_shell = python_view("%%time\nimport openai\n!ls\nx = 1 != 2\n")
    assert (is_python, is_shell) == (True, False)
    assert code == "      \nimport openai\n   \nx = 1 != 2\n"
    assert python_view("%%bash\npip install openai\n")[1:] == (False, True)
    assert python_view("%%html\n<b>import openai</b>\n")[1:] == (False, False)


def test_keywords_cover_installs_and_imports() -> None:
    words = set(DETECTOR.keywords(CATALOG) or [])
    assert {b"openai", b"langchain_openai", b"langchain-openai", b"openai_api_key"} <= words


@given(st.text(max_size=300))
def test_never_raises_on_text(text: str) -> None:
    run_text("x.ipynb", text)
    wrapped = json.dumps({"cells": [{"cell_type": "code", "source": [text]}], "metadata": {}})
    run_text("y.ipynb", wrapped)


@given(st.binary(max_size=300))
def test_never_raises_on_bytes(data: bytes) -> None:
    file = ScanFile(relpath="z.ipynb", abspath="z.ipynb", data=data, size=len(data))
    assert isinstance(DETECTOR.detect(file, DetectContext(catalog=CATALOG)), DetectResult)
