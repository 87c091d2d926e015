"""npm manifests and lock files: package.json, package-lock.json, yarn.lock, pnpm-lock.yaml."""

from __future__ import annotations

import glob
import json
import os
import re
from functools import partial
from typing import Any

import yaml

from aims.scanner.detectors.manifests._common import (
    Dep,
    Keep,
    Lazy,
    ManifestError,
    Parsed,
    find_upwards,
    keep_all,
    parse_sibling_cached,
    path_line,
    read_text,
    redact,
)
from aims.scanner.detectors.manifests._positions import json_key_line, json_positions

DEP_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
LOCK_NAMES = (
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "bun.lock",
)
MAX_WORKSPACES = 500
_EXACT = re.compile(r"^[=v]*\s*([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$")
_PNPM_PEER = re.compile(r"[(_].*$")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"malformed JSON: {exc.msg}", line=exc.lineno) from None
    except ValueError as exc:
        raise ManifestError(f"malformed JSON: {exc}") from None


def exact_npm_version(spec: str) -> str | None:
    """Return the version an npm range pins exactly (`4.52.0`, `=4.52.0`), else None."""
    match = _EXACT.match(spec.strip())
    return match.group(1) if match else None


def _split_alias(name: str, spec: str) -> tuple[str, str, str | None]:
    """Resolve `"alias": "npm:real@range"` to (real name, range, alias)."""
    if spec.startswith("npm:"):
        target = spec[4:]
        at = target.rfind("@")
        if at > 0:
            return target[:at], target[at + 1 :], name
        return target, "", name
    return name, spec, None


# -- package.json --------------------------------------------------------------------------------


def manifest_deps(data: Any, positions: dict[Any, int]) -> list[Dep]:
    """Every dependency a package.json object declares, with its section as scope."""
    deps: list[Dep] = []
    if not isinstance(data, dict):
        return deps
    for section in DEP_SECTIONS:
        body = data.get(section)
        if not isinstance(body, dict):
            continue
        for key, spec in body.items():
            if not isinstance(spec, str):
                continue
            name, rng, alias = _split_alias(key, spec)
            dep = Dep(
                name=name,
                line=positions.get((section, key)),
                specifier=spec,
                version=exact_npm_version(rng),
                direct=True,
                scope=section,
            )
            if alias:
                dep.properties["alias"] = alias
            if "://" in spec or spec.startswith(("git", "github:", "file:")):
                dep.properties["url"] = redact(spec)
            deps.append(dep)
    return deps


def parse_package_json(text: str, *, abspath: str) -> Parsed:
    """Parse package.json; resolved versions come from the nearest lock file when present."""
    parsed = Parsed()
    try:
        data = _json(text)
    except ManifestError as exc:
        parsed.warnings.append(str(exc))
        parsed.deps = salvage_package_json(text)
        return parsed
    if not isinstance(data, dict):
        raise ManifestError("package.json is not a JSON object")
    parsed.deps = manifest_deps(data, json_positions(text, max_depth=2))
    if parsed.deps:
        _resolve_from_lock(parsed.deps, abspath)
    return parsed


_SECTION_START = re.compile(r'^\s*"(' + "|".join(DEP_SECTIONS) + r')"\s*:\s*\{')
_ENTRY = re.compile(r'"([^"\\]{1,214})"\s*:\s*"([^"\\]{0,500})"')


def salvage_package_json(text: str) -> list[Dep]:
    """Read dependency entries line by line from a package.json that is not valid JSON.

    Only the usual machine-formatted layout (one entry per line inside a dependency
    section) is understood; anything else is skipped.
    """
    deps: list[Dep] = []
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        start = _SECTION_START.match(raw)
        if start:
            section = start.group(1)
            raw = raw[start.end() :]
        if section is None:
            continue
        for entry in _ENTRY.finditer(raw):
            name, spec = entry.group(1), entry.group(2)
            real, rng, alias = _split_alias(name, spec)
            dep = Dep(
                name=real,
                line=number,
                specifier=spec,
                version=exact_npm_version(rng),
                direct=True,
                scope=section,
            )
            if alias:
                dep.properties["alias"] = alias
            deps.append(dep)
        if "}" in raw:
            section = None
    return deps


