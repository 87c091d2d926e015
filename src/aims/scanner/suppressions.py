"""Inline suppressions: `aims: ignore[AIM201] reason` in a comment silences matching findings.

The directive may sit in any common comment syntax (`#`, `//`, `--`, `;`, `<!-- -->`,
`/* */`) at the end of the finding's own line, or alone on the line above it. Inside the brackets go rule IDs,
rule names or detector family names (`secret`), separated by commas. The reason is mandatory:
a directive without one suppresses nothing and produces a warning. Suppressed findings stay in
the inventory, marked with `Suppression(source="inline", reason=...)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from aims.findings import Finding, Suppression
from aims.inventory import ScanWarning

# A comment opener, then the directive. `*` covers continuation lines of block comments.
_DIRECTIVE = re.compile(
    r"(?:#|//|--|;|<!--|/\*|\*|%|\bREM\b)\s*aims:\s*ignore\[(?P<sel>[^\]\n]*)\](?P<rest>[^\n]*)",
    re.IGNORECASE,
)
_CLOSERS = re.compile(r"\s*(?:-->|\*/|#\}|%\}|\}\})\s*$")
_LEADING = re.compile(r"^[\s:=\-\u2013\u2014]+")


@dataclass(frozen=True, slots=True)
class InlineIgnore:
    """One `aims: ignore[...]` directive."""

    line: int
    """1-based line the directive is on."""
    selectors: frozenset[str]
    """Lower-cased rule IDs, rule names or detector families."""
    reason: str
    """Why it is suppressed; empty means the directive is invalid and suppresses nothing."""
    standalone: bool = False
    """True when the comment is alone on its line: it then also covers the next line."""


def parse_ignores(text: str) -> list[InlineIgnore]:
    """Return every inline directive in `text`, in line order (never raises)."""
    if "aims:" not in text and "AIMS:" not in text.upper():
        return []
    found: list[InlineIgnore] = []
    for match in _DIRECTIVE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        line_start = text.rfind("\n", 0, match.start()) + 1
        standalone = not text[line_start : match.start()].strip()
        selectors = frozenset(s.strip().lower() for s in match.group("sel").split(",") if s.strip())
        rest = _CLOSERS.sub("", match.group("rest"))
        reason = _LEADING.sub("", rest).strip()
        found.append(
            InlineIgnore(line=line, selectors=selectors, reason=reason, standalone=standalone)
        )
    return found


def _family_forms(name: str) -> set[str]:
    lowered = name.lower()
    return {lowered, lowered.removesuffix("s"), lowered.replace("_", "-")}


def _matches(directive: InlineIgnore, finding: Finding, family: str) -> bool:
    names = {finding.rule_id.lower(), finding.rule_name.lower()}
    if family:
        names |= _family_forms(family)
    selectors = set(directive.selectors)
    for selector in directive.selectors:
        selectors |= _family_forms(selector)
    return bool(names & selectors)


def apply_inline_ignores(
    findings: Iterable[Finding],
    text: str,
    *,
    path: str,
    family_of: Callable[[Finding], str] | None = None,
) -> tuple[list[Finding], list[ScanWarning]]:
    """Mark findings in one file that an inline directive covers; return them and warnings.

    `text` is the file's content and `path` its relative path (for warnings); `family_of`
    names the detector family of a finding (`secret`, `mcp`, ...), so `ignore[secret]` works.
    A directive without a reason leaves its findings unsuppressed and adds a warning saying so.
    Findings already suppressed keep their suppression.
    """
    items = list(findings)
    directives = parse_ignores(text) if items else []
    if not directives:
        return items, []
    by_line: dict[int, list[InlineIgnore]] = {}
    for directive in directives:
        by_line.setdefault(directive.line, []).append(directive)
        if directive.standalone:
            by_line.setdefault(directive.line + 1, []).append(directive)
    out: list[Finding] = []
    warnings: list[ScanWarning] = []
    for finding in items:
        line = finding.primary.line
        if finding.suppression is not None or line is None or finding.primary.path != path:
            out.append(finding)
            continue
        family = family_of(finding) if family_of else ""
        applied = None
        for directive in by_line.get(line, ()):
            if not _matches(directive, finding, family):
                continue
            if not directive.reason:
                warnings.append(
                    ScanWarning(
                        path,
                        f"line {directive.line}: 'aims: ignore[...]' without a reason does not "
                        f"suppress {finding.rule_id}: add why after the bracket",
                    )
                )
                continue
            applied = directive
            break
        if applied is None:
            out.append(finding)
        else:
            out.append(
                replace(finding, suppression=Suppression(source="inline", reason=applied.reason))
            )
    return out, warnings
