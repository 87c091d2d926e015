"""`aims check`, `aims policy`, `aims baseline` as a user and a CI system run them."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from aims.cli.main import app
from aims.policy.load import policy_schema_text

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads((ROOT / "tests/output/schemas/sarif-schema-2.1.0.json").read_text())

POLICY = """version: 1
approvers: [lead@example.com]
default: review
packages:
  approved: ["pypi:openai>=1.0"]
  default: denied
"""


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "Test")
    (repo / "aims-policy.yaml").write_text(POLICY)
    (repo / "requirements.txt").write_text("flask==3.0.0\nopenai==1.54.3\n")
    (repo / "app.py").write_text("import flask\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    return repo


def test_diff_mode_blocks_an_unapproved_sdk_and_passes_an_approved_one(repo: Path) -> None:
    _git(repo, "checkout", "-qb", "feature")
    (repo / "requirements.txt").write_text("flask==3.0.0\nopenai==1.54.3\nmistralai==1.2.0\n")
    _git(repo, "commit", "-qam", "add mistral")
    bad = _run("check", str(repo), "--diff-base", "main", "--no-cache")
    assert bad.exit_code == 1, bad.output
    assert "FAIL high     AIM702 unapproved-ai-component" in bad.stdout
    assert "pypi:mistralai@1.2.0" in bad.stdout and "requirements.txt:3" in bad.stdout
    # Pre-existing openai is not new: it is not even reported in diff mode.
    assert "pypi:openai" not in bad.stdout

    _git(repo, "checkout", "-q", "main")
    _git(repo, "checkout", "-qb", "good")
    (repo / "app.py").write_text("import flask\nfrom openai import OpenAI\n")
    _git(repo, "commit", "-qam", "use openai")
    good = _run("check", str(repo), "--diff-base", "main", "--no-cache")
    assert good.exit_code == 0, good.output
    assert "PASSED" in good.stdout


def test_baseline_then_only_new_findings_fail(repo: Path, tmp_path: Path) -> None:
    (repo / "requirements.txt").write_text("openai==0.28.0\n")  # too old: not approved
    base = tmp_path / "baseline.json"
    created = _run("baseline", "create", str(repo), "-o", str(base), "--no-cache")
    assert created.exit_code == 0, created.output
    doc = json.loads(base.read_text())
    # The old SDK (AIM702) and its provider, which needs review (AIM703).
    assert doc["format"] == "aims/baseline/1" and sum(doc["fingerprints"].values()) == 2
    assert _run("check", str(repo), "--baseline", str(base), "--no-cache").exit_code == 0
    (repo / "requirements.txt").write_text("openai==0.28.0\ncohere==5.0.0\n")
    result = _run("check", str(repo), "--baseline", str(base), "--no-cache", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    failing = [f for f in data["findings"] if f["fails_gate"]]
    assert [f["evidence"] for f in failing] == ["pypi:cohere@5.0.0"]


def test_sarif_validates_and_carries_what_code_scanning_needs(repo: Path) -> None:
    (repo / "requirements.txt").write_text("mistralai==1.2.0\n")
    result = _run("check", str(repo), "--format", "sarif", "--no-cache")
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    run = sarif["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "AIM702" and rule["helpUri"].endswith("docs/rules/AIM702.md")
    assert rule["help"]["markdown"] and rule["properties"]["security-severity"] == "8.0"
    res = run["results"][0]
    assert res["partialFingerprints"]["aimsFingerprint/v1"]
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert res["level"] == "error"


def test_junit_and_markdown(repo: Path) -> None:
    (repo / "requirements.txt").write_text("mistralai==1.2.0\n")
    junit = _run("check", str(repo), "--format", "junit", "--no-cache")
    root = ET.fromstring(junit.stdout)
    assert root.get("failures") == "1"
    failure = root.find(".//failure")
    assert failure is not None and "mistralai" in (failure.get("message") or "")
    md = _run("check", str(repo), "--format", "markdown", "--no-cache")
    assert md.stdout.startswith("### ❌ aims AI policy gate: failed")
    assert "| ❌ | high | `AIM702` unapproved-ai-component |" in md.stdout


def test_exit_codes_and_messages(repo: Path, tmp_path: Path) -> None:
    assert _run("check", str(tmp_path / "missing")).exit_code == 2
    assert _run("check", str(repo), "--format", "xml").exit_code == 2
    assert _run("check", str(repo), "--baseline", "b.json", "--diff-base", "main").exit_code == 2
    (repo / "aims-policy.yaml").write_text("version: 1\nmodels:\n  aproved: [gpt-4o]\n")
    bad = _run("check", str(repo), "--no-cache")
    assert bad.exit_code == 3
    assert "aims-policy.yaml:3: models.aproved: unknown key" in bad.stderr
    assert "did you mean 'approved'?" in bad.stderr and "Traceback" not in bad.output
    (repo / "aims-policy.yaml").write_text(POLICY)
    unknown_ref = _run("check", str(repo), "--diff-base", "no-such-branch")
    assert unknown_ref.exit_code == 2 and "unknown git reference" in unknown_ref.stderr


def test_policy_init_validate_and_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _run("policy", "init").exit_code == 0
    assert _run("policy", "init").exit_code == 2  # refuses to overwrite
    assert _run("policy", "validate").exit_code == 0
    schema = json.loads(_run("policy", "schema").stdout)
    jsonschema.validate(yaml.safe_load(Path("aims-policy.yaml").read_text()), schema)
    text = (
        Path("aims-policy.yaml")
        .read_text()
        .replace(
            "exceptions: []",
            "exceptions:\n  - id: EX-9\n    scope: {rule: AIM703}\n    reason: waiting for the vendor review\n"
            "    requested_by: a@example.com\n    approved_by: a@example.com\n"
            "    approved_on: 2026-01-01\n    expires_on: 2026-02-01\n",
        )
    )
    Path("aims-policy.yaml").write_text(text)
    result = _run("policy", "validate", "--today", "2026-11-29")
    assert result.exit_code == 1 and "approved by its own requester" in result.stderr


def test_committed_policy_schema_is_current() -> None:
    shipped = (ROOT / "src/aims/policy/schemas/policy-1.schema.json").read_text()
    assert shipped == policy_schema_text(), (
        "regenerate src/aims/policy/schemas/policy-1.schema.json"
    )


def test_integrations_are_pinned_least_privilege_and_call_real_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    commands = {h["id"]: h["entry"] for h in hooks}
    assert commands["aims-check"].startswith("aims check")
    gha = yaml.safe_load((ROOT / "examples/ci/github-actions.yml").read_text())
    assert gha["permissions"] == {}
    job = gha["jobs"]["aims-check"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    for step in job["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    runs = [s["run"] for s in job["steps"] if "run" in s]
    gitlab = yaml.safe_load((ROOT / "examples/ci/gitlab-ci.yml").read_text())
    runs += gitlab["aims-check"]["script"]
    for line in [*runs, *commands.values()]:
        if line.startswith("aims "):
            argv = [a for a in line.split() if not a.startswith(('"', "$"))][1:3]
            help_result = _run(*[a for a in argv if not a.startswith("-") and a != "."], "--help")
            assert help_result.exit_code == 0, line
            for option in re.findall(r"--[a-z-]+", line):
                assert option in help_result.stdout, (line, option)


def test_diff_mode_a_renamed_file_brings_nothing_new(repo: Path) -> None:
    (repo / "requirements.txt").write_text("openai==1.54.3\nmistralai==1.2.0\n")
    _git(repo, "commit", "-qam", "mistral on main (already reviewed elsewhere)")
    _git(repo, "checkout", "-qb", "move")
    (repo / "deps").mkdir()
    _git(repo, "mv", "requirements.txt", "deps/requirements.txt")
    _git(repo, "commit", "-qm", "move requirements")
    result = _run("check", str(repo), "--diff-base", "main", "--no-cache")
    assert result.exit_code == 0, result.output
