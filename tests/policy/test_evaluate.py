"""Table-driven tests of the policy language, exceptions under a fixed clock, and baselines."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from aims.errors import ConfigError
from aims.findings import Confidence, Location, Severity, make_finding
from aims.inventory import Component, ComponentType, Evidence, Inventory
from aims.policy.evaluate import evaluate
from aims.policy.load import parse_policy
from aims.policy.match import matches, strip_version

TODAY = date(2026, 11, 29)


def comp(kind: ComponentType, name: str, path: str = "app/main.py", **kw) -> Component:
    return Component(type=kind, name=name, evidence=[Evidence(path=path, line=3)], **kw)


def sdk(
    eco: str, name: str, version: str | None = None, path: str = "requirements.txt"
) -> Component:
    return comp(ComponentType.SDK, name, path, ecosystem=eco, version=version)


@pytest.mark.parametrize(
    ("pattern", "component", "expected"),
    [
        ("gpt-4o*", comp(ComponentType.MODEL, "gpt-4o-mini"), True),
        ("gpt-4o*", comp(ComponentType.MODEL, "gpt-4.1"), False),
        ("claude-*", comp(ComponentType.MODEL, "Claude-Sonnet-4-5"), True),
        ("pypi:openai>=1.40", sdk("pypi", "openai", "1.54.3"), True),
        ("pypi:openai>=1.40", sdk("pypi", "openai", "1.3.0"), False),
        ("pypi:openai>=1.40", sdk("pypi", "openai"), True),  # unknown version: by name
        ("pypi:Google_GenerativeAI", sdk("pypi", "google-generativeai"), True),
        ("npm:@ai-sdk/*", sdk("npm", "@ai-sdk/openai", "1.0.0"), True),
        ("npm:openai", sdk("pypi", "openai"), False),
        ("openai", comp(ComponentType.PROVIDER, "openai", provider="openai"), True),
        (
            "@modelcontextprotocol/server-*",
            comp(
                ComponentType.MCP_SERVER,
                "fs",
                properties={"package": "@modelcontextprotocol/server-filesystem@1.2.0"},
            ),
            True,
        ),
        (
            "*.ngrok.io",
            comp(ComponentType.MCP_SERVER, "x", properties={"host": "abc.ngrok.io"}),
            True,
        ),
        (
            "anthropics/claude-code-action",
            comp(
                ComponentType.AI_WORKFLOW,
                "wf",
                properties={"action": "anthropics/claude-code-action@v1"},
            ),
            True,
        ),
        (
            "claude",
            comp(ComponentType.AI_WORKFLOW, "wf", properties={"command": "claude -p 'review'"}),
            True,
        ),
        (
            "cursor",
            comp(ComponentType.AGENT_CONFIG, ".cursorrules", properties={"client": "cursor"}),
            True,
        ),
    ],
)
def test_pattern_matching(pattern: str, component: Component, expected: bool) -> None:
    assert matches(pattern, component) is expected


def test_strip_version() -> None:
    assert strip_version("@scope/pkg@1.2.3") == "@scope/pkg"
    assert strip_version("mcp-server-git==0.6") == "mcp-server-git"


POLICY = """
version: 1
approvers: [lead@example.com, ciso@example.com]
default: review
models:
  approved: ["gpt-4o*"]
  denied: ["text-davinci-*"]
packages:
  approved: ["pypi:openai>=1.0"]
  default: denied
scopes:
  - paths: ["services/payments/**"]
    models:
      approved: ["gpt-4o-2024-08-06"]
    fail_on:
      severity: medium
