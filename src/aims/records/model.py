"""Pydantic models of the `.aims/` record kinds (one YAML file per record or register).

Every model forbids unknown keys so a typo is reported with its line. Owners and approvers are
person IDs from `roles.yaml`; systems, risks, suppliers and datasets refer to each other by ID.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from aims.policy.model import PolicyException

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

Lifecycle = Literal[
    "idea", "design", "development", "validation", "deployed", "operation", "retired"
]
OperatorRole = Literal[
    "provider", "deployer", "importer", "distributor", "authorised-representative"
]
Tier = Literal["prohibited", "high-risk", "transparency", "minimal", "unclassified"]
ControlStatus = Literal["implemented", "partial", "planned", "not-started"]


class Record(BaseModel):
    """Base of every record: strict keys."""

    model_config = ConfigDict(extra="forbid")


class Issue(Record):
    """An internal or external issue relevant to the AIMS (4.1)."""

    issue: str
    kind: Literal["internal", "external"] = "internal"


class InterestedParty(Record):
    """An interested party and what it requires (4.2)."""

    name: str
    requirements: list[str] = Field(default_factory=list)


class Scope(Record):
    """The boundaries of the AIMS (4.3)."""

    boundaries: str
    included: list[str] = Field(default_factory=list)
    excluded: list[str] = Field(default_factory=list)


class Context(Record):
    """`context.yaml`: organisation context, AI roles, scope and interested parties."""

    kind: Literal["context"] = "context"
    organisation: str
    ai_roles: list[OperatorRole] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    scope: Scope | None = None
    interested_parties: list[InterestedParty] = Field(default_factory=list)
    review_date: date | None = None


class Policy(Record):
    """`policy.yaml`: the AI policy (5.2, A.2)."""

    kind: Literal["policy"] = "policy"
    title: str
    version: str = "1"
    statements: list[str] = Field(default_factory=list)
    owner: str | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    review_date: date | None = None
    related_policies: list[str] = Field(default_factory=list)
    concerns_channel: str | None = None
    communication: str | None = None


class Training(Record):
    """A completed training (7.3)."""

    course: str
    completed_on: date


class Person(Record):
    """A person with roles, competences and training."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    email: str | None = None
    roles: list[str] = Field(default_factory=list)
    competence: list[str] = Field(default_factory=list)
    training: list[Training] = Field(default_factory=list)


class Roles(Record):
    """`roles.yaml`: people, responsibilities and who may approve (5.3, A.3.2)."""

    kind: Literal["roles"] = "roles"
    people: list[Person] = Field(default_factory=list)
    approvers: list[str] = Field(default_factory=list)


class Metric(Record):
    """A metric of an objective (6.2, 9.1)."""

    name: str
    target: str
    current: str | None = None
    measured_on: date | None = None


class Objective(Record):
    """An AI objective."""

    id: str = Field(pattern=ID_PATTERN)
    statement: str
    owner: str | None = None
    due_date: date | None = None
    metrics: list[Metric] = Field(default_factory=list)


class Objectives(Record):
    """`objectives.yaml`: AI objectives and their metrics."""

    kind: Literal["objectives"] = "objectives"
    objectives: list[Objective] = Field(default_factory=list)


class Level(Record):
    """A named risk level: scores at or above `min_score` (and below the next level)."""

    name: str
    min_score: int = Field(ge=1)


class RiskCriteria(Record):
    """`risk-criteria.yaml`: the scales, the matrix levels and the acceptance threshold (6.1.2)."""

    kind: Literal["risk-criteria"] = "risk-criteria"
    likelihood: list[str] = Field(min_length=2)
    impact: list[str] = Field(min_length=2)
    levels: list[Level] = Field(min_length=1)
    acceptance: int = Field(ge=1, description="Highest residual score accepted without treatment.")


class Treatment(Record):
    """How a risk is treated (6.1.3, 8.3)."""

    option: Literal["mitigate", "accept", "transfer", "avoid"]
    plan: str | None = None
    status: Literal["planned", "in-progress", "done"] = "planned"


class Risk(Record):
    """`risks/<id>.yaml`: one AI risk."""

    kind: Literal["risk"] = "risk"
    id: str = Field(pattern=ID_PATTERN)
    title: str
    description: str | None = None
    systems: list[str] = Field(default_factory=list)
    owner: str
    likelihood: int = Field(ge=1)
    impact: int = Field(ge=1)
    residual_likelihood: int | None = Field(default=None, ge=1)
    residual_impact: int | None = Field(default=None, ge=1)
    treatment: Treatment | None = None
    controls: list[str] = Field(default_factory=list)
    assessed_on: date | None = None
    due_date: date | None = None
    review_date: date | None = None
    status: Literal["open", "closed"] = "open"


