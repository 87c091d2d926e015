"""Model performance from streamed accumulators: classification and regression, overall and per group.

ROC AUC is computed from score histograms per class on 10,000 equal-width bins over [0, 1]
(scores outside are clipped): pairs within one bin count as ties, so the result differs from the
exact AUC by at most the share of positive-negative pairs that share a bin. Calibration error
(ECE) uses ten equal-width bins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

AUC_BINS = 10_000
ECE_BINS = 10


@dataclass
class ClassificationAccumulator:
    """Confusion counts, score histograms per class and calibration sums."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    pos_hist: np.ndarray = field(default_factory=lambda: np.zeros(AUC_BINS, dtype=np.int64))
    neg_hist: np.ndarray = field(default_factory=lambda: np.zeros(AUC_BINS, dtype=np.int64))
    ece_n: np.ndarray = field(default_factory=lambda: np.zeros(ECE_BINS, dtype=np.int64))
    ece_score: np.ndarray = field(default_factory=lambda: np.zeros(ECE_BINS))
    ece_label: np.ndarray = field(default_factory=lambda: np.zeros(ECE_BINS))
    has_scores: bool = False

    def add(self, pred_pos: np.ndarray, label_pos: np.ndarray, scores: np.ndarray | None) -> None:
        """Count a chunk of boolean predictions, boolean labels and optional scores."""
        self.tp += int(np.sum(pred_pos & label_pos))
        self.fp += int(np.sum(pred_pos & ~label_pos))
        self.fn += int(np.sum(~pred_pos & label_pos))
        self.tn += int(np.sum(~pred_pos & ~label_pos))
        if scores is None:
            return
        s = np.clip(np.asarray(scores, dtype=np.float64), 0.0, 1.0)
        ok = ~np.isnan(s)
        s, labels = s[ok], label_pos[ok]
        self.has_scores = True
        bins = np.minimum((s * AUC_BINS).astype(np.int64), AUC_BINS - 1)
        self.pos_hist += np.bincount(bins[labels], minlength=AUC_BINS)
        self.neg_hist += np.bincount(bins[~labels], minlength=AUC_BINS)
        eb = np.minimum((s * ECE_BINS).astype(np.int64), ECE_BINS - 1)
        self.ece_n += np.bincount(eb, minlength=ECE_BINS)
        self.ece_score += np.bincount(eb, weights=s, minlength=ECE_BINS)
        self.ece_label += np.bincount(eb, weights=labels.astype(float), minlength=ECE_BINS)

    def merge(self, other: ClassificationAccumulator) -> None:
        """Add another accumulator."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        self.pos_hist += other.pos_hist
        self.neg_hist += other.neg_hist
        self.ece_n += other.ece_n
        self.ece_score += other.ece_score
        self.ece_label += other.ece_label
        self.has_scores = self.has_scores or other.has_scores

    def metrics(self) -> dict[str, Any]:
        """Accuracy, precision, recall, F1, ROC AUC and ECE (None where undefined)."""
        n = self.tp + self.fp + self.fn + self.tn

        def div(a: float, b: float) -> float | None:
            return a / b if b else None

        precision = div(self.tp, self.tp + self.fp)
        recall = div(self.tp, self.tp + self.fn)
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall > 0
            else None
        )
        out: dict[str, Any] = {
            "rows": n,
            "accuracy": div(self.tp + self.tn, n),
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "roc_auc": None,
            "calibration_error": None,
        }
        if self.has_scores:
            pos, neg = self.pos_hist.sum(), self.neg_hist.sum()
            if pos and neg:
                below = np.cumsum(self.neg_hist) - self.neg_hist
                wins = float(np.sum(self.pos_hist * below))
                ties = float(np.sum(self.pos_hist * self.neg_hist))
                out["roc_auc"] = (wins + 0.5 * ties) / (float(pos) * float(neg))
            total = self.ece_n.sum()
            if total:
                nz = self.ece_n > 0
                gap = np.abs(
                    self.ece_label[nz] / self.ece_n[nz] - self.ece_score[nz] / self.ece_n[nz]
                )
                out["calibration_error"] = float(np.sum(self.ece_n[nz] / total * gap))
        return out


@dataclass
class RegressionAccumulator:
    """Sums for MAE and RMSE."""

    n: int = 0
    abs_sum: float = 0.0
    sq_sum: float = 0.0

    def add(self, y_true: np.ndarray, y_pred: np.ndarray) -> None:
        """Count a chunk of numeric targets and predictions (NaN rows skipped)."""
        t = np.asarray(y_true, dtype=np.float64)
        p = np.asarray(y_pred, dtype=np.float64)
        ok = ~(np.isnan(t) | np.isnan(p))
        err = p[ok] - t[ok]
        self.n += int(ok.sum())
        self.abs_sum += float(np.abs(err).sum())
        self.sq_sum += float(np.square(err).sum())

    def merge(self, other: RegressionAccumulator) -> None:
        """Add another accumulator."""
        self.n += other.n
        self.abs_sum += other.abs_sum
        self.sq_sum += other.sq_sum

    def metrics(self) -> dict[str, Any]:
        """MAE and RMSE (None with no rows)."""
        if not self.n:
            return {"rows": 0, "mae": None, "rmse": None}
        return {
            "rows": self.n,
            "mae": self.abs_sum / self.n,
            "rmse": float(np.sqrt(self.sq_sum / self.n)),
        }
