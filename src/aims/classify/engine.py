"""The EU AI Act classification: each step names the article it rests on.

Order: Art. 5 prohibited practices; Art. 6(1) with Annex I; Art. 6(2) with Annex III and the
Art. 6(3) derogation (never for profiling); Art. 50 transparency cases; GPAI model duties
(Art. 53, 55); Art. 4 for everyone. The tier is the most severe that applies; transparency and
GPAI duties add to a high-risk tier's obligations. Dates and their legal status come from the
standards data, so a change in the law is a data update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from aims.errors import UsageError
from aims.records.model import Answers
from aims.standards import eu_ai_act

Ask = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Step:
    """One reasoning step: the article, what was found, and what follows."""

    article: str
    finding: str


@dataclass(frozen=True, slots=True)
class Duty:
    """A dated obligation."""

    article: str
    duty: str
    role: str
    applies_from: str
    status: str


@dataclass(slots=True)
class Classification:
    """The outcome of `classify`."""

    tier: str
    route: str | None = None
    steps: list[Step] = field(default_factory=list)
    obligations: list[Duty] = field(default_factory=list)

    def to_record(self, today: str) -> dict[str, Any]:
        """The `classification:` block written back into the system record."""
        return {
            "tier": self.tier,
            "route": self.route,
            "classified_on": today,
            "obligations": [asdict(d) for d in self.obligations],
            "steps": [asdict(s) for s in self.steps],
        }


def missing_answers(answers: Answers) -> list[str]:
    """Facts the classification needs that the record does not state."""
    needed = ["prohibited", "annex_i_product", "annex_iii", "transparency", "gpai_model"]
    missing = [name for name in needed if getattr(answers, name) is None]
    if answers.annex_iii and answers.profiling is None:
        missing.append("profiling")
    if answers.annex_iii and answers.profiling is False and answers.derogation is None:
        missing.append("derogation")
    if answers.gpai_model and answers.gpai_systemic is None:
        missing.append("gpai_systemic")
    return missing


def ask_missing(answers: Answers, ask: Ask) -> Answers:
    """Fill missing facts by asking yes/no questions (each names its article)."""
    act = eu_ai_act()
    data = answers.model_dump()
    if data["prohibited"] is None:
        practices = act.prohibited_practices + act.omnibus_prohibitions.items
        data["prohibited"] = [p.id for p in practices if ask(f"[Art. {p.id}] {p.question}")]
    if data["annex_i_product"] is None:
        data["annex_i_product"] = ask(
            f"[Art. {act.annex_i.article}, Annex I] {act.annex_i.question}"
        )
    if data["annex_iii"] is None:
        points = []
        for area in act.annex_iii:
            if ask(f"[Annex III point {area.id}] Is the system used in: {area.area}?"):
                points += [
                    p.id for p in area.points if ask(f"[Annex III {p.id}] Used for: {p.label}?")
                ]
        data["annex_iii"] = points
    if data["annex_iii"] and data["profiling"] is None:
        data["profiling"] = ask("[Art. 6(3)] Does the system profile natural persons?")
    if data["annex_iii"] and not data["profiling"] and data["derogation"] is None:
        data["derogation"] = [
            c.id
            for c in act.derogation.conditions
            if ask(f"[Art. {c.id}] Without a significant risk of harm, does it only: {c.label}?")
        ]
    if data["transparency"] is None:
        data["transparency"] = [
            t.id for t in act.transparency if ask(f"[Art. {t.id}] {t.question}")
        ]
    if data["gpai_model"] is None:
        data["gpai_model"] = ask(f"[Art. {act.gpai[0].id}] {act.gpai[0].question}")
    if data["gpai_model"] and data["gpai_systemic"] is None:
        data["gpai_systemic"] = ask(f"[Art. {act.gpai[1].id}] {act.gpai[1].question}")
    return Answers.model_validate(data)


def _check_ids(values: list[str], valid: list[str], what: str) -> None:
    from aims.standards import nearest

    for value in values:
        if value not in valid:
            close = nearest(value, valid)
            raise UsageError(
                f"unknown {what} {value!r}",
                hint=f"did you mean {close!r}?" if close else "valid: " + ", ".join(valid),
            )


def classify(answers: Answers, role: str) -> Classification:
    """Classify from complete answers (see `missing_answers`) for the operator's role."""
    missing = missing_answers(answers)
    if missing:
        raise UsageError(
            "the classification needs these facts: " + ", ".join(missing),
            hint="answer them on a terminal, or add them under `eu_ai_act:` in the system record",
        )
    act = eu_ai_act()
    dates = {d.id: d for d in act.dates}
    result = Classification(tier="minimal")
    steps, duties = result.steps, result.obligations

    def add(article: str, duty: str, when: str, duty_role: str = role) -> None:
        date = dates[when]
        duties.append(Duty(article, duty, duty_role, date.date, date.status))

    prohibited = answers.prohibited or []
    regular = {p.id: p for p in act.prohibited_practices}
    omnibus = {p.id: p for p in act.omnibus_prohibitions.items}
    _check_ids(prohibited, [*regular, *omnibus], "Art. 5 practice")
    for ident in prohibited:
        practice = regular.get(ident) or omnibus[ident]
        when = "prohibitions" if ident in regular else "omnibus-prohibitions"
        steps.append(Step(f"Art. {ident}", f"prohibited practice: {practice.label}"))
        add(
            f"5 ({ident})",
            f"Do not place on the market, put into service or use: {practice.label}",
            when,
        )
    if prohibited:
        result.tier, result.route = "prohibited", "Art. " + ", ".join(prohibited)
    else:
        steps.append(Step("Art. 5", "none of the prohibited practices applies"))

    high_risk_from: str | None = None
    if answers.annex_i_product:
        steps.append(
            Step(
                "Art. 6(1), Annex I",
                "product or safety component under Annex I legislation with third-party conformity assessment: high-risk",
            )
        )
        high_risk_from, result.route = "annex-i", result.route or "Art. 6(1) / Annex I"
    else:
        steps.append(Step("Art. 6(1)", "not a product or safety component under Annex I"))
    points = answers.annex_iii or []
    _check_ids(points, [p.id for p in act.annex_iii_points()], "Annex III point")
    derogation = answers.derogation or []
    _check_ids(derogation, [c.id for c in act.derogation.conditions], "Art. 6(3) condition")
    if points:
        labels = {p.id: p.label for p in act.annex_iii_points()}
        for ident in points:
            steps.append(Step(f"Art. 6(2), Annex III {ident}", labels[ident]))
        if answers.profiling:
            steps.append(
                Step(
                    "Art. 6(3)",
                    "profiles natural persons: always high-risk, the derogation cannot apply",
                )
            )
            high_risk_from = high_risk_from or "annex-iii"
        elif derogation:
            steps.append(
                Step(
                    f"Art. {', '.join(derogation)}",
                    "derogation: not high-risk; document the assessment (Art. 6(4)) and register it (Art. 49(2))",
                )
            )
            add(
                "6(4)",
                "Document why the Annex III system is not high-risk before placing it on the market",
                "annex-iii",
            )
            add(
                "49(2)",
                "Register the system in the EU database as not high-risk under Art. 6(3)",
                "annex-iii",
            )
        else:
            steps.append(Step("Art. 6(3)", "no derogation condition applies: high-risk"))
            high_risk_from = high_risk_from or "annex-iii"
        if high_risk_from and not answers.annex_i_product:
            result.route = result.route or "Annex III " + ", ".join(points)
    else:
        steps.append(Step("Art. 6(2), Annex III", "no Annex III use case"))

    if high_risk_from:
        if result.tier != "prohibited":
            result.tier = "high-risk"
        role_key = role if role in act.obligations.high_risk else "provider"
        for ob in act.obligations.high_risk[role_key]:
            add(ob.article, ob.label, high_risk_from, role_key)

    transparency = answers.transparency or []
    cases = {t.id: t for t in act.transparency}
    _check_ids(transparency, list(cases), "Art. 50 case")
    for ident in transparency:
        case = cases[ident]
        steps.append(Step(f"Art. {ident}", f"transparency duty for the {case.role}: {case.label}"))
        add(
            ident, case.label, "art50-2-grace" if ident == "50(2)" else "general", case.role or role
        )
    if transparency and result.tier == "minimal":
        result.tier = "transparency"
        result.route = "Art. " + ", ".join(transparency)
    if not transparency:
        steps.append(Step("Art. 50", "no transparency case applies"))

    if answers.gpai_model:
        steps.append(Step("Art. 53", "provider of a general-purpose AI model"))
        add("53", act.gpai[0].label, "gpai", "gpai-provider")
        if answers.gpai_systemic:
            steps.append(Step("Art. 51, 55", "GPAI model with systemic risk"))
            add("55", act.gpai[1].label, "gpai", "gpai-provider")

    for ob in act.obligations.all:
        add(ob.article, ob.label, "prohibitions", role)
    return result
