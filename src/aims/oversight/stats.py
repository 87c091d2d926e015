"""Automation-bias statistics from the log: how much is reviewed, approved, overridden, and how fast."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aims.ledger.store import LogStore


def _seconds_between(start: str, end: str) -> float | None:
    try:
        a = datetime.fromisoformat(start.replace("Z", "+00:00"))
        b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    return (b - a).total_seconds()


@dataclass(slots=True)
class _Counts:
    decisions: int = 0
    routed: int = 0
    reviews: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    times: list[float] = field(default_factory=list)

    def summary(self, fast_seconds: float) -> dict[str, Any]:
        reviews = self.reviews
        fast = sum(1 for t in self.times if t < fast_seconds)
        out: dict[str, Any] = {
            "reviews": reviews,
            "approval_rate": self.verdicts["approve"] / reviews if reviews else None,
            "override_rate": self.verdicts["override"] / reviews if reviews else None,
            "escalation_rate": self.verdicts["escalate"] / reviews if reviews else None,
            "median_review_seconds": statistics.median(self.times) if self.times else None,
            "fast_review_share": fast / len(self.times) if self.times else None,
        }
        return out


def oversight_stats(store: LogStore, *, fast_seconds: float = 10.0) -> dict[str, Any]:
    """Return per-system and per-reviewer oversight statistics computed from the log.

    `fast_review_share` is the share of reviews completed in under `fast_seconds`: a high share
    with a near-100% approval rate is the classic sign of automation bias (rubber-stamping).
    """
    systems: dict[str, _Counts] = defaultdict(_Counts)
    reviewers: dict[str, _Counts] = defaultdict(_Counts)
    events: list[dict[str, Any]] = []
    pruned = 0
    for entry in store.iter_entries():
        record = entry.record()
        if record is None:
            pruned += 1
            continue
        data = record.get("data", {})
        if entry.kind == "decision":
            systems[entry.system].decisions += 1
            if data.get("review"):
                systems[entry.system].routed += 1
        elif entry.kind == "review":
            verdict = str(data.get("verdict"))
            seconds = _seconds_between(data.get("queued_at", ""), data.get("reviewed_at", ""))
            for counts in (systems[entry.system], reviewers[str(data.get("reviewer"))]):
                counts.reviews += 1
                counts.verdicts[verdict] += 1
                if seconds is not None:
                    counts.times.append(seconds)
        elif entry.kind in ("halt", "resume"):
            events.append(
                {
                    "index": entry.index,
                    "system": entry.system,
                    "event": entry.kind,
                    "at": entry.ts,
                    "by": data.get("by"),
                    "reason": data.get("reason"),
                }
            )
    result_systems = {}
    for name, counts in sorted(systems.items()):
        summary = counts.summary(fast_seconds)
        summary["decisions"] = counts.decisions
        summary["routed_to_review"] = counts.routed
        summary["reviewed_share"] = counts.reviews / counts.decisions if counts.decisions else None
        summary["kill_switch_events"] = sum(1 for e in events if e["system"] == name)
        result_systems[name] = summary
    return {
        "fast_seconds": fast_seconds,
        "systems": result_systems,
        "reviewers": {name: c.summary(fast_seconds) for name, c in sorted(reviewers.items())},
        "kill_switch_events": events,
        "pruned_entries": pruned,
    }
