"""Models loaded by name (torch.hub, timm, Ultralytics, Whisper, spaCy) and model files saved
or loaded by path (joblib, pickle, PyTorch, Keras, gradient boosting, ONNX Runtime, MLflow)."""

from __future__ import annotations

import pytest

from aims.catalog import load_catalog
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.model_loaders import (
    BY_PUBLISHER,
    ModelLoaderDetector,
    find_artifacts,
    find_loaded_models,
    load_artifacts,
    load_loaders,
)

LOADERS = load_loaders()
CATALOG = load_catalog()


@pytest.mark.parametrize("loader", LOADERS, ids=[x.id for x in LOADERS])
def test_catalog_examples(loader) -> None:
    for line in loader.positive:
        assert [x.id for x, _ in find_loaded_models(line)] == [loader.id], line
    for line in loader.negative:
        assert loader.id not in [x.id for x, _ in find_loaded_models(line)], line
    assert loader.provider == BY_PUBLISHER or CATALOG.provider(loader.provider) is not None


SOURCE = '''\
"""Image and speech tagging, run locally."""

import spacy
import timm
import torch
import whisper
from ultralytics import YOLO

# torch.hub.load("pytorch/vision", "resnet18") is what we used before
classifier = torch.hub.load("pytorch/vision", "resnet50", weights="IMAGENET1K_V2")
backbone = timm.create_model("vit_base_patch16_224", pretrained=True)
detector = YOLO("yolov8n.pt")
speech = whisper.load_model("base.en")
nlp = spacy.load("en_core_web_sm")
custom = YOLO(settings.weights)
'''


def test_detector_reports_each_model_with_its_line_and_publisher() -> None:
    file = ScanFile(
        relpath="tagger.py", abspath="tagger.py", data=SOURCE.encode(), size=len(SOURCE)
    )
    result = ModelLoaderDetector().detect(file, DetectContext(catalog=CATALOG))
    found = {(c.name, c.provider, c.evidence[0].line) for c in result.components}
    assert found == {
        ("resnet50", "meta", 10),
        ("vit_base_patch16_224", "huggingface", 11),
        ("yolov8n", "ultralytics", 12),
        ("whisper-base.en", "openai", 13),
        ("en_core_web_sm", "explosion", 14),
    }


def test_only_python_files() -> None:
    detector = ModelLoaderDetector()
    assert detector.wants("a/b.py", "b.py") and not detector.wants("README.md", "README.md")


ARTIFACTS = load_artifacts()


def _refs(snippet: str) -> list[str]:
    masked = _source.mask(snippet, _source.PYTHON)
    masked.constants = _source.python_string_constants(masked)
    return [r.artifact.id for r in find_artifacts(masked)]


@pytest.mark.parametrize("artifact", ARTIFACTS, ids=[a.id for a in ARTIFACTS])
def test_artifact_catalog_examples(artifact) -> None:
    assert artifact.positive and artifact.negative
    for snippet in artifact.positive:
        assert artifact.id in _refs(snippet), snippet
    for snippet in artifact.negative:
        assert artifact.id not in _refs(snippet), snippet


TRAIN = """\
import joblib
import pickle
import torch
import mlflow
from sklearn.ensemble import RandomForestClassifier

MODEL_PATH = "artifacts/model.pkl"
# joblib.dump(clf, "old/model.pkl")


def train(X, y):
    clf = RandomForestClassifier().fit(X, y)
    joblib.dump(clf, MODEL_PATH)
    joblib.dump(X, "artifacts/train_matrix.pkl")
    with open("artifacts/label_encoder.pkl", "wb") as handle:
        pickle.dump(encoder, handle)
    torch.save(net.state_dict(), f"checkpoints/epoch_{epoch}.pt")
    mlflow.sklearn.log_model(clf, "model", registered_model_name="churn-classifier")
    return clf


def serve():
    model = joblib.load(MODEL_PATH)
    champion = mlflow.pyfunc.load_model("models:/churn-classifier/3")
    return model, champion
"""


def test_model_files_saved_and_loaded_by_path(tmp_path) -> None:
    (tmp_path / "artifacts").mkdir()
    (tmp_path / "artifacts" / "model.pkl").write_bytes(b"\x80\x04N.")
    (tmp_path / "src").mkdir()
    source = tmp_path / "src" / "train.py"
    source.write_text(TRAIN)
    file = ScanFile(
        relpath="src/train.py", abspath=str(source), data=TRAIN.encode(), size=len(TRAIN)
    )
    result = ModelLoaderDetector().detect(file, DetectContext(catalog=CATALOG))
    found = {
        (c.type.value, c.name, c.version, tuple(e.line for e in c.evidence)): c.properties
        for c in result.components
    }
    assert found == {
        ("model-file", "artifacts/model.pkl", None, (13, 23)): {
            "library": "joblib",
            "operations": ["load", "save"],
            "in_repo": True,
        },
        ("model-file", "artifacts/label_encoder.pkl", None, (16,)): {
            "library": "pickle",
            "operations": ["save"],
            "in_repo": False,
            "format": "pickle",
        },
        ("model", "churn-classifier", None, (18,)): {
            "library": "mlflow",
            "operations": ["save"],
            "registry": "mlflow",
        },
        ("model", "churn-classifier", "3", (24,)): {
            "library": "mlflow",
            "operations": ["load"],
            "registry": "mlflow",
        },
    }


def test_notebook_paths_resolve_against_the_notebook_folder(tmp_path) -> None:
    import json

    from aims.scanner.detectors.notebooks import NotebookDetector

    (tmp_path / "course").mkdir()
    cells = [
        {"cell_type": "code", "source": ["import tensorflow as tf\n"]},
        {"cell_type": "code", "source": ['model.save("my_mnist_model.keras")\n']},
        {
            "cell_type": "code",
            "source": ['model = tf.keras.models.load_model("my_mnist_model.keras")\n'],
        },
    ]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}, indent=1)
    path = tmp_path / "course" / "10_keras.ipynb"
    path.write_text(text)
    file = ScanFile(
        relpath="course/10_keras.ipynb", abspath=str(path), data=text.encode(), size=len(text)
    )
    result = NotebookDetector().detect(file, DetectContext(catalog=CATALOG))
    files = [
        (c.name, c.properties["operations"], c.properties["notebook_cells"], c.evidence[0].path)
        for c in result.components
        if c.type.value == "model-file"
    ]
    assert files == [
        ("course/my_mnist_model.keras", ["load", "save"], [1, 2], "course/10_keras.ipynb")
    ]


def test_tf_hub_and_kaggle_models_take_the_publisher_as_provider() -> None:
    code = (
        "import tensorflow_hub as hub\n"
        "import kagglehub\n"
        'encoder = hub.KerasLayer("https://tfhub.dev/google/universal-sentence-encoder/4")\n'
        'weights = kagglehub.model_download("someone/tiny-cnn/keras/v1")\n'
    )
    file = ScanFile(relpath="embed.py", abspath="embed.py", data=code.encode(), size=len(code))
    result = ModelLoaderDetector().detect(file, DetectContext(catalog=CATALOG))
    assert {(c.name, c.provider, c.evidence[0].line) for c in result.components} == {
        ("google/universal-sentence-encoder/4", "google-gemini", 3),
        ("someone/tiny-cnn/keras/v1", None, 4),
    }
