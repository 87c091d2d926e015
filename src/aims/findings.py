"""Findings: one frozen model with a stable, line-independent identity."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a finding is, ordered from least to most severe."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position in the order info < low < medium < high < critical."""
        return _SEVERITY_ORDER[self]

    def __str__(self) -> str:
        return self.value


_SEVERITY_ORDER = {s: i for i, s in enumerate(Severity)}


class Confidence(StrEnum):
    """How sure the detector is, ordered from least to most sure."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Position in the order low < medium < high."""
        return _CONFIDENCE_ORDER[self]

    def __str__(self) -> str:
        return self.value


_CONFIDENCE_ORDER = {c: i for i, c in enumerate(Confidence)}


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file. Paths are repository-relative POSIX; lines and columns are 1-based."""

    path: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    commit: str | None = None
    """Set when the location is in git history rather than the work tree."""

    def __str__(self) -> str:
        out = self.path
        if self.line:
            out += f":{self.line}"
            if self.column:
                out += f":{self.column}"
        if self.commit:
            out += f"@{self.commit[:12]}"
        return out


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is not counted: an inline comment, a config entry or a baseline."""

    source: str
    """One of `inline`, `config`, `baseline`, `exception`."""
    reason: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found at one place. Build it with `make_finding` so the fingerprint is right."""

    rule_id: str
    rule_name: str
    message: str
    severity: Severity
    confidence: Confidence
    primary: Location
    fingerprint: str
    evidence: str = ""
    """Redacted evidence: never a raw secret."""
    related: tuple[Location, ...] = ()
    suppression: Suppression | None = None
    properties: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    """Detector-specific extras (for history findings: commit, author, date, present_at_head)."""

    @property
    def suppressed(self) -> bool:
        """True when an inline comment, config entry, exception or baseline suppresses it."""
        return self.suppression is not None


_WS = re.compile(r"\s+")


def fingerprint(rule_id: str, content: str) -> str:
    """Return a stable identity for a finding.

    It hashes the rule ID and the whitespace-normalised matched content, never the line number
    or the path, so a finding keeps its fingerprint when lines move or its file is renamed. The
    same problem in two files shares a fingerprint; baselines therefore count occurrences per
    fingerprint. Pass a secret's keyed hash as `content`, never the secret itself.
    """
    normalised = _WS.sub(" ", content.strip())
    digest = hashlib.sha256(f"{rule_id}\0{normalised}".encode()).hexdigest()
    return digest[:32]


def make_finding(
    *,
    rule_id: str,
    rule_name: str,
    message: str,
    severity: Severity,
    confidence: Confidence,
    primary: Location,
    match: str,
    evidence: str = "",
    related: tuple[Location, ...] = (),
    suppression: Suppression | None = None,
    properties: dict[str, Any] | None = None,
) -> Finding:
    """Build a finding, deriving its fingerprint from the rule and the matched content.

    Raises `ValueError` when the rule ID or the primary location is missing, so a malformed
    finding can never be built.
    """
    if not rule_id:
        raise ValueError("a finding needs a rule ID")
    if not primary.path:
        raise ValueError(f"finding {rule_id} has no primary location")
    return Finding(
        rule_id=rule_id,
        rule_name=rule_name,
        message=message,
        severity=severity,
        confidence=confidence,
        primary=primary,
        fingerprint=fingerprint(rule_id, match),
        evidence=evidence,
        related=related,
        suppression=suppression,
        properties=dict(properties or {}),
    )