class Change(Record):
    """A planned or made change to a system (6.3)."""

    changed_on: date
    summary: str


class Answers(Record):
    """Facts for the EU AI Act classification (`aims classify` asks for missing ones)."""

    prohibited: list[str] | None = None
    annex_i_product: bool | None = None
    annex_iii: list[str] | None = None
    derogation: list[str] | None = None
    profiling: bool | None = None
    transparency: list[str] | None = None
    gpai_model: bool | None = None
    gpai_systemic: bool | None = None


class AISystem(Record):
    """`systems/<id>.yaml`: an AI system in the register."""

    kind: Literal["ai-system"] = "ai-system"
    id: str = Field(pattern=ID_PATTERN)
    name: str | None = None
    owner: str | None = None
    purpose: str | None = None
    intended_use: str | None = None
    foreseeable_misuse: list[str] = Field(default_factory=list)
    lifecycle: Lifecycle = "development"
    role: OperatorRole = "deployer"
    repositories: list[str] = Field(default_factory=list)
    paths: list[str] = Field(
        default_factory=list,
        description="Path globs (relative to the scanned root) whose AI components belong here.",
    )
    components: list[str] = Field(
        default_factory=list,
        description="Component patterns `type:name` (globs), e.g. `sdk:openai`, `model:gpt-4o*`.",
    )
    suppliers: list[str] = Field(default_factory=list)
    datasets: list[str] = Field(default_factory=list)
    autonomy: Literal["assistive", "human-in-the-loop", "human-on-the-loop", "autonomous"] = (
        "human-in-the-loop"
    )
    human_oversight: str | None = None
    resources: list[str] = Field(default_factory=list)
    documentation: list[str] = Field(default_factory=list)
    validation: list[str] = Field(default_factory=list)
    user_information: str | None = None
    customers: list[str] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    last_reviewed: date | None = None
    review_date: date | None = None
    eu_ai_act: Answers | None = None
    eu_ai_act_tier: Tier = "unclassified"
    classification: dict[str, Any] | None = None
    monitoring: dict[str, Any] | None = None


class Affected(Record):
    """An affected individual, group or societal aspect with the expected impact."""

    who: str
    impact: str
    severity: Literal["low", "medium", "high", "critical"] = "medium"


class SignOff(Record):
    """Who approved an assessment and when."""

    by: str
    signed_on: date


class ImpactAssessment(Record):
    """`impact-assessments/<id>.yaml`: an AI system impact assessment (A.5, ISO/IEC 42005)."""

    kind: Literal["impact-assessment"] = "impact-assessment"
    id: str = Field(pattern=ID_PATTERN)
    system: str
    assessed_on: date
    assessor: str
    individuals: list[Affected] = Field(default_factory=list)
    society: list[Affected] = Field(default_factory=list)
    data: str | None = None
    failure_modes: list[str] = Field(default_factory=list)
    mitigations: list[str] = Field(default_factory=list)
    risks: list[str] = Field(default_factory=list)
    signoff: SignOff | None = None
    review_date: date | None = None


class SoAEntry(Record):
    """One Annex A control in the Statement of Applicability."""

    id: str
    applicable: bool = True
    justification: str | None = None
    status: ControlStatus = "not-started"
    owner: str | None = None
    evidence: list[str] = Field(default_factory=list)


class SoA(Record):
    """`soa.yaml`: the Statement of Applicability over all 38 Annex A controls (6.1.3)."""

    kind: Literal["soa"] = "soa"
    approved_by: str | None = None
    approved_on: date | None = None
    controls: list[SoAEntry] = Field(default_factory=list)


class Supplier(Record):
    """`suppliers/<id>.yaml`: a supplier or third-party AI service (A.10)."""

    kind: Literal["supplier"] = "supplier"
    id: str = Field(pattern=ID_PATTERN)
    name: str
    services: list[str] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)
    responsibilities: str | None = None
    agreement: str | None = None
    owner: str | None = None
    review_date: date | None = None


