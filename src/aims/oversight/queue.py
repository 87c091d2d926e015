"""The human review queue: decisions waiting for a verdict (an index over the signed log)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aims.ledger.store import utcnow

if TYPE_CHECKING:
    from sqlalchemy import Engine


class ReviewQueue:
    """Pending and resolved reviews. The log holds the truth; this table makes it queryable."""

    def __init__(self, engine: Engine) -> None:
        from sqlalchemy import BigInteger, Column, MetaData, String, Table

        self.engine = engine
        metadata = MetaData()
        self.table = Table(
            "aims_review_queue",
            metadata,
            Column("decision_index", BigInteger, primary_key=True, autoincrement=False),
            Column("system", String(200), nullable=False, index=True),
            Column("decision_id", String(64), nullable=False),
            Column("reason", String(400), nullable=False),
            Column("queued_at", String(40), nullable=False),
            Column("status", String(16), nullable=False, index=True),
            Column("reviewer", String(200), nullable=True),
            Column("reviewed_at", String(40), nullable=True),
        )
        metadata.create_all(engine)

    def enqueue(self, *, index: int, system: str, decision_id: str, reason: str) -> None:
        """Add a decision to the queue as pending."""
        with self.engine.begin() as conn:
            conn.execute(
                self.table.insert(),
                {
                    "decision_index": index,
                    "system": system,
                    "decision_id": decision_id,
                    "reason": reason,
                    "queued_at": utcnow(),
                    "status": "pending",
                },
            )

    def get(self, index: int) -> dict[str, Any] | None:
        """Return one queue item, or None."""
        from sqlalchemy import select

        with self.engine.connect() as conn:
            row = conn.execute(
                select(self.table).where(self.table.c.decision_index == index)
            ).first()
        return None if row is None else dict(row._mapping)

    def resolve(self, index: int, *, verdict: str, reviewer: str, at: str) -> None:
        """Mark a queue item reviewed."""
        from sqlalchemy import update

        status = {"approve": "approved", "override": "overridden", "escalate": "escalated"}[verdict]
        with self.engine.begin() as conn:
            conn.execute(
                update(self.table)
                .where(self.table.c.decision_index == index)
                .values(status=status, reviewer=reviewer, reviewed_at=at)
            )

    def pending(self, system: str | None = None) -> list[dict[str, Any]]:
        """Return pending items (of one system, or all), oldest first."""
        from sqlalchemy import select

        t = self.table.c
        query = select(self.table).where(t.status == "pending").order_by(t.decision_index)
        if system is not None:
            query = query.where(t.system == system)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
