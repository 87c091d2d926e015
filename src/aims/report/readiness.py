"""The readiness report: status per clause and per Annex A control, blockers and a score.

Status of a clause requirement: `implemented` when every evidence source listed for it in the
standards data is found, `partial` when some are, `missing` when none is.

Status of an Annex A control combines the Statement of Applicability with the evidence found:
excluded in the SoA -> `not-applicable`; not in the SoA -> `missing`; SoA says implemented and
all evidence is found -> `implemented`; SoA says implemented or partial, or evidence is found
while the SoA says planned or not started -> `partial`; otherwise `missing`.

Readiness score (0-100) = round(100 * (implemented + 0.5 * partial) / scored), where `scored` is
the 32 clause requirements plus the applicable Annex A controls. Blockers (validation errors,
shadow AI, expired exceptions) do not change the score; they are listed first in "what to do
first" because an auditor would stop there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from aims.records.deadlines import art73_report_by
from aims.records.io import Message
from aims.records.model import AISystem, Incident, Nonconformity, Risk, RiskCriteria, SoA
from aims.records.validate import validate
from aims.report.evidence import Project, resolve
from aims.standards import iso42001

SCHEMA_ID = "aims/readiness/1"
STATUSES = ("implemented", "partial", "missing", "not-applicable")


@dataclass(slots=True)
class Item:
    """One clause requirement or Annex A control with its status and evidence."""

    id: str
    label: str
    kind: str  # "clause" | "control"
    status: str
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    area: str | None = None
    soa_status: str | None = None
    owner: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Readiness:
    """The whole report."""

    generated_on: str
    project: str
    score: int
    counts: dict[str, dict[str, int]]
    clauses: list[Item]
    controls: list[Item]
    errors: list[str]
    warnings: list[str]
    shadow_ai: list[str]
    expired_exceptions: list[str]
    overdue_reviews: list[str]
    open_incidents: list[dict[str, Any]]
    open_actions: list[dict[str, Any]]
    heat_map: dict[str, Any]
    risks: list[dict[str, Any]]
    systems: list[dict[str, Any]]
    next_steps: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (`aims/readiness/1`)."""
        return {"schema": SCHEMA_ID, **asdict(self)}

    def gaps(self) -> list[Item]:
        """Items that are missing or partial, clauses first."""
        return [i for i in self.clauses + self.controls if i.status in ("missing", "partial")]


def _clause_items(project: Project) -> list[Item]:
    items = []
    for clause in iso42001().clauses:
        evidence = [resolve(project, t) for t in clause.evidence]
        found = [e.detail for e in evidence if e.found]
        missing = [e.detail for e in evidence if not e.found]
        status = "implemented" if not missing else "partial" if found else "missing"
        items.append(Item(clause.id, clause.label, "clause", status, found, missing))
    return items


def _control_items(project: Project) -> list[Item]:
    soa_loaded = project.records.one("soa")
    entries = {}
    if soa_loaded is not None and isinstance(soa_loaded.record, SoA):
        entries = {e.id: e for e in soa_loaded.record.controls}
    items = []
    for control in iso42001().controls:
        evidence = [resolve(project, t) for t in control.evidence]
        found = [e.detail for e in evidence if e.found]
        missing = [e.detail for e in evidence if not e.found]
        entry = entries.get(control.id)
        item = Item(
            control.id, control.label, "control", "missing", found, missing, area=control.area
        )
        if entry is None:
            item.note = "not in the Statement of Applicability"
        elif not entry.applicable:
            item.status = "not-applicable"
            item.note = entry.justification
        else:
            item.soa_status, item.owner = entry.status, entry.owner
            if entry.evidence:
                item.found.append("SoA evidence: " + ", ".join(entry.evidence))
            if entry.status == "implemented" and not missing:
                item.status = "implemented"
            elif entry.status in ("implemented", "partial") or found:
                item.status = "partial"
            if entry.status == "implemented" and missing:
                item.note = "the SoA says implemented but evidence is missing"
        items.append(item)
    return items


def _heat_map(project: Project) -> dict[str, Any]:
    criteria = project.records.one("risk-criteria")
    levels: list[dict[str, Any]]
    if criteria is not None and isinstance(criteria.record, RiskCriteria):
        likelihood, impact = criteria.record.likelihood, criteria.record.impact
        levels = [{"name": lv.name, "min_score": lv.min_score} for lv in criteria.record.levels]
    else:
        likelihood = impact = ["1", "2", "3", "4", "5"]
        levels = [
            {"name": "low", "min_score": 1},
            {"name": "medium", "min_score": 5},
            {"name": "high", "min_score": 10},
            {"name": "critical", "min_score": 17},
        ]
    inherent = [[0] * len(impact) for _ in likelihood]
    residual = [[0] * len(impact) for _ in likelihood]
    for loaded in project.records.of("risk"):
        risk = loaded.record
        if not isinstance(risk, Risk) or risk.status != "open":
            continue
        if risk.likelihood <= len(likelihood) and risk.impact <= len(impact):
            inherent[risk.likelihood - 1][risk.impact - 1] += 1
        rl = risk.residual_likelihood or risk.likelihood
        ri = risk.residual_impact or risk.impact
        if rl <= len(likelihood) and ri <= len(impact):
            residual[rl - 1][ri - 1] += 1
    return {
        "likelihood": likelihood,
        "impact": impact,
        "levels": sorted(levels, key=lambda lv: int(lv["min_score"])),
        "inherent": inherent,
        "residual": residual,
    }


