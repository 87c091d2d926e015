"""Thresholds: turn a run's numbers into breaches with severities."""

from __future__ import annotations

from typing import Any

from aims.monitor.config import MonitorConfig


def _breach(
    kind: str, metric: str, value: Any, limit: Any, severity: str, detail: str
) -> dict[str, Any]:
    return {
        "kind": kind,
        "metric": metric,
        "value": value,
        "threshold": limit,
        "severity": severity,
        "detail": detail,
    }


def find_breaches(result: dict[str, Any], config: MonitorConfig) -> list[dict[str, Any]]:
    """Every threshold the run crossed: dataset drift, prediction drift, fairness, performance."""
    breaches: list[dict[str, Any]] = []
    dataset = result["drift"]["dataset"]
    if dataset["drifted"]:
        breaches.append(
            _breach(
                "drift",
                "drift_share",
                round(dataset["drift_share"], 4),
                dataset["threshold"],
                "medium",
                f"{len(dataset['drifted_columns'])} of {dataset['columns']} columns drifted: "
                + ", ".join(dataset["drifted_columns"][:10]),
            )
        )
    for role in ("prediction", "score"):
        drift = result["drift"].get(role)
        if drift and drift.get("drifted"):
            breaches.append(
                _breach(
                    "drift",
                    f"{role}_drift",
                    drift.get("score"),
                    drift.get("threshold"),
                    "medium",
                    f"the model's {role} distribution drifted ({drift['method']})",
                )
            )
    limits = config.fairness
    checks = [
        ("demographic_parity_ratio", limits.demographic_parity_ratio_min, "min"),
        ("demographic_parity_difference", limits.demographic_parity_difference_max, "max"),
        ("equalized_odds_difference", limits.equalized_odds_difference_max, "max"),
        ("equal_opportunity_difference", limits.equal_opportunity_difference_max, "max"),
        ("predictive_parity_difference", limits.predictive_parity_difference_max, "max"),
    ]
    for attribute, report in result["fairness"].items():
        if not report.get("reliable"):
            continue
        for metric, limit, side in checks:
            entry = report["metrics"].get(metric)
            if limit is None or entry is None or entry["value"] is None:
                continue
            value = entry["value"]
            crossed = value < limit if side == "min" else value > limit
            if crossed:
                breaches.append(
                    _breach(
                        "fairness",
                        f"{metric}[{attribute}]",
                        round(value, 4),
                        limit,
                        "high",
                        f"{metric} for {attribute} is {value:.3f} "
                        f"({'below' if side == 'min' else 'above'} {limit})"
                        + (
                            f"; 95% CI {entry['ci95'][0]:.3f}–{entry['ci95'][1]:.3f}"
                            if entry.get("ci95")
                            else ""
                        ),
                    )
                )
    perf = result["performance"].get("overall") or {}
    base = (result.get("baseline") or {}).get("overall") or {}
    p = config.performance
    for metric, limit, side in [
        ("accuracy", p.accuracy_min, "min"),
        ("f1", p.f1_min, "min"),
        ("roc_auc", p.roc_auc_min, "min"),
        ("calibration_error", p.calibration_error_max, "max"),
        ("rmse", p.rmse_max, "max"),
        ("mae", p.mae_max, "max"),
    ]:
        value = perf.get(metric)
        if limit is None or value is None:
            continue
        if (value < limit) if side == "min" else (value > limit):
            breaches.append(
                _breach(
                    "performance",
                    metric,
                    round(value, 4),
                    limit,
                    "high",
                    f"{metric} {value:.3f} is past its limit {limit}",
                )
            )
    if p.max_drop is not None:
        for metric in ("accuracy", "f1", "roc_auc"):
            now, then = perf.get(metric), base.get(metric)
            if now is not None and then is not None and then - now > p.max_drop:
                breaches.append(
                    _breach(
                        "performance",
                        f"{metric}_drop",
                        round(then - now, 4),
                        p.max_drop,
                        "medium",
                        f"{metric} fell from {then:.3f} (reference) to {now:.3f}",
                    )
                )
    return breaches
