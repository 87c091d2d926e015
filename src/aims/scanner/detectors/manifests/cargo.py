"""Rust: Cargo.toml (all dependency tables, renames, workspace inheritance) and Cargo.lock."""

from __future__ import annotations

import os
import re
import tomllib
from functools import partial
from typing import Any

from aims.scanner.detectors.manifests._common import (
    Dep,
    Keep,
    Lazy,
    Parsed,
    find_upwards,
    keep_all,
    load_toml,
    nth_line,
    parse_sibling_cached,
    read_text,
    redact,
)
from aims.scanner.detectors.manifests._positions import (
    PathKey,
    table_array_name_lines,
    toml_positions,
)

_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")
_EXACT = re.compile(r"^=\s*([0-9][0-9A-Za-z.+-]*)$")


def _norm(name: str) -> str:
    return name.replace("_", "-")


def cargo_deps(data: dict[str, Any], positions: dict[PathKey, int]) -> list[Dep]:
    """Every dependency a Cargo.toml declares, real crate names (after `package = ...`)."""
    tables: list[tuple[PathKey, Any, str]] = [((t,), data.get(t), t) for t in _TABLES]
    target = data.get("target")
    if isinstance(target, dict):
        for cfg, body in target.items():
            if isinstance(body, dict):
                tables += [(("target", cfg, t), body.get(t), f"{t} ({cfg})") for t in _TABLES]
    workspace = data.get("workspace")
    if isinstance(workspace, dict):
        tables.append((("workspace", "dependencies"), workspace.get("dependencies"), "workspace"))
    deps: list[Dep] = []
    for path, table, scope in tables:
        if not isinstance(table, dict):
            continue
        for key, value in table.items():
            dep = Dep(name=key, line=positions.get((*path, key)), direct=True, scope=scope)
            if isinstance(value, str):
                dep.specifier = value
            elif isinstance(value, dict):
                if isinstance(value.get("package"), str):
                    dep.name = value["package"]
                    dep.properties["rename"] = key
                if isinstance(value.get("version"), str):
                    dep.specifier = value["version"]
                if value.get("workspace") is True:
                    dep.properties["workspace"] = True
                if isinstance(value.get("git"), str):
                    dep.properties["url"] = redact(value["git"])
                if value.get("optional") is True:
                    dep.properties["optional"] = True
            if dep.specifier:
                exact = _EXACT.match(dep.specifier.strip())
                dep.version = exact.group(1) if exact else None
            deps.append(dep)
    return deps


def _lock_versions(abspath: str) -> dict[str, list[str]]:
    lock = find_upwards(abspath, ("Cargo.lock",))
    try:
        # NOTE: parsed once per process, not once per workspace member crate.
        data = parse_sibling_cached(lock, tomllib.loads) if lock else None
    except tomllib.TOMLDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    versions: dict[str, list[str]] = {}
    packages = data.get("package")
    for package in packages if isinstance(packages, list) else []:
        if isinstance(package, dict):
            name, version = package.get("name"), package.get("version")
            if isinstance(name, str) and isinstance(version, str):
                versions.setdefault(_norm(name), []).append(version)
    return versions


def _workspace_specs(abspath: str) -> dict[str, str]:
    """Versions from the workspace root's `[workspace.dependencies]` (for `workspace = true`)."""
    directory = os.path.dirname(os.path.dirname(os.path.abspath(abspath)))
    root = find_upwards(os.path.join(directory, "Cargo.toml"), ("Cargo.toml",))
    text = read_text(root) if root else None
    if text is None:
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}
    specs: dict[str, str] = {}
    table = (
        data.get("workspace", {}).get("dependencies")
        if isinstance(data.get("workspace"), dict)
        else None
    )
    for key, value in table.items() if isinstance(table, dict) else []:
        version = (
            value
            if isinstance(value, str)
            else value.get("version")
            if isinstance(value, dict)
            else None
        )
        if isinstance(version, str):
            name = value.get("package", key) if isinstance(value, dict) else key
            specs[_norm(str(name))] = version
    return specs


def parse_cargo_toml(text: str, *, abspath: str) -> Parsed:
    """Parse Cargo.toml; versions come from Cargo.lock when it is present."""
    parsed = Parsed()
    data = load_toml(text, parsed.warnings)
    deps = parsed.deps = cargo_deps(data, toml_positions(text))
    if not deps:
        return parsed
    if any(d.properties.get("workspace") for d in deps):
        specs = _workspace_specs(abspath)
        for dep in deps:
            if dep.properties.get("workspace") and dep.specifier is None:
                dep.specifier = specs.get(_norm(dep.name))
    locked = _lock_versions(abspath)
    for dep in deps:
        candidates = locked.get(_norm(dep.name), [])
        if len(candidates) == 1:
            dep.version = candidates[0]
        elif candidates and dep.version not in candidates:
            dep.version = _best_match(dep.specifier, candidates)
    return parsed


def _best_match(specifier: str | None, candidates: list[str]) -> str | None:
    """Pick the locked version that a caret requirement (Cargo's default) allows, if unique."""
    if not specifier:
        return None
    spec = specifier.strip().lstrip("^")
    if not spec[:1].isdigit():
        return None
    parts = spec.split(".")
    major = parts[0]
    prefix = f"{major}." if major != "0" else f"0.{parts[1]}." if len(parts) > 1 else "0."
    matching = [c for c in candidates if c.startswith(prefix)]
    return matching[0] if len(matching) == 1 else None


def parse_cargo_lock(text: str, *, keep: Keep = keep_all) -> Parsed:
    """Parse Cargo.lock; local packages (no `source`) are the workspace, their deps direct."""
    parsed = Parsed()
    data = load_toml(text, parsed.warnings)
    packages = data.get("package")
    if not isinstance(packages, list):
        return parsed
    name_lines = Lazy(lambda: table_array_name_lines(text))
    direct: set[tuple[str, str | None]] = set()
    has_local = False
    for package in packages:
        if isinstance(package, dict) and "source" not in package:
            has_local = True
            items = package.get("dependencies")
            for item in items if isinstance(items, list) else []:
                parts = item.split() if isinstance(item, str) else []
                if parts:
                    direct.add((_norm(parts[0]), parts[1] if len(parts) > 1 else None))
    deps = parsed.deps
    for index, package in enumerate(packages):
        if not isinstance(package, dict) or "source" not in package:
            continue
        name, version = package.get("name"), package.get("version")
        if not isinstance(name, str) or not keep(name):
            continue
        version = version if isinstance(version, str) else None
        # A workspace member lists "name" alone, or "name version" when several are locked.
        is_direct: bool | None = (_norm(name), version) in direct or (_norm(name), None) in direct
        if not has_local:
            is_direct = None  # no workspace member in the lock: cannot tell
        deps.append(
            Dep(
                name=name,
                line=None,
                locate=partial(nth_line, name_lines, index),
                version=version,
                direct=is_direct,
            )
        )
    return parsed
