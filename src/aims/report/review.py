"""The management review input pack (9.3.2), generated from the records.

It gathers what a management review has to consider: actions from earlier reviews, changes in
issues and interested parties, performance (objectives and metrics, nonconformities and corrective
actions, audit results, incidents), risks above the acceptance level, and the readiness gaps.
"""

from __future__ import annotations

from datetime import date

from aims.records.model import (
    Context,
    Incident,
    InternalAudit,
    ManagementReview,
    Nonconformity,
    Objectives,
    Risk,
    RiskCriteria,
)
from aims.report.evidence import Project
from aims.report.readiness import Readiness


def _since(project: Project) -> date | None:
    held = [
        r.record.held_on
        for r in project.records.of("management-review")
        if isinstance(r.record, ManagementReview)
    ]
    return max(held) if held else None


def review_inputs(project: Project, report: Readiness) -> str:
    """The input pack as Markdown."""
    records = project.records
    since = _since(project)
    out = [
        f"# Management review inputs: {report.project}",
        "",
        f"Prepared on {report.generated_on} from the records in `.aims/`"
        + (
            f"; changes since the last review on {since.isoformat()}."
            if since
            else "; no earlier review recorded."
        ),
        "",
        "## Status of actions from earlier reviews",
        "",
    ]
    actions = [
        (r.record.id, a)
        for r in records.of("management-review")
        if isinstance(r.record, ManagementReview)
        for a in r.record.actions
    ]
    out += [
        f"- {rid}: {a.action} — {a.status}"
        + (f", owner {a.owner}" if a.owner else "")
        + (f", due {a.due_date}" if a.due_date else "")
        for rid, a in actions
    ] or ["No earlier review actions recorded."]

    out += ["", "## External and internal issues, interested parties", ""]
    context = records.one("context")
    if context is not None and isinstance(context.record, Context):
        out += [f"- ({i.kind}) {i.issue}" for i in context.record.issues] or ["No issues recorded."]
        out += [
            f"- Interested party: {p.name}: {', '.join(p.requirements) or '-'}"
            for p in context.record.interested_parties
        ]
    else:
        out.append("No context record.")

    out += ["", "## Objectives and metrics", ""]
    objectives = records.one("objectives")
    if objectives is not None and isinstance(objectives.record, Objectives):
        for objective in objectives.record.objectives:
            out.append(f"- {objective.id}: {objective.statement}")
            out += [
                f"  - {m.name}: target {m.target}, current {m.current or 'not measured'}"
                + (f" ({m.measured_on})" if m.measured_on else "")
                for m in objective.metrics
            ]
    else:
        out.append("No objectives recorded.")

    out += ["", "## Nonconformities and corrective actions", ""]
    ncs = [r.record for r in records.of("nonconformity") if isinstance(r.record, Nonconformity)]
    for nc in ncs:
        open_actions = sum(a.status == "open" for a in nc.corrective_actions)
        out.append(
            f"- {nc.id} ({nc.status}, found {nc.found_on}): {nc.title}; {open_actions} open action(s)"
        )
    if not ncs:
        out.append("None recorded.")

    out += ["", "## Audit results", ""]
    audits = [r.record for r in records.of("internal-audit") if isinstance(r.record, InternalAudit)]
    for audit in audits:
        when = audit.done_on or audit.planned_on
        out.append(
            f"- {audit.id} ({'done' if audit.done_on else 'planned'} {when or '-'}), {len(audit.findings)} finding(s)"
        )
    if not audits:
        out.append("No internal audit recorded.")

    out += ["", "## Incidents", ""]
    incidents = [
        r.record
        for r in records.of("incident")
        if isinstance(r.record, Incident) and (since is None or _day(r.record.detected_at) >= since)
    ]
    out += [f"- {i.id} ({i.severity}, {i.status}): {i.title}" for i in incidents] or ["None."]

    out += ["", "## Risks above the acceptance level", ""]
    criteria = records.one("risk-criteria")
    acceptance = (
        criteria.record.acceptance
        if criteria and isinstance(criteria.record, RiskCriteria)
        else None
    )
    above = []
    for loaded in records.of("risk"):
        risk = loaded.record
        if isinstance(risk, Risk) and risk.status == "open":
            residual = (risk.residual_likelihood or risk.likelihood) * (
                risk.residual_impact or risk.impact
            )
            if acceptance is None or residual > acceptance:
                above.append(f"- {risk.id}: {risk.title} (residual {residual}, owner {risk.owner})")
    out += above or ["None."]

    out += [
        "",
        "## AIMS performance and opportunities for improvement",
        "",
        f"- Readiness score {report.score}/100; {len(report.gaps())} gap(s).",
        f"- Overdue reviews: {len(report.overdue_reviews)}; expired exceptions: {len(report.expired_exceptions)}; shadow AI components: {len(report.shadow_ai)}.",
    ]
    out += [f"- Next: {step}" for step in report.next_steps[:5]]
    return "\n".join(out) + "\n"


def _day(value: object) -> date:
    from datetime import datetime

    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]
