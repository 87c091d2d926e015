"""Gate: every component type whose detectors exist scores >= 0.95 precision and recall.

Run alone with `pytest -m accuracy tests/accuracy`; `make accuracy` prints the full table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.accuracy.corpus import load_corpus
from aims.accuracy.matching import RepoResult, score
from aims.accuracy.report import render_details
from aims.accuracy.runner import (
    EngineMissingError,
    engine_scan_function,
    evaluate,
    measurable_types,
    present_detector_modules,
)
from aims.inventory import ComponentType

THRESHOLD = 0.95
CORPUS_DIR = Path(__file__).resolve().parent / "repos"
MEASURED = measurable_types(present_detector_modules())

pytestmark = pytest.mark.accuracy


@pytest.fixture(scope="module")
def results() -> list[RepoResult]:
    try:
        scan = engine_scan_function()
    except EngineMissingError as exc:
        pytest.skip(str(exc))
    return evaluate(load_corpus(CORPUS_DIR), scan=scan)


@pytest.mark.parametrize("kind", MEASURED or [None], ids=lambda k: str(k))
def test_type_meets_threshold(kind: ComponentType | None, results: list[RepoResult]) -> None:
    if kind is None:
        pytest.skip("no detector is registered yet")
    s = score(results)[kind.value]
    typed = [
        RepoResult(
            repo=r.repo,
            misses=[m for m in r.misses if m.type is kind],
            false_positives=[f for f in r.false_positives if f.type is kind],
        )
        for r in results
    ]
    detail = render_details(typed)
    assert s.passes(THRESHOLD), (
        f"{kind}: precision {s.precision}, recall {s.recall} (threshold {THRESHOLD})\n{detail}"
    )