def _resolve_from_lock(deps: list[Dep], abspath: str) -> None:
    lock = find_upwards(abspath, LOCK_NAMES)
    if lock is None:
        return
    lock_dir = os.path.dirname(lock)
    rel = os.path.relpath(os.path.dirname(os.path.abspath(abspath)), lock_dir).replace(os.sep, "/")
    rel = "" if rel == "." else rel
    base = os.path.basename(lock)
    try:
        # NOTE: parsed once per process, not once per workspace member (see the helper).
        if base.endswith(".json"):
            data = parse_sibling_cached(lock, json.loads)
            versions = _npm_lock_versions(data, rel)
        elif base == "bun.lock":
            versions = _bun_versions(parse_sibling_cached(lock, _load_jsonc))
        elif base == "pnpm-lock.yaml":
            data = parse_sibling_cached(lock, _load_yaml)
            versions = _pnpm_importer_versions(data, rel or ".")
        else:
            versions = parse_sibling_cached(lock, _yarn_versions) or {}
    except (ValueError, yaml.YAMLError, RecursionError):
        return
    for dep in deps:
        spec = dep.specifier or ""
        _, rng, _ = _split_alias(dep.properties.get("alias") or dep.name, spec)
        resolved = versions.get(dep.properties.get("alias") or dep.name)
        if isinstance(resolved, dict):  # yarn: descriptor -> version
            resolved = resolved.get(rng) or resolved.get(f"npm:{rng}")
        if isinstance(resolved, str) and resolved:
            dep.version = resolved


def _load_jsonc(text: str) -> Any:
    return json.loads(strip_jsonc(text))


def _load_yaml(text: str) -> Any:
    # NOTE: the C loader (when PyYAML has it) reads a large pnpm-lock.yaml ten times faster.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _npm_lock_versions(data: Any, rel: str) -> dict[str, Any]:
    versions: dict[str, Any] = {}
    if not isinstance(data, dict):
        return versions
    packages = data.get("packages")
    if isinstance(packages, dict):
        if rel and rel not in packages:
            return versions  # the manifest is not a workspace of this lock file
        prefixes = [f"{rel}/node_modules/", "node_modules/"] if rel else ["node_modules/"]
        for key, info in packages.items():
            if not isinstance(info, dict) or not isinstance(info.get("version"), str):
                continue
            for prefix in prefixes:
                if key.startswith(prefix) and "/node_modules/" not in key[len(prefix) :]:
                    name = key[len(prefix) :]
                    if prefix != "node_modules/" or name not in versions:
                        versions[name] = info["version"]
        return versions
    deps = data.get("dependencies")
    if isinstance(deps, dict) and not rel:
        for name, info in deps.items():
            if isinstance(info, dict) and isinstance(info.get("version"), str):
                versions[name] = info["version"]
    return versions


def _pnpm_importer_versions(data: Any, importer: str) -> dict[str, Any]:
    versions: dict[str, Any] = {}
    if not isinstance(data, dict):
        return versions
    importers = data.get("importers")
    body = importers.get(importer) if isinstance(importers, dict) else data
    if not isinstance(body, dict):
        return versions
    for section in DEP_SECTIONS:
        table = body.get(section)
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            version = value.get("version") if isinstance(value, dict) else value
            if isinstance(version, str) and not version.startswith(("link:", "file:")):
                versions[str(name)] = _PNPM_PEER.sub("", version)
    return versions


# -- package-lock.json / npm-shrinkwrap.json ------------------------------------------------------


def parse_package_lock(text: str, *, abspath: str, keep: Keep = keep_all) -> Parsed:
    """Parse package-lock.json or npm-shrinkwrap.json (lockfileVersion 1, 2 and 3)."""
    data = _json(text)
    if not isinstance(data, dict):
        raise ManifestError("lock file is not a JSON object")
    packages = data.get("packages")
    if isinstance(packages, dict):
        return _package_lock_v2(text, packages, keep)
    return _package_lock_v1(text, data, abspath, keep)


