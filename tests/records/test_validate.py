"""Validation messages: file:line, nearest IDs, cross-references, exceptions, shadow AI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from aims.cli.main import app
from aims.inventory import Component, ComponentType, Evidence, Inventory
from aims.output.json_v1 import to_document
from aims.records.io import load_records
from aims.records.validate import validate

from .conftest import TODAY

runner = CliRunner()


def _messages(
    project: Path, today: date = TODAY, inventories: tuple[Inventory, ...] = ()
) -> list[str]:
    found = validate(load_records(project), today=today, inventories=inventories)
    return [m.render() for m in found if m.suppressed is None]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_starter_set_is_valid(project: Path) -> None:
    assert _messages(project) == []


def test_wrong_control_id_names_file_line_and_nearest(project: Path) -> None:
    _edit(project / ".aims/risks/RISK-001.yaml", '"A.6.2.4"', '"A.6.2.9"')
    assert _messages(project) == [
        ".aims/risks/RISK-001.yaml:15: error[AIM802]: controls.0: unknown ISO/IEC 42001 clause or "
        "Annex A control 'A.6.2.9' (did you mean 'A.6.2.8'?)"
    ]


def test_wrong_control_id_in_soa_via_cli(project: Path) -> None:
    _edit(project / ".aims/soa.yaml", '{id: "A.5.3"', '{id: "A.5.33"')
    result = runner.invoke(app, ["validate", str(project), "--today", "2026-11-29"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        ".aims/soa.yaml:23: error[AIM802]: controls.11.id: unknown Annex A control 'A.5.33' (did you mean 'A.5.3'?)"
        in lines
    )
    assert any("misses 1 of the 38 Annex A controls: A.5.3" in line for line in lines)
    assert "2 error(s), 0 warning(s)" in result.stderr


def test_unknown_key_and_bad_value(project: Path) -> None:
    _edit(project / ".aims/systems/support-chatbot.yaml", "purpose:", "purpse:")
    _edit(
        project / ".aims/systems/support-chatbot.yaml", "lifecycle: development", "lifecycle: live"
    )
    msgs = _messages(project)
    assert (
        msgs[0]
        == ".aims/systems/support-chatbot.yaml:6: error[AIM801]: purpse: unknown key (did you mean 'purpose'?)"
    )
    assert msgs[1].startswith(
        ".aims/systems/support-chatbot.yaml:9: error[AIM801]: lifecycle: Input should be"
    )


def test_owner_not_in_roles_and_dangling_reference(project: Path) -> None:
    _edit(project / ".aims/systems/support-chatbot.yaml", "owner: ml-lead", "owner: ml-led")
    _edit(
        project / ".aims/systems/support-chatbot.yaml",
        "suppliers: [llm-provider]",
        "suppliers: [llm-provider, acme]",
    )
    assert _messages(project) == [
        ".aims/systems/support-chatbot.yaml:5: error[AIM803]: owner: 'ml-led' is not a person in roles.yaml "
        "(did you mean 'ml-lead'?)",
        ".aims/systems/support-chatbot.yaml:16: error[AIM804]: suppliers.1: no supplier with ID 'acme' "
        "(create the supplier record first)",
    ]


def test_soa_missing_controls(project: Path) -> None:
    soa = project / ".aims/soa.yaml"
    soa.write_text(
        "\n".join(line for line in soa.read_text().splitlines() if "A.10." not in line) + "\n"
    )
    assert _messages(project) == [
        ".aims/soa.yaml:9: error[AIM806]: the Statement of Applicability misses 3 of the 38 Annex A "
        "controls: A.10.2, A.10.3, A.10.4 (every control must be listed, applicable or excluded "
        "with a justification)"
    ]


def test_overdue_review_warns_and_expired_exception_fails(project: Path) -> None:
    (project / ".aims/exceptions.yaml").write_text(
        "kind: exceptions\nexceptions:\n"
        "  - id: EXC-1\n"
        "    scope: {component: 'model:gpt-4-turbo*'}\n"
        "    reason: legacy service migrates next quarter\n"
        "    requested_by: ml-lead\n"
        "    approved_by: cto\n"
        "    approved_on: 2026-01-10\n"
        "    expires_on: 2026-04-10\n"
    )
    later = date(2028, 1, 1)
    msgs = _messages(project, today=later)
    assert (
        ".aims/exceptions.yaml:9: error[AIM807]: exception EXC-1 expired on 2026-04-10 (renew it with a new approval, or remove it and fix the deviation)"
        in msgs
    )
    assert (
        ".aims/systems/support-chatbot.yaml:20: warning[AIM811]: review overdue since 2027-11-29"
        in msgs
    )
    result = runner.invoke(app, ["validate", str(project), "--today", "2028-01-01"])
    assert result.exit_code == 1


def test_high_risk_without_impact_assessment(project: Path) -> None:
    _edit(
        project / ".aims/systems/support-chatbot.yaml",
        "review_date:",
        "eu_ai_act_tier: high-risk\nreview_date:",
    )
    assert _messages(project) == [
        ".aims/systems/support-chatbot.yaml:20: error[AIM809]: high-risk system 'support-chatbot' has no "
        "impact assessment (add .aims/impact-assessments/support-chatbot.yaml with `system: support-chatbot`)"
    ]
    (project / ".aims/impact-assessments").mkdir()
    (project / ".aims/impact-assessments/support-chatbot.yaml").write_text(
        "id: AIIA-1\nsystem: support-chatbot\nassessed_on: 2026-11-01\nassessor: compliance-lead\n"
    )
    assert _messages(project) == []


def _inventory() -> Inventory:
    return Inventory(
        roots=["."],
        components=[
            Component(
                type=ComponentType.SDK,
                name="openai",
                ecosystem="pypi",
                evidence=[Evidence(path="services/support/app.py", line=2)],
            ),
            Component(
                type=ComponentType.SDK,
                name="anthropic",
                ecosystem="pypi",
                evidence=[Evidence(path="tools/summarise.py", line=4)],
            ),
            Component(
                type=ComponentType.MODEL,
                name="claude-3-5-sonnet",
                provider="anthropic",
                evidence=[Evidence(path="tools/summarise.py", line=9)],
            ),
            Component(
                type=ComponentType.SECRET,
                name="openai-api-key",
                evidence=[Evidence(path="tools/.env", line=1)],
            ),
        ],
    )


def test_shadow_ai_from_a_scan(project: Path, tmp_path: Path) -> None:
    scan = tmp_path / "scan.json"
    scan.write_text(json.dumps(to_document(_inventory(), reproducible=True)))
    result = runner.invoke(
        app, ["validate", str(project), "--inventory", str(scan), "--today", "2026-11-29"]
    )
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "tools/summarise.py:4: error[AIM810]: shadow AI: sdk:anthropic belongs to no registered AI system "
        "(add `sdk:anthropic` to `components:` (or its folder to `paths:`) of a system in .aims/systems/)",
        "tools/summarise.py:9: error[AIM810]: shadow AI: model:claude-3-5-sonnet belongs to no registered "
        "AI system (add `model:claude-3-5-sonnet` to `components:` (or its folder to `paths:`) of a "
        "system in .aims/systems/)",
    ]
    _edit(
        project / ".aims/systems/support-chatbot.yaml",
        'paths: ["services/support/**"]',
        'paths: ["services/support/**", "tools/**"]',
    )
    result = runner.invoke(
        app, ["validate", str(project), "-i", str(scan), "--today", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output


def test_monitor_incident_is_accepted(project: Path) -> None:
    from aims.monitor.incidents import open_incident

    open_incident(
        {
            "system": "support-chatbot",
            "run_at": "2026-11-20T10:00:00Z",
            "reference": "ref.csv",
            "current": "cur.csv",
            "model_version": "v3",
        },
        [{"kind": "drift", "severity": "high", "metric": "psi", "value": 0.4, "threshold": 0.2}],
        aims_dir=project / ".aims",
        tier="high-risk",
    )
    records = load_records(project)
    assert [r.kind for r in records.of("incident")] == ["incident"]
    assert _messages(project) == []


def test_no_records_folder_is_a_tool_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 3
    assert "no records folder" in result.stderr
    assert "aims init" in result.stderr


def test_untreated_risk_above_acceptance_warns(project: Path) -> None:
    risk = project / ".aims/risks/RISK-001.yaml"
    _edit(risk, "  option: mitigate", "  option: accept")
    assert _messages(project) == []  # residual 2 x 2 = 4 is within the acceptance level
    _edit(risk, "residual_impact: 2", "residual_impact: 3")
    assert _messages(project) == [
        ".aims/risks/RISK-001.yaml:12: warning[AIM812]: residual score 6 is above the acceptance level (4) "
        "and the risk is not treated (plan a treatment (mitigate, transfer, avoid), or have the "
        "acceptance approved in a management review)"
    ]


def test_expired_exception_in_the_policy_file_fails(project: Path) -> None:
    (project / "aims-policy.yaml").write_text(
        "version: 1\napprovers: [cto]\nexceptions:\n"
        "  - id: EXC-9\n"
        "    scope: {rule: AIM701}\n"
        "    reason: migrating the legacy summariser\n"
        "    requested_by: ml-lead\n"
        "    approved_by: cto\n"
        "    approved_on: 2026-01-10\n"
        "    expires_on: 2026-03-31\n"
    )
    assert _messages(project) == [
        "aims-policy.yaml:10: error[AIM807]: exception EXC-9 expired on 2026-03-31 (renew it with a new "
        "approval, or remove it and fix the deviation)"
    ]
    assert _messages(project, today=date(2026, 3, 1)) == []


def test_inline_suppression_needs_a_reason(project: Path) -> None:
    system = project / ".aims/systems/support-chatbot.yaml"
    _edit(
        system,
        "review_date:",
        "# aims: ignore[overdue-review] re-review booked for the January board\nreview_date:",
    )
    _edit(project / ".aims/datasets/help-articles.yaml", "review_date:", "review_date:")
    dataset = project / ".aims/datasets/help-articles.yaml"
    _edit(dataset, "personal_data: false", "personal_data: false\n# aims: ignore[AIM811]")
    later = date(2028, 1, 1)
    msgs = _messages(project, today=later)
    assert (
        ".aims/datasets/help-articles.yaml:13: warning[AIM811]: review overdue since 2027-11-29"
        in msgs
    )
    assert not any(m.startswith(".aims/systems/support-chatbot.yaml") for m in msgs)
    result = runner.invoke(app, ["validate", str(project), "--today", "2028-01-01", "-f", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    silenced = [m for m in payload if m["suppressed"]]
    assert silenced == [
        {
            "level": "warning",
            "rule": "AIM811",
            "path": ".aims/systems/support-chatbot.yaml",
            "line": 21,
            "message": "review overdue since 2027-11-29",
            "hint": None,
            "suppressed": "re-review booked for the January board",
        }
    ]
    assert "1 suppressed inline" in result.stderr


def test_art73_report_overdue_for_a_high_risk_incident(project: Path) -> None:
    _edit(
        project / ".aims/systems/support-chatbot.yaml",
        "review_date:",
        "eu_ai_act_tier: high-risk\nreview_date:",
    )
    (project / ".aims/impact-assessments").mkdir()
    (project / ".aims/impact-assessments/a.yaml").write_text(
        "id: AIIA-1\nsystem: support-chatbot\nassessed_on: 2026-11-01\nassessor: ml-lead\n"
    )
    (project / ".aims/incidents").mkdir()
    incident = project / ".aims/incidents/INC-3.yaml"
    incident.write_text(
        "id: INC-3\nsystem: support-chatbot\ntitle: Refunds promised wrongly\ndetected_at: 2026-11-01\n"
    )
    assert _messages(project) == [
        ".aims/incidents/INC-3.yaml:4: warning[AIM811]: EU AI Act Art. 73 report was due by "
        "2026-11-16 and is not recorded as made (if the incident is serious, report it and set "
        "`eu_ai_act.reported_on`; if not, set `eu_ai_act.serious_incident: false` with the reason "
        "in `cause`)"
    ]
    incident.write_text(incident.read_text() + "eu_ai_act: {reported_on: 2026-11-10}\n")
    assert _messages(project) == []
