"""Models loaded through a library's own loader by name (torch.hub, timm, Ultralytics, Whisper,
spaCy), which carry neither a provider model ID nor a Hugging Face repo ID."""

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
    Whisper or spaCy."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """Python source files."""
        return name.endswith((".py", ".pyi"))

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """The loaders' call names."""
        return sorted({loader.keyword.encode() for loader in load_loaders()})

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
                    component = Component(
                        type=ComponentType.MODEL,
                        name=name,
                        provider=loader.provider if ctx.catalog.provider(loader.provider) else None,
                        category="open-weights",
                        properties={"loader": loader.id},
                    )
                    by_name[(loader.id, name)] = component
                component.evidence.append(
                    Evidence(file.relpath, number, DETECTOR_NAME, _source.snippet(line))
                )
        result.components.extend(by_name.values())
        return result
