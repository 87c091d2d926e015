"""`aims log` and `aims oversight` from the command line, as a user runs them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aims.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIMS_LOG_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def _record(tmp: Path, n: int = 12) -> None:
    from aims.oversight import Oversight, RoutingRules

    ov = Oversight.open(
        "loans",
        url=f"sqlite:///{tmp / '.aims/log/decisions.db'}",
        key_path=tmp / "keys/log.key",
        rules=RoutingRules(confidence_below=0.5),
    )
    for i in range(n):
        with ov.decision(input=i) as d:
            d.record(output=i % 2, confidence=i / n)
    ov.close()


def test_keygen_record_verify_and_tamper(env: Path) -> None:
    result = _run("log", "keygen", "--name", "example.org/loans")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("example.org/loans+")
    assert (env / "keys/log.key").stat().st_mode & 0o777 == 0o600
    (env / ".aims/log").mkdir(parents=True)
    _record(env)
    ok = _run("log", "verify")
    assert ok.exit_code == 0 and "verified decision log: 12 entries" in ok.stderr
    db = env / ".aims/log/decisions.db"
    with sqlite3.connect(db) as conn:
        payload = conn.execute("select payload from aims_log_entries where idx=4").fetchone()[0]
        conn.execute(
            "update aims_log_entries set payload=? where idx=4",
            (payload.replace(b'"output":0', b'"output":1'),),
        )
    bad = _run("log", "verify")
    assert bad.exit_code == 1
    assert "entry 4: content does not match its leaf hash" in bad.stderr


def test_export_bundle_and_verify_offline(env: Path) -> None:
    assert _run("log", "keygen").exit_code == 0
    (env / ".aims/log").mkdir(parents=True)
    _record(env)
    assert _run("log", "export", "-o", "bundle.json").exit_code == 0
    # The bundle verifies with no database and no key directory.
    (env / ".aims/log/decisions.db").unlink()
    result = _run("log", "verify", "--bundle", "bundle.json", "--public-key", "keys/log.key.pub")
    assert result.exit_code == 0, result.stderr
    assert "verified bundle bundle.json: 12 entries" in result.stderr
    data = json.loads((env / "bundle.json").read_text())
    data["leaf_hashes"][3] = "00" * 32
    (env / "bad.json").write_text(json.dumps(data))
    assert _run("log", "verify", "--bundle", "bad.json").exit_code == 1


def test_entry_proof_and_checkpoint_consistency(env: Path) -> None:
    _run("log", "keygen")
    (env / ".aims/log").mkdir(parents=True)
    _record(env, 5)
    old = _run("log", "checkpoint")
    (env / "old.txt").write_text(old.stdout)
    _record(env, 7)
    assert _run("log", "prove", "3", "-o", "p.json").exit_code == 0
    proof = _run("log", "verify", "--proof", "p.json")
    assert proof.exit_code == 0 and "verified entry 3" in proof.stderr
    pair = _run("log", "verify", "--old-checkpoint", "old.txt")
    assert pair.exit_code == 0 and "extends the one at 5" in pair.stderr


def test_oversight_halt_queue_review_stats(env: Path) -> None:
    _run("log", "keygen")
    (env / ".aims/log").mkdir(parents=True)
    _record(env)
    queue = _run("oversight", "queue", "--format", "json")
    items = json.loads(queue.stdout)
    assert len(items) == 6 and items[0]["system"] == "loans"
    review = _run(
        "oversight",
        "review",
        str(items[0]["decision_index"]),
        "--system",
        "loans",
        "--reviewer",
        "ana",
        "--verdict",
        "override",
    )
    assert review.exit_code == 2 and "rationale" in review.stderr
    assert _run("oversight", "halt", "loans", "--reason", "drift", "--by", "ana").exit_code == 0
    stats = _run("oversight", "stats", "--format", "json")
    data = json.loads(stats.stdout)
    assert data["systems"]["loans"]["kill_switch_events"] == 1
    assert data["systems"]["loans"]["routed_to_review"] == 6
    text = _run("oversight", "stats")
    assert "loans" in text.stdout and "halt" in text.stdout


def test_usage_and_tool_errors(env: Path) -> None:
    missing = _run("log", "verify", "--db", "nope.db")
    assert missing.exit_code == 3 and "no decision log at nope.db" in missing.stderr
    assert "Traceback" not in missing.output
    assert _run("log", "prune", "--retention-days", "30").exit_code == 2
    assert _run("log", "verify", "--bundle", "missing.json").exit_code == 3


def test_documented_example_runs(tmp_path: Path) -> None:
    script = ROOT / "examples/oversight/credit_review.py"
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert "blocked: AI system 'credit-scoring' is halted" in out.stdout
    assert "bundle verified: True (101 entries" in out.stdout
