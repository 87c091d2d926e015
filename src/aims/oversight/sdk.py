"""The oversight SDK: wrap each AI decision, honour the kill switch, queue reviews, record verdicts.

```python
ov = Oversight.open("credit-scoring", url="sqlite:///decisions.db", key_path=key,
                    model="gbm", model_version="3.1", rules=RoutingRules(confidence_below=0.7))
with ov.decision(input=applicant) as d:
    d.record(output=label, confidence=proba)
```
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from aims.errors import AimsError, UsageError
from aims.ledger.log import TransparencyLog
from aims.ledger.store import canonical_json, utcnow
from aims.oversight.queue import ReviewQueue
from aims.oversight.routing import RoutingRules

P = ParamSpec("P")
R = TypeVar("R")


class SystemHaltedError(AimsError):
    """Raised before a model call when the system's kill switch is engaged."""

    def __init__(self, system: str, reason: str, by: str, at: str) -> None:
        super().__init__(
            f"AI system {system!r} is halted since {at} by {by}: {reason}",
            hint=f"a person with authority must run `aims oversight resume {system}`",
        )
        self.system, self.reason, self.by, self.at = system, reason, by, at


class Verdict(StrEnum):
    """A human reviewer's verdict on a decision."""

    APPROVE = "approve"
    OVERRIDE = "override"
    ESCALATE = "escalate"

    def __str__(self) -> str:
        return self.value


def input_hash(value: Any) -> str:
    """SHA-256 of the canonical JSON of an input (or of its bytes / repr when not JSON)."""
    if isinstance(value, bytes):
        data = value
    else:
        try:
            data = canonical_json(value)
        except (TypeError, ValueError):
            data = repr(value).encode()
    return hashlib.sha256(data).hexdigest()


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        if hasattr(value, "tolist"):
            return _jsonable(value.tolist())
        return repr(value)
    return value


@dataclass(slots=True)
class Decision:
    """One decision being recorded; filled in by the caller inside `Oversight.decision()`."""

    decision_id: str
    input_hash: str
    caller: str | None
    started: float
    started_at: str
    payload: Any = None
    output: Any = None
    confidence: float | None = None
    recorded: bool = False
    index: int | None = None
    """Log index, set when the decision is written."""
    review_reason: str | None = None
    """Why it was routed to human review (None when it was not)."""
    extra: dict[str, Any] = field(default_factory=dict)

    def record(self, *, output: Any, confidence: float | None = None, **extra: Any) -> None:
        """Set the model's output and confidence (and any extra JSON-able facts)."""
        self.output = output
        self.confidence = None if confidence is None else float(confidence)
        self.extra.update(extra)
        self.recorded = True

    @property
    def needs_review(self) -> bool:
        """True when routing sent this decision to the human review queue."""
        return self.review_reason is not None