def _package_lock_v2(text: str, packages: dict[str, Any], keep: Keep) -> Parsed:
    declared: set[str] = set()
    for key, info in packages.items():
        # The root ("") and workspace folders are the projects; their declarations are direct.
        if isinstance(info, dict) and "node_modules" not in key.split("/"):
            declared.update(d.properties.get("alias") or d.name for d in manifest_deps(info, {}))
    found: dict[tuple[str, str], Dep] = {}
    locate = _KeyLines(text)
    for key, info in packages.items():
        if not isinstance(info, dict) or "node_modules" not in key.split("/"):
            continue
        if info.get("link") is True:
            continue
        installed = key.rsplit("node_modules/", 1)[-1]
        name = str(info["name"]) if isinstance(info.get("name"), str) else installed
        if not keep(name):
            continue
        version = str(info["version"]) if isinstance(info.get("version"), str) else None
        direct = installed in declared and key.count("node_modules/") == 1
        previous = found.get((name, version or ""))
        if previous is not None:
            previous.direct = previous.direct or direct
            continue
        dep = Dep(
            name=name,
            line=None,
            locate=partial(locate, key),
            version=version,
            direct=direct,
            scope="dev" if info.get("dev") is True else None,
        )
        if name != installed:
            dep.properties["alias"] = installed
        found[(name, version or "")] = dep
    return Parsed(deps=list(found.values()))


class _KeyLines:
    """Lines of `packages` keys: a text search for the first few, then one full pass.

    A search per key is cheapest when a lock holds a few AI packages; past that, walking the
    whole document once keeps the cost linear however many there are.
    """

    SEARCHES = 16

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0
        self.positions: dict[Any, int] | None = None

    def __call__(self, key: str) -> int | None:
        self.calls += 1
        if self.calls <= self.SEARCHES:
            return json_key_line(self.text, key)
        if self.positions is None:
            self.positions = json_positions(self.text, max_depth=2)
        return self.positions.get(("packages", key))


def _package_lock_v1(text: str, data: dict[str, Any], abspath: str, keep: Keep) -> Parsed:
    declared = declared_npm_names(os.path.dirname(abspath))
    top = data.get("dependencies")
    if not isinstance(top, dict):
        return Parsed()
    positions = Lazy(lambda: json_positions(text, max_depth=42))
    deps: list[Dep] = []
    seen: set[tuple[str, str]] = set()
    stack: list[tuple[tuple[str, ...], dict[str, Any]]] = [(("dependencies",), top)]
    while stack:
        path, table = stack.pop(0)
        for name, info in table.items():
            if not isinstance(info, dict):
                continue
            version = info.get("version") if isinstance(info.get("version"), str) else None
            if version and version.startswith("npm:"):
                real, version, _ = _split_alias(name, version)
            else:
                real = name
            nested = info.get("dependencies")
            if isinstance(nested, dict) and len(path) < 40:
                stack.append(((*path, name, "dependencies"), nested))
            if (real, version or "") in seen or not keep(real):
                continue
            seen.add((real, version or ""))
            deps.append(
                Dep(
                    name=real,
                    line=None,
                    locate=partial(path_line, positions, (*path, name)),
                    version=version,
                    direct=None if declared is None else (len(path) == 1 and name in declared),
                    scope="dev" if info.get("dev") is True else None,
                )
            )
    return Parsed(deps=deps)


def declared_npm_names(directory: str) -> set[str] | None:
    """Names declared by the package.json in `directory` and its workspaces, or None."""
    text = read_text(os.path.join(directory, "package.json"))
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    names = {dep.properties.get("alias") or dep.name for dep in manifest_deps(data, {})}
    workspaces = data.get("workspaces") if isinstance(data, dict) else None
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        count = 0
        for pattern in workspaces:
            if not isinstance(pattern, str) or os.path.isabs(pattern) or ".." in pattern:
                continue
            if pattern.startswith("!"):
                continue  # an exclusion: the members it removes were never read
            if pattern.startswith("!"):  # an exclusion
                continue
            for folder in glob.iglob(os.path.join(directory, pattern)):
                count += 1
                if count > MAX_WORKSPACES:
                    return names
                member = read_text(os.path.join(folder, "package.json"))
                if member is None:
                    continue
                try:
                    mdata = json.loads(member)
                except ValueError:
                    continue
                names |= {d.properties.get("alias") or d.name for d in manifest_deps(mdata, {})}
    return names


# -- yarn.lock -------------------------------------------------------------------------------------


