"""SARIF 2.1.0 for findings (GitHub code scanning): rules with help, fingerprints, baseline state."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from aims import __version__
from aims.catalog.rules import RuleSet, load_rules
from aims.findings import Finding, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/aims-dev/aims"

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub ranks code-scanning alerts by this 0.0-10.0 score.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _rule(rule_id: str, name: str, rules: RuleSet) -> dict[str, Any]:
    rule = rules.get(rule_id)
    if rule is None:
        return {"id": rule_id, "name": name, "shortDescription": {"text": name}}
    help_md = (
        f"**{rule.title}**\n\n{rule.doc.what.strip()}\n\n**Why is this a risk?** "
        f"{rule.doc.why.strip()}\n\n**Fix:** {rule.doc.fix.strip()}"
    )
    tags = ["ai-governance", rule.detector, *rule.owasp, *(f"ISO42001:{c}" for c in rule.controls)]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.doc.what.strip()},
        "helpUri": rule.help_uri,
        "help": {
            "text": f"{rule.doc.why.strip()} Fix: {rule.doc.fix.strip()}",
            "markdown": help_md,
        },
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": tags,
            "precision": {"high": "very-high", "medium": "high", "low": "medium"}[
                rule.confidence.value
            ],
            "security-severity": SECURITY_SEVERITY[rule.severity],
        },
    }


def _location(path: str, line: int | None, column: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"}}
    if line:
        region: dict[str, Any] = {"startLine": line}
        if column:
            region["startColumn"] = column
        physical["region"] = region
    return {"physicalLocation": physical}


def render_sarif(
    findings: Sequence[Finding],
    *,
    new_fingerprints: set[str] | None = None,
    rules: RuleSet | None = None,
    automation_id: str = "aims",
) -> str:
    """The SARIF log of a list of findings.

    `new_fingerprints` (from a baseline or diff base) sets each result's `baselineState` to
    `new` or `unchanged`. Suppressed findings are kept with their justification.
    """
    rules = rules or load_rules()
    order: list[str] = []
    index: dict[str, int] = {}
    descriptors = []
    for f in findings:
        if f.rule_id not in index:
            index[f.rule_id] = len(order)
            order.append(f.rule_id)
            descriptors.append(_rule(f.rule_id, f.rule_name, rules))
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f.primary.path, f.primary.line, f.primary.column)],
            "partialFingerprints": {"aimsFingerprint/v1": f.fingerprint},
            "properties": {"severity": f.severity.value, "confidence": f.confidence.value},
        }
        if f.related:
            result["relatedLocations"] = [
                {"id": i, **_location(loc.path, loc.line, loc.column)}
                for i, loc in enumerate(f.related, start=1)
            ]
        if new_fingerprints is not None:
            result["baselineState"] = "new" if f.fingerprint in new_fingerprints else "unchanged"
        if f.suppression is not None:
            result["suppressions"] = [
                {
                    "kind": "inSource" if f.suppression.source == "inline" else "external",
                    "justification": f.suppression.reason,
                }
            ]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aims",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "automationDetails": {"id": f"{automation_id}/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
