"""A rule hit inside one file, and its conversion into a `Finding` with catalogue metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aims.catalog.rules import load_rules
from aims.findings import Finding, Location, make_finding


@dataclass(slots=True)
class Hit:
    """One rule match: where, what it says, and redacted evidence (never a raw secret)."""

    rule_id: str
    line: int
    message: str
    match: str
    """What the fingerprint is built from (a keyed hash for secrets)."""
    column: int | None = None
    evidence: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


def to_finding(hit: Hit, path: str) -> Finding:
    """Build the finding of a hit, with the rule's name, severity and confidence."""
    rule = load_rules().require(hit.rule_id)
    return make_finding(
        rule_id=rule.id,
        rule_name=rule.name,
        message=hit.message,
        severity=rule.severity,
        confidence=rule.confidence,
        primary=Location(path, hit.line, hit.column),
        match=hit.match,
        evidence=hit.evidence,
        properties=hit.properties,
    )


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def shorten(text: str, limit: int = 120) -> str:
    """One line of at most `limit` characters, for evidence."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