def _descriptor_name(descriptor: str) -> tuple[str, str]:
    """Split `@scope/name@range` into (`@scope/name`, `range`)."""
    at = descriptor.find("@", 1)
    if at < 0:
        return descriptor, ""
    return descriptor[:at], descriptor[at + 1 :]


def _yarn_entries(text: str) -> list[tuple[int, list[str], dict[str, str], list[str]]]:
    """Top-level yarn.lock entries: (line, descriptors, fields, dependency names)."""
    entries: list[tuple[int, list[str], dict[str, str], list[str]]] = []
    current: tuple[int, list[str], dict[str, str], list[str]] | None = None
    in_deps = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        stripped = raw.strip()
        if indent == 0:
            in_deps = False
            if stripped.endswith(":") and not stripped.startswith("__metadata"):
                header = stripped[:-1]
                descriptors = [part.strip().strip('"') for part in header.split(",")]
                current = (number, [d for d in descriptors if d], {}, [])
                entries.append(current)
            else:
                current = None
            continue
        if current is None:
            continue
        if indent <= 2:
            in_deps = stripped.rstrip(":") in (
                "dependencies",
                "optionalDependencies",
                "peerDependencies",
            ) and stripped.endswith(":")
            if not in_deps:
                key, _, value = stripped.partition(" ")
                key = key.rstrip(":")
                current[2][key] = value.strip().strip('"')
        elif in_deps:
            key = stripped.split(" ", 1)[0].rstrip(":").strip('"')
            current[3].append(key)
    return entries


def _yarn_versions(text: str) -> dict[str, Any]:
    versions: dict[str, dict[str, str]] = {}
    for _, descriptors, fields, _ in _yarn_entries(text):
        version = fields.get("version")
        if not version:
            continue
        for descriptor in descriptors:
            name, rng = _descriptor_name(descriptor)
            versions.setdefault(name, {})[rng] = version
    return dict(versions)


def parse_yarn_lock(text: str, *, abspath: str, keep: Keep = keep_all) -> Parsed:
    """Parse yarn.lock, classic (v1) or berry (v2+); direct means declared by a workspace."""
    entries = _yarn_entries(text)
    direct: set[str] | None = None
    workspace_deps: set[str] = set()
    has_workspace_entries = False
    for _, descriptors, _, dep_names in entries:
        if any("@workspace:" in d for d in descriptors):
            has_workspace_entries = True
            workspace_deps.update(dep_names)
    if has_workspace_entries:
        direct = workspace_deps
    else:
        direct = declared_npm_names(os.path.dirname(abspath))
    deps: list[Dep] = []
    seen: set[tuple[str, str]] = set()
    for line, descriptors, fields, _ in entries:
        if not descriptors or any(
            "@workspace:" in d or "@link:" in d or "@portal:" in d for d in descriptors
        ):
            continue
        name, _ = _descriptor_name(descriptors[0])
        resolution = fields.get("resolution")
        if resolution:  # berry: `alias@npm:real@1.2.3` resolves aliases to the real package
            rname, rrange = _descriptor_name(resolution)
            if rrange.startswith("npm:") and "@" in rrange[4:].lstrip("@"):
                name, _ = _descriptor_name(rrange[4:])
            else:
                name = rname
        version = fields.get("version")
        if (name, version or "") in seen or not keep(name):
            continue
        seen.add((name, version or ""))
        deps.append(
            Dep(
                name=name,
                line=line,
                version=version,
                specifier=", ".join(_descriptor_name(d)[1] for d in descriptors),
                direct=None if direct is None else name in direct,
            )
        )
    return Parsed(deps=deps)


# -- pnpm-lock.yaml -----------------------------------------------------------------------------


def _compose(text: str) -> yaml.Node | None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManifestError(
            f"malformed YAML: {getattr(exc, 'problem', None) or exc}",
            line=mark.line + 1 if mark is not None else None,
        ) from None


def _mapping(node: yaml.Node | None) -> list[tuple[str, yaml.Node, int]]:
    """(key, value node, 1-based key line) of a mapping node; [] for anything else."""
    if not isinstance(node, yaml.MappingNode):
        return []
    return [
        (str(key.value), value, key.start_mark.line + 1)
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode)
    ]


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    for name, value, _ in _mapping(node):
        if name == key:
            return value
    return None


