"""Meta-lint of the rule catalogue: every rule is well-formed, documented and unique."""

import re

import pytest

from aims.catalog.ruledocs import render_rule, stale_pages
from aims.catalog.rules import load_rules

RULES = list(load_rules())


def test_generated_rule_pages_are_current() -> None:
    assert stale_pages() == [], "run `python -m aims.catalog.ruledocs` and commit docs/rules/"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_documented(rule) -> None:
    # A name reads as "allow <name>": it names the pattern, never the fix.
    assert not rule.name.startswith(("no-", "disallow-", "avoid-"))
    for part in (rule.doc.what, rule.doc.why, rule.doc.example, rule.doc.fix):
        assert len(part.strip()) >= 20, f"{rule.id}: documentation section too short"
    page = render_rule(rule)
    assert f"# {rule.id}" in page and "## Why is this a risk?" in page


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_id_family_matches_detector_area(rule) -> None:
    assert re.fullmatch(r"AIM[1-8]\d\d", rule.id)
