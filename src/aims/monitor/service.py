"""The `aims monitor run` workflow: reference summary (cached), run, thresholds, history, incident."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aims.errors import InputError
from aims.monitor.config import MonitorConfig
from aims.monitor.evaluate import find_breaches
from aims.monitor.history import History, trend
from aims.monitor.incidents import open_incident, risk_tier, system_record
from aims.monitor.io import is_db_url, source_key
from aims.monitor.run import SUMMARY_FORMAT, DataSpec, Monitor


@dataclass
class RunRequest:
    """What to compare, and where results go."""

    reference: DataSpec
    current: DataSpec
    config: MonitorConfig
    history_url: str | None
    """None: do not store the run."""
    aims_dir: Path = Path(".aims")
    open_incidents: bool = True


def _apply_record_thresholds(config: MonitorConfig, record: dict[str, Any]) -> MonitorConfig:
    """A system record's `monitoring:` block overrides the config's defaults."""
    block = record.get("monitoring")
    if not isinstance(block, dict):
        return config
    merged = config.model_dump()
    for section in ("drift", "fairness", "performance"):
        if isinstance(block.get(section), dict):
            merged[section] = {**merged[section], **block[section]}
    for key in ("min_group_size", "sensitive", "positive_label"):
        if key in block:
            merged[key] = block[key]
    return MonitorConfig.model_validate(merged)


def reference_summary(monitor: Monitor, spec: DataSpec, history: History | None) -> dict[str, Any]:
    """Load a saved summary file, a cached summary, or summarise the reference (and cache it)."""
    if not is_db_url(spec.source) and spec.source.endswith(".json"):
        try:
            data = json.loads(Path(spec.source).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read reference summary {spec.source}: {exc}") from exc
        if data.get("format") != SUMMARY_FORMAT:
            raise InputError(f"{spec.source} is not an aims reference summary")
        return dict(data)
    config_key = monitor.config.model_dump_json(
        include={
            "target",
            "prediction",
            "score",
            "sensitive",
            "columns",
            "exclude",
            "categorical",
            "numeric",
            "positive_label",
            "seed",
        }
    )
    key = source_key(spec.source, spec.query)
    key = hashlib.sha256(f"{key}\0{config_key}".encode()).hexdigest()
    if history is not None:
        cached = history.reference(key)
        if cached is not None:
            return cached
    summary = monitor.summarise_reference(spec)
    if history is not None:
        history.save_reference(key, summary)
    return summary


def run_request(request: RunRequest) -> dict[str, Any]:
    """Run monitoring end to end and return the result with breaches, incident and history."""
    record = system_record(request.aims_dir, request.config.system)
    config = _apply_record_thresholds(request.config, record)
    monitor = Monitor(config)
    history = History(request.history_url) if request.history_url else None
    try:
        reference = reference_summary(monitor, request.reference, history)
        result = monitor.run(reference, request.current, reference_spec=request.reference)
        breaches = find_breaches(result, config)
        result["breaches"] = breaches
        result["incident"] = None
        if breaches and request.open_incidents:
            tier = risk_tier(record)
            result["incident"] = str(
                open_incident(result, breaches, aims_dir=request.aims_dir, tier=tier)
            )
        if history is not None:
            result["run_id"] = history.add_run(result)
            result["history"] = trend(history.runs_of(result.get("system") or "(unnamed)"))
    finally:
        if history is not None:
            history.close()
    return result
