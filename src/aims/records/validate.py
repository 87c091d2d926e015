"""Cross-reference checks over loaded records, and the shadow-AI check against scans.

Errors make `aims validate` exit 1: schema errors, unknown control IDs (with the nearest valid
ID), owners not in `roles.yaml`, dangling references, an incomplete Statement of Applicability,
expired or invalid exceptions, a high-risk system with no impact assessment, and AI components
found by a scan that belong to no registered system (shadow AI). Overdue reviews are warnings.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from aims.inventory import Component, ComponentType, Inventory
from aims.records.io import Loaded, Message, Records
from aims.records.model import (
    AISystem,
    Dataset,
    Exceptions,
    ImpactAssessment,
    Incident,
    InternalAudit,
    ManagementReview,
    Nonconformity,
    Objectives,
    Policy,
    Risk,
    RiskCriteria,
    Roles,
    SoA,
    Supplier,
)
from aims.standards import clause_ids, control_ids, nearest

NOT_AI_COMPONENTS = frozenset({ComponentType.SECRET})
"""Component types that are findings about AI use rather than parts of an AI system."""


@dataclass(frozen=True, slots=True)
class ShadowComponent:
    """A scanned AI component that no system claims."""

    label: str
    path: str
    line: int | None


def _err(
    loaded: Loaded, loc: tuple[Any, ...], text: str, hint: str | None = None, *, code: str
) -> Message:
    return Message("error", loaded.path, loaded.line(*loc), text, hint=hint, code=code)


def _warn(
    loaded: Loaded, loc: tuple[Any, ...], text: str, hint: str | None = None, *, code: str
) -> Message:
    return Message("warning", loaded.path, loaded.line(*loc), text, hint=hint, code=code)


def component_labels(component: Component) -> list[str]:
    """Names a system's `components:` patterns are matched against: `type:name` and variants."""
    kind = str(component.type)
    labels = [f"{kind}:{component.name}"]
    if component.ecosystem:
        labels.append(f"{kind}:{component.ecosystem}:{component.name}")
    return [label.lower() for label in labels]


def claims(system: AISystem, component: Component) -> bool:
    """Whether a system record claims a scanned component (by pattern or by path)."""
    labels = component_labels(component)
    for pattern in system.components:
        pat = pattern.lower()
        if ":" not in pat:
            pat = f"*:{pat}"
        if any(fnmatch.fnmatchcase(label, pat) for label in labels):
            return True
    return any(
        fnmatch.fnmatchcase(ev.path, glob) for ev in component.evidence for glob in system.paths
    )


def shadow_ai(
    systems: Iterable[AISystem], inventories: Iterable[Inventory]
) -> list[ShadowComponent]:
    """AI components in the scans that belong to no registered system."""
    registered = list(systems)
    found: dict[str, ShadowComponent] = {}
    for inventory in inventories:
        for component in inventory.components:
            if component.type in NOT_AI_COMPONENTS:
                continue
            if any(claims(system, component) for system in registered):
                continue
            label = component_labels(component)[0]
            first = component.evidence[0] if component.evidence else None
            found.setdefault(
                label,
                ShadowComponent(
                    label, first.path if first else "(scan)", first.line if first else None
                ),
            )
    return sorted(found.values(), key=lambda s: s.label)


def _people(records: Records) -> set[str] | None:
    roles = records.one("roles")
    if roles is None:
        return None
    assert isinstance(roles.record, Roles)
    known: set[str] = set()
    for person in roles.record.people:
        known.add(person.id.lower())
        if person.email:
            known.add(person.email.lower())
    return known


def _check_owner(
    out: list[Message],
    people: set[str] | None,
    loaded: Loaded,
    loc: tuple[Any, ...],
    who: str | None,
) -> None:
    if who is None or people is None:
        return
    if who.lower() not in people:
        close = nearest(who.lower(), sorted(people))
        out.append(
            _err(
                loaded,
                loc,
                f"{'.'.join(str(p) for p in loc)}: {who!r} is not a person in roles.yaml",
                hint=f"did you mean {close!r}?" if close else "add them to roles.yaml `people:`",
                code="AIM803",
            )
        )