class Dataset(Record):
    """`datasets/<id>.yaml`: a data resource (A.4.3, A.7)."""

    kind: Literal["dataset"] = "dataset"
    id: str = Field(pattern=ID_PATTERN)
    name: str
    systems: list[str] = Field(default_factory=list)
    owner: str | None = None
    acquisition: str | None = None
    provenance: str | None = None
    quality: str | None = None
    preparation: str | None = None
    personal_data: bool = False
    review_date: date | None = None


class Incident(Record):
    """`incidents/<id>.yaml`: an incident (A.8.4); `aims monitor run` writes these too."""

    kind: Literal["incident"] = "incident"
    id: str = Field(pattern=ID_PATTERN)
    system: str | None = None
    title: str
    detected_at: datetime | date
    source: str | None = None
    severity: Literal["low", "medium", "high", "critical"] = "medium"
    status: Literal["open", "investigating", "resolved", "closed"] = "open"
    owner: str | None = None
    model_version: str | None = None
    data: dict[str, Any] | None = None
    breaches: list[dict[str, Any]] = Field(default_factory=list)
    controls: list[str] = Field(default_factory=list)
    eu_ai_act: dict[str, Any] | None = None
    cause: str | None = None
    closed_on: date | None = None
    nonconformity: str | None = None


class CorrectiveAction(Record):
    """A corrective action (10.2)."""

    action: str
    owner: str | None = None
    due_date: date | None = None
    status: Literal["open", "done"] = "open"
    done_on: date | None = None


class Nonconformity(Record):
    """`nonconformities/<id>.yaml`: a nonconformity and its corrective actions (10.2)."""

    kind: Literal["nonconformity"] = "nonconformity"
    id: str = Field(pattern=ID_PATTERN)
    title: str
    found_on: date
    source: Literal["audit", "incident", "review", "monitoring", "other"] = "other"
    owner: str | None = None
    incident: str | None = None
    audit: str | None = None
    cause: str | None = None
    corrective_actions: list[CorrectiveAction] = Field(default_factory=list)
    status: Literal["open", "closed"] = "open"


class AuditFinding(Record):
    """A finding of an internal audit."""

    description: str
    nonconformity: str | None = None


class InternalAudit(Record):
    """`audits/<id>.yaml`: an internal audit (9.2)."""

    kind: Literal["internal-audit"] = "internal-audit"
    id: str = Field(pattern=ID_PATTERN)
    programme: str | None = None
    planned_on: date | None = None
    done_on: date | None = None
    auditor: str
    scope: list[str] = Field(default_factory=list)
    findings: list[AuditFinding] = Field(default_factory=list)


class ManagementReview(Record):
    """`management-reviews/<id>.yaml`: a management review (9.3)."""

    kind: Literal["management-review"] = "management-review"
    id: str = Field(pattern=ID_PATTERN)
    held_on: date
    chair: str
    attendees: list[str] = Field(default_factory=list)
    inputs: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)
    actions: list[CorrectiveAction] = Field(default_factory=list)


class Exceptions(Record):
    """`exceptions.yaml`: approved deviations, in the policy gate's exception format."""

    kind: Literal["exceptions"] = "exceptions"
    approvers: list[str] = Field(default_factory=list)
    exceptions: list[PolicyException] = Field(default_factory=list)


KINDS: dict[str, type[Record]] = {
    "context": Context,
    "policy": Policy,
    "roles": Roles,
    "objectives": Objectives,
    "risk-criteria": RiskCriteria,
    "soa": SoA,
    "exceptions": Exceptions,
    "ai-system": AISystem,
    "risk": Risk,
    "impact-assessment": ImpactAssessment,
    "supplier": Supplier,
    "dataset": Dataset,
    "incident": Incident,
    "nonconformity": Nonconformity,
    "internal-audit": InternalAudit,
    "management-review": ManagementReview,
}
"""Record kind -> model."""

SINGLETON_FILES: dict[str, str] = {
    "context": "context",
    "policy": "policy",
    "roles": "roles",
    "objectives": "objectives",
    "risk-criteria": "risk-criteria",
    "soa": "soa",
    "exceptions": "exceptions",
}
"""File stem at the top of `.aims/` -> kind."""

FOLDERS: dict[str, str] = {
    "systems": "ai-system",
    "risks": "risk",
    "impact-assessments": "impact-assessment",
    "suppliers": "supplier",
    "datasets": "dataset",
    "incidents": "incident",
    "nonconformities": "nonconformity",
    "audits": "internal-audit",
    "management-reviews": "management-review",
}
"""Folder under `.aims/` -> kind of the records in it."""
