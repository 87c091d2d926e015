"""The durable log on SQLite and PostgreSQL: proofs, checkpoints, and tamper detection."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aims.ledger.checkpoint import Signer
from aims.ledger.log import TransparencyLog
from aims.ledger.store import LogStore
from aims.ledger.tree import (
    leaf_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)
from aims.ledger.verify import verify_store

SIGNER = Signer.generate("aims.test/log")


def _fill(log: TransparencyLog, n: int, *, every: int = 7) -> None:
    for start in range(0, n, every):
        log.append([("decision", "sys-a", {"i": i}) for i in range(start, min(n, start + every))])
        log.checkpoint()


def test_roots_and_proofs_match_the_reference_tree(store: LogStore) -> None:
    log = TransparencyLog(store, SIGNER)
    _fill(log, 37)
    leaves = [e.leaf_hash for e in store.iter_entries()]
    assert [leaf_hash(e.payload or b"") for e in store.iter_entries()] == leaves
    for size in (1, 2, 3, 8, 20, 37):
        assert store.root(size) == root_from_leaf_hashes(leaves[:size])
        for index in (0, size // 2, size - 1):
            proof = store.inclusion_proof(index, size)
            verify_inclusion(index, size, leaves[index], proof, store.root(size))
    for old in (0, 1, 5, 16, 36):
        proof = store.consistency_proof(old, 37)
        verify_consistency(old, 37, store.root(old), store.root(37), proof)
    report = verify_store(store, [SIGNER.verifier])
    assert report.ok, report.problems
    assert report.size == 37 and report.checkpoints == 6 and report.uncovered == 0


def test_entries_bind_their_index(store: LogStore) -> None:
    TransparencyLog(store, SIGNER).append([("decision", "s", {"x": 1})] * 3)
    assert [json.loads(e.payload or b"")["index"] for e in store.iter_entries()] == [0, 1, 2]


def test_retention_keeps_verification_working(store: LogStore) -> None:
    log = TransparencyLog(store, SIGNER)
    _fill(log, 20)
    assert store.prune_before("9999-01-01") == 20
    report = verify_store(store, [SIGNER.verifier])
    assert report.ok and report.pruned == 20


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def _tamper(path: str, sql: str, params: tuple = ()) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql, params)


@pytest.fixture
def sqlite_log(tmp_path: Path) -> tuple[str, TransparencyLog]:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    log = TransparencyLog(LogStore.open(url), SIGNER)
    _fill(log, 30)
    return _sqlite_path(url), log


def _problems(log: TransparencyLog) -> list[str]:
    return verify_store(LogStore.open(log.store.url), [SIGNER.verifier]).problems


def test_modification_is_detected_with_its_index(sqlite_log) -> None:
    path, log = sqlite_log
    row = sqlite3.connect(path).execute("select payload from aims_log_entries where idx=12")
    payload = row.fetchone()[0].replace(b'"i":12', b'"i":99')
    _tamper(path, "update aims_log_entries set payload=? where idx=12", (payload,))
    assert any(p.startswith("entry 12:") for p in _problems(log))


def test_consistent_rewrite_of_an_entry_breaks_the_signed_roots(sqlite_log) -> None:
    path, log = sqlite_log
    conn = sqlite3.connect(path)
    payload = conn.execute("select payload from aims_log_entries where idx=3").fetchone()[0]
    forged = payload.replace(b'"i":3', b'"i":4')
    # The attacker also recomputes the leaf hash and the level-0 node.
    _tamper(
        path,
        "update aims_log_entries set payload=?, leaf_hash=? where idx=3",
        (forged, leaf_hash(forged)),
    )
    _tamper(path, "update aims_log_nodes set hash=? where level=0 and idx=3", (leaf_hash(forged),))
    problems = _problems(log)
    assert any("no longer hash to the signed root" in p for p in problems)


def test_deletion_reordering_truncation_and_rollback_are_detected(sqlite_log) -> None:
    path, log = sqlite_log
    _tamper(path, "delete from aims_log_entries where idx=5")
    assert any("entries 5..5 are missing" in p for p in _problems(log))


def test_reordering_is_detected(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    log = TransparencyLog(LogStore.open(url), SIGNER)
    _fill(log, 10)
    path = _sqlite_path(url)
    conn = sqlite3.connect(path)
    a = conn.execute("select payload, leaf_hash from aims_log_entries where idx=2").fetchone()
    b = conn.execute("select payload, leaf_hash from aims_log_entries where idx=6").fetchone()
    conn.close()
    _tamper(path, "update aims_log_entries set payload=?, leaf_hash=? where idx=2", b)
    _tamper(path, "update aims_log_entries set payload=?, leaf_hash=? where idx=6", a)
    problems = _problems(log)
    assert any("reordered" in p for p in problems)


def test_truncation_is_detected(sqlite_log) -> None:
    path, log = sqlite_log
    _tamper(path, "delete from aims_log_entries where idx>=25")
    assert any("truncation" in p for p in _problems(log))


def test_rollback_of_checkpoints_is_detected(sqlite_log) -> None:
    path, log = sqlite_log
    old_note = log.store.checkpoints_list()[1].note
    log.store.add_checkpoint(14, b"\x00" * 32, old_note)  # replay an older signed checkpoint
    assert any("rollback" in p for p in _problems(log))


def test_altered_checkpoint_is_detected(sqlite_log) -> None:
    path, log = sqlite_log
    note = log.store.checkpoints_list()[-1].note.replace("\n30\n", "\n31\n")
    _tamper(
        path,
        "update aims_log_checkpoints set note=? where id=(select max(id) from aims_log_checkpoints)",
        (note,),
    )
    assert any("checkpoint" in p for p in _problems(log))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_any_single_byte_change_to_any_entry_is_detected(tmp_path_factory, data) -> None:
    tmp = tmp_path_factory.mktemp("prop")
    url = f"sqlite:///{tmp / 'p.db'}"
    log = TransparencyLog(LogStore.open(url), SIGNER)
    n = data.draw(st.integers(1, 40))
    _fill(log, n, every=data.draw(st.integers(1, 9)))
    index = data.draw(st.integers(0, n - 1))
    column = data.draw(st.sampled_from(["payload", "leaf_hash"]))
    path = _sqlite_path(url)
    conn = sqlite3.connect(path)
    value = bytearray(
        conn.execute(f"select {column} from aims_log_entries where idx=?", (index,)).fetchone()[0]
    )
    conn.close()
    pos = data.draw(st.integers(0, len(value) - 1))
    value[pos] ^= data.draw(st.integers(1, 255))
    _tamper(path, f"update aims_log_entries set {column}=? where idx=?", (bytes(value), index))
    assert _problems(log), f"undetected change to {column} of entry {index}"
    log.close()


def _appender(url: str, worker: int, count: int) -> None:
    store = LogStore.open(url)
    for i in range(count):
        store.append([("decision", f"w{worker}", {"i": i})])
    store.close()


def test_concurrent_appenders_keep_one_consistent_tree(store_url: str) -> None:
    LogStore.open(store_url).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_appender, args=(store_url, w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = LogStore.open(store_url)
    log = TransparencyLog(store, SIGNER)
    log.checkpoint()
    report = verify_store(store, [SIGNER.verifier])
    assert report.ok, report.problems
    assert report.size == 160


CRASH_WRITER = """
import sys
from aims.ledger.store import LogStore
store = LogStore.open(sys.argv[1])
i = 0
while True:
    [index] = store.append([("decision", "crash", {"i": i})])
    print(index, flush=True)
    i += 1
