"""Log stores on SQLite (always) and on the local PostgreSQL (when reachable)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from aims.ledger.store import LogStore

PG_BASE = "postgresql+psycopg://root@127.0.0.1:5432/test"


def _pg_schema_url() -> Iterator[str]:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    try:
        engine = sqlalchemy.create_engine(PG_BASE)
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("select 1"))
    except Exception as exc:  # any failure to connect means: no local PostgreSQL
        pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
    schema = f"aims_t_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty log database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'log.db'}"
    else:
        yield from _pg_schema_url()


@pytest.fixture
def store(store_url: str) -> Iterator[LogStore]:
    """An open, empty log store on each backend."""
    s = LogStore.open(store_url)
    yield s
    s.close()
