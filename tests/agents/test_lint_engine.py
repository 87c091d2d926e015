"""The lint engine and fixers beyond single-rule fixtures: Aider `read:` files, pinning from lock
files, refusals, and that no output ever holds a secret."""

from __future__ import annotations

import json
from pathlib import Path

from aims.agents.fix import apply_fixes, locked_version, plan_fixes
from aims.agents.lint import LintOptions, run_lint
from aims.inventory import ComponentType
from tests.agents.conftest import materialise


def test_aider_read_files_become_components(tmp_path: Path) -> None:
    root = materialise("aider", tmp_path)
    result = run_lint([str(root)], LintOptions(jobs=1))
    configs = {
        c.name: c.properties["client"] for c in result.inventory.of_type(ComponentType.AGENT_CONFIG)
    }
    assert configs["docs/team-conventions.md"] == "aider"
    assert "docs/other.md" not in configs


def _mcp_repo(tmp_path: Path, config: dict[str, object], name: str = ".mcp.json") -> Path:
    (tmp_path / ".git").mkdir()
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    return tmp_path


def test_pin_from_package_lock_and_uv_lock(tmp_path: Path) -> None:
    root = _mcp_repo(
        tmp_path,
        {
            "mcpServers": {
                "mem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]},
                "fetch": {"command": "uvx", "args": ["mcp-server-fetch"]},
                "other": {"command": "uvx", "args": ["not-locked-mcp"]},
            }
        },
    )
    (root / "package-lock.json").write_text(
        json.dumps(
            {
                "packages": {
                    "node_modules/@modelcontextprotocol/server-memory": {"version": "2025.8.4"}
                }
            }
        ),
        "utf-8",
    )
    (root / "uv.lock").write_text(
        '[[package]]\nname = "mcp-server-fetch"\nversion = "2025.4.7"\n', "utf-8"
    )
    fixes = plan_fixes(run_lint([str(root)], LintOptions(select=("AIM405",), jobs=1)))
    assert len(fixes) == 1
    fix = fixes[0]
    assert '"@modelcontextprotocol/server-memory@2025.8.4"' in fix.after
    assert '"mcp-server-fetch==2025.4.7"' in fix.after
    assert fix.refused == [
        "other: cannot pin not-locked-mcp: the lock file does not list not-locked-mcp"
    ]
    apply_fixes(fixes)
    after = run_lint([str(root)], LintOptions(select=("AIM405",), jobs=1))
    assert [f.properties["server"] for f in after.inventory.findings] == ["other"]


def test_secret_fix_refused_where_the_client_does_not_expand_references(tmp_path: Path) -> None:
    key = "tvly-" + "dev-" + "Zq8Lm2Xv9Rt4Kp7Wn3Jc6Hb1Fd5Gs0Ya"  # random-looking fake, never issued
    root = _mcp_repo(
        tmp_path,
        {
            "mcpServers": {
                "s": {
                    "command": "npx",
                    "args": ["-y", "tavily-mcp@0.2.1"],
                    "env": {"TAVILY_API_KEY": key},
                }
            }
        },
        name="claude_desktop_config.json",
    )
    result = run_lint([str(root)], LintOptions(select=("AIM401",), jobs=1))
    assert [f.rule_id for f in result.inventory.findings] == ["AIM401"]
    assert key not in repr(result.inventory.findings) and key not in repr(
        result.inventory.components
    )
    fixes = plan_fixes(result)
    assert fixes[0].after == fixes[0].before
    assert "claude-desktop does not expand environment references" in fixes[0].refused[0]


def test_locked_version_without_lock_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".mcp.json"
    config.write_text("{}", "utf-8")
    version, reason = locked_version(str(config), "x-mcp", "npm")
    assert version is None and "aims never looks versions up online" in reason