def _check_ref(
    out: list[Message],
    loaded: Loaded,
    loc: tuple[Any, ...],
    value: str | None,
    ids: set[str],
    what: str,
) -> None:
    if value is None or value in ids:
        return
    close = nearest(value, sorted(ids))
    out.append(
        _err(
            loaded,
            loc,
            f"{'.'.join(str(p) for p in loc)}: no {what} with ID {value!r}",
            hint=f"did you mean {close!r}?" if close else f"create the {what} record first",
            code="AIM804",
        )
    )


def _check_control(
    out: list[Message], loaded: Loaded, loc: tuple[Any, ...], value: str, annex_only: bool
) -> None:
    valid = control_ids() if annex_only else control_ids() + clause_ids()
    if value in valid:
        return
    close = nearest(value, valid)
    what = "Annex A control" if annex_only else "ISO/IEC 42001 clause or Annex A control"
    out.append(
        _err(
            loaded,
            loc,
            f"{'.'.join(str(p) for p in loc)}: unknown {what} {value!r}",
            hint=f"did you mean {close!r}?"
            if close
            else "see `docs/standards.md` for the valid IDs",
            code="AIM802",
        )
    )


def _ids(records: Records, kind: str) -> set[str]:
    return {str(getattr(r.record, "id", "")) for r in records.of(kind)} | records.invalid_ids.get(
        kind, set()
    )


