"""`aims monitor` end to end on the bundled credit-scoring example."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aims.cli.main import app
from aims.monitor.history import History

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/monitoring"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("reference.csv", "current.csv", "monitor.yaml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    shutil.copytree(EXAMPLE / ".aims/systems", tmp_path / ".aims/systems")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["monitor", *args])


def test_drifting_unfair_month_opens_an_incident(workdir: Path) -> None:
    result = _run(
        "run",
        "--reference",
        "reference.csv",
        "--current",
        "current.csv",
        "--config",
        "monitor.yaml",
        "--format",
        "json",
    )
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    drifted = set(data["drift"]["dataset"]["drifted_columns"])
    assert {"income", "debt_ratio", "channel"} <= drifted and "age_band" not in drifted
    dpr = data["fairness"]["group"]["metrics"]["demographic_parity_ratio"]["value"]
    assert dpr < 0.8
    assert data["fairness"]["age_band"]["metrics"]["demographic_parity_ratio"]["value"] > 0.8
    metrics = {b["metric"] for b in data["breaches"]}
    assert "demographic_parity_ratio[group]" in metrics and "drift_share" in metrics
    incident = yaml.safe_load(Path(data["incident"]).read_text())
    assert incident["system"] == "credit-scoring" and incident["severity"] == "high"
    assert incident["eu_ai_act"]["article"] == "73"  # the system record says high-risk
    assert "incident opened" in result.stderr


def test_same_month_is_within_thresholds(workdir: Path) -> None:
    result = _run(
        "run",
        "--reference",
        "reference.csv",
        "--current",
        "reference.csv",
        "--config",
        "monitor.yaml",
    )
    assert result.exit_code == 0, result.stdout
    assert "No threshold breached." in result.stdout
    assert not (workdir / ".aims/incidents").exists()


def test_html_report_and_history(workdir: Path) -> None:
    for current in ("reference.csv", "current.csv"):
        _run(
            "run",
            "--reference",
            "reference.csv",
            "--current",
            current,
            "--config",
            "monitor.yaml",
            "--format",
            "html",
            "-o",
            "report.html",
            "--exit-zero",
        )
    html = (workdir / "report.html").read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html and "polyline" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "demographic_parity_ratio" in html
    history = _run("history", "credit-scoring", "--format", "json")
    rows = json.loads(history.stdout)
    assert [r["breaches"] > 0 for r in rows] == [False, True]


def test_bad_inputs_give_clear_errors(workdir: Path) -> None:
    missing = _run("run", "--reference", "nope.csv", "--current", "current.csv")
    assert missing.exit_code == 3 and "nope.csv" in missing.stderr
    column = _run(
        "run", "--reference", "reference.csv", "--current", "current.csv", "--target", "nope"
    )
    assert column.exit_code == 2 and "column 'nope' is not in the data" in column.stderr
    (workdir / "bad.yaml").write_text("drift:\n  wasserstien: 0.2\n")
    config = _run(
        "run", "--reference", "reference.csv", "--current", "current.csv", "--config", "bad.yaml"
    )
    assert config.exit_code == 3 and "bad.yaml" in config.stderr and "wasserstien" in config.stderr
    assert "Traceback" not in missing.output + column.output + config.output


def test_parquet_and_database_sources(workdir: Path) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    import sqlalchemy

    pq.write_table(pcsv.read_csv("current.csv"), "current.parquet")
    url = f"sqlite:///{workdir / 'data.db'}"
    engine = sqlalchemy.create_engine(url)
    pcsv.read_csv("reference.csv").to_pandas().to_sql("loans", engine, index=False)
    engine.dispose()
    result = _run(
        "run",
        "--reference",
        url,
        "--reference-query",
        "select * from loans",
        "--current",
        "current.parquet",
        "--config",
        "monitor.yaml",
        "--format",
        "json",
        "--no-history",
        "--no-incident",
    )
    data = json.loads(result.stdout)
    assert data["reference"]["rows"] == 4000 and data["current"]["rows"] == 4000
    assert "income" in data["drift"]["dataset"]["drifted_columns"]


@pytest.mark.postgres
def test_history_on_postgresql() -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    base = "postgresql+psycopg://root@127.0.0.1:5432/test"
    try:
        engine = sqlalchemy.create_engine(base)
        with engine.begin() as conn:
            schema = f"aims_m_{uuid.uuid4().hex[:10]}"
            conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no local PostgreSQL
        pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
    try:
        store = History(f"{base}?options=-csearch_path%3D{schema}")
        run = {
            "system": "s",
            "model_version": "1",
            "run_at": "2026-11-29T00:00:00Z",
            "current": {"rows": 10},
            "drift": {"dataset": {"drift_share": 0.25}},
            "breaches": [],
            "performance": {},
            "fairness": {},
        }
        store.add_run(run)
        store.save_reference("k", {"format": "x"})
        assert store.runs_of("s")[0]["drift"]["dataset"]["drift_share"] == 0.25
        assert store.reference("k") == {"format": "x"}
        store.close()
    finally:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