def _level(levels: list[dict[str, Any]], score: int) -> str:
    name = str(levels[0]["name"]) if levels else ""
    for level in levels:
        if score >= int(level["min_score"]):
            name = str(level["name"])
    return name


def _risk_register(project: Project, levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open and closed risks with inherent and residual score and level, worst residual first."""
    rows = []
    for loaded in project.records.of("risk"):
        risk = loaded.record
        if not isinstance(risk, Risk):
            continue
        inherent = risk.likelihood * risk.impact
        residual = (risk.residual_likelihood or risk.likelihood) * (
            risk.residual_impact or risk.impact
        )
        rows.append(
            {
                "id": risk.id,
                "title": risk.title,
                "owner": risk.owner,
                "status": risk.status,
                "inherent_score": inherent,
                "inherent_level": _level(levels, inherent),
                "residual_score": residual,
                "residual_level": _level(levels, residual),
                "treatment": risk.treatment.option if risk.treatment else None,
                "treatment_status": risk.treatment.status if risk.treatment else None,
                "due_date": risk.due_date.isoformat() if risk.due_date else None,
            }
        )
    return sorted(rows, key=lambda r: (r["status"] != "open", -r["residual_score"], r["id"]))


def build(project: Project, today: date) -> Readiness:
    """Compute the readiness report for a project as of a date."""
    messages: list[Message] = validate(
        project.records, today=today, inventories=project.inventories
    )
    clauses = _clause_items(project)
    controls = _control_items(project)
    counts = {
        "clauses": {s: sum(i.status == s for i in clauses) for s in STATUSES},
        "controls": {s: sum(i.status == s for i in controls) for s in STATUSES},
    }
    scored = [i for i in clauses + controls if i.status != "not-applicable"]
    points = sum(
        1.0 if i.status == "implemented" else 0.5 if i.status == "partial" else 0.0 for i in scored
    )
    score = round(100 * points / len(scored)) if scored else 0

    shadow = [m.render() for m in messages if m.code == "AIM810"]
    expired = [m.render() for m in messages if m.code == "AIM807"]
    overdue = [m.render() for m in messages if m.code == "AIM811"]
    topical = {"AIM810", "AIM807", "AIM811"}
    errors = [m.render() for m in messages if m.level == "error" and m.code not in topical]
    warnings = [m.render() for m in messages if m.level == "warning" and m.code not in topical]

    incidents = []
    tiers = {
        r.record.id: r.record.eu_ai_act_tier
        for r in project.records.of("ai-system")
        if isinstance(r.record, AISystem)
    }
    for loaded in project.records.of("incident"):
        inc = loaded.record
        if isinstance(inc, Incident) and inc.status not in ("resolved", "closed"):
            report_by = (inc.eu_ai_act or {}).get("report_by")
            if report_by is None and tiers.get(inc.system or "") == "high-risk":
                report_by = art73_report_by(inc)
            incidents.append(
                {
                    "id": inc.id,
                    "system": inc.system,
                    "severity": inc.severity,
                    "status": inc.status,
                    "title": inc.title,
                    "report_by": report_by,
                    "path": loaded.path,
                }
            )
    actions: list[dict[str, Any]] = []
    for loaded in project.records.of("nonconformity"):
        nc = loaded.record
        if isinstance(nc, Nonconformity) and nc.status == "open":
            actions.extend(
                {
                    "nonconformity": nc.id,
                    "action": action.action,
                    "owner": action.owner,
                    "due_date": action.due_date.isoformat() if action.due_date else None,
                    "overdue": bool(action.due_date and action.due_date < today),
                }
                for action in nc.corrective_actions
                if action.status == "open"
            )
    systems = []
    for loaded in project.records.of("ai-system"):
        sys_ = loaded.record
        if isinstance(sys_, AISystem):
            systems.append(
                {
                    "id": sys_.id,
                    "name": sys_.name or sys_.id,
                    "owner": sys_.owner,
                    "lifecycle": sys_.lifecycle,
                    "role": sys_.role,
                    "tier": sys_.eu_ai_act_tier,
                }
            )

    steps: list[str] = []
    if errors:
        steps.append(
            f"Fix {len(errors)} validation error(s) (`aims validate`), starting with: {errors[0]}"
        )
    if shadow:
        steps.append(
            f"Register {len(shadow)} AI component(s) found by the scan in no system (shadow AI)"
        )
    if expired:
        steps.append(f"Renew or remove {len(expired)} expired exception(s)")
    unclassified = [str(s["id"]) for s in systems if s["tier"] == "unclassified"]
    if unclassified:
        steps.append(
            f"Classify {', '.join(unclassified)} under the EU AI Act: `aims classify {unclassified[0]}`"
        )
    for item in clauses:
        if item.status == "missing" and len(steps) < 8:
            steps.append(f"Clause {item.id} ({item.label}): {item.missing[0]}")
    for item in controls:
        if item.status == "missing" and len(steps) < 8:
            steps.append(f"Control {item.id} ({item.label}): {item.note or item.missing[0]}")
    if not steps:
        steps.append(
            "Keep records current: every review date, exception expiry and open action is on track"
        )

    heat_map = _heat_map(project)
    return Readiness(
        generated_on=today.isoformat(),
        project=project.root.resolve().name or str(project.root),
        score=score,
        counts=counts,
        clauses=clauses,
        controls=controls,
        errors=errors,
        warnings=warnings,
        shadow_ai=shadow,
        expired_exceptions=expired,
        overdue_reviews=overdue,
        open_incidents=incidents,
        open_actions=actions,
        heat_map=heat_map,
        risks=_risk_register(project, heat_map["levels"]),
        systems=systems,
        next_steps=steps,
    )
