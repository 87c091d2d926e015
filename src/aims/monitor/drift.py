"""Drift statistics between a reference and a current summary of the same column.

All statistics are computed from the mergeable summaries in `sketch.py`, never from raw rows:

- **PSI** on ten bins at the reference deciles: sum((c - r) * ln(c / r)), empty bins floored at
  1e-4.
- **Kolmogorov–Smirnov** statistic: the largest gap between the two CDFs at the reference's
  1000 quantile edges. It can only under-estimate the exact statistic, by at most the largest
  probability mass that either data set puts inside one fine bin (reported as `ks_error_bound`);
  the p-value uses the asymptotic Kolmogorov distribution.
- **Normalised Wasserstein** (earth mover's) distance: the integral of |F_ref - F_cur| over the
  fine bins, divided by the reference standard deviation.
- **Jensen–Shannon distance** (base 2, in [0, 1]) on the decile bins or the categories.
- **Chi-square** test of homogeneity on the decile bins or the categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from aims.monitor.sketch import CategoricalSummary, ColumnSummary, NumericSummary

PSI_FLOOR = 1e-4
COARSE_BINS = 10


@dataclass(frozen=True)
class DriftThresholds:
    """When a column counts as drifted (documented defaults; overridable in monitor.yaml)."""

    small_sample: int = 1000
    """At or below this many current rows, hypothesis tests decide (KS, chi-square)."""
    p_value: float = 0.05
    wasserstein: float = 0.1
    """Normalised Wasserstein distance above which a numeric column drifted (large samples)."""
    jensen_shannon: float = 0.1
    """Jensen–Shannon distance above which a categorical column drifted (large samples)."""
    psi: float = 0.2
    drift_share: float = 0.5
    """Share of drifted columns at which the data set as a whole counts as drifted."""


def _coarse(ref: NumericSummary, cur: NumericSummary) -> tuple[np.ndarray, np.ndarray]:
    """Merge fine bins into ~10 bins holding equal reference mass."""
    cum = np.cumsum(ref.counts) / max(1, ref.counts.sum())
    groups = np.minimum((cum * COARSE_BINS - 1e-9).astype(int), COARSE_BINS - 1)
    groups = np.maximum(groups, 0)
    r = np.bincount(groups, weights=ref.counts, minlength=COARSE_BINS)
    c = np.bincount(groups, weights=cur.counts, minlength=COARSE_BINS)
    return r, c


def psi(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    """Population stability index between two count vectors over the same bins."""
    r = np.maximum(ref_counts / max(1.0, ref_counts.sum()), PSI_FLOOR)
    c = np.maximum(cur_counts / max(1.0, cur_counts.sum()), PSI_FLOOR)
    return float(np.sum((c - r) * np.log(c / r)))


def jensen_shannon(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    """Jensen–Shannon distance (base 2) between two count vectors over the same bins."""
    if ref_counts.sum() == 0 or cur_counts.sum() == 0:
        return float("nan")
    p = ref_counts / ref_counts.sum()
    q = cur_counts / cur_counts.sum()
    m = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        nz = a > 0
        return float(np.sum(a[nz] * np.log2(a[nz] / m[nz])))

    return float(np.sqrt(max(0.0, (kl(p) + kl(q)) / 2)))


def chi_square(ref_counts: np.ndarray, cur_counts: np.ndarray) -> tuple[float, float]:
    """Chi-square test of homogeneity (no continuity correction); returns (statistic, p-value)."""
    from scipy.special import chdtrc

    table = np.vstack([ref_counts, cur_counts]).astype(float)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        return 0.0, 1.0
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    stat = float(np.sum((table - expected) ** 2 / expected))
    dof = table.shape[1] - 1
    return stat, float(chdtrc(dof, stat))


def ks(ref: NumericSummary, cur: NumericSummary) -> tuple[float, float, float]:
    """Binned two-sample KS statistic, its asymptotic p-value, and the binning error bound."""
    from scipy.special import kolmogorov

    n, m = ref.counts.sum(), cur.counts.sum()
    if n == 0 or m == 0:
        return float("nan"), float("nan"), float("nan")
    fr = np.cumsum(ref.counts) / n
    fc = np.cumsum(cur.counts) / m
    stat = float(np.max(np.abs(fr - fc)))
    bound = float(max(np.max(ref.counts) / n, np.max(cur.counts) / m))
    en = np.sqrt(n * m / (n + m))
    p = float(kolmogorov(en * stat))  # the asymptotic Kolmogorov survival function
    return stat, p, bound


def wasserstein_normed(ref: NumericSummary, cur: NumericSummary) -> float:
    """Wasserstein-1 distance from the binned CDFs, divided by the reference std."""
    n, m = ref.counts.sum(), cur.counts.sum()
    if n == 0 or m == 0:
        return float("nan")
    lo = min(ref.minimum, cur.minimum)
    hi = max(ref.maximum, cur.maximum)
    # Bin boundaries: [lo, e0], (e0, e1], ..., (e_k, hi]; clamp edges into the observed range.
    bounds = np.concatenate([[lo], np.clip(ref.edges, lo, hi), [hi]])
    widths = np.diff(bounds)
    fr = np.cumsum(ref.counts) / n
    fc = np.cumsum(cur.counts) / m
    # Within a bin the CDF gap changes from the previous edge's to this edge's: use the mean.
    gap = np.abs(fr - fc)
    prev = np.concatenate([[0.0], gap[:-1]])
    distance = float(np.sum(widths * (gap + prev) / 2))
    std = ref.std
    if not std or np.isnan(std):
        return 0.0 if distance == 0 else float("inf")
    return distance / std


def column_drift(
    name: str, ref: ColumnSummary, cur: ColumnSummary, thresholds: DriftThresholds
) -> dict[str, Any]:
    """Every drift statistic for one column, the method that decides, and the verdict."""
    result: dict[str, Any] = {"column": name, "reference_rows": ref.n, "current_rows": cur.n}
    small = cur.n <= thresholds.small_sample
    if isinstance(ref, NumericSummary) and isinstance(cur, NumericSummary):
        r, c = _coarse(ref, cur)
        stat, p, bound = ks(ref, cur)
        chi, chi_p = chi_square(r, c)
        result.update(
            kind="numeric",
            psi=psi(r, c),
            ks_statistic=stat,
            ks_p_value=p,
            ks_error_bound=bound,
            wasserstein_normed=wasserstein_normed(ref, cur),
            jensen_shannon=jensen_shannon(r, c),
            chi_square=chi,
            chi_square_p_value=chi_p,
            reference_mean=ref.mean,
            current_mean=cur.mean,
        )
        if small:
            result.update(method="ks", score=p, threshold=thresholds.p_value)
            result["drifted"] = bool(p < thresholds.p_value)
        else:
            w = result["wasserstein_normed"]
            result.update(method="wasserstein", score=w, threshold=thresholds.wasserstein)
            result["drifted"] = bool(w > thresholds.wasserstein)
    elif isinstance(ref, CategoricalSummary) and isinstance(cur, CategoricalSummary):
        keys = sorted(set(ref.counts) | set(cur.counts))
        r = np.array([ref.counts.get(k, 0) for k in keys], dtype=float)
        c = np.array([cur.counts.get(k, 0) for k in keys], dtype=float)
        chi, chi_p = chi_square(r, c)
        result.update(
            kind="categorical",
            psi=psi(r, c),
            jensen_shannon=jensen_shannon(r, c),
            chi_square=chi,
            chi_square_p_value=chi_p,
            new_categories=sorted(set(cur.counts) - set(ref.counts))[:20],
        )
        if small:
            result.update(method="chi-square", score=chi_p, threshold=thresholds.p_value)
            result["drifted"] = bool(chi_p < thresholds.p_value)
        else:
            js = result["jensen_shannon"]
            result.update(method="jensen-shannon", score=js, threshold=thresholds.jensen_shannon)
            result["drifted"] = bool(js > thresholds.jensen_shannon)
    else:
        result.update(kind="mismatch", drifted=True, method="type", score=None, threshold=None)
        result["note"] = "the column changed type between reference and current data"
    return result


def dataset_drift(columns: list[dict[str, Any]], thresholds: DriftThresholds) -> dict[str, Any]:
    """Share of drifted columns and whether the data set as a whole drifted."""
    drifted = [c["column"] for c in columns if c.get("drifted")]
    share = len(drifted) / len(columns) if columns else 0.0
    return {
        "columns": len(columns),
        "drifted_columns": drifted,
        "drift_share": share,
        "threshold": thresholds.drift_share,
        "drifted": bool(columns) and share >= thresholds.drift_share,
    }
