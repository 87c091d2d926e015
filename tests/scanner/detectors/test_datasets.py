"""DatasetDetector: explicit dataset references in code, scripts and DVC files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog import Catalog
from aims.inventory import ComponentType
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.datasets import (
    DatasetDetector,
    find_command_datasets,
    find_config_datasets,
    find_python_datasets,
    find_text_datasets,
    hf_purl,
)

ROOT = Path(__file__).parent / "fixtures" / "source" / "datasets"
CATALOG = Catalog(providers=[], packages=[], model_families=[])
DETECTOR = DatasetDetector()
_MARKER = re.compile(r"aims-expect:\s*([^\s<>\\\",]+(?:\s*,\s*[^\s<>\\\",]+)*)")


def expected_markers(text: str) -> set[tuple[str, int]]:
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for m in _MARKER.finditer(line):
            found.update((name.strip(), number) for name in m.group(1).split(","))
    return found


def run_text(relpath: str, text: str) -> DetectResult:
    data = text.encode()
    file = ScanFile(relpath=relpath, abspath=relpath, data=data, size=len(data))
    return DETECTOR.detect(file, DetectContext(catalog=CATALOG))


def pairs(result: DetectResult) -> set[tuple[str, int]]:
    return {(f"{c.ecosystem}:{c.name}", e.line or 0) for c in result.components for e in c.evidence}


def py(text: str) -> list[tuple[str, str]]:
    refs = find_python_datasets(_source.mask(text, _source.PYTHON))
    return [(r.ecosystem, r.name) for r in refs]


@pytest.mark.parametrize(
    "relpath",
    [
        "train.py",
        "fetch_data.sh",
        "data/train.csv.dvc",
        "data/models.dvc",
        "configs/sft-mixture.yaml",
        "configs/dpo-mixer.yml",
        "configs/axolotl-lora.yml",
    ],
)
def test_fixture_reports_exactly_the_marked_lines(relpath: str) -> None:
    text = (ROOT / relpath).read_text(encoding="utf-8")
    assert DETECTOR.wants(relpath, relpath.rsplit("/", 1)[-1])
    assert pairs(run_text(relpath, text)) == expected_markers(text)


def test_component_fields() -> None:
    result = run_text("train.py", (ROOT / "train.py").read_text(encoding="utf-8"))
    by_key = {(c.ecosystem, c.name): c for c in result.components}
    imdb = by_key[("huggingface", "stanfordnlp/imdb")]
    assert imdb.type is ComponentType.DATASET
    assert imdb.purl == "pkg:huggingface/stanfordnlp/imdb?repo_type=dataset"
    assert imdb.properties == {"source": "load_dataset"}
    assert imdb.evidence[0].detector == "datasets"
    assert imdb.evidence[0].snippet.startswith('train = load_dataset("stanfordnlp/imdb"')
    tfds = by_key[("tfds", "imdb_reviews")]
    assert tfds.purl is None
    assert tfds.properties == {"source": "tfds.load", "version": "1.0.0"}
    assert by_key[("huggingface", "allenai/c4")].properties == {"source": "hf_hub_download"}
    assert by_key[("openml", "adult")].properties == {"source": "fetch_openml"}


def test_dvc_outs_are_datasets_but_models_are_not() -> None:
    text = (ROOT / "data" / "models.dvc").read_text(encoding="utf-8")
    (images,) = run_text("data/models.dvc", text).components
    assert (images.ecosystem, images.name) == ("dvc", "data/images")
    assert images.properties == {
        "source": "dvc",
        "md5": "0c8e1d7f6a5b4c3d2e1f0a9b8c7d6e5f.dir",
        "size": 4401928,
        "nfiles": 3,
    }


def test_malformed_dvc_file_is_a_warning() -> None:
    result = run_text("broken.dvc", (ROOT / "broken.dvc").read_text(encoding="utf-8"))
    assert result.components == []
    assert len(result.warnings) == 1
    assert result.warnings[0].path == "broken.dvc"
    assert "malformed DVC file" in result.warnings[0].message


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import datasets\nds = datasets.load_dataset('squad')\n", [("huggingface", "squad")]),
        (
            "\ufefffrom datasets import load_dataset\nload_dataset('squad')\n",
            [("huggingface", "squad")],
        ),
        ("import datasets as hfd\nds = hfd.load_dataset('squad')\n", [("huggingface", "squad")]),
        ("import datasets as hfd\nds = other.load_dataset('squad')\n", []),
        (
            "from datasets import load_dataset\nload_dataset(path='json', data_files='x.jsonl')\n",
            [("file", "x.jsonl")],
        ),
        (
            "from datasets import load_dataset\n"
            "load_dataset('csv', data_files={'train': 'a.csv', 'test': ['b.csv', 'c.csv']})\n",
            [("file", "a.csv"), ("file", "b.csv"), ("file", "c.csv")],
        ),
        (
            "from datasets import load_dataset\nload_dataset('parquet', data_files='*.parquet')\n",
            [],
        ),
        ("from datasets import load_dataset\nload_dataset('imagefolder')\n", []),
        ("from datasets import load_dataset\nload_dataset('./local_dir')\n", []),
        ("from datasets import load_dataset\nload_dataset(name)\n", []),
        ("ds = load_dataset('squad')\n", []),
        ("import seaborn as sns\nsns.load_dataset('iris')\n", []),
        ("import tensorflow_datasets as tfds\ntfds.builder('glue/cola')\n", [("tfds", "glue")]),
        ("import torchvision\nx = torchvision.datasets.MNIST('d')\n", [("torchvision", "MNIST")]),
        ("import torchvision\nx = torchvision.datasets.ImageFolder('d')\n", []),
        (
            "from torchaudio.datasets import LIBRISPEECH\nLIBRISPEECH('d')\n",
            [("torchaudio", "LIBRISPEECH")],
        ),
        ("import tensorflow as tf\ntf.keras.datasets.imdb.load_data()\n", [("keras", "imdb")]),
        (
            "from sklearn import datasets\ndatasets.fetch_california_housing()\n",
            [("sklearn", "california_housing")],
        ),
        ("import sklearn.datasets\nsklearn.datasets.load_wine()\n", [("sklearn", "wine")]),
        (
            "from sklearn.datasets import fetch_openml\nfetch_openml(data_id=554)\n",
            [("openml", "554")],
        ),
        ("from sklearn.datasets import load_svmlight_file\nload_svmlight_file('f')\n", []),
        (
            "import sklearn\nfrom datasets import load_dataset\ndatasets.load_dataset('x')\n",
            [("huggingface", "x")],
        ),
        (
            "import kagglehub\nkagglehub.dataset_download('owner/name/versions/2')\n",
            [("kaggle", "owner/name")],
        ),
        (
            "from kaggle.api import KaggleApi\napi.competition_download_files('titanic')\n",
            [("kaggle", "titanic")],
        ),
        (
            "import subprocess\nsubprocess.run('kaggle datasets download a/b', shell=True)\n",
            [("kaggle", "a/b")],
        ),
        ("HELP = 'kaggle datasets download a/b'\n", []),
        ("# load_dataset('squad')\nx = '''tfds.load(\"mnist\")'''\n", []),
        (
            "url = 'https://huggingface.co/datasets/HuggingFaceH4/ultrachat_200k'\n",
            [("huggingface", "HuggingFaceH4/ultrachat_200k")],
        ),
        ("# see https://huggingface.co/datasets/HuggingFaceH4/ultrachat_200k\n", []),
        (
            "from datasets import load_dataset\nSFT: str = 'HuggingFaceH4/ultrachat_200k'\n"
            "def f():\n    return load_dataset(SFT, split='train')\n",
            [("huggingface", "HuggingFaceH4/ultrachat_200k")],
        ),
        (
            "from datasets import load_dataset\nSFT = 'a/b'\nSFT = 'c/d'\nload_dataset(SFT)\n",
            [],
        ),
        (
            "from datasets import load_dataset\nSFT = 'a/b' + suffix\nload_dataset(SFT)\n",
            [],
        ),
        (
            "import tensorflow_datasets as tfds\nNAME = 'mnist:3.0.1'\ntfds.load(NAME)\n",
            [("tfds", "mnist")],
        ),
    ],
)
def test_python_references(code: str, expected: list[tuple[str, str]]) -> None:
    assert py(code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kaggle datasets download owner/name\n", [("kaggle", "owner/name")]),
        ("kaggle datasets download --dataset=owner/name -p x\n", [("kaggle", "owner/name")]),
        ("kaggle datasets list -s owner/name\n", []),
        ("kaggle competitions download titanic\n", [("kaggle", "titanic")]),
        (
            "hf download HuggingFaceFW/fineweb --repo-type=dataset\n",
            [("huggingface", "HuggingFaceFW/fineweb")],
        ),
        ("huggingface-cli download gpt2\n", []),
        ("  run: |\n    kaggle datasets download -d a/b\n", [("kaggle", "a/b")]),
        ('CMD ["kaggle", "datasets", "download"]\n', []),
    ],
)
def test_commands(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.ecosystem, r.name) for r in find_command_datasets(text)] == expected


def test_comments_in_scripts_are_ignored() -> None:
    text = "# kaggle datasets download -d a/b\necho '#not a comment' && kaggle datasets download -d c/d\n"
    assert [r.name for r in find_text_datasets(text)] == ["c/d"]


def test_hf_purl() -> None:
    assert hf_purl("squad") == "pkg:huggingface/squad?repo_type=dataset"
    assert hf_purl("org/name") == "pkg:huggingface/org/name?repo_type=dataset"


def test_wants() -> None:
    for name in (
        "train.py",
        "x.dvc",
        "run.sh",
        "Makefile",
        "Dockerfile",
        "Dockerfile.gpu",
        "ci.yml",
        "trainer_config.json",
    ):
        assert DETECTOR.wants(name, name), name
    for name in ("README.md", "data.csv", "model.pt", "notes.txt", "x.ipynb"):
        assert not DETECTOR.wants(name, name), name


def test_keywords_cover_every_fixture() -> None:
    words = list(DETECTOR.keywords(CATALOG) or [])
    for path in ROOT.rglob("*"):
        if path.is_file():
            assert any(w in path.read_bytes().lower() for w in words), path.name


@given(st.text(max_size=400))
def test_never_raises(text: str) -> None:
    py(text)
    find_text_datasets(text)
    find_config_datasets(text)
    find_config_datasets("dataset_name: " + text)
    for name in ("a.py", "b.dvc", "c.sh", "d.json"):
        run_text(name, text)


@given(st.binary(max_size=300), st.sampled_from(["a.py", "b.dvc", "c.yaml"]))
def test_detect_never_raises_on_bytes(data: bytes, name: str) -> None:
    file = ScanFile(relpath=name, abspath=name, data=data, size=len(data))
    assert isinstance(DETECTOR.detect(file, DetectContext(catalog=CATALOG)), DetectResult)


def test_json_trainer_config() -> None:
    relpath = "configs/trl_sft.json"
    result = run_text(relpath, (ROOT / relpath).read_text(encoding="utf-8"))
    assert pairs(result) == {("huggingface:acme-labs/chat-sft-200k", 3)}
    (component,) = result.components
    assert component.type is ComponentType.DATASET
    assert component.purl == "pkg:huggingface/acme-labs/chat-sft-200k?repo_type=dataset"
    assert component.properties == {"source": "config", "key": "dataset_name"}


def test_config_keys_keep_their_path() -> None:
    text = (ROOT / "configs/sft-mixture.yaml").read_text(encoding="utf-8")
    keys = [(r.name, r.properties["key"]) for r in find_config_datasets(text)]
    assert keys == [
        ("acme-labs/chat-sft-200k", "dataset_mixture.datasets[].id"),
        ("open-data/math-instruct", "dataset_mixture.datasets[].id"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("train:\n  dataset_name: org/set-a\n", ["org/set-a"]),
        ("datasets:\n  - org/set-a\n  - org/set-b\n", ["org/set-a", "org/set-b"]),
        ("pretraining_dataset: org/web-text\n", ["org/web-text"]),
        ("datasets: [{path: org/set-a, type: alpaca}]\n", ["org/set-a"]),
        # not dataset keys
        ("model_name_or_path: org/model\nhub_model_id: org/out\n", []),
        ("dataset_text_field: org/field\ndataset_prepared_path: org/prep\n", []),
        ("data:\n  train_files: org/train\n", []),
        # not Hub-shaped: local folders, files, bare names, templates
        ("dataset_name: ./org/set\n", []),
        ("dataset_name: data/train\n", []),
        ("datasets:\n  - path: org/train.jsonl\n", []),
        ("dataset: alpaca_en_demo\n", []),
        ("dataset_name: ${DATASET}\n", []),
        ("dataset_name: [unclosed\n", []),
        # YAML aliases are read once
        ("a: &d {dataset_name: org/set-a}\nb: *d\n", ["org/set-a"]),
    ],
)
def test_config_values(text: str, expected: list[str]) -> None:
    assert [r.name for r in find_config_datasets(text)] == expected


def test_remote_data_files_are_datasets() -> None:
    # simple-evals style: evaluation sets downloaded from a bucket by URL.
    code = (
        "import pandas\n"
        'LANG_TO_FPATH = {"en": "https://example.blob.core.windows.net/evals/mgsm_en.tsv"}\n'
        'INPUT_PATH = "https://example.blob.core.windows.net/evals/health/oss_eval.jsonl"\n'
        "df = pandas.read_csv(\n"
        '    "https://example.blob.core.windows.net/evals/simple_qa_test_set.csv"\n'
        ")\n"
        'other = pandas.read_csv(f"https://example.blob.core.windows.net/evals/gpqa_{v}.csv")\n'
        'api = "https://api.example.com/v1/items.json"\n'
        "# old = 'https://example.com/old.csv'\n"
    )
    assert pairs(run_text("evals/simple.py", code)) == {
        ("url:https://example.blob.core.windows.net/evals/mgsm_en.tsv", 2),
        ("url:https://example.blob.core.windows.net/evals/health/oss_eval.jsonl", 3),
        ("url:https://example.blob.core.windows.net/evals/simple_qa_test_set.csv", 4),
    }


def test_local_data_read_is_a_dataset_only_in_training_code() -> None:
    training = (
        "import pandas as pd\n"
        "from sklearn.model_selection import train_test_split\n"
        "df = pd.read_csv('notebook\\\\data\\\\stud.csv')\n"
        "train, test = train_test_split(df, test_size=0.2)\n"
        "app_config = pd.read_csv('config/regions.csv')\n"
    )
    assert pairs(run_text("src/ingest.py", training)) == {
        ("file:notebook/data/stud.csv", 3),
        ("file:config/regions.csv", 5),
    }
    app = "import pandas as pd\nregions = pd.read_csv('config/regions.csv')\n"
    assert pairs(run_text("app/views.py", app)) == set()
    # Without pandas (or polars, dask, ...) a `read_csv` is something else.
    other = "import mylib\nrows = mylib.read_csv('data/train.csv')\nmodel.fit(rows)\n"
    assert pairs(run_text("x.py", other)) == set()
