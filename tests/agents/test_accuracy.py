"""The labelled corpus: every technique caught (recall 1.0) with no benign sample reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.agents.accuracy import TechniqueScore, evaluate, main

SPEC = Path(__file__).parent / "corpus" / "corpus.yaml"


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict[str, TechniqueScore]:  # type: ignore[no-untyped-def]
    return evaluate(SPEC, tmp_path_factory.mktemp("corpus"))


def test_corpus_shape(scores: dict[str, TechniqueScore]) -> None:
    assert len(scores) >= 60
    for technique, score in scores.items():
        assert score.samples >= 3, technique
        assert len(score.files) >= 3, technique
        assert score.benign >= score.samples, technique


def test_recall_is_one_and_no_false_positives(scores: dict[str, TechniqueScore]) -> None:
    missed = {t: s.missed for t, s in scores.items() if s.missed}
    flagged = {t: s.flagged for t, s in scores.items() if s.flagged}
    assert missed == {} and flagged == {}


def test_every_lint_rule_family_is_in_the_corpus() -> None:
    import yaml

    from aims.agents.lint import lint_rule_ids

    covered = {r for entry in yaml.safe_load(SPEC.read_text("utf-8")) for r in entry["rules"]}
    uncovered = sorted(set(lint_rule_ids()) - covered)
    assert uncovered == []


def test_main_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--spec", str(SPEC)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "technique",
        "samples",
        "types",
        "recall",
        "benign",
        "FP",
        "precision",
    ]
    assert "0/203 benign samples reported" in out.splitlines()[-1]