def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _pnpm_key(key: str) -> tuple[str, str | None]:
    """Split a pnpm packages key into name and version.

    v5 keys are `/name/1.0.0_peer@2.0.0` (scoped: `/@s/name/1.0.0`), v6 `/name@1.0.0(peer@2)`,
    v9 `name@1.0.0(peer@2)`.
    """
    key = key.lstrip("/")
    if "(" in key:
        key = key[: key.index("(")]
    at = key.find("@", 1)
    if at > 0:
        name = key[:at]
        if name.count("/") == (1 if name.startswith("@") else 0):
            return name, key[at + 1 :] or None
    head, _, version = key.rpartition("/")
    if head and version[:1].isdigit():
        return head, version.split("_", 1)[0]
    return key, None


_PNPM_BULK = ("packages", "snapshots")


def _split_pnpm(text: str) -> tuple[str, list[tuple[str, int, dict[str, str]]]]:
    """Separate pnpm's bulky `packages`/`snapshots` sections from the rest of the lock file.

    The rest (settings, importers) is small and composed as YAML; in the two bulky sections
    pnpm writes one key per package at an indent of two spaces, with its fields at four, so a
    line scan reads them at a fraction of the cost. The returned text keeps every line number:
    the lines of the bulky sections are left empty.
    """
    kept: list[str] = []
    entries: list[tuple[str, int, dict[str, str]]] = []
    section: str | None = None
    fields: dict[str, str] = {}
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw[:1] not in ("", " ", "#", "\t"):
            section = raw.split(":", 1)[0].strip().strip("'\"")
            section = section if section in _PNPM_BULK else None
        if section is None:
            kept.append(raw)
            continue
        kept.append("")
        if section != "packages" or not raw.startswith("  "):
            continue
        if raw[2:3] not in (" ", ""):
            key = raw.strip()
            key = key[: -len("{}")].rstrip() if key.endswith("{}") else key
            key = key[:-1] if key.endswith(":") else key
            fields = {}
            entries.append((key.strip().strip("'\""), number, fields))
        elif raw.startswith("    ") and raw[4:5] != " " and ":" in raw:
            name, _, value = raw.strip().partition(":")
            fields[name] = value.strip().strip("'\"")
    return "\n".join(kept), entries


def parse_pnpm_lock(text: str, *, keep: Keep = keep_all) -> Parsed:
    """Parse pnpm-lock.yaml (lockfile v5 to v9): importers give direct deps, packages the rest."""
    rest, packages = _split_pnpm(text)
    root = _compose(rest)
    deps: list[Dep] = []
    seen: set[tuple[str, str]] = set()
    importers = _get(root, "importers")
    projects: list[tuple[str, yaml.Node | None]] = (
        [(name, value) for name, value, _ in _mapping(importers)] if importers else [(".", root)]
    )
    visited: set[int] = set()
    for importer, body in projects:
        specifiers = _get(body, "specifiers")
        for section in DEP_SECTIONS:
            table = _get(body, section)
            if table is None or id(table) in visited:
                continue  # NOTE: YAML aliases can point many keys at one node; read it once
            visited.add(id(table))
            for name, value, line in _mapping(table):
                spec = _scalar(_get(value, "specifier")) or _scalar(_get(specifiers, name))
                version = _scalar(_get(value, "version")) or _scalar(value)
                if version is None or version.startswith(("link:", "file:", "workspace:")):
                    continue
                version = _PNPM_PEER.sub("", version)
                real = name
                if version.startswith(("/", "npm:")) or (
                    "@" in version[1:] and not version[:1].isdigit()
                ):
                    real, version_opt = _pnpm_key(version.removeprefix("npm:"))
                    version = version_opt or version
                if (real, version) in seen:
                    continue
                seen.add((real, version))
                dep = Dep(
                    name=real,
                    line=line,
                    version=version,
                    specifier=spec,
                    direct=True,
                    scope=section,
                )
                if importer != ".":
                    dep.properties["importer"] = importer
                deps.append(dep)
    for name_key, line, fields in packages:
        name, version = _pnpm_key(name_key)
        if not keep(name):
            continue
        version = fields.get("version") or version
        if (name, version or "") in seen:
            continue
        seen.add((name, version or ""))
        dev = fields.get("dev")
        deps.append(
            Dep(
                name=name,
                line=line,
                version=version,
                direct=False,
                scope="dev" if dev == "true" else None,
            )
        )
    return Parsed(deps=deps)


