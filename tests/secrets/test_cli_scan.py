"""`aims scan` end to end through CliRunner: keys found, redacted, suppressed with a reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from aims.cli.main import app


def test_scan_reports_redacted_keys_and_honours_ignore_secret(
    tmp_path: Path, make_key: Callable[[str], str]
) -> None:
    live = make_key("anthropic-api-key")
    fixture = make_key("groq-api-key")
    mistral = make_key("mistral-api-key")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / ".env").write_text(f"ANTHROPIC_API_KEY={live}\nMISTRAL_API_KEY={mistral}\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_text(
        f'KEY = "{fixture}"  # aims: ignore[secret] revoked key used by the replay fixture\n'
    )
    result = CliRunner().invoke(
        app,
        ["scan", str(tmp_path), "--no-cache", "--no-progress", "--format", "json", "-j", "1"],
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    findings = {
        (f["rule_id"], f["location"]["path"], f["location"]["line"]): f
        for f in document["findings"]
    }
    assert set(findings) == {
        ("AIM201", "app/.env", 1),
        ("AIM202", "app/.env", 2),
        ("AIM201", "tests/test_client.py", 1),
    }
    env_finding = findings[("AIM201", "app/.env", 1)]
    assert env_finding["severity"] == "critical"
    assert env_finding["evidence"].startswith(f"sk-ant-api…{live[-4:]} (fp ")
    suppressed = findings[("AIM201", "tests/test_client.py", 1)]
    assert suppressed["severity"] == "medium"
    assert suppressed["suppression"]["reason"] == "revoked key used by the replay fixture"
    secrets = [c for c in document["components"] if c["type"] == "secret"]
    assert {c["provider"] for c in secrets} == {"anthropic", "mistral", "groq"}
    for secret in (live, fixture, mistral):
        assert secret[-12:] not in result.stdout
        assert secret[-12:] not in result.stderr
