"""Evidence pack: reproducible bytes, manifest verification, git approval trail."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from aims.cli.main import app

from . import oscal

runner = CliRunner()


def git(root: Path, *args: str, who: str = "Dev") -> None:
    env_args = ["-c", f"user.name={who}", "-c", f"user.email={who.lower()}@example.com"]
    subprocess.run(["git", *env_args, *args], cwd=root, check=True, capture_output=True)


def _history(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".aims")
    git(project, "commit", "-qm", "Starter records")
    git(project, "checkout", "-qb", "policy-review")
    policy = project / ".aims/policy.yaml"
    policy.write_text(policy.read_text().replace('version: "1"', 'version: "2"'))
    git(project, "commit", "-qam", "Policy v2", who="Dev")
    git(project, "checkout", "-q", "main")
    git(
        project,
        "merge",
        "-q",
        "--no-ff",
        "policy-review",
        "-m",
        "Merge pull request #7",
        who="Lead",
    )


def test_pack_is_reproducible_and_verifies(project: Path, tmp_path: Path) -> None:
    _history(project)
    one, two = tmp_path / "one.zip", tmp_path / "two.zip"
    first = runner.invoke(
        app, ["evidence", "pack", str(project), "-o", str(one), "--today", "2026-11-29"]
    )
    second = runner.invoke(
        app, ["evidence", "pack", str(project), "-o", str(two), "--today", "2026-11-29"]
    )
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert one.read_bytes() == two.read_bytes()
    root_hash = first.stdout.strip()
    assert len(root_hash) == 64

    with zipfile.ZipFile(one) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert "records/soa.yaml" in names and "registers/ai-system.json" in names
        assert {"reports/readiness.json", "reports/readiness.md", "reports/readiness.html"} <= set(
            names
        )
        trail = json.loads(archive.read("approvals/policy.yaml.json"))
        assert {"oscal/ssp.json", "oscal/assessment-results.json"} <= set(names)
        assert oscal.errors(json.loads(archive.read("oscal/ssp.json"))) == []
        assert "reports/management-review-inputs.md" in names
    changes = sorted(trail["changes"], key=lambda c: c["subject"])
    assert [c["subject"] for c in changes] == ["Policy v2", "Starter records"]
    assert changes[0]["approval"] == "merged"
    assert changes[0]["approved_by_merge"]["name"] == "Lead"
    assert changes[0]["approved_by_merge"]["subject"] == "Merge pull request #7"
    assert changes[0]["author"]["name"] == "Dev"
    assert changes[1]["approval"] == "committed directly to the main line (no merge)"

    ok = runner.invoke(app, ["evidence", "verify", str(one), "--expect", root_hash])
    assert ok.exit_code == 0, ok.output
    assert f"root SHA-256 {root_hash}" in ok.stderr


def test_tampered_pack_fails(project: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack.zip"
    assert (
        runner.invoke(
            app, ["evidence", "pack", str(project), "-o", str(pack), "--today", "2026-11-29"]
        ).exit_code
        == 0
    )
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "records/soa.yaml":
                data = data.replace(b"status: not-started", b"status: implemented", 1)
            dst.writestr(info, data)
        dst.writestr("records/extra.yaml", b"kind: policy\n")
    result = runner.invoke(app, ["evidence", "verify", str(tampered)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tampered}: records/soa.yaml: SHA-256 differs from the manifest",
        f"{tampered}: records/extra.yaml: not listed in the manifest",
    ]
    wrong = runner.invoke(app, ["evidence", "verify", str(pack), "--expect", "0" * 64])
    assert wrong.exit_code == 1
    not_zip = tmp_path / "x.zip"
    not_zip.write_text("nope")
    assert runner.invoke(app, ["evidence", "verify", str(not_zip)]).exit_code == 3
