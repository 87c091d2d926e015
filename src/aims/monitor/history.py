"""History of monitoring runs and stored reference summaries (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aims.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

DEFAULT_DB = ".aims/monitor/history.db"


def history_url(db: str | None) -> str:
    """A SQLAlchemy URL from `--db` (URL or SQLite path); creates the SQLite folder."""
    value = db or DEFAULT_DB
    if "://" in value:
        return value
    Path(value).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{value}"


class History:
    """Runs per AI system and model version, and reference summaries by content key."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import (
            Column,
            Float,
            Integer,
            MetaData,
            String,
            Table,
            Text,
            create_engine,
        )
        from sqlalchemy.exc import ArgumentError, SQLAlchemyError

        metadata = MetaData()
        self.runs = Table(
            "aims_monitor_runs",
            metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("system", String(200), nullable=False, index=True),
            Column("model_version", String(100), nullable=True),
            Column("run_at", String(40), nullable=False),
            Column("current_rows", Integer, nullable=False),
            Column("drift_share", Float, nullable=True),
            Column("breaches", Integer, nullable=False),
            Column("result", Text, nullable=False),
        )
        self.references = Table(
            "aims_monitor_references",
            metadata,
            Column("key", String(64), primary_key=True),
            Column("summary", Text, nullable=False),
        )
        try:
            self.engine: Engine = create_engine(url)
            metadata.create_all(self.engine)
        except (ArgumentError, SQLAlchemyError, ImportError) as exc:
            raise InputError(f"cannot open monitoring history {url!r}: {exc}") from exc

    def reference(self, key: str) -> dict[str, Any] | None:
        """A stored reference summary, or None."""
        from sqlalchemy import select

        with self.engine.connect() as conn:
            value = conn.execute(
                select(self.references.c.summary).where(self.references.c.key == key)
            ).scalar()
        return None if value is None else dict(json.loads(value))

    def save_reference(self, key: str, summary: dict[str, Any]) -> None:
        """Store a reference summary under its content key."""
        from sqlalchemy import delete

        with self.engine.begin() as conn:
            conn.execute(delete(self.references).where(self.references.c.key == key))
            conn.execute(self.references.insert(), {"key": key, "summary": json.dumps(summary)})

    def add_run(self, result: dict[str, Any]) -> int:
        """Store a run; returns its ID."""
        with self.engine.begin() as conn:
            row = conn.execute(
                self.runs.insert(),
                {
                    "system": result.get("system") or "(unnamed)",
                    "model_version": result.get("model_version"),
                    "run_at": result["run_at"],
                    "current_rows": result["current"]["rows"],
                    "drift_share": result["drift"]["dataset"]["drift_share"],
                    "breaches": len(result.get("breaches", [])),
                    "result": json.dumps(result),
                },
            )
            key = row.inserted_primary_key
            assert key is not None
            return int(key[0])

    def runs_of(self, system: str, model_version: str | None = None) -> list[dict[str, Any]]:
        """Every run of a system (optionally one model version), oldest first."""
        from sqlalchemy import select

        r = self.runs.c
        query = select(r.id, r.result).where(r.system == system).order_by(r.run_at, r.id)
        if model_version:
            query = query.where(r.model_version == model_version)
        with self.engine.connect() as conn:
            return [dict(json.loads(row.result), id=row.id) for row in conn.execute(query)]

    def close(self) -> None:
        """Release connections."""
        self.engine.dispose()


def trend(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per run with the headline numbers (for tables and charts)."""
    rows = []
    for run in runs:
        perf = (run.get("performance") or {}).get("overall") or {}
        worst_dpr = None
        for report in (run.get("fairness") or {}).values():
            entry = (report.get("metrics") or {}).get("demographic_parity_ratio")
            if entry and entry.get("value") is not None:
                v = entry["value"]
                worst_dpr = v if worst_dpr is None else min(worst_dpr, v)
        rows.append(
            {
                "id": run.get("id"),
                "run_at": run["run_at"],
                "model_version": run.get("model_version"),
                "rows": run["current"]["rows"],
                "drift_share": run["drift"]["dataset"]["drift_share"],
                "accuracy": perf.get("accuracy"),
                "roc_auc": perf.get("roc_auc"),
                "demographic_parity_ratio": worst_dpr,
                "breaches": len(run.get("breaches", [])),
            }
        )
    return rows
