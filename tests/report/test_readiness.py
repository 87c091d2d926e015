"""Readiness report: golden output for the starter set; statuses follow the evidence."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aims.cli.main import app
from aims.records.io import load_records
from aims.report.evidence import Project, known_token
from aims.report.readiness import Readiness, build
from aims.report.render import render
from aims.standards import iso42001

from .conftest import TODAY

GOLDEN = Path(__file__).parent / "golden"
runner = CliRunner()


def _report(root: Path) -> Readiness:
    return build(Project(root, load_records(root)), TODAY)


def _status(report: Readiness, ident: str) -> str:
    return next(i.status for i in report.clauses + report.controls if i.id == ident)


def test_every_evidence_token_in_the_standards_data_resolves() -> None:
    data = iso42001()
    tokens = {t for item in [*data.clauses, *data.controls] for t in item.evidence}
    assert sorted(t for t in tokens if not known_token(t)) == []


@pytest.mark.parametrize("fmt,suffix", [("markdown", "md"), ("json", "json")])
def test_golden_starter_report(project: Path, fmt: str, suffix: str) -> None:
    text = render(_report(project), fmt)
    golden = GOLDEN / f"starter.{suffix}"
    if os.environ.get("AIMS_UPDATE_GOLDEN"):
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")


def test_starter_figures(project: Path) -> None:
    report = _report(project)
    assert report.score == 40
    assert report.counts["clauses"] == {
        "implemented": 14,
        "partial": 4,
        "missing": 14,
        "not-applicable": 0,
    }
    assert report.counts["controls"] == {
        "implemented": 0,
        "partial": 24,
        "missing": 14,
        "not-applicable": 0,
    }
    assert report.next_steps[0] == (
        "Classify support-chatbot under the EU AI Act: `aims classify support-chatbot`"
    )


def test_statuses_follow_evidence(project: Path) -> None:
    before = _report(project)
    assert _status(before, "8.1") == "missing"
    (project / "aims-policy.yaml").write_text("version: 1\n")
    assert _status(_report(project), "8.1") == "partial"
    (project / ".github/workflows").mkdir(parents=True)
    (project / ".github/workflows/ci.yml").write_text(
        "jobs:\n  gate:\n    steps:\n      - run: aims check .\n"
    )
    report = _report(project)
    assert _status(report, "8.1") == "partial"
    item = next(i for i in report.clauses if i.id == "8.1")
    assert item.found == ["aims-policy.yaml", ".github/workflows/ci.yml"]
    assert item.missing == ["no scan results given (--inventory)"]

    soa = project / ".aims/soa.yaml"
    soa.write_text(
        soa.read_text().replace(
            '{id: "A.2.2", applicable: true, status: not-started',
            '{id: "A.2.2", applicable: true, status: implemented',
        )
    )
    assert _status(_report(project), "A.2.2") == "implemented"
    (project / ".aims/policy.yaml").unlink()
    after = _report(project)
    assert _status(after, "A.2.2") == "partial"
    assert (
        next(i for i in after.controls if i.id == "A.2.2").note
        == "the SoA says implemented but evidence is missing"
    )
    assert _status(after, "5.2") == "missing"

    soa.write_text(
        soa.read_text().replace(
            '{id: "A.10.4", applicable: true',
            '{id: "A.10.4", applicable: false, justification: "no business customers"',
        )
    )
    final = _report(project)
    assert _status(final, "A.10.4") == "not-applicable"
    assert final.counts["controls"]["not-applicable"] == 1


def test_html_is_self_contained_and_cli_writes_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", str(project), "--format", "html", "-o", str(out), "--today", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "readiness 40/100" in result.stderr
    html = out.read_text()
    assert html.count("<svg") == 5
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html)
    assert "<script" not in html
    assert "@media print" in html
    assert "support-chatbot" in html


def test_json_cli_on_stdout(project: Path) -> None:
    result = runner.invoke(app, ["report", str(project), "-f", "json", "--today", "2026-11-29"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["schema"] == "aims/readiness/1"
    assert len(doc["clauses"]) == 32 and len(doc["controls"]) == 38
    bad = runner.invoke(app, ["report", str(project), "-f", "pdf"])
    assert bad.exit_code == 2


def test_art73_deadline_for_a_manual_incident_of_a_high_risk_system(project: Path) -> None:
    system = project / ".aims/systems/support-chatbot.yaml"
    system.write_text(
        system.read_text().replace("review_date:", "eu_ai_act_tier: high-risk\nreview_date:")
    )
    (project / ".aims/impact-assessments").mkdir()
    (project / ".aims/impact-assessments/a.yaml").write_text(
        "id: AIIA-1\nsystem: support-chatbot\nassessed_on: 2026-11-01\nassessor: ml-lead\n"
    )
    (project / ".aims/incidents").mkdir()
    (project / ".aims/incidents/INC-7.yaml").write_text(
        "id: INC-7\nsystem: support-chatbot\ntitle: Wrong refund amounts quoted\n"
        "detected_at: 2026-11-20T09:30:00Z\nseverity: high\nowner: ml-lead\n"
    )
    report = _report(project)
    assert report.errors == []
    assert report.open_incidents == [
        {
            "id": "INC-7",
            "system": "support-chatbot",
            "severity": "high",
            "status": "open",
            "title": "Wrong refund amounts quoted",
            "report_by": "2026-12-05",
            "path": ".aims/incidents/INC-7.yaml",
        }
    ]
    assert (
        "- INC-7 (high, open) Wrong refund amounts quoted; report by 2026-12-05 (EU AI Act Art. 73)"
        in render(report, "markdown")
    )
