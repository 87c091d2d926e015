"""The oversight SDK: decisions, routing, the kill switch, reviews and statistics."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.errors import UsageError
from aims.ledger.checkpoint import Signer
from aims.ledger.log import TransparencyLog
from aims.ledger.store import LogStore
from aims.ledger.verify import verify_store
from aims.oversight import Oversight, RoutingRules, SystemHaltedError, Verdict
from aims.oversight.stats import oversight_stats

SIGNER = Signer.generate("aims.test/oversight")


@pytest.fixture
def ov(tmp_path: Path) -> Oversight:
    log = TransparencyLog(LogStore.open(f"sqlite:///{tmp_path / 'o.db'}"), SIGNER)
    return Oversight(
        "credit-scoring",
        log,
        model="gbm",
        model_version="3.1",
        rules=RoutingRules(confidence_below=0.7),
        checkpoint_every=5,
    )


def test_decision_is_recorded_with_hash_not_input(ov: Oversight) -> None:
    with ov.decision(input={"income": 52000, "name": "Ada"}, caller="api") as d:
        d.record(output="approve", confidence=0.93)
    entry = ov.log.store.entry(d.index or 0)
    assert entry is not None and entry.kind == "decision"
    record = entry.record() or {}
    data = record["data"]
    assert data["output"] == "approve" and data["confidence"] == 0.93
    assert data["model"] == "gbm" and data["model_version"] == "3.1" and data["caller"] == "api"
    assert len(data["input_hash"]) == 64 and b"Ada" not in (entry.payload or b"")
    assert data["review"] is None and not d.needs_review


def test_low_confidence_goes_to_review_and_verdicts_are_logged(ov: Oversight) -> None:
    with ov.decision(input=1) as low:
        low.record(output="deny", confidence=0.41)
    assert low.needs_review and "0.410 below 0.700" in (low.review_reason or "")
    assert [p["decision_index"] for p in ov.pending()] == [low.index]
    with pytest.raises(UsageError, match="rationale"):
        ov.review(low.index or 0, reviewer="ana", verdict=Verdict.OVERRIDE)
    index = ov.review(
        low.index or 0,
        reviewer="ana",
        verdict="override",
        rationale="income proof was missed",
        corrected_output="approve",
    )
    verdict = (ov.log.store.entry(index).record() or {})["data"]  # type: ignore[union-attr]
    assert verdict["verdict"] == "override" and verdict["corrected_output"] == "approve"
    assert ov.pending() == []
    with pytest.raises(UsageError, match="already reviewed"):
        ov.review(low.index or 0, reviewer="ana", verdict="approve")


def test_kill_switch_blocks_calls_and_every_flip_is_logged(ov: Oversight) -> None:
    calls = []

    @ov.guard(confidence=lambda r: r[1])
    def predict(x: int) -> tuple[str, float]:
        calls.append(x)
        return ("ok", 0.99)

    predict(1)
    ov.halt("drift alarm on income", by="risk-officer")
    with pytest.raises(SystemHaltedError, match="halted .* by risk-officer: drift alarm"):
        predict(2)
    assert calls == [1]
    ov.resume("model retrained", by="risk-officer")
    predict(3)
    assert calls == [1, 3]
    kinds = [e.kind for e in ov.log.store.iter_entries()]
    assert kinds == ["decision", "halt", "resume", "decision"]
    with pytest.raises(UsageError):
        ov.halt("", by="x")


def test_errors_inside_the_block_are_recorded_and_reraised(ov: Oversight) -> None:
    with pytest.raises(ZeroDivisionError), ov.decision(input=0):
        1 / 0  # noqa: B018
    entry = next(iter(ov.log.store.iter_entries()))
    assert (entry.record() or {})["data"]["error"] == "ZeroDivisionError"


def test_sampling_is_deterministic_and_close_to_the_rate() -> None:
    rules = RoutingRules(sample_rate=0.2)
    picked = [rules.reason(f"d{i}", 0.99) is not None for i in range(5000)]
    assert picked == [rules.reason(f"d{i}", 0.99) is not None for i in range(5000)]
    assert 0.17 < sum(picked) / 5000 < 0.23
    assert RoutingRules(review_tiers=frozenset({"high-risk"}), risk_tier="high-risk").reason(
        "x", 0.99
    )


def test_stats_measure_review_share_rates_and_speed(ov: Oversight) -> None:
    for c in (0.2, 0.3, 0.4, 0.9, 0.95):
        with ov.decision(input=c) as d:
            d.record(output="x", confidence=c)
    pending = [p["decision_index"] for p in ov.pending()]
    ov.review(pending[0], reviewer="ana", verdict="approve")
    ov.review(pending[1], reviewer="ana", verdict="approve")
    ov.review(pending[2], reviewer="bo", verdict="escalate", rationale="unclear")
    ov.halt("test", by="me")
    stats = oversight_stats(ov.log.store, fast_seconds=60)
    system = stats["systems"]["credit-scoring"]
    assert system["decisions"] == 5 and system["routed_to_review"] == 3
    assert system["reviewed_share"] == pytest.approx(3 / 5)
    assert system["approval_rate"] == pytest.approx(2 / 3)
    assert system["fast_review_share"] == 1.0 and system["kill_switch_events"] == 1
    assert stats["reviewers"]["ana"]["approval_rate"] == 1.0
    assert stats["reviewers"]["bo"]["escalation_rate"] == 1.0


def test_checkpoints_are_per_batch_not_per_record(ov: Oversight) -> None:
    for i in range(12):
        with ov.decision(input=i) as d:
            d.record(output=i, confidence=0.99)
    assert [c.size for c in ov.log.store.checkpoints_list()] == [5, 10]
    ov.close()
    store = LogStore.open(ov.log.store.url)
    report = verify_store(store, [SIGNER.verifier])
    assert report.ok and report.checkpoints == 3 and report.uncovered == 0
