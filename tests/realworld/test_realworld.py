"""Regression fixtures for misses found by scanning public repositories (docs/real-world.md).

Each fixture under `repos/` is a small tree written for this test that reproduces one kind of
miss seen on a real repository; `expected.yaml` beside it is the truth, in the accuracy corpus
format. Every expected component must be found with the right attributes, and nothing else may
be reported. (Two components for one package, one from the manifest with a version and one
from an import without, are a known engine behaviour tracked in docs/real-world.md, so
duplicates are not failures here.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.accuracy.corpus import CorpusRepo, load_corpus
from aims.accuracy.matching import RepoResult
from aims.accuracy.runner import EngineMissingError, engine_scan_function, evaluate

HERE = Path(__file__).resolve().parent
CORPUS = load_corpus(HERE / "repos")


@pytest.fixture(scope="module")
def results() -> dict[str, RepoResult]:
    try:
        scan = engine_scan_function()
    except EngineMissingError as exc:
        pytest.skip(str(exc))
    return {r.repo: r for r in evaluate(CORPUS, scan=scan)}


def test_corpus_has_the_fixtures() -> None:
    assert sorted(r.name for r in CORPUS) == [
        "eval-and-tuning-data",
        "go-llm-service",
        "java-ai-starters",
        "legacy-llamaindex-app",
        "mcp-servers-in-code",
        "n8n-workflows",
        "self-hosted-inference",
    ]


@pytest.mark.parametrize("repo", CORPUS, ids=lambda r: r.name)
def test_every_expected_component_is_found(
    repo: CorpusRepo, results: dict[str, RepoResult]
) -> None:
    result = results[repo.name]
    assert [(m.type.value, m.name, m.reason) for m in result.misses] == []
    assert [
        (m.type.value, m.name, m.attribute, m.expected, m.found) for m in result.mismatches
    ] == []


@pytest.mark.parametrize("repo", CORPUS, ids=lambda r: r.name)
def test_nothing_else_is_reported(repo: CorpusRepo, results: dict[str, RepoResult]) -> None:
    result = results[repo.name]
    assert [(f.type.value, f.name, f.paths) for f in result.false_positives] == []
    required = [c for c in repo.expected.components if not c.optional]
    assert len(result.hits) >= len(required)