class Oversight:
    """Oversight of one AI system: decisions, kill switch and reviews, all in the signed log."""

    def __init__(
        self,
        system: str,
        log: TransparencyLog,
        *,
        model: str = "",
        model_version: str = "",
        rules: RoutingRules | None = None,
        redact: Callable[[Any], Any] | None = None,
        checkpoint_every: int = 1000,
        checkpoint_interval: float = 60.0,
    ) -> None:
        if not system:
            raise UsageError("an AI system ID is required")
        self.system = system
        self.log = log
        self.model = model
        self.model_version = model_version
        self.rules = rules or RoutingRules()
        self.redact = redact
        self.checkpoint_every = checkpoint_every
        self.checkpoint_interval = checkpoint_interval
        self.queue = ReviewQueue(log.store.engine)
        self._since_checkpoint = 0
        self._last_checkpoint = time.monotonic()

    @classmethod
    def open(
        cls,
        system: str,
        *,
        url: str,
        key_path: str | Path | None = None,
        **options: Any,
    ) -> Oversight:
        """Open the log at `url` (SQLAlchemy URL) with the signing key file at `key_path`."""
        log = TransparencyLog.open(url, key_path=Path(key_path) if key_path else None)
        return cls(system, log, **options)

    # -- kill switch ---------------------------------------------------------------------------

    def _switch_key(self) -> str:
        return f"switch:{self.system}"

    def switch_state(self) -> dict[str, Any] | None:
        """Return the kill switch state (`halted`, `reason`, `by`, `at`), or None if never set."""
        raw = self.log.store.get_meta(self._switch_key())
        return None if raw is None else dict(json.loads(raw))

    def is_halted(self) -> bool:
        """True when the kill switch is engaged."""
        state = self.switch_state()
        return bool(state and state.get("halted"))

    def check(self) -> None:
        """Raise `SystemHaltedError` when the kill switch is engaged."""
        state = self.switch_state()
        if state and state.get("halted"):
            raise SystemHaltedError(self.system, state["reason"], state["by"], state["at"])

    def halt(self, reason: str, by: str) -> int:
        """Engage the kill switch; the flip is recorded in the log. Returns its log index."""
        return self._flip(halted=True, reason=reason, by=by)

    def resume(self, reason: str, by: str) -> int:
        """Release the kill switch; the flip is recorded in the log. Returns its log index."""
        return self._flip(halted=False, reason=reason, by=by)

    def _flip(self, *, halted: bool, reason: str, by: str) -> int:
        if not reason.strip() or not by.strip():
            raise UsageError("a kill-switch change needs a reason and the name of who made it")
        kind = "halt" if halted else "resume"
        [index] = self.log.append([(kind, self.system, {"reason": reason, "by": by})])
        state = {"halted": halted, "reason": reason, "by": by, "at": utcnow(), "index": index}
        self.log.store.set_meta(self._switch_key(), json.dumps(state))
        self.log.checkpoint()
        return index

    # -- decisions -----------------------------------------------------------------------------

    @contextmanager
    def decision(
        self, *, input: Any, caller: str | None = None, payload: Any = None
    ) -> Iterator[Decision]:
        """Wrap one model call: checks the kill switch, then records the decision on exit.

        `input` is hashed, never stored; `payload` (optionally passed through the `redact`
        function) is stored when given. An exception inside the block is recorded as an errored
        decision and re-raised.
        """
        self.check()
        decision = Decision(
            decision_id=uuid.uuid4().hex,
            input_hash=input_hash(input),
            caller=caller,
            started=time.perf_counter(),
            started_at=utcnow(),
            payload=payload,
        )
        error: BaseException | None = None
        try:
            yield decision
        except BaseException as exc:
            error = exc
            raise
        finally:
            self._write(decision, error)

    def _write(self, decision: Decision, error: BaseException | None) -> None:
        latency_ms = (time.perf_counter() - decision.started) * 1000.0
        if error is None:
            decision.review_reason = self.rules.reason(decision.decision_id, decision.confidence)
        payload = decision.payload
        if payload is not None and self.redact is not None:
            payload = self.redact(payload)
        data: dict[str, Any] = {
            "decision_id": decision.decision_id,
            "model": self.model,
            "model_version": self.model_version,
            "input_hash": decision.input_hash,
            "output": _jsonable(decision.output),
            "confidence": decision.confidence,
            "latency_ms": round(latency_ms, 3),
            "started_at": decision.started_at,
            "caller": decision.caller,
            "review": decision.review_reason,
        }
        if payload is not None:
            data["payload"] = _jsonable(payload)
        if decision.extra:
            data["extra"] = _jsonable(decision.extra)
        if error is not None:
            data["error"] = type(error).__name__
        [index] = self.log.append([("decision", self.system, data)])
        decision.index = index
        if decision.review_reason is not None:
            self.queue.enqueue(
                index=index,
                system=self.system,
                decision_id=decision.decision_id,
                reason=decision.review_reason,
            )
        self._maybe_checkpoint(1)

    def _maybe_checkpoint(self, added: int) -> None:
        self._since_checkpoint += added
        due = time.monotonic() - self._last_checkpoint >= self.checkpoint_interval
        if self._since_checkpoint >= self.checkpoint_every or due:
            self.log.checkpoint()
            self._since_checkpoint = 0
            self._last_checkpoint = time.monotonic()

    def guard(
        self,
        confidence: Callable[[Any], float | None] | None = None,
        *,
        caller: str | None = None,
    ) -> Callable[[Callable[P, R]], Callable[P, R]]:
        """Decorate a model call so every call is checked against the kill switch and recorded.

        `confidence(result)` extracts the confidence from the function's result.
        """

        def wrap(func: Callable[P, R]) -> Callable[P, R]:
            @functools.wraps(func)
            def inner(*args: P.args, **kwargs: P.kwargs) -> R:
                with self.decision(
                    input={"args": _jsonable(list(args)), "kwargs": _jsonable(kwargs)},
                    caller=caller or func.__qualname__,
                ) as d:
                    result = func(*args, **kwargs)
                    d.record(output=result, confidence=confidence(result) if confidence else None)
                return result

            return inner

        return wrap

    # -- reviews -------------------------------------------------------------------------------

    def review(
        self,
        decision_index: int,
        *,
        reviewer: str,
        verdict: Verdict | str,
        rationale: str = "",
        corrected_output: Any = None,
    ) -> int:
        """Record a human verdict on a queued decision; returns the verdict's log index.

        An override needs a rationale and the corrected output; every verdict needs a reviewer.
        """
        verdict = Verdict(verdict)
        if not reviewer.strip():
            raise UsageError("a review needs the reviewer's identity")
        if verdict is Verdict.OVERRIDE and (not rationale.strip() or corrected_output is None):
            raise UsageError("an override needs a rationale and the corrected output")
        item = self.queue.get(decision_index)
        if item is None or item["system"] != self.system:
            raise UsageError(f"decision {decision_index} is not in {self.system}'s review queue")
        if item["status"] != "pending":
            raise UsageError(f"decision {decision_index} was already reviewed ({item['status']})")
        now = utcnow()
        data = {
            "decision_index": decision_index,
            "decision_id": item["decision_id"],
            "reviewer": reviewer,
            "verdict": verdict.value,
            "rationale": rationale,
            "corrected_output": _jsonable(corrected_output),
            "queued_at": item["queued_at"],
            "reviewed_at": now,
        }
        [index] = self.log.append([("review", self.system, data)])
        self.queue.resolve(decision_index, verdict=verdict.value, reviewer=reviewer, at=now)
        self._maybe_checkpoint(1)
        return index

    def pending(self) -> list[dict[str, Any]]:
        """Return this system's decisions waiting for review, oldest first."""
        return self.queue.pending(self.system)

    def close(self) -> None:
        """Issue a final checkpoint and release the database."""
        self.log.checkpoint()
        self.log.close()

    def __enter__(self) -> Oversight:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