def validate(
    records: Records, *, today: date, inventories: Iterable[Inventory] = ()
) -> list[Message]:
    """Every message about a set of records (load errors included), sorted by file and line."""
    out: list[Message] = list(records.messages)
    people = _people(records)
    if people is None:
        out.append(
            Message(
                "warning",
                ".aims/roles.yaml",
                None,
                "no roles.yaml: owners cannot be checked",
                code="AIM803",
            )
        )
    systems = _ids(records, "ai-system")
    risks = _ids(records, "risk")
    suppliers = _ids(records, "supplier")
    datasets = _ids(records, "dataset")
    incidents = _ids(records, "incident")
    ncs = _ids(records, "nonconformity")
    audits = _ids(records, "internal-audit")

    for kind in (
        "ai-system",
        "risk",
        "impact-assessment",
        "supplier",
        "dataset",
        "incident",
        "nonconformity",
        "internal-audit",
        "management-review",
    ):
        seen: dict[str, str] = {}
        for loaded in records.of(kind):
            ident = str(getattr(loaded.record, "id", ""))
            if ident in seen:
                out.append(
                    _err(
                        loaded,
                        ("id",),
                        f"duplicate {kind} ID {ident!r} (also in {seen[ident]})",
                        code="AIM805",
                    )
                )
            seen[ident] = loaded.path

    def review(loaded: Loaded, when: date | None, loc: tuple[Any, ...] = ("review_date",)) -> None:
        if when is not None and when < today:
            out.append(
                _warn(loaded, loc, f"review overdue since {when.isoformat()}", code="AIM811")
            )

    for loaded in records.loaded:
        rec = loaded.record
        if isinstance(rec, AISystem):
            _check_owner(out, people, loaded, ("owner",), rec.owner)
            for i, ref in enumerate(rec.suppliers):
                _check_ref(out, loaded, ("suppliers", i), ref, suppliers, "supplier")
            for i, ref in enumerate(rec.datasets):
                _check_ref(out, loaded, ("datasets", i), ref, datasets, "dataset")
            review(loaded, rec.review_date)
            assessed = any(
                isinstance(a.record, ImpactAssessment) and a.record.system == rec.id
                for a in records.of("impact-assessment")
            )
            if rec.eu_ai_act_tier == "high-risk" and not assessed:
                out.append(
                    _err(
                        loaded,
                        ("eu_ai_act_tier",),
                        f"high-risk system {rec.id!r} has no impact assessment",
                        hint=f"add .aims/impact-assessments/{rec.id}.yaml with `system: {rec.id}`",
                        code="AIM809",
                    )
                )
        elif isinstance(rec, Risk):
            _check_owner(out, people, loaded, ("owner",), rec.owner)
            for i, ref in enumerate(rec.systems):
                _check_ref(out, loaded, ("systems", i), ref, systems, "AI system")
            for i, control in enumerate(rec.controls):
                _check_control(out, loaded, ("controls", i), control, annex_only=False)
            if rec.status == "open":
                review(loaded, rec.review_date)
                if rec.due_date is not None and rec.due_date < today:
                    out.append(
                        _warn(
                            loaded,
                            ("due_date",),
                            f"treatment overdue since {rec.due_date}",
                            code="AIM811",
                        )
                    )
            criteria = records.one("risk-criteria")
            if criteria is not None and isinstance(criteria.record, RiskCriteria):
                for field, scale in (
                    ("likelihood", criteria.record.likelihood),
                    ("impact", criteria.record.impact),
                    ("residual_likelihood", criteria.record.likelihood),
                    ("residual_impact", criteria.record.impact),
                ):
                    value = getattr(rec, field)
                    if value is not None and value > len(scale):
                        out.append(
                            _err(
                                loaded,
                                (field,),
                                f"{field}: {value} is above the scale (1-{len(scale)}) in risk-criteria.yaml",
                                code="AIM813",
                            )
                        )
                residual = (rec.residual_likelihood or rec.likelihood) * (
                    rec.residual_impact or rec.impact
                )
                untreated = rec.treatment is None or rec.treatment.option == "accept"
                if rec.status == "open" and untreated and residual > criteria.record.acceptance:
                    out.append(
                        _warn(
                            loaded,
                            ("treatment",) if rec.treatment else ("likelihood",),
                            f"residual score {residual} is above the acceptance level "
                            f"({criteria.record.acceptance}) and the risk is not treated",
                            hint="plan a treatment (mitigate, transfer, avoid), or have the "
                            "acceptance approved in a management review",
                            code="AIM812",
                        )
                    )
        elif isinstance(rec, ImpactAssessment):
            _check_ref(out, loaded, ("system",), rec.system, systems, "AI system")
            _check_owner(out, people, loaded, ("assessor",), rec.assessor)
            for i, ref in enumerate(rec.risks):
                _check_ref(out, loaded, ("risks", i), ref, risks, "risk")
            if rec.signoff:
                _check_owner(out, people, loaded, ("signoff", "by"), rec.signoff.by)
            review(loaded, rec.review_date)
        elif isinstance(rec, SoA):
            _check_owner(out, people, loaded, ("approved_by",), rec.approved_by)
            listed: dict[str, int] = {}
            for i, entry in enumerate(rec.controls):
                _check_control(out, loaded, ("controls", i, "id"), entry.id, annex_only=True)
                if entry.id in listed:
                    out.append(
                        _err(
                            loaded,
                            ("controls", i, "id"),
                            f"{entry.id} is listed twice",
                            code="AIM806",
                        )
                    )
                listed[entry.id] = i
                _check_owner(out, people, loaded, ("controls", i, "owner"), entry.owner)
                if not entry.applicable and not entry.justification:
                    out.append(
                        _err(
                            loaded,
                            ("controls", i),
                            f"{entry.id} is excluded without a justification",
                            code="AIM806",
                        )
                    )
            missing = [c for c in control_ids() if c not in listed]
            if missing:
                out.append(
                    _err(
                        loaded,
                        ("controls",),
                        f"the Statement of Applicability misses {len(missing)} of the 38 Annex A controls: {', '.join(missing)}",
                        hint="every control must be listed, applicable or excluded with a justification",
                        code="AIM806",
                    )
                )
        elif isinstance(rec, Policy):
            _check_owner(out, people, loaded, ("owner",), rec.owner)
            _check_owner(out, people, loaded, ("approved_by",), rec.approved_by)
            review(loaded, rec.review_date)
        elif isinstance(rec, Objectives):
            for i, objective in enumerate(rec.objectives):
                _check_owner(out, people, loaded, ("objectives", i, "owner"), objective.owner)
        elif isinstance(rec, Roles):
            for i, approver in enumerate(rec.approvers):
                _check_owner(out, people, loaded, ("approvers", i), approver)
        elif isinstance(rec, Supplier):
            _check_owner(out, people, loaded, ("owner",), rec.owner)
            review(loaded, rec.review_date)
        elif isinstance(rec, Dataset):
            _check_owner(out, people, loaded, ("owner",), rec.owner)
            for i, ref in enumerate(rec.systems):
                _check_ref(out, loaded, ("systems", i), ref, systems, "AI system")
            review(loaded, rec.review_date)
        elif isinstance(rec, Incident):
            _check_ref(out, loaded, ("system",), rec.system, systems, "AI system")
            _check_owner(out, people, loaded, ("owner",), rec.owner)
            _check_ref(out, loaded, ("nonconformity",), rec.nonconformity, ncs, "nonconformity")
            for i, control in enumerate(rec.controls):
                _check_control(out, loaded, ("controls", i), control, annex_only=False)
            out.extend(_art73_overdue(records, loaded, rec, today))
        elif isinstance(rec, Nonconformity):
            _check_owner(out, people, loaded, ("owner",), rec.owner)
            _check_ref(out, loaded, ("incident",), rec.incident, incidents, "incident")
            _check_ref(out, loaded, ("audit",), rec.audit, audits, "internal audit")
            for i, action in enumerate(rec.corrective_actions):
                _check_owner(out, people, loaded, ("corrective_actions", i, "owner"), action.owner)
                if action.status == "open" and action.due_date and action.due_date < today:
                    out.append(
                        _warn(
                            loaded,
                            ("corrective_actions", i, "due_date"),
                            f"corrective action overdue since {action.due_date}",
                            code="AIM811",
                        )
                    )
        elif isinstance(rec, InternalAudit):
            _check_owner(out, people, loaded, ("auditor",), rec.auditor)
            for i, finding in enumerate(rec.findings):
                _check_ref(
                    out,
                    loaded,
                    ("findings", i, "nonconformity"),
                    finding.nonconformity,
                    ncs,
                    "nonconformity",
                )
        elif isinstance(rec, ManagementReview):
            _check_owner(out, people, loaded, ("chair",), rec.chair)
        elif isinstance(rec, Exceptions):
            out.extend(_check_exceptions(records, loaded, rec, people, today))

    out.extend(_policy_file_exceptions(records, today))
    if records.one("soa") is None:
        out.append(
            Message(
                "error",
                ".aims/soa.yaml",
                None,
                "no Statement of Applicability",
                hint="`aims init` writes one listing all 38 Annex A controls",
                code="AIM806",
            )
        )
    registered = [r.record for r in records.of("ai-system") if isinstance(r.record, AISystem)]
    out.extend(
        Message(
            "error",
            shadow.path,
            shadow.line,
            f"shadow AI: {shadow.label} belongs to no registered AI system",
            hint=f"add `{shadow.label}` to `components:` (or its folder to `paths:`) "
            "of a system in .aims/systems/",
            code="AIM810",
        )
        for shadow in shadow_ai(registered, inventories)
    )
    out = apply_suppressions(out, records.root.parent)
    return sorted(out, key=lambda m: (m.path, m.line or 0, m.text))


