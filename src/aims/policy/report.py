"""Human and machine renderings of a gate result: text, Markdown (PR comment), JSON."""

from __future__ import annotations

import json
from typing import Any

from aims import __version__
from aims.policy.evaluate import GateResult
from aims.policy.model import Decision, Policy

MODE_LABEL = {
    "full": "all findings",
    "baseline": "new since the baseline",
    "diff": "changed files only",
}


def _next_steps(result: GateResult, policy: Policy) -> list[str]:
    if result.passed:
        return []
    steps = ["Fix the failing findings above"]
    if any(f.rule_id in ("AIM701", "AIM702", "AIM703") for f in result.failing):
        steps.append("or, after review, add the components to an approved list in the policy")
    approvers = ", ".join(policy.approvers) or "(none listed: add `approvers:` to the policy)"
    steps.append(f"or record a time-limited exception approved by one of: {approvers}")
    return steps


def render_text(result: GateResult, policy: Policy, *, policy_path: str) -> str:
    """A readable verdict with what to do next."""
    failing_ids = {id(f) for f in result.failing}
    counted = [f for f in result.findings if f.suppression is None and result.is_new(f)]
    lines = [
        f"aims check: {'PASSED' if result.passed else 'FAILED'} — "
        f"{len(result.failing)} finding(s) fail the gate, {len(counted)} reported "
        f"({MODE_LABEL[result.mode]}; policy {policy_path})",
        "",
    ]
    for f in result.findings:
        if f.suppression is not None or not result.is_new(f):
            continue
        mark = "FAIL" if id(f) in failing_ids else "    "
        lines.append(f"{mark} {f.severity.value:<8} {f.rule_id} {f.rule_name:<28} {f.primary}")
        lines.append(f"     {f.message}")
    suppressed = [f for f in result.findings if f.suppression is not None]
    if suppressed:
        lines += ["", f"Suppressed ({len(suppressed)}):"]
        lines += [
            f"     {f.rule_id} {f.primary}: {f.suppression.source} — {f.suppression.reason}"
            for f in suppressed
            if f.suppression
        ]
    if result.exceptions:
        lines += ["", "Exceptions:"]
        for s in result.exceptions:
            state = (
                "INVALID: " + "; ".join(s.problems)
                if s.problems
                else "expired"
                if s.expired
                else f"used {s.used}x"
            )
            lines.append(f"     {s.exception.id} (expires {s.exception.expires_on}): {state}")
    review = sorted({c.name for c, _, d, _ in result.decisions if d is Decision.REVIEW})
    if review:
        lines += [
            "",
            f"Needs review ({len(review)}): {', '.join(review[:15])}{' …' if len(review) > 15 else ''}",
        ]
    steps = _next_steps(result, policy)
    if steps:
        lines += ["", "Next: " + ";\n      ".join(steps) + "."]
    elif not counted:
        lines.append("No AI policy violations. Nothing to do.")
    return "\n".join(lines) + "\n"


def render_markdown(result: GateResult, policy: Policy, *, policy_path: str) -> str:
    """A short summary fit for a pull-request comment."""
    icon = "✅" if result.passed else "❌"
    lines = [
        f"### {icon} aims AI policy gate: {'passed' if result.passed else 'failed'}",
        "",
        f"{len(result.failing)} finding(s) fail the gate ({MODE_LABEL[result.mode]}, policy `{policy_path}`).",
        "",
    ]
    shown = [f for f in result.findings if f.suppression is None and result.is_new(f)]
    if shown:
        lines += ["| | severity | rule | where | what |", "| --- | --- | --- | --- | --- |"]
        failing_ids = {id(f) for f in result.failing}
        for f in shown[:50]:
            message = f.message.replace("|", "\\|").replace("\n", " ")
            lines.append(
                f"| {'❌' if id(f) in failing_ids else '⚠️'} | {f.severity.value} | "
                f"`{f.rule_id}` {f.rule_name} | `{f.primary}` | {message} |"
            )
        if len(shown) > 50:
            lines.append(f"\n…and {len(shown) - 50} more.")
    used = [s for s in result.exceptions if s.used]
    if used:
        lines += [
            "",
            "Exceptions used: " + ", ".join(f"`{s.exception.id}` ({s.used}×)" for s in used),
        ]
    bad = [s for s in result.exceptions if s.problems or s.expired]
    if bad:
        lines += [
            "",
            "Exceptions that no longer apply: " + ", ".join(f"`{s.exception.id}`" for s in bad),
        ]
    steps = _next_steps(result, policy)
    if steps:
        lines += ["", "**Next:** " + "; ".join(steps) + "."]
    return "\n".join(lines) + "\n"


def render_json(result: GateResult, *, policy_path: str) -> str:
    """The gate result as JSON (`aims/check/1`)."""

    def finding(f: Any) -> dict[str, Any]:
        return {
            "rule_id": f.rule_id,
            "rule_name": f.rule_name,
            "severity": f.severity.value,
            "confidence": f.confidence.value,
            "message": f.message,
            "location": {"path": f.primary.path, "line": f.primary.line},
            "fingerprint": f.fingerprint,
            "evidence": f.evidence,
            "new": result.is_new(f),
            "fails_gate": any(f is g for g in result.failing),
            "suppression": None
            if f.suppression is None
            else {"source": f.suppression.source, "reason": f.suppression.reason},
        }

    doc = {
        "schema": "aims/check/1",
        "tool_version": __version__,
        "policy": policy_path,
        "mode": result.mode,
        "passed": result.passed,
        "failing": len(result.failing),
        "findings": [finding(f) for f in result.findings],
        "exceptions": [
            {
                "id": s.exception.id,
                "valid": s.valid,
                "expired": s.expired,
                "problems": s.problems,
                "used": s.used,
            }
            for s in result.exceptions
        ],
        "decisions": [
            {"type": c.type.value, "name": c.name, "list": kind, "decision": d.value, "pattern": p}
            for c, kind, d, p in result.decisions
        ],
    }
    return json.dumps(doc, indent=2) + "\n"
