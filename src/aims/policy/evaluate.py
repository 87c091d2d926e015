"""Evaluate an inventory against a policy: decisions, exceptions, baseline, and the gate verdict."""

from __future__ import annotations

import fnmatch
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from aims.findings import Confidence, Finding, Location, Severity, Suppression, make_finding
from aims.inventory import Component, Inventory
from aims.policy.match import LIST_OF_TYPE, decide, matches
from aims.policy.model import Decision, FailOn, Lists, Policy, PolicyException, Rules

KIND_LABEL = {
    "providers": "provider",
    "models": "model",
    "packages": "package",
    "mcp_servers": "MCP server",
    "agents": "agent client",
    "ci_actions": "AI step in CI",
}
# Short kinds used in exception scopes: `model:gpt-4*`, `package:pypi:openai`, ...
SCOPE_KIND = {
    "providers": "provider",
    "models": "model",
    "packages": "package",
    "mcp_servers": "mcp",
    "agents": "agent",
    "ci_actions": "ci",
}

DENIED = ("AIM701", "denied-ai-component")
UNAPPROVED = ("AIM702", "unapproved-ai-component")
UNREVIEWED = ("AIM703", "unreviewed-ai-component")
EXPIRED = ("AIM704", "expired-policy-exception")
INVALID = ("AIM705", "invalid-policy-exception")


@dataclass
class ExceptionStatus:
    """One exception, whether it may apply, and how often it did."""

    exception: PolicyException
    problems: list[str] = field(default_factory=list)
    expired: bool = False
    used: int = 0

    @property
    def valid(self) -> bool:
        """True when the exception may suppress findings."""
        return not self.problems and not self.expired


@dataclass
class GateResult:
    """Everything `aims check` decided."""

    findings: list[Finding]
    """Every finding, policy and scanner, with suppressions marked."""
    new_fingerprints: set[str] | None
    """Fingerprints counted as new (None: no baseline or diff base, everything counts)."""
    failing: list[Finding]
    exceptions: list[ExceptionStatus]
    decisions: list[tuple[Component, str, Decision, str | None]]
    """(component, list kind, decision, deciding pattern) for every governed component."""
    mode: str
    """`full`, `baseline` or `diff`."""
    passed: bool

    def is_new(self, finding: Finding) -> bool:
        """Whether a finding counts as new under the baseline or diff base."""
        return self.new_fingerprints is None or finding.fingerprint in self.new_fingerprints


def _rules_for(policy: Policy, path: str) -> Rules:
    """The top-level rules overlaid with every scope whose globs match the path, in order."""
    effective = {name: getattr(policy, name) for name in Rules.model_fields}
    for scope in policy.scopes:
        if any(fnmatch.fnmatchcase(path, g) for g in scope.paths):
            for name in Rules.model_fields:
                value = getattr(scope, name)
                if value is not None:
                    effective[name] = value
    return Rules(**effective)


def _fail_on(rules: Rules) -> FailOn:
    return rules.fail_on or FailOn()


def check_exceptions(policy: Policy, today: date) -> list[ExceptionStatus]:
    """Validate every exception: expiry, self-approval, approver authority, duplicate IDs."""
    approvers = {a.lower() for a in policy.approvers}
    seen: set[str] = set()
    statuses = []
    for exc in policy.exceptions:
        status = ExceptionStatus(exc)
        if exc.id in seen:
            status.problems.append(f"duplicate exception ID {exc.id}")
        seen.add(exc.id)
        if exc.approved_by.lower() == exc.requested_by.lower():
            status.problems.append(f"approved by its own requester ({exc.requested_by})")
        if exc.approved_by.lower() not in approvers:
            status.problems.append(f"{exc.approved_by} is not in the policy's approvers list")
        if exc.approved_on > today:
            status.problems.append(f"approved_on {exc.approved_on} is in the future")
        if exc.expires_on < today:
            status.expired = True
        statuses.append(status)
    return statuses


def _exception_applies(
    exc: PolicyException, finding: Finding, components: dict[str, Component]
) -> bool:
    scope = exc.scope
    if scope.rule and scope.rule not in (finding.rule_id, finding.rule_name):
        return False
    if scope.paths and not any(fnmatch.fnmatchcase(finding.primary.path, g) for g in scope.paths):
        return False
    if scope.component:
        target = finding.properties.get("policy_subject")
        if not isinstance(target, str):
            return False
        kind, _, pattern = scope.component.partition(":")
        subject_kind, _, subject = target.partition(":")
        if kind != subject_kind:
            return False
        component = components.get(finding.fingerprint)
        if component is not None:
            return matches(pattern, component)
        return fnmatch.fnmatchcase(subject.lower(), pattern.lower())
    return bool(scope.rule or scope.paths)


