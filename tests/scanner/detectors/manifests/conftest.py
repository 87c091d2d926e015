"""Shared fakes for the manifest detector tests: a small catalog and a file scanner."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.catalog.model import Catalog, Package
from aims.inventory import Component
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.manifests import ManifestDetector

FIXTURES = Path(__file__).parent / "fixtures"

_PACKAGES = [
    ("pypi", "openai", "openai", "llm-sdk"),
    ("pypi", "anthropic", "anthropic", "llm-sdk"),
    ("pypi", "langchain", None, "agent-framework"),
    ("pypi", "langchain-openai", "openai", "agent-framework"),
    ("pypi", "torch", None, "ml-framework"),
    ("pypi", "sentence-transformers", None, "embedding"),
    ("npm", "openai", "openai", "llm-sdk"),
    ("npm", "@anthropic-ai/sdk", "anthropic", "llm-sdk"),
    ("npm", "@langchain/openai", "openai", "agent-framework"),
    ("npm", "ai", None, "llm-sdk"),
    ("golang", "github.com/sashabaranov/go-openai", "openai", "llm-sdk"),
    ("golang", "github.com/anthropics/anthropic-sdk-go", "anthropic", "llm-sdk"),
    ("golang", "github.com/openai/openai-go", "openai", "llm-sdk"),
    ("maven", "dev.langchain4j:langchain4j-open-ai", "openai", "agent-framework"),
    ("maven", "dev.langchain4j:langchain4j-bom", None, "agent-framework"),
    ("maven", "com.azure:azure-ai-openai", "azure-openai", "llm-sdk"),
    ("maven", "com.theokanning.openai-gpt3-java:service", "openai", "llm-sdk"),
    ("cargo", "async-openai", "openai", "llm-sdk"),
    ("cargo", "candle-core", None, "ml-framework"),
    ("cargo", "candle-nn", None, "ml-framework"),
    ("cargo", "tiktoken-rs", "openai", "llm-sdk"),
    ("nuget", "Azure.AI.OpenAI", "azure-openai", "llm-sdk"),
    ("nuget", "Microsoft.SemanticKernel", None, "agent-framework"),
    ("nuget", "OpenAI", "openai", "llm-sdk"),
    ("nuget", "Microsoft.SemanticKernel.Connectors.OpenAI", "openai", "agent-framework"),
]


def fake_catalog() -> Catalog:
    """A catalog with a few AI packages of every ecosystem (independent of the shipped data)."""
    packages = [
        Package.model_validate(
            {
                "ecosystem": eco,
                "name": name,
                "provider": provider,
                "category": category,
                "examples": {"positive": [name], "negative": ["not-" + name]},
            }
        )
        for eco, name, provider, category in _PACKAGES
    ]
    return Catalog(providers=[], packages=packages, model_families=[])


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The fake catalog."""
    return fake_catalog()


def scan_file(
    root: Path, relpath: str, catalog: Catalog, data: bytes | None = None
) -> DetectResult:
    """Run the detector on one file below `root`, as the engine would hand it over."""
    path = root / relpath
    content = path.read_bytes() if data is None else data
    file = ScanFile(relpath=relpath, abspath=str(path), data=content, size=len(content))
    detector = ManifestDetector()
    assert detector.wants(relpath, file.name)
    return detector.detect(file, DetectContext(catalog=catalog))


Row = tuple[str, str | None, int | None, bool | None, str | None]


def rows(components: list[Component]) -> list[Row]:
    """(name, version, line, direct, purl) of each component, in detector order."""
    return [(c.name, c.version, c.evidence[0].line, c.direct, c.purl) for c in components]
