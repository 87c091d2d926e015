"""Known answers and agreement with scipy, scikit-learn and Fairlearn."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aims.monitor.drift import (
    DriftThresholds,
    chi_square,
    column_drift,
    jensen_shannon,
    ks,
    psi,
    wasserstein_normed,
)
from aims.monitor.fairness import GroupCounts, fairness_report
from aims.monitor.performance import ClassificationAccumulator, RegressionAccumulator
from aims.monitor.sketch import CategoricalSummary, NumericSummary, Reservoir


def _summaries(
    ref: np.ndarray, cur: np.ndarray, chunks: int = 1
) -> tuple[NumericSummary, NumericSummary]:
    res = Reservoir(size=200_000)
    res.add(ref)
    r = NumericSummary(edges=res.edges())
    c = r.empty_like()
    for part in np.array_split(ref, chunks):
        r.add(part)
    for part in np.array_split(cur, chunks):
        c.add(part)
    return r, c


def test_psi_known_answer() -> None:
    ref = np.array([25.0, 25, 25, 25])
    cur = np.array([10.0, 20, 30, 40])
    expected = sum((c - r) * np.log(c / r) for r, c in zip(ref / 100, cur / 100, strict=True))
    assert psi(ref, cur) == pytest.approx(expected)
    assert psi(ref, ref) == 0.0


def test_jensen_shannon_matches_scipy() -> None:
    from scipy.spatial.distance import jensenshannon

    a, b = np.array([10.0, 0, 5, 7]), np.array([1.0, 4, 9, 2])
    assert jensen_shannon(a, b) == pytest.approx(jensenshannon(a, b, base=2))


def test_chi_square_matches_scipy() -> None:
    from scipy.stats import chi2_contingency

    a, b = np.array([30.0, 50, 20]), np.array([45.0, 35, 20])
    stat, p = chi_square(a, b)
    ref_stat, ref_p, _, _ = chi2_contingency(np.vstack([a, b]), correction=False)
    assert stat == pytest.approx(ref_stat) and p == pytest.approx(ref_p)


@pytest.mark.parametrize("shift", [0.0, 0.05, 0.3])
def test_binned_ks_and_wasserstein_agree_with_scipy(shift: float) -> None:
    from scipy.stats import ks_2samp, wasserstein_distance

    rng = np.random.default_rng(1)
    ref, cur = rng.normal(0, 1, 20_000), rng.normal(shift, 1, 20_000)
    r, c = _summaries(ref, cur, chunks=7)
    stat, p, bound = ks(r, c)
    exact = ks_2samp(ref, cur)
    assert exact.statistic - bound - 1e-12 <= stat <= exact.statistic + 1e-12
    assert abs(stat - exact.statistic) < 0.01
    w = wasserstein_normed(r, c)
    assert w == pytest.approx(wasserstein_distance(ref, cur) / ref.std(), abs=0.01)


def test_chunked_summaries_equal_one_pass() -> None:
    rng = np.random.default_rng(3)
    data = rng.exponential(2.0, 10_000)
    one, _ = _summaries(data, data, chunks=1)
    many, _ = _summaries(data, data, chunks=13)
    assert np.array_equal(one.counts, many.counts) and one.mean == pytest.approx(many.mean)
    restored = NumericSummary.from_dict(one.to_dict())
    assert np.array_equal(restored.counts, one.counts) and restored.std == pytest.approx(one.std)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=False, width=32), max_size=300))
def test_summaries_never_raise_and_count_every_value(values: list[float]) -> None:
    arr = np.array(values, dtype=np.float64)
    res = Reservoir(size=50)
    res.add(arr)
    s = NumericSummary(edges=res.edges())
    s.add(arr)
    assert s.n + s.missing == len(values) and int(s.counts.sum()) == s.n


def test_injected_drift_is_flagged_and_stable_data_is_not() -> None:
    rng = np.random.default_rng(7)
    t = DriftThresholds()
    r, c = _summaries(rng.normal(0, 1, 50_000), rng.normal(0.5, 1.3, 50_000))
    assert column_drift("x", r, c, t)["drifted"]
    r, c = _summaries(rng.normal(0, 1, 50_000), rng.normal(0, 1, 50_000))
    assert not column_drift("x", r, c, t)["drifted"]
    cat_r, cat_c = CategoricalSummary(), CategoricalSummary()
    cat_r.add(rng.choice(["a", "b", "c"], 20_000, p=[0.5, 0.3, 0.2]))
    cat_c.add(rng.choice(["a", "b", "c"], 20_000, p=[0.2, 0.3, 0.5]))
    result = column_drift("cat", cat_r, cat_c, t)
    assert result["drifted"] and result["method"] == "jensen-shannon"


def test_false_alarm_rate_over_200_seeds() -> None:
    """Unchanged data: how often does each decision rule cry wolf? (Stated in docs/monitor.md.)"""
    t = DriftThresholds()
    column_alarms = dataset_alarms = 0
    for seed in range(200):
        rng = np.random.default_rng(seed)
        results = []
        for _ in range(4):  # four numeric columns, 500 rows: the small-sample (KS) path
            r, c = _summaries(rng.normal(0, 1, 2000), rng.normal(0, 1, 500))
            results.append(column_drift("x", r, c, t)["drifted"])
        column_alarms += sum(results)
        dataset_alarms += sum(results) / len(results) >= t.drift_share
    assert column_alarms / 800 < 0.08  # about the 5% a p < 0.05 test allows
    assert dataset_alarms / 200 < 0.02


def _fairness_data(seed: int = 0, n: int = 3000):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    group = rng.choice(["A", "B", "C"], n, p=[0.5, 0.3, 0.2])
    y_true = rng.random(n) < 0.5
    y_pred = rng.random(n) < np.where(group == "B", 0.3, 0.55) + 0.2 * y_true
    return group, y_true, y_pred


def test_fairness_agrees_with_fairlearn() -> None:
    from fairlearn.metrics import (
        demographic_parity_difference,
        demographic_parity_ratio,
        equal_opportunity_difference,
        equalized_odds_difference,
    )

    group, y_true, y_pred = _fairness_data()
    counts = GroupCounts(("group",))
    for part in np.array_split(np.arange(len(group)), 5):
        counts.add([group[part]], y_pred[part], y_true[part])
    report = fairness_report(counts, has_labels=True, bootstrap=50)
    m = {k: v["value"] for k, v in report["metrics"].items()}
    kw = {"sensitive_features": group}
    assert m["demographic_parity_difference"] == pytest.approx(
        demographic_parity_difference(y_true, y_pred, **kw)
    )
    assert m["demographic_parity_ratio"] == pytest.approx(
        demographic_parity_ratio(y_true, y_pred, **kw)
    )
    assert m["equalized_odds_difference"] == pytest.approx(
        equalized_odds_difference(y_true, y_pred, **kw)
    )
    assert m["equal_opportunity_difference"] == pytest.approx(
        equal_opportunity_difference(y_true, y_pred, **kw)
    )
    low, high = report["metrics"]["demographic_parity_ratio"]["ci95"]
    assert low < m["demographic_parity_ratio"] < high


def test_encoded_and_plain_group_counts_agree() -> None:
    group, y_true, y_pred = _fairness_data(1)
    plain = GroupCounts(("group",))
    plain.add([group], y_pred, y_true)
    values = sorted(set(group.tolist()))
    codes = np.array([values.index(g) for g in group])
    encoded = GroupCounts(("group",))
    encoded.add_encoded([(codes, values)], y_pred, y_true)
    assert {k: v.tolist() for k, v in plain.counts.items()} == {
        k: v.tolist() for k, v in encoded.counts.items()
    }


def test_small_groups_are_marked_unreliable() -> None:
    counts = GroupCounts(("g",))
    counts.add([np.array(["big"] * 500 + ["tiny"] * 10)], np.arange(510) % 2 == 0, None)
    report = fairness_report(counts, has_labels=False, min_group_size=30)
    assert report["unreliable_groups"] == [{"g": "tiny"}] and report["reliable"] is False


def test_performance_agrees_with_scikit_learn() -> None:
    from sklearn.metrics import (
        accuracy_score,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    rng = np.random.default_rng(5)
    y = rng.random(5000) < 0.4
    scores = np.clip(0.3 * y + rng.normal(0.35, 0.2, 5000), 0, 1)
    pred = scores >= 0.5
    acc = ClassificationAccumulator()
    for part in np.array_split(np.arange(5000), 4):
        acc.add(pred[part], y[part], scores[part])
    m = acc.metrics()
    assert m["accuracy"] == pytest.approx(accuracy_score(y, pred))
    assert m["precision"] == pytest.approx(precision_score(y, pred))
    assert m["recall"] == pytest.approx(recall_score(y, pred))
    assert m["f1"] == pytest.approx(f1_score(y, pred))
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, scores), abs=1e-3)
    # ECE by hand on ten bins.
    bins = np.minimum((scores * 10).astype(int), 9)
    ece = sum(
        (bins == b).mean() * abs(y[bins == b].mean() - scores[bins == b].mean())
        for b in range(10)
        if (bins == b).any()
    )
    assert m["calibration_error"] == pytest.approx(ece)


def test_regression_metrics() -> None:
    acc = RegressionAccumulator()
    acc.add(np.array([1.0, 2, 3, np.nan]), np.array([2.0, 2, 5, 1]))
    assert acc.metrics() == {
        "rows": 3,
        "mae": pytest.approx(1.0),
        "rmse": pytest.approx(np.sqrt(5 / 3)),
    }
