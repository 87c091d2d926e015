"""Durable storage of the append-only log: entries, Merkle tree nodes and signed checkpoints.

SQLite (WAL) by default, PostgreSQL by URL, through SQLAlchemy Core. Appends are serialised across
processes by the database (SQLite `BEGIN IMMEDIATE`, a PostgreSQL advisory lock), so several
writers keep one consistent tree. The store keeps the hash of every perfect subtree
(`nodes(level, idx)`), which makes any inclusion or consistency proof O(log n) reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aims.errors import InputError
from aims.ledger.tree import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, MetaData, Table

_ADVISORY_LOCK_KEY = 0x61696D73  # "aims"
SCHEMA_VERSION = 1


def canonical_json(value: Any) -> bytes:
    """Serialise to canonical JSON bytes: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def utcnow() -> str:
    """Return the current UTC time as an ISO-8601 string with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored log entry."""

    index: int
    leaf_hash: bytes
    payload: bytes | None
    """The canonical JSON leaf data; None once retention has pruned it."""
    kind: str
    system: str
    ts: str

    def record(self) -> dict[str, Any] | None:
        """The decoded leaf data, or None when pruned."""
        return None if self.payload is None else json.loads(self.payload)


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A signed checkpoint as stored: its size, root and note text."""

    size: int
    root_hash: bytes
    note: str
    created_at: str


def _tables(metadata: MetaData) -> dict[str, Table]:
    from sqlalchemy import BigInteger, Boolean, Column, Integer, LargeBinary, String, Table, Text

    return {
        "entries": Table(
            "aims_log_entries",
            metadata,
            Column("idx", BigInteger, primary_key=True, autoincrement=False),
            Column("leaf_hash", LargeBinary(32), nullable=False),
            Column("payload", LargeBinary, nullable=True),
            Column("kind", String(32), nullable=False),
            Column("system", String(200), nullable=False),
            Column("ts", String(40), nullable=False),
            Column("pruned", Boolean, nullable=False, default=False),
        ),
        "nodes": Table(
            "aims_log_nodes",
            metadata,
            Column("level", Integer, primary_key=True, autoincrement=False),
            Column("idx", BigInteger, primary_key=True, autoincrement=False),
            Column("hash", LargeBinary(32), nullable=False),
        ),
        "checkpoints": Table(
            "aims_log_checkpoints",
            metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("size", BigInteger, nullable=False),
            Column("root_hash", LargeBinary(32), nullable=False),
            Column("note", Text, nullable=False),
            Column("created_at", String(40), nullable=False),
        ),
        "meta": Table(
            "aims_log_meta",
            metadata,
            Column("key", String(64), primary_key=True),
            Column("value", Text, nullable=False),
        ),
    }


def default_url(path: str) -> str:
    """Return the SQLAlchemy URL of an SQLite log file at `path`."""
    return f"sqlite:///{path}"


class LogStore:
    """The append-only log in a database. Create with `LogStore.open(url)`."""

    def __init__(self, engine: Engine, url: str) -> None:
        from sqlalchemy import MetaData

        self.engine = engine
        self.url = url
        self.metadata = MetaData()
        t = _tables(self.metadata)
        self.entries, self.nodes = t["entries"], t["nodes"]
        self.checkpoints, self.meta = t["checkpoints"], t["meta"]
        self.is_sqlite = engine.dialect.name == "sqlite"

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> LogStore:
        """Open (and by default create) the log at a SQLAlchemy URL; `InputError` if impossible."""
        from sqlalchemy import create_engine, event
        from sqlalchemy.exc import ArgumentError, SQLAlchemyError

        try:
            if url.startswith("sqlite"):
                engine = create_engine(url, connect_args={"timeout": 60})

                @event.listens_for(engine, "connect")
                def _connect(dbapi_conn: Any, _record: Any) -> None:
                    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
                    cur = dbapi_conn.cursor()
                    cur.execute("PRAGMA journal_mode=WAL")
                    # NOTE: FULL makes every committed transaction durable across power loss in
                    # WAL mode; NORMAL would only survive process crashes.
                    cur.execute("PRAGMA synchronous=FULL")
                    cur.execute("PRAGMA busy_timeout=60000")
                    cur.close()

                @event.listens_for(engine, "begin")
                def _begin(conn: Any) -> None:
                    # Writers take the lock up front so appends never deadlock on upgrade;
                    # readers use a deferred transaction and never block (WAL).
                    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

            else:
                engine = create_engine(url, pool_pre_ping=True)
        except (ArgumentError, SQLAlchemyError, ImportError) as exc:
            raise InputError(f"cannot open log database {url!r}: {exc}") from exc
        store = cls(engine, url)
        if create:
            try:
                store.metadata.create_all(engine)
            except SQLAlchemyError as exc:
                raise InputError(f"cannot open log database {url!r}: {exc}") from exc
        return store

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction that holds the database's write lock from its first statement."""
        with self.engine.connect() as conn:
            conn.info["write"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("write", None)

    # -- appending ---------------------------------------------------------------------------

    def _lock(self, conn: Connection) -> None:
        if not self.is_sqlite:
            from sqlalchemy import text

            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})

    def _size(self, conn: Connection) -> int:
        from sqlalchemy import func, select

        value = conn.execute(select(func.max(self.entries.c.idx))).scalar()
        return 0 if value is None else int(value) + 1

    def _frontier(self, conn: Connection, size: int) -> list[tuple[int, int, bytes]]:
        """Perfect subtrees covering [0, size), left to right, as (level, idx, hash)."""
        from sqlalchemy import and_, or_, select

        wanted: list[tuple[int, int]] = []
        start = 0
        for level in range(size.bit_length() - 1, -1, -1):
            if size & (1 << level):
                wanted.append((level, start >> level))
                start += 1 << level
        found: dict[tuple[int, int], bytes] = {}
        interior = [(lv, ix) for lv, ix in wanted if lv > 0]
        if interior:
            n = self.nodes.c
            rows = conn.execute(
                select(n.level, n.idx, n.hash).where(
                    or_(*[and_(n.level == lv, n.idx == ix) for lv, ix in interior])
                )
            ).all()
            found.update({(int(r[0]), int(r[1])): bytes(r[2]) for r in rows})
        if wanted and wanted[-1][0] == 0:
            leaf = conn.execute(
                select(self.entries.c.leaf_hash).where(self.entries.c.idx == wanted[-1][1])
            ).scalar()
            if leaf is not None:
                found[wanted[-1]] = bytes(leaf)
        missing = [w for w in wanted if w not in found]
        if missing:
            raise InputError(
                f"log tree is damaged: node(s) {missing[:3]} missing; run `aims log verify`"
            )
        return [(lv, ix, found[(lv, ix)]) for lv, ix in wanted]

    def _insert(self, conn: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
        """Bulk insert at the driver level: SQLAlchemy's per-row processing is the bottleneck."""
        columns = [c.name for c in table.columns]
        marker = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join([marker] * len(columns))})"
        )
        conn.exec_driver_sql(sql, rows)

    def append(self, records: Sequence[tuple[str, str, dict[str, Any]]]) -> list[int]:
        """Append `(kind, system, data)` records in one durable transaction; return their indexes.

        Each leaf is the canonical JSON of `{"v", "index", "kind", "system", "ts", "data"}`, so
        the index is bound into the hash and reordering rows is detectable.
        """
        if not records:
            return []
        with self._write() as conn:
            self._lock(conn)
            size = self._size(conn)
            frontier = self._frontier(conn, size)
            entry_rows: list[tuple[Any, ...]] = []
            node_rows: list[tuple[Any, ...]] = []
            stack = [(lv, h) for lv, _ix, h in frontier]
            for offset, (kind, system, data) in enumerate(records):
                index = size + offset
                ts = utcnow()
                payload = canonical_json(
                    {"v": 1, "index": index, "kind": kind, "system": system, "ts": ts, "data": data}
                )
                lh = leaf_hash(payload)
                # Column order of aims_log_entries: idx, leaf_hash, payload, kind, system, ts,
                # pruned. Level-0 nodes are the entries' leaf hashes and are not stored twice.
                entry_rows.append((index, lh, payload, kind, system, ts, False))
                level, node, pos = 0, lh, index
                while stack and stack[-1][0] == level:
                    _, left = stack.pop()
                    node = node_hash(left, node)
                    level += 1
                    pos >>= 1
                    node_rows.append((level, pos, node))
                stack.append((level, node))
            self._insert(conn, self.entries, entry_rows)
            if node_rows:
                self._insert(conn, self.nodes, node_rows)
        return [size + i for i in range(len(records))]

    # -- reading -------------------------------------------------------------------------------

    def size(self) -> int:
        """Return the number of entries."""
        with self.engine.connect() as conn:
            return self._size(conn)

    def root(self, size: int | None = None) -> bytes:
        """Return the Merkle root of the first `size` entries (default: all)."""
        with self.engine.connect() as conn:
            if size is None:
                size = self._size(conn)
            return self._root(conn, size)

    def _root(self, conn: Connection, size: int) -> bytes:
        if size == 0:
            return EMPTY_ROOT
        frontier = self._frontier(conn, size)
        root = frontier[-1][2]
        for _lv, _ix, h in reversed(frontier[:-1]):
            root = node_hash(h, root)
        return root

    def _subtree_reader(self, conn: Connection) -> Any:
        from sqlalchemy import select

        cache: dict[tuple[int, int], bytes] = {}
        n = self.nodes.c

        def node(level: int, idx: int) -> bytes:
            key = (level, idx)
            if key not in cache:
                if level == 0:  # leaves are stored once, in the entries table
                    e = self.entries.c
                    value = conn.execute(select(e.leaf_hash).where(e.idx == idx)).scalar()
                else:
                    value = conn.execute(
                        select(n.hash).where(n.level == level, n.idx == idx)
                    ).scalar()
                if value is None:
                    raise InputError(f"log tree is damaged: node ({level}, {idx}) is missing")
                cache[key] = bytes(value)
            return cache[key]

        def subtree(start: int, end: int) -> bytes:
            width = end - start
            if width & (width - 1) == 0 and start % width == 0:
                return node(width.bit_length() - 1, start // width)
            k = 1 << ((width - 1).bit_length() - 1)
            return node_hash(subtree(start, start + k), subtree(start + k, end))

        return subtree

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the inclusion proof of entry `index` in the tree of `size` entries."""
        with self.engine.connect() as conn:
            return inclusion_proof(index, size, self._subtree_reader(conn))

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """Return the consistency proof between two tree sizes."""
        with self.engine.connect() as conn:
            return consistency_proof(old_size, new_size, self._subtree_reader(conn))

    def entry(self, index: int) -> Entry | None:
        """Return one entry, or None when there is no such index."""
        from sqlalchemy import select

        with self.engine.connect() as conn:
            row = conn.execute(select(self.entries).where(self.entries.c.idx == index)).first()
        return None if row is None else self._entry(row)

    @staticmethod
    def _entry(row: Any) -> Entry:
        return Entry(
            index=int(row.idx),
            leaf_hash=bytes(row.leaf_hash),
            payload=None if row.payload is None else bytes(row.payload),
            kind=row.kind,
            system=row.system,
            ts=row.ts,
        )

    def iter_entries(
        self, *, start: int = 0, end: int | None = None, batch: int = 5000
    ) -> Iterator[Entry]:
        """Yield entries in index order (as stored: gaps and duplicates are the verifier's job)."""
        from sqlalchemy import select

        e = self.entries.c
        position = start
        with self.engine.connect() as conn:
            while True:
                query = select(self.entries).where(e.idx >= position).order_by(e.idx).limit(batch)
                if end is not None:
                    query = query.where(e.idx < end)
                rows = conn.execute(query).all()
                if not rows:
                    return
                for row in rows:
                    yield self._entry(row)
                position = int(rows[-1].idx) + 1

    def iter_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        """Yield every stored interior tree node (level >= 1) as (level, idx, hash)."""
        from sqlalchemy import select

        n = self.nodes.c
        with self.engine.connect() as conn:
            for row in conn.execute(select(n.level, n.idx, n.hash).order_by(n.level, n.idx)):
                yield int(row[0]), int(row[1]), bytes(row[2])

    # -- checkpoints ---------------------------------------------------------------------------

    def add_checkpoint(self, size: int, root_hash: bytes, note: str) -> None:
        """Store a signed checkpoint note."""
        with self._write() as conn:
            conn.execute(
                self.checkpoints.insert(),
                {"size": size, "root_hash": root_hash, "note": note, "created_at": utcnow()},
            )

    def checkpoints_list(self) -> list[StoredCheckpoint]:
        """Return every stored checkpoint in the order it was issued."""
        from sqlalchemy import select

        c = self.checkpoints.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.size, c.root_hash, c.note, c.created_at).order_by(c.id)
            ).all()
        return [StoredCheckpoint(int(r[0]), bytes(r[1]), r[2], r[3]) for r in rows]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """Return the most recently issued checkpoint, or None."""
        cps = self.checkpoints_list()
        return cps[-1] if cps else None

    # -- metadata and retention ----------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """Return a metadata value (origin name, verifier keys, ...)."""
        from sqlalchemy import select

        with self.engine.connect() as conn:
            value = conn.execute(select(self.meta.c.value).where(self.meta.c.key == key)).scalar()
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value."""
        from sqlalchemy import delete

        with self._write() as conn:
            conn.execute(delete(self.meta).where(self.meta.c.key == key))
            conn.execute(self.meta.insert(), {"key": key, "value": value})

    def prune_before(self, cutoff_ts: str) -> int:
        """Drop the payload of entries older than `cutoff_ts`, keeping their leaf hashes.

        Verification keeps working: the tree, leaf hashes and checkpoints are untouched.
        Returns how many entries were pruned.
        """
        from sqlalchemy import update

        e = self.entries.c
        with self._write() as conn:
            result = conn.execute(
                update(self.entries)
                .where(e.ts < cutoff_ts, e.pruned.is_(False))
                .values(payload=None, pruned=True)
            )
        return int(result.rowcount or 0)