# -- JSONC (bun.lock, deno.json) -------------------------------------------------------------


def strip_jsonc(text: str) -> str:
    """Turn JSON with comments and trailing commas into JSON, keeping every line in place.

    Comments and trailing commas become spaces (newlines inside block comments stay), so
    positions found in the result are positions in the original file.
    """
    out: list[str] = []
    i, n = 0, len(text)
    pending_comma: int | None = None  # index in `out` of a comma that may be trailing
    while i < n:
        ch = text[i]
        if ch == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[i : end + 1])
            pending_comma = None
            i = end + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("".join(c if c == "\n" else " " for c in text[i:end]))
            i = end
        elif ch == ",":
            pending_comma = len(out)
            out.append(ch)
            i += 1
        elif ch in "}]":
            if pending_comma is not None:
                out[pending_comma] = " "
            pending_comma = None
            out.append(ch)
            i += 1
        else:
            if not ch.isspace():
                pending_comma = None
            out.append(ch)
            i += 1
    return "".join(out)


def _jsonc(text: str) -> tuple[Any, str]:
    clean = strip_jsonc(text)
    return _json(clean), clean


def parse_bun_lock(text: str, *, keep: Keep = keep_all) -> Parsed:
    """Parse bun.lock (Bun's text lock file, JSONC): workspaces declare, packages resolve."""
    data, clean = _jsonc(text)
    if not isinstance(data, dict):
        raise ManifestError("bun.lock is not a JSON object")
    declared: set[str] = set()
    workspaces = data.get("workspaces")
    for body in workspaces.values() if isinstance(workspaces, dict) else []:
        declared.update(d.properties.get("alias") or d.name for d in manifest_deps(body, {}))
    packages = data.get("packages")
    if not isinstance(packages, dict):
        return Parsed()
    positions = Lazy(lambda: json_positions(clean, max_depth=2))
    found: dict[tuple[str, str], Dep] = {}
    for key, value in packages.items():
        if not isinstance(value, list) or not value or not isinstance(value[0], str):
            continue
        name, version = _descriptor_name(value[0])
        if version.startswith(("workspace:", "link:", "file:", "github:", "git+")) or not keep(
            name
        ):
            continue
        direct = key == name and key in declared  # nested installs are keyed `parent/name`
        previous = found.get((name, version))
        if previous is not None:
            previous.direct = previous.direct or direct
            continue
        found[(name, version)] = Dep(
            name=name,
            line=None,
            locate=partial(path_line, positions, ("packages", key)),
            version=version or None,
            direct=direct,
        )
    return Parsed(deps=list(found.values()))


def _bun_versions(data: Any) -> dict[str, Any]:
    """Top-level installs of a bun.lock: name -> resolved version."""
    versions: dict[str, Any] = {}
    packages = data.get("packages") if isinstance(data, dict) else None
    for key, value in packages.items() if isinstance(packages, dict) else []:
        if isinstance(value, list) and value and isinstance(value[0], str):
            name, version = _descriptor_name(value[0])
            if key == name and version[:1].isdigit():
                versions[name] = version
    return versions


def parse_deno_json(text: str) -> Parsed:
    """Parse deno.json / deno.jsonc: `npm:` specifiers of the import map are npm dependencies."""
    data, clean = _jsonc(text)
    if not isinstance(data, dict):
        raise ManifestError("deno.json is not a JSON object")
    imports = data.get("imports")
    if not isinstance(imports, dict):
        return Parsed()
    positions = json_positions(clean, max_depth=2)
    deps: list[Dep] = []
    for key, target in imports.items():
        if not isinstance(target, str) or not target.startswith("npm:"):
            continue  # jsr:, https: and local paths are not npm packages
        spec = target[4:]
        parts = spec.split("/")
        base = "/".join(parts[:2]) if spec.startswith("@") else parts[0]  # drop a subpath
        name, rng = _descriptor_name(base)
        deps.append(
            Dep(
                name=name,
                line=positions.get(("imports", key)),
                specifier=rng or None,
                version=exact_npm_version(rng) if rng else None,
                direct=True,
                scope="imports",
                properties={"alias": key} if key != name else {},
            )
        )
    return Parsed(deps=deps)
