"""Safe automatic fixes for `aims lint --fix`, each producing a unified diff.

Only fixes that cannot change what the file means to a human are applied: removing hidden
Unicode (emoji subdivision flags kept), replacing a literal secret in an MCP `env` block with an
environment reference in the client's own syntax, and pinning an unpinned MCP package to the
exact version a lock file next to the configuration records. Anything else is refused with a
reason. No fix looks anything up online.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field

import yaml

from aims.agents.lint import LintResult

UNICODE_RULES = frozenset({"AIM503", "AIM504", "AIM505", "AIM506"})
_ENV_SYNTAX = {
    "claude-code": "${{{name}}}",
    "cursor": "${{env:{name}}}",
    "copilot": "${{env:{name}}}",
    "gemini-cli": "${{{name}}}",
    "opencode": "{{env:{name}}}",
}


@dataclass(slots=True)
class FileFix:
    """The fixed content of one file and what was done or refused."""

    path: str
    abspath: str
    before: str
    after: str
    applied: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def diff(self) -> str:
        """Unified diff from the old to the new content."""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


def plan_fixes(result: LintResult) -> list[FileFix]:
    """Compute the fixes for every unsuppressed fixable finding (files are not written)."""
    by_path: dict[str, set[str]] = defaultdict(set)
    for f in result.inventory.findings:
        if f.suppression is None:
            by_path[f.primary.path].add(f.rule_id)
    fixes: list[FileFix] = []
    for path, rule_ids in sorted(by_path.items()):
        abspath = result.roots.get(path)
        if abspath is None or not rule_ids & (UNICODE_RULES | {"AIM401", "AIM405"}):
            continue
        try:
            with open(abspath, "rb") as fh:
                before = fh.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fixes.append(FileFix(path, abspath, "", "", refused=[f"cannot read the file: {exc}"]))
            continue
        fix = FileFix(path, abspath, before, before)
        if rule_ids & UNICODE_RULES:
            from aims.agents.unicode import strip_hidden

            fix.after = strip_hidden(fix.after)
            if fix.after != before:
                fix.applied.append("removed hidden Unicode characters (emoji flags kept)")
        if rule_ids & {"AIM401", "AIM405"}:
            _fix_mcp(fix, rule_ids)
        fixes.append(fix)
    return fixes


def apply_fixes(fixes: list[FileFix]) -> None:
    """Write every changed file (byte-exact: only the fixed spans change)."""
    for fix in fixes:
        if fix.after != fix.before:
            with open(fix.abspath, "wb") as fh:
                fh.write(fix.after.encode("utf-8"))


def _fix_mcp(fix: FileFix, rule_ids: set[str]) -> None:
    from aims.agents.knowledge import classify
    from aims.agents.mcp import parse_servers
    from aims.agents.mcpchecks import literal_secret
    from aims.agents.structured import load_structured

    surface = classify(fix.path)
    if surface is None:
        return
    data, error = load_structured(fix.after, surface.format)
    if error or surface.format not in ("json", "jsonc"):
        fix.refused.append(
            f"{fix.path}: only JSON MCP files are fixed automatically; edit it by hand"
        )
        return
    servers = parse_servers(data, text=fix.after, path=fix.path, client=surface.client)
    for server in sorted(servers, key=lambda s: s.offset, reverse=True):
        if "AIM401" in rule_ids:
            for name, value in server.env.items():
                if literal_secret(name, value) is None:
                    continue
                template = _ENV_SYNTAX.get(surface.client)
                if template is None:
                    fix.refused.append(
                        f"{server.name}.env.{name}: {surface.client} does not expand environment "
                        "references in this file; remove the value and set it where the client starts"
                    )
                    continue
                fix.after = _replace_value(
                    fix.after, server.offset, name, value, template.format(name=name)
                )
                fix.applied.append(
                    f"{server.name}.env.{name}: literal secret replaced by {template.format(name=name)}"
                )
        if (
            "AIM405" in rule_ids
            and server.ecosystem in ("npm", "pypi")
            and server.package
            and not server.pinned
            and not server.version
        ):
            version, reason = locked_version(fix.abspath, server.package, server.ecosystem)
            if version is None:
                fix.refused.append(f"{server.name}: cannot pin {server.package}: {reason}")
                continue
            pinned = (
                f"{server.package}@{version}"
                if server.ecosystem == "npm"
                else f"{server.package}=={version}"
            )
            pattern = re.compile(r'"' + re.escape(server.package) + r'"')
            m = pattern.search(fix.after, server.offset)
            if m is None:
                fix.refused.append(
                    f"{server.name}: {server.package} is not a separate argument; pin it by hand"
                )
                continue
            fix.after = fix.after[: m.start()] + json.dumps(pinned) + fix.after[m.end() :]
            fix.applied.append(
                f"{server.name}: pinned {server.package} to {version} from the lock file"
            )


def _replace_value(text: str, start: int, name: str, value: str, new: str) -> str:
    pattern = re.compile(
        r'("' + re.escape(name) + r'"\s*:\s*)"' + re.escape(json.dumps(value)[1:-1]) + '"'
    )
    m = pattern.search(text, start)
    if m is None:
        return text
    return text[: m.start()] + m.group(1) + json.dumps(new) + text[m.end() :]


def _lock_dirs(abspath: str) -> list[str]:
    out: list[str] = []
    current = os.path.dirname(abspath)
    for _ in range(6):
        out.append(current)
        if os.path.isdir(os.path.join(current, ".git")):
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return out


def locked_version(config_path: str, package: str, ecosystem: str) -> tuple[str | None, str]:
    """The exact version a nearby lock file records for `package`, or None and why not."""
    names = (
        ("package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock")
        if ecosystem == "npm"
        else ("uv.lock", "poetry.lock", "pylock.toml")
    )
    searched = False
    for directory in _lock_dirs(config_path):
        for name in names:
            path = os.path.join(directory, name)
            if not os.path.isfile(path):
                continue
            searched = True
            try:
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError):
                continue
            version = _version_in(name, text, package)
            if version:
                return version, ""
    if not searched:
        return (
            None,
            f"no {' / '.join(names)} next to the configuration records it (aims never looks versions up online)",
        )
    return None, f"the lock file does not list {package}"


def _version_in(name: str, text: str, package: str) -> str | None:
    try:
        if name in ("package-lock.json", "npm-shrinkwrap.json"):
            data = json.loads(text)
            entry = (data.get("packages") or {}).get(f"node_modules/{package}") or (
                data.get("dependencies") or {}
            ).get(package)
            return str(entry["version"]) if isinstance(entry, dict) and "version" in entry else None
        if name == "pnpm-lock.yaml":
            data = yaml.safe_load(text) or {}
            for key in data.get("packages") or {}:
                m = re.match(r"^/?" + re.escape(package) + r"[@/](\d[^()_/]*)", str(key))
                if m:
                    return m.group(1)
            return None
        if name == "yarn.lock":
            m = re.search(
                r'^"?' + re.escape(package) + r'@[^\n]*:\n\s+version:?\s+"?([^"\s]+)', text, re.M
            )
            return m.group(1) if m else None
        data = tomllib.loads(text)
        for entry in data.get("package", []) or data.get("packages", []):
            if isinstance(entry, dict) and _norm(str(entry.get("name", ""))) == _norm(package):
                return str(entry.get("version")) if entry.get("version") else None
    except (ValueError, KeyError, TypeError, yaml.YAMLError):
        return None
    return None


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
