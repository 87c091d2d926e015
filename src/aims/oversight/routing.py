"""Routing rules: which decisions go to a human review queue, and why."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RoutingRules:
    """When a decision must be reviewed by a human.

    A decision is routed when its confidence is under `confidence_below`, when the system's risk
    tier is in `review_tiers`, or when it falls in the deterministic `sample_rate` sample (by a hash
    of the decision ID, so the same decision is always sampled the same way).
    """

    confidence_below: float | None = None
    review_tiers: frozenset[str] = field(default_factory=frozenset)
    risk_tier: str | None = None
    sample_rate: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.sample_rate <= 1.0:
            raise ValueError("sample_rate must be between 0 and 1")
        if self.confidence_below is not None and not 0.0 <= self.confidence_below <= 1.0:
            raise ValueError("confidence_below must be between 0 and 1")

    def reason(self, decision_id: str, confidence: float | None) -> str | None:
        """Return why this decision needs review, or None when it does not."""
        if (
            self.confidence_below is not None
            and confidence is not None
            and confidence < self.confidence_below
        ):
            return f"confidence {confidence:.3f} below {self.confidence_below:.3f}"
        if self.risk_tier is not None and self.risk_tier in self.review_tiers:
            return f"risk tier {self.risk_tier} requires human review"
        if self.sample_rate > 0.0:
            bucket = int.from_bytes(hashlib.sha256(decision_id.encode()).digest()[:8], "big")
            if bucket / 2**64 < self.sample_rate:
                return f"sampled for review at rate {self.sample_rate:g}"
        return None
