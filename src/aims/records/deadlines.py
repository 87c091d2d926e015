"""Deadlines computed from records: the EU AI Act Art. 73 serious-incident report date."""

from __future__ import annotations

from aims.records.model import Incident


def art73_report_by(incident: Incident) -> str:
    """The Art. 73 general reporting deadline for an incident of a high-risk system.

    Counted from detection; the person responsible confirms whether the incident is serious and
    whether a shorter case (2 or 10 days) applies.
    """
    from datetime import datetime, timedelta

    from aims.monitor.incidents import art73_deadlines

    general = next(d for d in art73_deadlines()["deadlines"] if d["case"] == "general")
    detected = incident.detected_at
    day = detected.date() if isinstance(detected, datetime) else detected
    return (day + timedelta(days=int(general["days"]))).isoformat()
