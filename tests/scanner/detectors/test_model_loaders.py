"""Models loaded by name through torch.hub, timm, Ultralytics, Whisper and spaCy."""

from __future__ import annotations

import pytest

from aims.catalog import load_catalog
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.model_loaders import (
    ModelLoaderDetector,
    find_loaded_models,
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
    assert CATALOG.provider(loader.provider) is not None


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
