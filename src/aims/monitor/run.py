"""One monitoring run: summarise the reference (once), stream the current data, evaluate, decide.

Memory is bounded by the batch size (262,144 rows) times the number of columns, plus fixed-size
summaries: the data itself is never held in full.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aims import __version__
from aims.errors import InputError, UsageError
from aims.monitor.config import MonitorConfig
from aims.monitor.drift import column_drift, dataset_drift
from aims.monitor.fairness import GroupCounts, fairness_report
from aims.monitor.io import column_kind, iter_batches
from aims.monitor.performance import ClassificationAccumulator, RegressionAccumulator
from aims.monitor.sketch import (
    CategoricalSummary,
    ColumnSummary,
    NumericSummary,
    Reservoir,
    summary_from_dict,
)

SUMMARY_FORMAT = "aims/monitor-reference/1"
MAX_GROUP_CELLS = 5_000_000


@dataclass
class DataSpec:
    """Where a data set comes from."""

    source: str
    query: str | None = None


@dataclass
class _Pass:
    """Accumulators filled while streaming one data set."""

    columns: dict[str, ColumnSummary]
    groups: GroupCounts | None
    classification: ClassificationAccumulator | None = None
    regression: RegressionAccumulator | None = None
    per_group_cls: dict[tuple[str, ...], ClassificationAccumulator] = field(default_factory=dict)
    rows: int = 0


def _numbers(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return np.asarray(
        pc.cast(col, pa.float64(), safe=False).to_numpy(zero_copy_only=False), dtype=np.float64
    )


def _strings(col: pa.Array) -> pa.Array:
    return col if pa.types.is_string(col.type) else pc.cast(col, pa.string(), safe=False)


def _positive(col: pa.Array, positive_label: str) -> np.ndarray:
    text = _strings(col)
    # Booleans cast to "true"/"false"; accept "1"/"true" spellings of the positive label.
    labels = {positive_label.lower()}
    if positive_label.lower() in ("1", "true", "yes"):
        labels |= {"1", "true", "1.0"}
    values = pc.utf8_lower(text)
    mask = pc.is_in(values, value_set=pa.array(sorted(labels)))
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


class Monitor:
    """Computes one run from a config and two data sets."""

    def __init__(self, config: MonitorConfig) -> None:
        self.config = config

    # -- schema ---------------------------------------------------------------------------------

    def _roles(self) -> set[str]:
        c = self.config
        return {x for x in (c.target, c.prediction, c.score) if x}

    def _kinds(self, schema: pa.Schema) -> dict[str, str]:
        c = self.config
        names = schema.names
        for needed in [*self._roles(), *c.sensitive]:
            if needed not in names:
                raise UsageError(
                    f"column {needed!r} is not in the data",
                    hint=f"columns are: {', '.join(names[:30])}",
                )
        wanted = c.columns or [n for n in names if n not in self._roles()]
        missing = [n for n in wanted if n not in names]
        if missing:
            raise UsageError(f"columns not in the data: {', '.join(missing)}")
        kinds = {}
        for name in wanted:
            if name in c.exclude:
                continue
            kind = column_kind(schema.field(name).type)
            if name in c.categorical:
                kind = "categorical"
            elif name in c.numeric:
                kind = "numeric"
            kinds[name] = kind
        for role in (c.prediction, c.target):
            if role:
                kinds.setdefault(role, "categorical")
        if c.score:
            kinds[c.score] = "numeric"
        return kinds

    # -- reference ------------------------------------------------------------------------------

    def summarise_reference(self, data: DataSpec) -> dict[str, Any]:
        """Two streaming passes over the reference: bin edges, then counts and baselines."""
        first = None
        reservoirs: dict[str, Reservoir] = {}
        distinct: dict[str, set[str]] = {}
        kinds: dict[str, str] = {}
        for batch in iter_batches(data.source, query=data.query):
            if first is None:
                first = batch.schema
                kinds = self._kinds(first)
                reservoirs = {
                    n: Reservoir(seed=self.config.seed) for n, k in kinds.items() if k == "numeric"
                }
                distinct = {n: set() for n in reservoirs}
            for name, res in reservoirs.items():
                values = _numbers(batch.column(name))
                res.add(values)
                if len(distinct[name]) <= 10:
                    distinct[name].update(np.unique(values[~np.isnan(values)])[:20].tolist())
        if first is None:
            raise InputError(f"the reference data {data.source} has no rows")
        # Integer-coded columns with a handful of values are categories, not measurements.
        for name in list(reservoirs):
            is_int = pa.types.is_integer(first.field(name).type)
            explicit = name in self.config.numeric or name == self.config.score
            if is_int and len(distinct[name]) <= 10 and not explicit:
                kinds[name] = "categorical"
                del reservoirs[name]
        columns: dict[str, ColumnSummary] = {
            n: NumericSummary(edges=reservoirs[n].edges())
            if k == "numeric"
            else CategoricalSummary()
            for n, k in kinds.items()
        }
        acc = self._pass(data, columns, kinds)
        return {
            "format": SUMMARY_FORMAT,
            "source": data.source,
            "rows": acc.rows,
            "kinds": kinds,
            "columns": {n: s.to_dict() for n, s in acc.columns.items()},
            "baseline": self._results(acc)[1],
        }

    # -- streaming pass -------------------------------------------------------------------------

    def _pass(
        self, data: DataSpec, columns: dict[str, ColumnSummary], kinds: dict[str, str]
    ) -> _Pass:
        c = self.config
        labels = c.target is not None and (c.prediction is not None or c.score is not None)
        acc = _Pass(
            columns=columns, groups=GroupCounts(tuple(c.sensitive)) if c.sensitive else None
        )
        classification = None
        for batch in iter_batches(data.source, query=data.query):
            missing = [n for n in columns if n not in batch.schema.names]
            if missing:
                raise InputError(
                    f"{data.source} lacks column(s) {', '.join(missing)} that the reference has"
                )
            acc.rows += batch.num_rows
            for name, summary in columns.items():
                col = batch.column(name)
                if isinstance(summary, NumericSummary):
                    summary.add(_numbers(col))
                else:
                    self._count_categories(summary, col)
            if classification is None:
                classification = self._is_classification(batch)
            pred_pos = self._predicted(batch) if classification else None
            if classification and pred_pos is not None:
                label_pos = (
                    _positive(batch.column(c.target), c.positive_label) if c.target else None
                )
                scores = _numbers(batch.column(c.score)) if c.score else None
                if labels and label_pos is not None:
                    acc.classification = acc.classification or ClassificationAccumulator()
                    acc.classification.add(pred_pos, label_pos, scores)
                if acc.groups is not None:
                    self._count_groups(acc, batch, pred_pos, label_pos, scores)
            elif labels and c.target and c.prediction:
                acc.regression = acc.regression or RegressionAccumulator()
                acc.regression.add(
                    _numbers(batch.column(c.target)), _numbers(batch.column(c.prediction))
                )
        return acc

    def _is_classification(self, batch: pa.RecordBatch) -> bool:
        c = self.config
        if c.score and not c.prediction:
            return True
        column = c.prediction or c.target
        if column is None:
            return False
        col = batch.column(column)
        if column_kind(col.type) == "categorical":
            return True
        uniques = pc.unique(pc.drop_null(col))
        return len(uniques) <= 2

    def _predicted(self, batch: pa.RecordBatch) -> np.ndarray | None:
        c = self.config
        if c.prediction:
            return _positive(batch.column(c.prediction), c.positive_label)
        if c.score:
            return _numbers(batch.column(c.score)) >= c.score_threshold
        return None

    @staticmethod
    def _count_categories(summary: CategoricalSummary, col: pa.Array) -> None:
        counts = pc.value_counts(_strings(col))
        values = counts.field("values").to_pylist()
        numbers = counts.field("counts").to_pylist()
        partial = CategoricalSummary()
        for value, count in zip(values, numbers, strict=True):
            if value is None or value == "":
                partial.missing += int(count)
            else:
                partial.counts[value] = int(count)
        summary.merge(partial)

    def _count_groups(
        self,
        acc: _Pass,
        batch: pa.RecordBatch,
        pred_pos: np.ndarray,
        label_pos: np.ndarray | None,
        scores: np.ndarray | None,
    ) -> None:
        assert acc.groups is not None
        codes = []
        cells = 1
        for name in self.config.sensitive:
            encoded = pc.dictionary_encode(_strings(batch.column(name)))
            indices = np.asarray(
                pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64
            )
            codes.append((indices, [str(v) for v in encoded.dictionary.to_pylist()]))
            cells *= len(codes[-1][1]) + 1
        if cells <= MAX_GROUP_CELLS:
            acc.groups.add_encoded(codes, pred_pos, label_pos)
        else:
            acc.groups.add(
                [
                    _strings(batch.column(n)).to_numpy(zero_copy_only=False)
                    for n in self.config.sensitive
                ],
                pred_pos,
                label_pos,
            )
        if label_pos is not None and len(self.config.sensitive) >= 1:
            # Performance per group of the first sensitive attribute.
            indices, values = codes[0]
            for i, value in enumerate(values):
                mask = indices == i
                if not mask.any():
                    continue
                group_acc = acc.per_group_cls.setdefault((value,), ClassificationAccumulator())
                group_acc.add(
                    pred_pos[mask], label_pos[mask], None if scores is None else scores[mask]
                )

    # -- results --------------------------------------------------------------------------------

    def _results(self, acc: _Pass) -> tuple[dict[str, Any], dict[str, Any]]:
        c = self.config
        fairness: dict[str, Any] = {}
        if acc.groups is not None and acc.groups.counts:
            has_labels = c.target is not None

            def report(groups: GroupCounts) -> dict[str, Any]:
                return fairness_report(
                    groups,
                    has_labels=has_labels,
                    min_group_size=c.min_group_size,
                    bootstrap=c.bootstrap,
                    seed=c.seed,
                )

            for i, name in enumerate(c.sensitive):
                fairness[name] = report(acc.groups.project(i))
            if len(c.sensitive) > 1:
                fairness[" & ".join(c.sensitive)] = report(acc.groups)
        performance: dict[str, Any] = {}
        if acc.classification is not None:
            performance = {"task": "classification", "overall": acc.classification.metrics()}
            if acc.per_group_cls and c.sensitive:
                performance["by_group"] = {
                    c.sensitive[0]: {
                        k[0]: v.metrics() for k, v in sorted(acc.per_group_cls.items())
                    }
                }
        elif acc.regression is not None:
            performance = {"task": "regression", "overall": acc.regression.metrics()}
        return fairness, performance

    def run(
        self, reference: dict[str, Any], current: DataSpec, *, reference_spec: DataSpec
    ) -> dict[str, Any]:
        """Compare current data with a reference summary; return the run's full result."""
        started = time.perf_counter()
        kinds = dict(reference["kinds"])
        ref_columns = {n: summary_from_dict(d) for n, d in reference["columns"].items()}
        cur_columns = {n: s.empty_like() for n, s in ref_columns.items()}
        acc = self._pass(current, cur_columns, kinds)
        thresholds = self.config.drift.thresholds()
        c = self.config
        special = {c.prediction: "prediction", c.score: "score", c.target: "target"}
        features, extra = [], {}
        for name in ref_columns:
            result = column_drift(name, ref_columns[name], acc.columns[name], thresholds)
            if name in special and name is not None:
                extra[special[name]] = result
            else:
                features.append(result)
        fairness, performance = self._results(acc)
        return {
            "schema": "aims/monitor-run/1",
            "tool_version": __version__,
            "system": c.system,
            "model_version": c.model_version,
            "run_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "reference": {"source": reference_spec.source, "rows": reference["rows"]},
            "current": {"source": current.source, "rows": acc.rows},
            "drift": {
                "columns": features,
                "dataset": dataset_drift(features, thresholds),
                **extra,
            },
            "fairness": fairness,
            "performance": performance,
            "baseline": reference.get("baseline", {}),
            "seconds": round(time.perf_counter() - started, 3),
        }
