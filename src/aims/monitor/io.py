"""Streaming readers: CSV and Parquet files, and query results from a database URL.

Every reader yields `pyarrow.RecordBatch`es of bounded size, so data of any length is processed
in bounded memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from aims.errors import InputError, UsageError

BATCH_ROWS = 262_144
CSV_BLOCK_BYTES = 32 << 20


def is_db_url(source: str) -> bool:
    """True when `source` looks like a SQLAlchemy database URL rather than a file."""
    return "://" in source and not source.startswith("file://")


def source_key(source: str, query: str | None = None) -> str:
    """A content key for caching a reference summary: file hash, or URL + query text."""
    if is_db_url(source):
        return hashlib.sha256(f"{source}\0{query or ''}".encode()).hexdigest()
    path = Path(source)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from exc
    return digest.hexdigest()


def iter_batches(
    source: str, *, columns: list[str] | None = None, query: str | None = None
) -> Iterator[pa.RecordBatch]:
    """Yield record batches from a CSV/Parquet file or a database query.

    Raises `InputError` for a missing or unreadable source, `UsageError` for an unknown format.
    """
    if is_db_url(source):
        if not query:
            raise UsageError(f"{source} is a database URL: pass the query to run (--*-query)")
        yield from _query_batches(source, query)
        return
    path = Path(source)
    if not path.is_file():
        raise InputError(f"no such data file: {source}")
    name = path.name.lower()
    try:
        if name.endswith((".parquet", ".pq")):
            import pyarrow.parquet as pq

            yield from pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS, columns=columns)
        elif name.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
            import pyarrow.csv as pcsv

            reader = pcsv.open_csv(
                path,
                read_options=pcsv.ReadOptions(block_size=CSV_BLOCK_BYTES),
                parse_options=pcsv.ParseOptions(delimiter="\t" if name.endswith(".tsv") else ","),
                convert_options=pcsv.ConvertOptions(include_columns=columns),
            )
            yield from reader
        else:
            raise UsageError(
                f"{source}: unknown data format", hint="use .csv, .csv.gz, .tsv or .parquet"
            )
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as exc:
        raise InputError(f"cannot read {source}: {exc}") from exc


def _query_batches(url: str, query: str) -> Iterator[pa.RecordBatch]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
                text(query)
            )
            names = list(result.keys())
            for part in result.partitions(BATCH_ROWS):
                columns: dict[str, list[Any]] = {n: [] for n in names}
                for row in part:
                    for n, v in zip(names, row, strict=True):
                        columns[n].append(v)
                yield pa.RecordBatch.from_pydict(columns)
        engine.dispose()
    except SQLAlchemyError as exc:
        raise InputError(f"query on {url} failed: {exc}") from exc


def column_kind(arrow_type: pa.DataType) -> str:
    """`numeric` for integers, floats and decimals; `categorical` for everything else."""
    if pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type):
        return "numeric"
    if pa.types.is_decimal(arrow_type):
        return "numeric"
    return "categorical"