def _art73_overdue(records: Records, loaded: Loaded, rec: Incident, today: date) -> list[Message]:
    """An open incident of a high-risk system whose Art. 73 report date passed unreported."""
    from aims.records.deadlines import art73_report_by

    if rec.status in ("resolved", "closed"):
        return []
    facts = rec.eu_ai_act or {}
    if facts.get("reported_on") or facts.get("serious_incident") is False:
        return []
    report_by = facts.get("report_by")
    if report_by is None:
        tier = next(
            (
                r.record.eu_ai_act_tier
                for r in records.of("ai-system")
                if isinstance(r.record, AISystem) and r.record.id == rec.system
            ),
            None,
        )
        if tier != "high-risk":
            return []
        report_by = art73_report_by(rec)
    if str(report_by) >= today.isoformat():
        return []
    return [
        _warn(
            loaded,
            ("eu_ai_act", "report_by") if facts.get("report_by") else ("detected_at",),
            f"EU AI Act Art. 73 report was due by {report_by} and is not recorded as made",
            hint="if the incident is serious, report it and set `eu_ai_act.reported_on`; "
            "if not, set `eu_ai_act.serious_incident: false` with the reason in `cause`",
            code="AIM811",
        )
    ]


def apply_suppressions(messages: list[Message], base: Path) -> list[Message]:
    """Mark messages silenced by `# aims: ignore[AIM8xx] reason` on their line or the line above.

    The selector may be the rule ID or its name; a directive without a reason silences nothing.
    Files are read relative to `base` (the project folder); unreadable files are skipped.
    """
    from dataclasses import replace

    from aims.catalog.rules import load_rules
    from aims.scanner.suppressions import parse_ignores

    rules = load_rules()
    cache: dict[str, list[Any]] = {}
    out = []
    for message in messages:
        if message.line is None:
            out.append(message)
            continue
        if message.path not in cache:
            try:
                cache[message.path] = parse_ignores((base / message.path).read_text("utf-8"))
            except (OSError, UnicodeDecodeError, ValueError):
                cache[message.path] = []
        rule = rules.get(message.code)
        names = {message.code.lower(), rule.name.lower() if rule else ""}
        for directive in cache[message.path]:
            on_line = directive.line == message.line or (
                directive.standalone and directive.line == message.line - 1
            )
            if on_line and directive.reason and names & directive.selectors:
                message = replace(message, suppressed=directive.reason)
                break
        out.append(message)
    return out