def _component_findings(
    policy: Policy, inventory: Inventory, components: dict[str, Component]
) -> tuple[list[Finding], list[tuple[Component, str, Decision, str | None]]]:
    """One finding per governed component that is not approved where it appears.

    `components` is filled with fingerprint -> component, for exception matching.
    """
    findings: list[Finding] = []
    decisions: list[tuple[Component, str, Decision, str | None]] = []
    for component in inventory.components:
        list_name = LIST_OF_TYPE.get(component.type)
        if list_name is None:
            continue
        # Group the component's evidence by the rules that govern each place it appears.
        groups: dict[str, tuple[Rules, list[Location]]] = {}
        for ev in component.evidence or []:
            rules = _rules_for(policy, ev.path)
            key = rules.model_dump_json()
            groups.setdefault(key, (rules, []))[1].append(Location(ev.path, ev.line))
        if not groups:
            groups[""] = (
                Rules(**{n: getattr(policy, n) for n in Rules.model_fields}),
                [Location(".")],
            )
        for rules, locations in groups.values():
            lists: Lists | None = getattr(rules, list_name)
            decision, pattern = decide(lists, component, policy.default)
            decisions.append((component, list_name, decision, pattern))
            if decision is Decision.APPROVED:
                continue
            label = KIND_LABEL[list_name]
            subject = _subject_name(component)
            if decision is Decision.DENIED:
                (rule_id, rule_name), severity = DENIED, Severity.HIGH
                why = (
                    f"is denied by the policy (pattern {pattern!r})"
                    if pattern
                    else "is not approved and the policy denies unlisted components"
                )
                if not pattern:
                    rule_id, rule_name = UNAPPROVED
            else:
                (rule_id, rule_name), severity = UNREVIEWED, Severity.MEDIUM
                why = (
                    f"needs review under the policy (pattern {pattern!r})"
                    if pattern
                    else "is not on the approved list (the policy's default is review)"
                )
            fail_on = _fail_on(rules)
            if decision is Decision.REVIEW and fail_on.review_fails:
                severity = Severity.HIGH
            message = (
                f"{label[0].upper()}{label[1:]} `{subject}` {why}. Use an approved alternative, add it to the "
                f"approved list after review, or record a time-limited exception with an approver."
            )
            scope_kind = SCOPE_KIND[list_name]
            finding = make_finding(
                rule_id=rule_id,
                rule_name=rule_name,
                message=message,
                severity=severity,
                confidence=Confidence.HIGH,
                primary=locations[0],
                related=tuple(locations[1:20]),
                match=f"{scope_kind}:{subject}",
                evidence=subject,
                properties={"policy_subject": f"{scope_kind}:{subject}", "decision": str(decision)},
            )
            components[finding.fingerprint] = component
            findings.append(finding)
    return findings, decisions


def _subject_name(component: Component) -> str:
    if component.ecosystem and component.type.value == "sdk":
        version = f"@{component.version}" if component.version else ""
        return f"{component.ecosystem}:{component.name}{version}"
    return component.name


def evaluate(
    policy: Policy,
    inventory: Inventory,
    *,
    today: date,
    baseline: Counter[str] | None = None,
    mode: str = "full",
) -> GateResult:
    """Decide every governed component, apply exceptions, subtract the baseline, and judge.

    `baseline` maps fingerprints to how many findings with that fingerprint already existed;
    only findings beyond those counts are new. Without it every finding counts.
    """
    exceptions = check_exceptions(policy, today)
    components: dict[str, Component] = {}
    policy_findings, decisions = _component_findings(policy, inventory, components)
    findings: list[Finding] = []
    for status in exceptions:
        exc = status.exception
        if status.expired:
            findings.append(
                make_finding(
                    rule_id=EXPIRED[0],
                    rule_name=EXPIRED[1],
                    message=f"Exception {exc.id} expired on {exc.expires_on} and no longer applies; renew it with a new approval or fix what it covered.",
                    severity=Severity.MEDIUM,
                    confidence=Confidence.HIGH,
                    primary=Location("aims-policy.yaml"),
                    match=f"exception:{exc.id}",
                    evidence=exc.id,
                )
            )
        if status.problems:
            findings.append(
                make_finding(
                    rule_id=INVALID[0],
                    rule_name=INVALID[1],
                    message=f"Exception {exc.id} is invalid: {'; '.join(status.problems)}. It does not apply until an approver from the policy's list approves it.",
                    severity=Severity.HIGH,
                    confidence=Confidence.HIGH,
                    primary=Location("aims-policy.yaml"),
                    match=f"exception:{exc.id}",
                    evidence=exc.id,
                )
            )
    ignored = set()
    for finding in [*policy_findings, *inventory.findings]:
        rules = _rules_for(policy, finding.primary.path)
        fail_on = _fail_on(rules)
        if finding.rule_id in fail_on.ignore_rules or finding.rule_name in fail_on.ignore_rules:
            ignored.add(finding.fingerprint)
            continue
        if finding.suppression is None:
            for status in exceptions:
                if status.valid and _exception_applies(status.exception, finding, components):
                    status.used += 1
                    finding = replace(
                        finding,
                        suppression=Suppression(
                            "exception", f"{status.exception.id}: {status.exception.reason}"
                        ),
                    )
                    break
        findings.append(finding)
    new: set[str] | None = None
    if baseline is not None:
        new = set()
        seen: Counter[str] = Counter()
        for finding in findings:
            seen[finding.fingerprint] += 1
            if seen[finding.fingerprint] > baseline.get(finding.fingerprint, 0):
                new.add(finding.fingerprint)
    failing = []
    for finding in findings:
        if finding.suppression is not None:
            continue
        if new is not None and finding.fingerprint not in new:
            continue
        fail_on = _fail_on(_rules_for(policy, finding.primary.path))
        if (
            finding.severity.rank >= fail_on.severity.rank
            or finding.rule_id in fail_on.rules
            or finding.rule_name in fail_on.rules
        ):
            failing.append(finding)
    findings.sort(key=lambda f: (-f.severity.rank, f.rule_id, f.primary.path, f.primary.line or 0))
    failing.sort(key=lambda f: (-f.severity.rank, f.rule_id, f.primary.path, f.primary.line or 0))
    return GateResult(
        findings=findings,
        new_fingerprints=new,
        failing=failing,
        exceptions=exceptions,
        decisions=decisions,
        mode=mode,
        passed=not failing,
    )