"""


def test_kill_9_during_appends_loses_no_acknowledged_entry(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    LogStore.open(url).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH_WRITER, url], stdout=subprocess.PIPE, text=True
    )
    acknowledged = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            acknowledged.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = LogStore.open(url)
    indexes = {e.index for e in store.iter_entries()}
    assert set(acknowledged) <= indexes
    log = TransparencyLog(store, SIGNER)
    log.checkpoint()
    report = verify_store(store, [SIGNER.verifier])
    assert report.ok, report.problems


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_every_stored_proof_verifies(tmp_path_factory, data) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('proofs') / 'p.db'}"
    store = LogStore.open(url)
    n = data.draw(st.integers(1, 70))
    batch = data.draw(st.integers(1, 16))
    for start in range(0, n, batch):
        store.append([("decision", "s", {"i": i}) for i in range(start, min(n, start + batch))])
    size = data.draw(st.integers(1, n))
    index = data.draw(st.integers(0, size - 1))
    leaf = store.entry(index)
    assert leaf is not None
    verify_inclusion(
        index, size, leaf.leaf_hash, store.inclusion_proof(index, size), store.root(size)
    )
    old = data.draw(st.integers(0, size))
    proof = store.consistency_proof(old, size)
    verify_consistency(old, size, store.root(old), store.root(size), proof)
    store.close()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_any_single_byte_change_to_a_stored_checkpoint_is_detected(tmp_path_factory, data) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('cp') / 'c.db'}"
    log = TransparencyLog(LogStore.open(url), SIGNER)
    _fill(log, data.draw(st.integers(1, 30)), every=data.draw(st.integers(1, 8)))
    cps = log.store.checkpoints_list()
    which = data.draw(st.integers(1, len(cps)))
    column = data.draw(st.sampled_from(["note", "root_hash"]))
    path = _sqlite_path(url)
    conn = sqlite3.connect(path)
    value = conn.execute(
        f"select {column} from aims_log_checkpoints where id=?", (which,)
    ).fetchone()[0]
    conn.close()
    raw = bytearray(value.encode() if isinstance(value, str) else value)
    pos = data.draw(st.integers(0, len(raw) - 1))
    raw[pos] ^= data.draw(st.integers(1, 127))
    new = bytes(raw).decode("utf-8", errors="replace") if column == "note" else bytes(raw)
    _tamper(path, f"update aims_log_checkpoints set {column}=? where id=?", (new, which))
    assert _problems(log), f"undetected change to {column} of checkpoint {which} at byte {pos}"
    log.close()
