"""`make demo`: the CLI scan of examples/demo-app finds what the demo's golden file says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aims.accuracy.corpus import load_corpus
from aims.accuracy.matching import match_repo
from aims.accuracy.runner import measurable_types, present_detector_modules
from aims.cli.main import app

HERE = Path(__file__).resolve().parent
DEMO = load_corpus(HERE / "repos", only=["demo-app"])[0]
ENV = {"AIMS_NO_CACHE": "1", "NO_COLOR": "1", "AIMS_JOBS": "1"}

pytestmark = pytest.mark.accuracy


def test_demo_scan_prints_the_table_and_matches_its_truth() -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["scan", str(DEMO.root), "--no-progress"], env=ENV)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.startswith("AI inventory of demo-app")
    for model in ("gpt-4o-mini", "claude-3-5-haiku-20241022", "text-embedding-3-small"):
        assert model in table.stdout
    assert table.stderr.startswith("scanned 16 files in ")

    result = runner.invoke(
        app, ["scan", str(DEMO.root), "--no-progress", "--format", "json"], env=ENV
    )
    assert result.exit_code == 0, result.stderr
    from aims.output.json_v1 import load_inventory

    inventory = load_inventory(result.stdout)
    outcome = match_repo("demo-app", DEMO.expected, inventory.components)
    measured = set(measurable_types(present_detector_modules()))
    misses = [m for m in outcome.misses if m.type in measured]
    assert misses == [], misses
    assert outcome.false_positives == []


def test_demo_aibom_is_written(tmp_path: Path) -> None:
    target = tmp_path / "aibom.cdx.json"
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(DEMO.root),
            "--no-progress",
            "--format",
            "cyclonedx",
            "--reproducible",
            "--output",
            str(target),
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    bom = json.loads(target.read_text(encoding="utf-8"))
    assert (bom["bomFormat"], bom["specVersion"]) == ("CycloneDX", "1.6")
    models = {c["name"] for c in bom["components"] if c["type"] == "machine-learning-model"}
    assert {"gpt-4o", "gpt-4o-mini", "claude-3-5-haiku-20241022"} <= models
    purls = {c.get("purl") for c in bom["components"]}
    assert "pkg:pypi/openai@1.54.3" in purls
    again = tmp_path / "again.cdx.json"
    CliRunner().invoke(
        app,
        [
            "scan",
            str(DEMO.root),
            "--no-progress",
            "-f",
            "cyclonedx",
            "--reproducible",
            "-o",
            str(again),
        ],
        env=ENV,
    )
    assert again.read_bytes() == target.read_bytes()
