"""Incidents opened by threshold breaches, written as `.aims/incidents/*.yaml` records."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SEVERITY_ORDER = ["low", "medium", "high", "critical"]


@lru_cache(maxsize=1)
def art73_deadlines() -> dict[str, Any]:
    """The EU AI Act Art. 73 reporting deadlines (data file)."""
    text = resources.files("aims.monitor").joinpath("data/art73.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def system_record(aims_dir: Path, system: str | None) -> dict[str, Any]:
    """The `.aims/systems/<id>.yaml` record of a system, or {} (read loosely: any known shape)."""
    if not system:
        return {}
    for folder in (aims_dir / "systems", aims_dir):
        for suffix in (".yaml", ".yml"):
            path = folder / f"{system}{suffix}"
            if path.is_file():
                try:
                    data = yaml.safe_load(path.read_text("utf-8"))
                except (OSError, yaml.YAMLError):
                    return {}
                return data if isinstance(data, dict) else {}
    return {}


def risk_tier(record: dict[str, Any]) -> str | None:
    """The EU AI Act tier a system record states, wherever the record keeps it."""
    for key in ("eu_ai_act_tier", "risk_tier", "tier"):
        if isinstance(record.get(key), str):
            return str(record[key])
    nested = record.get("eu_ai_act")
    if isinstance(nested, dict) and isinstance(nested.get("tier"), str):
        return str(nested["tier"])
    return None


def open_incident(
    result: dict[str, Any],
    breaches: list[dict[str, Any]],
    *,
    aims_dir: Path,
    tier: str | None,
    now: datetime | None = None,
) -> Path:
    """Write an incident record for the breaches of one run and return its path.

    For a high-risk system the Art. 73 general reporting deadline is computed from detection
    time; the responsible person confirms whether the incident is serious and which case applies.
    """
    now = now or datetime.now(UTC)
    severity = max((b["severity"] for b in breaches), key=SEVERITY_ORDER.index)
    digest = hashlib.sha256(
        f"{result.get('system')}{result['run_at']}{len(breaches)}".encode()
    ).hexdigest()[:6]
    incident_id = f"INC-{now:%Y%m%d}-{digest}"
    record: dict[str, Any] = {
        "id": incident_id,
        "kind": "incident",
        "system": result.get("system"),
        "title": f"Monitoring thresholds breached: {', '.join(sorted({b['kind'] for b in breaches}))}",
        "detected_at": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "source": "monitor",
        "severity": severity,
        "status": "open",
        "model_version": result.get("model_version"),
        "data": {"reference": result["reference"], "current": result["current"]},
        "breaches": breaches,
        "controls": ["A.6.2.6", "9.1", "10.2"],
    }
    if tier and tier.replace("_", "-").lower() in ("high-risk", "high"):
        rules = art73_deadlines()
        general = next(d for d in rules["deadlines"] if d["case"] == "general")
        record["eu_ai_act"] = {
            "article": rules["article"],
            "serious_incident": "to be assessed",
            "report_by": (now + timedelta(days=general["days"])).date().isoformat(),
            "deadlines": [
                {
                    "case": d["case"],
                    "report_by": (now + timedelta(days=d["days"])).date().isoformat(),
                    "basis": d["basis"],
                }
                for d in rules["deadlines"]
            ],
        }
    folder = aims_dir / "incidents"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{incident_id}.yaml"
    header = "# Opened automatically by `aims monitor run`; triage, assign an owner, close with a cause.\n"
    path.write_text(header + yaml.safe_dump(record, sort_keys=False, allow_unicode=True), "utf-8")
    return path
