"""Gate: every component type whose detectors exist scores >= 0.95 precision and recall.

Types still below the bar have a ratchet instead (`FLOORS`): they may not fall below the figures
last measured, so a detector change cannot make them worse unnoticed. Remove a type from
`FLOORS` once it reaches the threshold. Run alone with `pytest -m accuracy tests/accuracy`;
`make accuracy` prints the table and every miss and false positive.
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

# (precision, recall) floors of the types below THRESHOLD, a little under the figures in
# docs/accuracy.md. Raise them as detectors improve. Lower one only when new corpus truth
# (not a detector change) moves the figure, and say so in the commit. Provider and model were
# at 1.0 until the classic-ml-zoo repository (torch.hub, timm, Ultralytics, Whisper, spaCy
# models and their publishers) and raw-http-clients (a model in an escaped shell string) were
# added.
FLOORS: dict[ComponentType, tuple[float, float]] = {}
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
    figures = f"{kind}: precision {s.precision}, recall {s.recall}"
    if s.passes(THRESHOLD):
        return
    floor = FLOORS.get(kind)
    assert floor is not None, f"{figures} below {THRESHOLD}\n{detail}"
    precision = 1.0 if s.precision is None else s.precision
    recall = 1.0 if s.recall is None else s.recall
    assert precision >= floor[0] and recall >= floor[1], (
        f"{figures} fell below the recorded floor {floor}\n{detail}"
    )
