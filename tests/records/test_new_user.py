"""A new user: `aims init && aims validate && aims report --format html` in an empty folder."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from aims.cli.main import app

runner = CliRunner()


def test_init_validate_report_in_an_empty_folder(tmp_path: Path) -> None:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        init = runner.invoke(app, ["init", "--today", "2026-11-29"])
        assert init.exit_code == 0, init.output
        assert init.stdout == ""
        assert "wrote 11 records under .aims" in init.stderr
        assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.yaml")) == [
            ".aims/context.yaml",
            ".aims/datasets/help-articles.yaml",
            ".aims/exceptions.yaml",
            ".aims/objectives.yaml",
            ".aims/policy.yaml",
            ".aims/risk-criteria.yaml",
            ".aims/risks/RISK-001.yaml",
            ".aims/roles.yaml",
            ".aims/soa.yaml",
            ".aims/suppliers/llm-provider.yaml",
            ".aims/systems/support-chatbot.yaml",
        ]
        again = runner.invoke(app, ["init"])
        assert again.exit_code == 2 and "--force" in again.stderr

        valid = runner.invoke(app, ["validate", "--today", "2026-11-29"])
        assert valid.exit_code == 0, valid.output
        assert valid.stdout == ""
        assert "11 records checked: 0 error(s), 0 warning(s)" in valid.stderr

        report = runner.invoke(app, ["report", "--format", "html", "--today", "2026-11-29"])
        assert report.exit_code == 0
        html = report.stdout
        assert "<h2>What to do first</h2>" in html
        assert (
            "Classify support-chatbot under the EU AI Act: <code>aims classify support-chatbot</code>"
            in html
        )
    finally:
        os.chdir(old)
