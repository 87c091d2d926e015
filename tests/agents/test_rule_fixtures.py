"""Every AIM4xx/AIM5xx rule has positive and negative fixtures with exact lines.

Each case under `fixtures/` is a small repository plus `expected.yaml`:

```yaml
findings:            # every finding the case must produce: rule -> path -> lines
  AIM503: {.cursorrules: [2]}
negatives:           # benign look-alikes: files where the rule must stay silent
  AIM503: [.github/copilot-instructions.md]
```

The lint output of a case must equal `findings` exactly (no missing, no extra finding of any
rule), so a negative file that triggers anything fails too.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from aims.agents.lint import LintOptions, lint_rule_ids, run_lint
from tests.agents.conftest import FIXTURES, materialise

CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.yaml").is_file())


def _expected(case: str) -> dict[str, object]:
    data = yaml.safe_load((FIXTURES / case / "expected.yaml").read_text("utf-8")) or {}
    return {"findings": data.get("findings") or {}, "negatives": data.get("negatives") or {}}


def _actual(root: Path) -> set[tuple[str, str, int]]:
    result = run_lint([str(root)], LintOptions(jobs=1))
    return {(f.rule_id, f.primary.path, f.primary.line or 0) for f in result.inventory.findings}


@pytest.mark.parametrize("case", CASES)
def test_case_matches_expected_lines(case: str, tmp_path: Path) -> None:
    root = materialise(case, tmp_path)
    expected = _expected(case)
    want = {
        (rule, path, line)
        for rule, files in expected["findings"].items()  # type: ignore[attr-defined]
        for path, lines in files.items()
        for line in lines
    }
    got = _actual(root)
    assert sorted(got - want) == [], "unexpected findings"
    assert sorted(want - got) == [], "missing findings"
    for rule, paths in expected["negatives"].items():  # type: ignore[attr-defined]
        for path in paths:
            assert (root / path).is_file(), f"negative fixture {path} missing"
            assert not any(r == rule and p == path for r, p, _ in got)


def test_every_rule_has_positive_and_negative_fixtures() -> None:
    positives: dict[str, int] = defaultdict(int)
    negatives: dict[str, int] = defaultdict(int)
    for case in CASES:
        expected = _expected(case)
        for rule in expected["findings"]:  # type: ignore[attr-defined]
            positives[rule] += 1
        for rule in expected["negatives"]:  # type: ignore[attr-defined]
            negatives[rule] += 1
    missing_pos = [r for r in lint_rule_ids() if not positives[r]]
    missing_neg = [r for r in lint_rule_ids() if not negatives[r]]
    assert missing_pos == [] and missing_neg == []


def test_at_least_sixty_rules() -> None:
    assert len(lint_rule_ids()) >= 60
