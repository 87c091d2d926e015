"""Mergeable column summaries: fine histograms for numbers, counts for categories.

The reference data set is summarised once (two streaming passes: a reservoir sample fixes the bin
edges at reference quantiles, then every row is counted) and stored; the current data set is
counted against the same edges in a single pass. Summaries of chunks merge by adding counts, so
any size streams through in bounded memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

FINE_BINS = 1000
"""Quantile bins of the reference per numeric column; KS and Wasserstein are computed on them."""
MAX_CATEGORIES = 10_000
"""Distinct values kept per categorical column; the rest are counted as `__other__`."""
OTHER = "__other__"
MISSING = "__missing__"


@dataclass
class NumericSummary:
    """Counts of a numeric column over fixed edges, plus moments."""

    edges: np.ndarray
    """Increasing interior edges; bin i holds edges[i-1] < x <= edges[i] (open ends outside)."""
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    missing: int = 0
    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    minimum: float = float("inf")
    maximum: float = float("-inf")

    def __post_init__(self) -> None:
        if self.counts.size == 0:
            self.counts = np.zeros(len(self.edges) + 1, dtype=np.int64)

    def add(self, values: np.ndarray) -> None:
        """Count a chunk of values (NaN counts as missing)."""
        values = np.asarray(values, dtype=np.float64)
        nan = np.isnan(values)
        self.missing += int(nan.sum())
        values = values[~nan]
        if values.size == 0:
            return
        self.counts += np.bincount(
            np.searchsorted(self.edges, values, side="left"), minlength=len(self.counts)
        )
        self.n += int(values.size)
        self.total += float(values.sum())
        self.total_sq += float(np.square(values).sum())
        self.minimum = min(self.minimum, float(values.min()))
        self.maximum = max(self.maximum, float(values.max()))

    def merge(self, other: NumericSummary) -> None:
        """Add another summary over the same edges."""
        self.counts += other.counts
        self.missing += other.missing
        self.n += other.n
        self.total += other.total
        self.total_sq += other.total_sq
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)

    @property
    def mean(self) -> float:
        """Mean of the non-missing values."""
        return self.total / self.n if self.n else float("nan")

    @property
    def std(self) -> float:
        """Population standard deviation of the non-missing values."""
        if not self.n:
            return float("nan")
        var = max(0.0, self.total_sq / self.n - self.mean**2)
        return float(np.sqrt(var))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form, for storing the reference."""
        return {
            "kind": "numeric",
            "edges": self.edges.tolist(),
            "counts": self.counts.tolist(),
            "missing": self.missing,
            "n": self.n,
            "total": self.total,
            "total_sq": self.total_sq,
            "min": self.minimum if self.n else None,
            "max": self.maximum if self.n else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NumericSummary:
        """Rebuild from `to_dict()`."""
        return cls(
            edges=np.asarray(data["edges"], dtype=np.float64),
            counts=np.asarray(data["counts"], dtype=np.int64),
            missing=int(data["missing"]),
            n=int(data["n"]),
            total=float(data["total"]),
            total_sq=float(data["total_sq"]),
            minimum=float("inf") if data["min"] is None else float(data["min"]),
            maximum=float("-inf") if data["max"] is None else float(data["max"]),
        )

    def empty_like(self) -> NumericSummary:
        """A zero summary over the same edges (for counting another data set)."""
        return NumericSummary(edges=self.edges)


@dataclass
class CategoricalSummary:
    """Counts per category (values as strings), capped at `MAX_CATEGORIES`."""

    counts: dict[str, int] = field(default_factory=dict)
    missing: int = 0

    def add(self, values: Any) -> None:
        """Count a chunk of values (None counts as missing)."""
        uniques, counts = np.unique(
            np.asarray(values, dtype=object).astype(str), return_counts=True
        )
        for value, count in zip(uniques.tolist(), counts.tolist(), strict=True):
            if value in ("None", "nan", ""):
                self.missing += int(count)
                continue
            if value not in self.counts and len(self.counts) >= MAX_CATEGORIES:
                value = OTHER
            self.counts[value] = self.counts.get(value, 0) + int(count)

    def merge(self, other: CategoricalSummary) -> None:
        """Add another summary."""
        for value, count in other.counts.items():
            self.counts[value] = self.counts.get(value, 0) + count
        self.missing += other.missing

    @property
    def n(self) -> int:
        """Number of non-missing values."""
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form."""
        return {
            "kind": "categorical",
            "counts": dict(sorted(self.counts.items())),
            "missing": self.missing,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CategoricalSummary:
        """Rebuild from `to_dict()`."""
        return cls(
            counts={str(k): int(v) for k, v in data["counts"].items()}, missing=int(data["missing"])
        )

    def empty_like(self) -> CategoricalSummary:
        """A zero summary."""
        return CategoricalSummary()


ColumnSummary = NumericSummary | CategoricalSummary


class Reservoir:
    """A uniform fixed-size sample of a numeric stream (Vitter's algorithm R, vectorised)."""

    def __init__(self, size: int = 200_000, seed: int = 0) -> None:
        self.size = size
        self.rng = np.random.default_rng(seed)
        self.sample = np.empty(0, dtype=np.float64)
        self.seen = 0

    def add(self, values: np.ndarray) -> None:
        """Offer a chunk of values (NaN ignored)."""
        values = np.asarray(values, dtype=np.float64)
        values = values[~np.isnan(values)]
        if values.size == 0:
            return
        room = self.size - self.sample.size
        if room > 0:
            take = values[:room]
            self.sample = np.concatenate([self.sample, take])
            self.seen += take.size
            values = values[room:]
        if values.size:
            positions = self.seen + np.arange(1, values.size + 1)
            slots = (self.rng.random(values.size) * positions).astype(np.int64)
            keep = slots < self.size
            self.sample[slots[keep]] = values[keep]
            self.seen += values.size

    def edges(self, bins: int = FINE_BINS) -> np.ndarray:
        """Interior edges at the sample's quantiles (unique, so constant columns get one bin)."""
        if self.sample.size == 0:
            return np.zeros(0)
        qs = np.quantile(self.sample, np.linspace(0, 1, bins + 1)[1:-1])
        return np.unique(qs)


def summary_from_dict(data: dict[str, Any]) -> ColumnSummary:
    """Rebuild a stored summary of either kind."""
    if data["kind"] == "numeric":
        return NumericSummary.from_dict(data)
    return CategoricalSummary.from_dict(data)
