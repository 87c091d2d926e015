"""Inline suppressions: comment syntaxes, mandatory reasons, selectors, --no-ignores."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from aims.findings import Confidence, Finding, Location, Severity, Suppression, make_finding
from aims.scanner.engine import ScanOptions, scan
from aims.scanner.suppressions import InlineIgnore, apply_inline_ignores, parse_ignores
from tests.fixtures.engine.fakes import KeywordDetector, empty_catalog


def finding(line: int, rule_id: str = "AIM201", name: str = "hardcoded-ai-provider-key") -> Finding:
    return make_finding(
        rule_id=rule_id,
        rule_name=name,
        message="m",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        primary=Location("app.py", line),
        match=f"x{line}",
    )


def test_parse_every_comment_syntax() -> None:
    text = "\n".join(
        [
            "key = 1  # aims: ignore[AIM201] test fixture key",
            "const k = 1; // aims: ignore[AIM201, secret] rotated already",
            "SELECT 1; -- aims: ignore[hardcoded-ai-provider-key] demo data",
            "<!-- aims: ignore[AIM501] quoted on purpose -->",
            "/* aims: ignore[AIM201]: generated file */",
            " * aims: ignore[AIM202] - documented example",
            "x = 1  # aims: ignore[AIM201]",
            "text mentioning aims: ignore[AIM201] outside a comment",
        ]
    )
    assert parse_ignores(text) == [
        InlineIgnore(1, frozenset({"aim201"}), "test fixture key"),
        InlineIgnore(2, frozenset({"aim201", "secret"}), "rotated already"),
        InlineIgnore(3, frozenset({"hardcoded-ai-provider-key"}), "demo data"),
        InlineIgnore(4, frozenset({"aim501"}), "quoted on purpose", standalone=True),
        InlineIgnore(5, frozenset({"aim201"}), "generated file", standalone=True),
        InlineIgnore(6, frozenset({"aim202"}), "documented example", standalone=True),
        InlineIgnore(7, frozenset({"aim201"}), ""),
    ]


def test_same_line_and_line_above_with_reason() -> None:
    text = "# aims: ignore[AIM201] fake key for tests\nKEY = 'x'\nOTHER = 'y'\n"
    out, warnings = apply_inline_ignores(
        [finding(2), finding(3)], text, path="app.py", family_of=lambda f: "secrets"
    )
    assert out[0].suppression == Suppression(source="inline", reason="fake key for tests")
    assert out[1].suppression is None
    assert warnings == []


def test_missing_reason_keeps_the_finding_and_warns() -> None:
    text = "KEY = 'x'  # aims: ignore[AIM201]\n"
    out, warnings = apply_inline_ignores([finding(1)], text, path="app.py")
    assert out[0].suppression is None
    assert [(w.path, w.message) for w in warnings] == [
        (
            "app.py",
            "line 1: 'aims: ignore[...]' without a reason does not suppress AIM201: "
            "add why after the bracket",
        )
    ]


def test_selectors_rule_name_family_and_non_matching_rule() -> None:
    text = (
        "a = 1  // aims: ignore[hardcoded-ai-provider-key] sample\n"
        "b = 1  // aims: ignore[secret] sample\n"
        "c = 1  // aims: ignore[AIM999] another rule\n"
    )
    out, _ = apply_inline_ignores(
        [finding(1), finding(2), finding(3)], text, path="app.py", family_of=lambda f: "secrets"
    )
    assert [f.suppression is not None for f in out] == [True, True, False]


def test_engine_applies_them_and_no_ignores_turns_them_off(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "import openai  # aims: ignore[AIM901] reviewed: internal proxy\n"
        "import openai  # aims: ignore[AIM901]\n"
        "<!-- aims: ignore[fake-sdk] vendored example -->\n"
        "import openai\n"
    )
    detectors = [KeywordDetector(b"openai")]
    inventory = scan(
        [str(tmp_path)],
        ScanOptions(jobs=1, use_cache=False),
        detectors=detectors,
        catalog=empty_catalog(),
    )
    states = [
        (f.primary.line, f.suppression.reason if f.suppression else None)
        for f in inventory.findings
    ]
    assert states == [
        (1, "reviewed: internal proxy"),
        (2, None),
        (4, "vendored example"),
    ]
    assert [w.message.split(":")[0] for w in inventory.warnings] == ["line 2"]
    plain = scan(
        [str(tmp_path)],
        ScanOptions(jobs=1, use_cache=False, ignores=False),
        detectors=detectors,
        catalog=empty_catalog(),
    )
    assert [f.suppression for f in plain.findings] == [None, None, None]
    assert plain.warnings == []


@given(st.text(max_size=400))
def test_parse_never_raises(text: str) -> None:
    for directive in parse_ignores(text + "\n# aims: ignore[X] r"):
        assert directive.line >= 1