def _check_exceptions(
    records: Records, loaded: Loaded, rec: Exceptions, people: set[str] | None, today: date
) -> list[Message]:
    from aims.policy.evaluate import check_exceptions
    from aims.policy.model import Policy as GatePolicy

    roles = records.one("roles")
    approvers = list(rec.approvers)
    if roles is not None and isinstance(roles.record, Roles):
        approvers += roles.record.approvers
    gate = GatePolicy(approvers=approvers, exceptions=rec.exceptions)
    out: list[Message] = []
    for i, status in enumerate(check_exceptions(gate, today)):
        exc = status.exception
        if status.expired:
            out.append(
                _err(
                    loaded,
                    ("exceptions", i, "expires_on"),
                    f"exception {exc.id} expired on {exc.expires_on.isoformat()}",
                    hint="renew it with a new approval, or remove it and fix the deviation",
                    code="AIM807",
                )
            )
        out.extend(
            _err(loaded, ("exceptions", i), f"exception {exc.id}: {problem}", code="AIM808")
            for problem in status.problems
        )
        _check_owner(out, people, loaded, ("exceptions", i, "requested_by"), exc.requested_by)
    return out


def _policy_file_exceptions(records: Records, today: date) -> list[Message]:
    """Expired or invalid exceptions in the project's `aims-policy.yaml`, if there is one.

    An invalid policy file is the policy gate's business (`aims policy validate`); here it is
    one warning so that `aims validate` still reports on the records.
    """
    from aims.errors import ConfigError
    from aims.policy.evaluate import check_exceptions
    from aims.policy.load import DEFAULT_POLICY_FILE, load_policy
    from aims.records.io import line_of

    path = records.root.parent / DEFAULT_POLICY_FILE
    if not path.is_file():
        return []
    try:
        policy = load_policy(path)
    except ConfigError as exc:
        return [Message("warning", DEFAULT_POLICY_FILE, None, f"policy file not checked: {exc}")]
    import yaml

    try:
        node = yaml.compose(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError):
        node = None
    out = []
    for i, status in enumerate(check_exceptions(policy, today)):
        exc_ = status.exception
        if status.expired:
            out.append(
                Message(
                    "error",
                    DEFAULT_POLICY_FILE,
                    line_of(node, ("exceptions", i, "expires_on")),
                    f"exception {exc_.id} expired on {exc_.expires_on.isoformat()}",
                    hint="renew it with a new approval, or remove it and fix the deviation",
                    code="AIM807",
                )
            )
    return out
