"""Group fairness from streamed confusion counts per group, with bootstrap confidence intervals.

Every metric depends only on the per-group counts of (prediction, label) cells, so the data is
streamed once and the counts merge across chunks. A row bootstrap is exactly a multinomial draw
of those cell counts, which gives confidence intervals without keeping any row.

Definitions follow Fairlearn: selection rate = share predicted positive; demographic parity
difference = max - min selection rate, ratio = min / max (the four-fifths rule asks for >= 0.8);
equal opportunity difference = max - min true positive rate; equalized odds difference = the larger
of the TPR and FPR differences; predictive parity difference = max - min precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

CELLS = ("tp", "fp", "fn", "tn")


@dataclass
class GroupCounts:
    """Confusion-cell counts per group key (a tuple of sensitive values)."""

    attributes: tuple[str, ...]
    counts: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    """Group -> [tp, fp, fn, tn]; without labels, predicted positives are in tp, negatives in tn."""

    def add(
        self, groups: list[np.ndarray], pred_pos: np.ndarray, label_pos: np.ndarray | None
    ) -> None:
        """Count a chunk: one array of group values per attribute, boolean predictions/labels."""
        keys = np.stack([np.asarray(g, dtype=object).astype(str) for g in groups], axis=1)
        if label_pos is None:
            cell = np.where(pred_pos, 0, 3)
        else:
            cell = np.where(pred_pos, np.where(label_pos, 0, 1), np.where(label_pos, 2, 3))
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        flat = np.bincount(inverse * 4 + cell, minlength=len(uniq) * 4).reshape(len(uniq), 4)
        for key, row in zip(uniq.tolist(), flat, strict=True):
            k = tuple(key)
            self.counts[k] = self.counts.get(k, np.zeros(4, dtype=np.int64)) + row

    def add_encoded(
        self,
        codes: list[tuple[np.ndarray, list[str]]],
        pred_pos: np.ndarray,
        label_pos: np.ndarray | None,
    ) -> None:
        """Count a chunk whose group columns are dictionary-encoded: (indices, values) each.

        Much faster than `add` for large chunks: one integer key per row and one bincount.
        """
        if label_pos is None:
            cell = np.where(pred_pos, 0, 3)
        else:
            cell = np.where(pred_pos, np.where(label_pos, 0, 1), np.where(label_pos, 2, 3))
        key = np.zeros(len(pred_pos), dtype=np.int64)
        sizes = []
        for indices, values in codes:
            size = len(values) + 1  # one extra slot for missing values
            idx = np.where(indices < 0, len(values), indices).astype(np.int64)
            key = key * size + idx
            sizes.append(size)
        total = int(np.prod(sizes)) if sizes else 1
        flat = np.bincount(key * 4 + cell, minlength=total * 4).reshape(total, 4)
        for combined in np.flatnonzero(flat.sum(axis=1)):
            parts = []
            rest = int(combined)
            for (_, values), size in zip(reversed(codes), reversed(sizes), strict=True):
                i = rest % size
                rest //= size
                parts.append(values[i] if i < len(values) else "(missing)")
            k = tuple(reversed(parts))
            self.counts[k] = self.counts.get(k, np.zeros(4, dtype=np.int64)) + flat[combined]

    def merge(self, other: GroupCounts) -> None:
        """Add another chunk's counts."""
        for key, row in other.counts.items():
            self.counts[key] = self.counts.get(key, np.zeros(4, dtype=np.int64)) + row

    def project(self, attribute_index: int) -> GroupCounts:
        """Counts grouped by one attribute only."""
        out = GroupCounts(attributes=(self.attributes[attribute_index],))
        for key, row in self.counts.items():
            k = (key[attribute_index],)
            out.counts[k] = out.counts.get(k, np.zeros(4, dtype=np.int64)) + row
        return out


def _rates(c: np.ndarray) -> dict[str, float]:
    tp, fp, fn, tn = (float(x) for x in c)
    n = tp + fp + fn + tn

    def div(a: float, b: float) -> float:
        return a / b if b else float("nan")

    return {
        "n": n,
        "selection_rate": div(tp + fp, n),
        "tpr": div(tp, tp + fn),
        "fpr": div(fp, fp + tn),
        "precision": div(tp, tp + fp),
        "accuracy": div(tp + tn, n),
    }


def _spread(values: list[float]) -> float:
    vals = [v for v in values if not np.isnan(v)]
    return max(vals) - min(vals) if len(vals) >= 2 else float("nan")


def _metrics(matrix: np.ndarray, has_labels: bool) -> dict[str, float]:
    rates = [_rates(row) for row in matrix]
    sel = [r["selection_rate"] for r in rates]
    valid_sel = [s for s in sel if not np.isnan(s)]
    out = {
        "demographic_parity_difference": _spread(sel),
        "demographic_parity_ratio": (
            min(valid_sel) / max(valid_sel)
            if len(valid_sel) >= 2 and max(valid_sel) > 0
            else float("nan")
        ),
    }
    if has_labels:
        tpr = _spread([r["tpr"] for r in rates])
        fpr = _spread([r["fpr"] for r in rates])
        out["equal_opportunity_difference"] = tpr
        out["equalized_odds_difference"] = (
            max(tpr, fpr) if not np.isnan(tpr + fpr) else float("nan")
        )
        out["predictive_parity_difference"] = _spread([r["precision"] for r in rates])
    return out


def fairness_report(
    counts: GroupCounts,
    *,
    has_labels: bool,
    min_group_size: int = 30,
    bootstrap: int = 200,
    seed: int = 0,
) -> dict[str, Any]:
    """Per-group rates and the disparity metrics, with bootstrap 95% intervals.

    Groups smaller than `min_group_size` are listed as unreliable and left out of the metrics;
    a metric with fewer than two reliable groups is reported as None and `reliable: false`.
    """
    groups = sorted(counts.counts)
    per_group = []
    reliable_rows = []
    for key in groups:
        row = counts.counts[key]
        rates = _rates(row)
        ok = rates["n"] >= min_group_size
        per_group.append(
            {
                "group": dict(zip(counts.attributes, key, strict=True)),
                "reliable": ok,
                **{k: (None if np.isnan(v) else v) for k, v in rates.items()},
            }
        )
        if ok:
            reliable_rows.append(row)
    result: dict[str, Any] = {
        "attributes": list(counts.attributes),
        "groups": per_group,
        "min_group_size": min_group_size,
        "unreliable_groups": [g["group"] for g in per_group if not g["reliable"]],
        "metrics": {},
    }
    if len(reliable_rows) < 2:
        result["reliable"] = False
        return result
    matrix = np.array(reliable_rows, dtype=np.int64)
    point = _metrics(matrix, has_labels)
    rng = np.random.default_rng(seed)
    total = int(matrix.sum())
    probs = (matrix / total).reshape(-1)
    draws = rng.multinomial(total, probs, size=bootstrap).reshape(bootstrap, *matrix.shape)
    samples: dict[str, list[float]] = {k: [] for k in point}
    for draw in draws:
        for k, v in _metrics(draw, has_labels).items():
            samples[k].append(v)
    for name, value in point.items():
        values = np.array([v for v in samples[name] if not np.isnan(v)])
        ci = (
            [float(np.quantile(values, 0.025)), float(np.quantile(values, 0.975))]
            if values.size
            else None
        )
        result["metrics"][name] = {
            "value": None if np.isnan(value) else float(value),
            "ci95": ci,
        }
    result["reliable"] = True
    return result
