"""Turn key matches into findings and `secret` components, with path-aware severity."""

from __future__ import annotations

from typing import Any

from aims.findings import Confidence, Finding, Location, Severity, make_finding
from aims.inventory import Component, ComponentType, Evidence
from aims.secrets.filters import is_docs_path, is_test_path
from aims.secrets.matcher import KeyMatch

DETECTOR_NAME = "secrets"
FAMILY = "secret"
"""The suppression family: `# aims: ignore[secret] reason` silences every AIM2xx finding."""

RULE_DISTINCTIVE = ("AIM201", "hardcoded-ai-provider-key")
RULE_CONTEXTUAL = ("AIM202", "contextual-ai-provider-key")
RULE_HISTORY = ("AIM203", "ai-provider-key-in-git-history")


def notebook_location(text: str, offset: int) -> tuple[int, str] | None:
    """For a notebook's JSON text, return (1-based cell number, `source` or `output`) of an offset.

    A light textual look-up (no JSON parse, so it also works on malformed notebooks): cells are
    counted by their `"cell_type"` keys, and the part is whichever of `"source"` and `"outputs"`
    was opened last before the offset. None when the text does not look like a notebook.
    """
    cell = text.count('"cell_type"', 0, offset)
    if cell == 0 and '"cells"' not in text[:offset]:
        return None
    source = text.rfind('"source"', 0, offset)
    outputs = text.rfind('"outputs"', 0, offset)
    if source < 0 and outputs < 0:
        return None
    # NOTE: Jupyter writes keys sorted, so a cell's `cell_type` precedes its `outputs` and
    # `source`; for other writers the cell number is a best effort.
    return max(cell, 1), "output" if outputs > source else "source"


def severity_for(relpath: str) -> Severity:
    """Critical in source and configuration; medium under test paths; low in documentation."""
    if is_test_path(relpath):
        return Severity.MEDIUM
    if is_docs_path(relpath):
        return Severity.LOW
    return Severity.CRITICAL


def key_finding(
    match: KeyMatch,
    relpath: str,
    *,
    commit: str | None = None,
    history: dict[str, Any] | None = None,
    text: str | None = None,
) -> Finding:
    """Build the finding for one key: redacted evidence, keyed fingerprint, never the key.

    With `history` (commit, author, date, present_at_head, ...) the finding is AIM203 and the
    location carries the commit that introduced the file version.
    """
    fmt = match.format
    if history is not None:
        rule_id, rule_name = RULE_HISTORY
    elif fmt.contextual:
        rule_id, rule_name = RULE_CONTEXTUAL
    else:
        rule_id, rule_name = RULE_DISTINCTIVE
    where = f"the git history of {relpath}" if history is not None else relpath
    cell = notebook_location(text, match.start) if text and relpath.endswith(".ipynb") else None
    if cell is not None:
        where += f" (cell {cell[0]} {cell[1]})"
    message = (
        f"{fmt.title} ({match.redacted}) in {where}: revoke it at {fmt.provider_name}, "
        "then load it from the environment or a secret manager"
    )
    if history is not None:
        if history.get("present_in_file_at_head"):
            state = "still present in this file at HEAD"
        elif history.get("present_at_head"):
            state = "gone from this file but still present elsewhere at HEAD"
        else:
            state = "no longer at HEAD"
        commit_id = str(history.get("commit") or "unknown commit")[:12]
        date = str(history.get("date") or "")[:10]
        author = history.get("author")
        message += f"; introduced in {commit_id}"
        message += f" by {author}" if author else ""
        message += f" on {date}" if date else ""
        message += f", {state}"
    properties: dict[str, Any] = {
        "family": FAMILY,
        "provider": fmt.provider,
        "key_format": fmt.id,
        "redacted": match.redacted,
        "key_fingerprint": match.fingerprint,
    }
    if cell is not None:
        properties["notebook_cell"], properties["notebook_part"] = cell
    if history is not None:
        properties.update(history)
    return make_finding(
        rule_id=rule_id,
        rule_name=rule_name,
        message=message,
        severity=Severity.CRITICAL if history is not None else severity_for(relpath),
        confidence=Confidence(fmt.effective_confidence),
        primary=Location(
            path=relpath,
            line=match.line,
            column=match.column,
            end_line=match.line,
            end_column=match.column + (match.end - match.start),
            commit=commit,
        ),
        # NOTE: the fingerprint hashes the keyed hash, never the key (see fingerprint.py).
        match=f"{fmt.id}:{match.keyed_hash}",
        evidence=match.evidence,
        properties=properties,
    )


def key_component(match: KeyMatch, relpath: str, *, commit: str | None = None) -> Component:
    """Build the `secret` component for one key (one component per distinct key)."""
    fmt = match.format
    return Component(
        type=ComponentType.SECRET,
        name=f"{fmt.id}:{match.fingerprint}",
        provider=fmt.provider,
        category="api-key",
        evidence=[
            Evidence(
                path=relpath,
                line=match.line,
                detector=DETECTOR_NAME,
                snippet=match.evidence,
                commit=commit,
            )
        ],
        properties={
            "key_format": fmt.id,
            "title": fmt.title,
            "redacted": match.redacted,
            "key_fingerprint": match.fingerprint,
        },
    )
