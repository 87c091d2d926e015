"""Exports: OSCAL documents valid against the official schema; stable gap tickets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aims.cli.main import app

from . import oscal

runner = CliRunner()
OSCAL_FORMATS = ["oscal-catalog", "oscal-profile", "oscal-ssp", "oscal-assessment-results"]


def _export(project: Path, fmt: str, *extra: str) -> str:
    result = runner.invoke(
        app, ["export", str(project), "-f", fmt, "--today", "2026-11-29", *extra]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_validator_really_checks() -> None:
    assert oscal.errors({"catalog": {"uuid": "x"}}) != []
    bad_id = {
        "catalog": {
            "uuid": "6f1d0f8e-6c51-5b7e-9a3e-2d0b6a4c7e11",
            "metadata": {
                "title": "t",
                "last-modified": "2026-11-29T00:00:00Z",
                "version": "1",
                "oscal-version": "1.0.4",
            },
            "controls": [{"id": "4.1", "title": "starts with a digit"}],
        }
    }
    assert oscal.errors(bad_id) != []
    bad_id["catalog"]["controls"][0]["id"] = "clause-4.1"  # type: ignore[index]
    assert oscal.errors(bad_id) == []


@pytest.mark.parametrize("fmt", OSCAL_FORMATS)
def test_oscal_documents_are_schema_valid(project: Path, fmt: str) -> None:
    doc = json.loads(_export(project, fmt))
    assert oscal.errors(doc) == []
    assert json.loads(_export(project, fmt)) == doc  # stable UUIDs


def test_oscal_content(project: Path) -> None:
    cat = json.loads(_export(project, "oscal-catalog"))["catalog"]
    assert [g["id"] for g in cat["groups"]] == ["clauses"] + [f"A.{n}" for n in range(2, 11)]
    assert sum(len(g["controls"]) for g in cat["groups"]) == 32 + 38
    soa = project / ".aims/soa.yaml"
    soa.write_text(
        soa.read_text().replace(
            '{id: "A.10.4", applicable: true',
            '{id: "A.10.4", applicable: false, justification: "no customers"',
        )
    )
    ids = json.loads(_export(project, "oscal-profile"))["profile"]["imports"][0][
        "include-controls"
    ][0]["with-ids"]
    assert len(ids) == 32 + 37 and "A.10.4" not in ids and ids[0] == "clause-4.1"
    ssp = json.loads(_export(project, "oscal-ssp"))["system-security-plan"]
    req = {r["control-id"]: r for r in ssp["control-implementation"]["implemented-requirements"]}
    assert req["A.10.4"]["props"] == [{"name": "implementation-status", "value": "not-applicable"}]
    assert req["clause-6.1.4"]["props"][0]["value"] == "planned"
    assert ssp["system-implementation"]["components"][0]["title"] == "Customer support assistant"


def test_gap_tickets_are_stable_and_fixed_gaps_close(project: Path, tmp_path: Path) -> None:
    first = _export(project, "github-issues")
    issues = json.loads(first)
    by_id = {i["gap_id"]: i for i in issues}
    assert "GAP-6.1.4" in by_id and "GAP-A.5.2" in by_id
    assert by_id["GAP-6.1.4"]["state"] == "open"
    assert "<!-- aims-gap: GAP-6.1.4 -->" in by_id["GAP-6.1.4"]["body"]
    assert len(by_id) == len(issues)
    assert _export(project, "github-issues") == first

    previous = tmp_path / "issues.json"
    previous.write_text(first)
    (project / ".aims/impact-assessments").mkdir()
    (project / ".aims/impact-assessments/chatbot.yaml").write_text(
        "id: AIIA-1\nsystem: support-chatbot\nassessed_on: 2026-11-01\nassessor: compliance-lead\n"
        "signoff: {by: cto, signed_on: 2026-11-02}\n"
    )
    again = {
        i["gap_id"]: i
        for i in json.loads(_export(project, "github-issues", "--previous", str(previous)))
    }
    assert again["GAP-6.1.4"]["state"] == "closed"
    assert again["GAP-8.4"]["state"] == "closed"
    assert again["GAP-A.5.2"]["state"] == "open"  # the SoA still says not started
    assert [g for g, i in again.items() if i["state"] == "closed"] == ["GAP-6.1.4", "GAP-8.4"]


def test_jira_csv_round_trip(project: Path, tmp_path: Path) -> None:
    text = _export(project, "jira-csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0].keys() == {
        "Summary",
        "Description",
        "Issue Type",
        "Priority",
        "Labels",
        "Assignee",
        "External ID",
        "Status",
    }
    row = next(r for r in rows if r["External ID"] == "GAP-A.2.2")
    assert row["Status"] == "To Do" and row["Assignee"] == "compliance-lead"
    assert row["Summary"] == "A.2.2 Documented AI policy: partial"
    previous = tmp_path / "prev.csv"
    previous.write_text(text)
    soa = project / ".aims/soa.yaml"
    soa.write_text(
        soa.read_text().replace(
            '{id: "A.2.2", applicable: true, status: not-started',
            '{id: "A.2.2", applicable: true, status: implemented',
        )
    )
    rows2 = {
        r["External ID"]: r
        for r in csv.DictReader(
            io.StringIO(_export(project, "jira-csv", "--previous", str(previous)))
        )
    }
    assert rows2["GAP-A.2.2"]["Status"] == "Done"
    assert len(rows2) == len(rows)


def test_unknown_format(project: Path) -> None:
    result = runner.invoke(app, ["export", str(project), "-f", "oscal-poam"])
    assert result.exit_code == 2
    assert "must be one of" in result.stderr