"""


def _rules(result) -> list[tuple[str, str]]:
    return sorted((f.rule_id, f.evidence) for f in result.findings if f.suppression is None)


@pytest.mark.parametrize(
    ("components", "expected", "passed"),
    [
        ([comp(ComponentType.MODEL, "gpt-4o-mini")], [], True),
        ([comp(ComponentType.MODEL, "text-davinci-003")], [("AIM701", "text-davinci-003")], False),
        (
            [comp(ComponentType.MODEL, "mistral-large-latest")],
            [("AIM703", "mistral-large-latest")],
            True,
        ),
        ([sdk("pypi", "openai", "1.54.0")], [], True),
        ([sdk("pypi", "openai", "0.28.1")], [("AIM702", "pypi:openai@0.28.1")], False),
        ([sdk("pypi", "mistralai", "1.2.0")], [("AIM702", "pypi:mistralai@1.2.0")], False),
        # The payments scope approves only one snapshot and fails at medium.
        (
            [comp(ComponentType.MODEL, "gpt-4o-mini", "services/payments/risk.py")],
            [("AIM703", "gpt-4o-mini")],
            False,
        ),
        ([comp(ComponentType.MODEL, "gpt-4o-2024-08-06", "services/payments/risk.py")], [], True),
    ],
)
def test_policy_table(components, expected, passed) -> None:
    policy = parse_policy(POLICY, "p.yaml")
    result = evaluate(policy, Inventory(components=components), today=TODAY)
    assert _rules(result) == expected
    assert result.passed is passed


def _exception(**over) -> str:
    fields = {
        "id": "EX-1",
        "reason": "legacy summariser until the migration",
        "requested_by": "dev@example.com",
        "approved_by": "lead@example.com",
        "approved_on": "2026-10-01",
        "expires_on": "2027-01-31",
    }
    fields.update(over)
    body = "\n".join(f"    {k}: {v}" for k, v in fields.items())
    return (
        POLICY
        + f"""exceptions:
  - scope:
      component: "model:text-davinci-*"
{body.replace("    id:", "    id:", 1)}
"""
    )


@pytest.mark.parametrize(
    ("overrides", "suppressed", "problems", "expired"),
    [
        ({}, True, [], False),
        ({"expires_on": "2026-11-28"}, False, [], True),
        (
            {"approved_by": "dev@example.com"},
            False,
            [
                "approved by its own requester (dev@example.com)",
                "dev@example.com is not in the policy's approvers list",
            ],
            False,
        ),
        (
            {"approved_by": "someone@example.com"},
            False,
            ["someone@example.com is not in the policy's approvers list"],
            False,
        ),
    ],
)
def test_exceptions_under_a_fixed_clock(overrides, suppressed, problems, expired) -> None:
    text = (
        _exception(**overrides)
        .replace("  - scope:", "  - id: EX-1\n    scope:")
        .replace("    id: EX-1\n", "", 1)
    )
    policy = parse_policy(text, "p.yaml")
    inv = Inventory(components=[comp(ComponentType.MODEL, "text-davinci-003")])
    result = evaluate(policy, inv, today=TODAY)
    davinci = [f for f in result.findings if f.rule_id == "AIM701"]
    assert (davinci[0].suppression is not None) is suppressed
    status = result.exceptions[0]
    assert status.problems == problems and status.expired is expired
    assert status.used == (1 if suppressed else 0)
    rules = {f.rule_id for f in result.findings}
    assert ("AIM704" in rules) is expired and ("AIM705" in rules) is bool(problems)
    assert result.passed is suppressed


def test_baseline_counts_only_new_findings() -> None:
    policy = parse_policy(POLICY, "p.yaml")
    old = Inventory(components=[comp(ComponentType.MODEL, "text-davinci-003", "a.py")])
    base = evaluate(policy, old, today=TODAY)
    counts = Counter(f.fingerprint for f in base.findings)
    moved = Inventory(components=[comp(ComponentType.MODEL, "text-davinci-003", "renamed/b.py")])
    assert evaluate(policy, moved, today=TODAY, baseline=counts).passed
    more = Inventory(
        components=[
            comp(ComponentType.MODEL, "text-davinci-003", "a.py"),
            comp(ComponentType.MODEL, "text-davinci-002", "c.py"),
        ]
    )
    result = evaluate(policy, more, today=TODAY, baseline=counts)
    assert [f.evidence for f in result.failing] == ["text-davinci-002"]


def test_scanner_findings_fail_by_severity_and_rule() -> None:
    finding = make_finding(
        rule_id="AIM201",
        rule_name="openai-api-key",
        message="key",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        primary=Location("x.py", 1),
        match="k",
    )
    policy = parse_policy("version: 1\nfail_on:\n  rules: [AIM201]\n", "p.yaml")
    assert not evaluate(policy, Inventory(findings=[finding]), today=TODAY).passed
    policy = parse_policy("version: 1\n", "p.yaml")
    assert evaluate(policy, Inventory(findings=[finding]), today=TODAY).passed


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        (
            "version: 1\nmodels:\n  aproved: [x]\n",
            3,
            "models.aproved: unknown key",
            "did you mean 'approved'?",
        ),
        ("version: 1\nfail_on:\n  severity: hihg\n", 3, "fail_on.severity", None),
        ("version: 2\n", 1, "version", None),
        ("version: 1\nmodels: [\n", 3, "invalid YAML", None),
        ("version: 1\nexceptions:\n  - id: E1\n    reason: short\n", 3, "exceptions.0", None),
    ],
)
def test_invalid_policy_points_at_the_line(text, line, message, hint) -> None:
    with pytest.raises(ConfigError) as info:
        parse_policy(text, "aims-policy.yaml")
    err = info.value
    assert str(err).startswith(f"aims-policy.yaml:{line}: ") and message in str(err)
    if hint:
        assert err.diagnostics() == hint
