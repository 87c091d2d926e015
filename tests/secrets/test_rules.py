"""AIM2xx rules: valid, documented, and the pages under docs/rules/ are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.catalog.rules import load_rules
from aims.secrets.results import RULE_CONTEXTUAL, RULE_DISTINCTIVE, RULE_HISTORY

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("rule_id_name", [RULE_DISTINCTIVE, RULE_CONTEXTUAL, RULE_HISTORY])
def test_rules_the_detector_raises_exist(rule_id_name: tuple[str, str]) -> None:
    rule_id, name = rule_id_name
    rule = load_rules().require(rule_id)
    assert rule.name == name
    assert rule.detector == "secrets"
    assert rule.offline is True
    for text in (rule.doc.what, rule.doc.why, rule.doc.example, rule.doc.fix):
        assert len(text.strip()) > 40


@pytest.mark.parametrize("rule_id", ["AIM201", "AIM202", "AIM203"])
def test_rule_pages_are_generated_and_current(rule_id: str) -> None:
    from aims.catalog.ruledocs import render_rule

    page = ROOT / "docs" / "rules" / f"{rule_id}.md"
    assert page.read_text("utf-8") == render_rule(load_rules().require(rule_id))
