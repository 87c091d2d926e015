"""The management review input pack gathers actions, nonconformities, audits, incidents, risks."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from aims.cli.main import app

runner = CliRunner()


def test_review_inputs_from_records(project: Path) -> None:
    aims = project / ".aims"
    (aims / "management-reviews").mkdir()
    (aims / "management-reviews/MR-2026-1.yaml").write_text(
        "id: MR-2026-1\nheld_on: 2026-06-01\nchair: cto\n"
        "actions:\n  - {action: Train support agents on AI escalation, owner: ml-lead, due_date: 2026-09-01}\n"
    )
    (aims / "nonconformities").mkdir()
    (aims / "nonconformities/NC-1.yaml").write_text(
        "id: NC-1\ntitle: Risk review skipped for a model change\nfound_on: 2026-07-02\nowner: ml-lead\n"
        "corrective_actions:\n  - {action: Add the risk review to the release checklist, status: open}\n"
    )
    (aims / "incidents").mkdir()
    (aims / "incidents/INC-1.yaml").write_text(
        "id: INC-1\nsystem: support-chatbot\ntitle: Old incident\ndetected_at: 2026-05-01\n"
    )
    (aims / "incidents/INC-2.yaml").write_text(
        "id: INC-2\nsystem: support-chatbot\ntitle: Hallucinated refund policy\ndetected_at: 2026-08-03\nseverity: high\n"
    )
    risk = aims / "risks/RISK-001.yaml"
    risk.write_text(risk.read_text().replace("residual_impact: 2", "residual_impact: 3"))
    result = runner.invoke(
        app, ["report", str(project), "-f", "review-inputs", "--today", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "changes since the last review on 2026-06-01." in text
    assert (
        "- MR-2026-1: Train support agents on AI escalation — open, owner ml-lead, due 2026-09-01"
        in text
    )
    assert (
        "- NC-1 (open, found 2026-07-02): Risk review skipped for a model change; 1 open action(s)"
        in text
    )
    assert "- INC-2 (high, open): Hallucinated refund policy" in text
    assert "Old incident" not in text
    assert (
        "- RISK-001: The assistant states wrong order or refund information (residual 6, owner ml-lead)"
        in text
    )
