"""Python manifests and lock files: requirements, pyproject, setup.cfg/py, Pipfile, locks, conda."""

from __future__ import annotations

import ast
import json
import os
import posixpath
import re
import tomllib
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from aims.scanner.detectors.manifests._common import (
    Dep,
    Keep,
    Lazy,
    ManifestError,
    Parsed,
    exact_version,
    find_upwards,
    keep_all,
    load_toml,
    nth_line,
    path_line,
    read_sibling,
    read_text,
    redact,
)
from aims.scanner.detectors.manifests._positions import (
    PathKey,
    json_positions,
    table_array_name_lines,
    toml_positions,
)

MAX_INCLUDE_DEPTH = 10
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_OPTION_SPLIT = re.compile(r"\s+--?[A-Za-z]")
_INCLUDE = re.compile(r"^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s-]))(\S+)")
_CONDA_SPEC = re.compile(r"^(?:[^:\s]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$")
# NOTE: conda-forge and the pytorch channel name a few AI packages differently from PyPI; the
# catalog is keyed by PyPI names, so these conda names are looked up under their PyPI name.
CONDA_PYPI_NAMES = {
    "pytorch": "torch",
    "pytorch-cpu": "torch",
    "pytorch-gpu": "torch",
    "tensorflow-gpu": "tensorflow",
    "tensorflow-cpu": "tensorflow",
    "py-xgboost": "xgboost",
    "py-xgboost-cpu": "xgboost",
    "py-xgboost-gpu": "xgboost",
}
_POETRY_EXACT = re.compile(r"^=?=?\s*v?[0-9][0-9A-Za-z.+!-]*$")

# -- helpers -------------------------------------------------------------------------------


def canonical(name: str) -> str:
    """PEP 503 normal form of a distribution name."""
    return str(canonicalize_name(name))


def _raw_specifier(requirement: str, name: str) -> str | None:
    """The version constraint exactly as written after the name and extras, or None."""
    rest = requirement.strip()[len(name) :].lstrip()
    if rest.startswith("["):
        close = rest.find("]")
        rest = rest[close + 1 :] if close >= 0 else ""
    rest = rest.split(";", 1)[0].strip()
    if rest.startswith("@"):
        return None
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    return rest or None


def pep508_dep(text: str, line: int | None, *, scope: str | None) -> Dep | None:
    """Parse one PEP 508 requirement string into a `Dep` (None when it names no package)."""
    text = text.strip()
    if not text:
        return None
    try:
        req = Requirement(text)
    except InvalidRequirement:
        match = _NAME.match(text)
        if not match:
            return None
        return Dep(name=match.group(), line=line, specifier=None, direct=True, scope=scope)
    specifier = _raw_specifier(text, req.name)
    dep = Dep(
        name=req.name,
        line=line,
        specifier=specifier,
        version=exact_version(str(req.specifier)) if req.specifier else None,
        direct=True,
        scope=scope,
    )
    if req.extras:
        dep.properties["extras"] = sorted(req.extras)
    if req.marker is not None:
        dep.properties["marker"] = str(req.marker)
    if req.url:
        dep.properties["url"] = redact(req.url)
    return dep


def _table(data: Any, *keys: str) -> dict[str, Any]:
    """Walk nested tables; any missing or non-table step gives an empty dict."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _apply_lock(deps: Iterable[Dep], locked: dict[str, str]) -> None:
    """Take resolved versions from a lock file's name -> version map."""
    for dep in deps:
        resolved = locked.get(canonical(dep.name))
        if resolved:
            dep.version = resolved


# -- requirements files ----------------------------------------------------------------------


def is_requirements_name(name: str, parent: str) -> bool:
    """True for pip requirement and constraint files, by the names projects give them."""
    lower = name.lower()
    stem, dot, extension = lower.rpartition(".")
    if not dot:
        return False
    if extension in ("txt", "in"):
        return "requirements" in stem or stem.startswith("constraints") or parent == "requirements"
    # Rye writes pip-compile style `requirements.lock` and `requirements-dev.lock`.
    return extension == "lock" and stem.startswith("requirements")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations and drop comments; return (first line, content) pairs."""
    result: list[tuple[int, str]] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        line = raw
        if line.endswith("\\"):
            buffer.append(line[:-1])
            continue
        buffer.append(line)
        joined = " ".join(part.strip() for part in buffer)
        buffer = []
        result.append((start, joined))
    if buffer:
        result.append((start, " ".join(part.strip() for part in buffer)))
    return result


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith("#"):
        return ""
    match = re.search(r"\s#", line)
    return line[: match.start()] if match else line


def _via_direct(text_lines: list[str], after: int) -> bool | None:
    """Read pip-compile `# via` comments below a requirement: True/False, or None if absent."""
    sources: list[str] = []
    index = after  # 0-based index of the line after the requirement
    seen_via = False
    while index < len(text_lines):
        stripped = text_lines[index].strip()
        if not stripped.startswith("#"):
            break
        body = stripped[1:].strip()
        if body.startswith("via"):
            seen_via = True
            rest = body[3:].strip()
            if rest:
                sources.append(rest)
        elif seen_via and body:
            sources.append(body)
        elif not seen_via:
            break
        index += 1
    if not seen_via:
        return None
    return _direct_source(sources)


def _direct_source(sources: list[str]) -> bool:
    """True when one `# via` source is a file the user edits (`-r requirements.in`, a
    pyproject), not another package or a `-c` constraints file."""
    return any(
        src.startswith("-r ")
        or src.endswith(("pyproject.toml", "pyproject.toml)", "setup.py", "setup.cfg"))
        for part in sources
        for src in (p.strip() for p in part.split(","))
    )


def parse_requirements(
    text: str,
    *,
    relpath: str,
    abspath: str,
    engine_scans: Callable[[str], bool],
    constraint_file: bool = False,
    keep: Keep = keep_all,
) -> Parsed:
    """Parse a pip requirements (or constraints) file.

    `-r`/`-c` includes whose names the engine scans anyway are only noted; others are read
    from disk (bounded depth, no cycles, never outside the scan root) and their dependencies
    attributed to their own relpath. Constraint files give versions for unpinned requirements.
    """
    parsed = Parsed()
    visited = {os.path.realpath(abspath)}
    constraints: dict[str, str] = {}
    deps = _requirements_deps(
        text,
        relpath=relpath,
        abspath=abspath,
        engine_scans=engine_scans,
        constraint_file=constraint_file,
        parsed=parsed,
        visited=visited,
        constraints=constraints,
        depth=0,
        keep=keep,
    )
    parsed.deps.extend(deps)
    for dep in parsed.deps:
        if dep.version is None and canonical(dep.name) in constraints:
            dep.version = constraints[canonical(dep.name)]
    for _, extra, _ in parsed.extra_files:
        for dep in extra:
            if dep.version is None and canonical(dep.name) in constraints:
                dep.version = constraints[canonical(dep.name)]
    return parsed


def _requirements_deps(
    text: str,
    *,
    relpath: str,
    abspath: str,
    engine_scans: Callable[[str], bool],
    constraint_file: bool,
    parsed: Parsed,
    visited: set[str],
    constraints: dict[str, str],
    depth: int,
    keep: Keep,
) -> list[Dep]:
    deps: list[Dep] = []
    text_lines = text.splitlines()
    for start, logical in _logical_lines(text):
        line = _strip_comment(logical).strip()
        if not line:
            continue
        include = _INCLUDE.match(line)
        if include:
            kind = "constraint" if include.group(1) in ("-c", "--constraint") else "requirement"
            target = include.group(2)
            _follow_include(
                target,
                kind=kind,
                relpath=relpath,
                abspath=abspath,
                engine_scans=engine_scans,
                parsed=parsed,
                visited=visited,
                constraints=constraints,
                depth=depth,
                keep=keep,
            )
            continue
        editable = False
        if line.startswith(("-e ", "--editable ", "--editable=")):
            editable = True
            line = line.split(None, 1)[1] if " " in line else line.split("=", 1)[1]
            egg = _EGG.search(line)
            if not egg:
                continue
            line = f"{egg.group(1)} @ {line}" if "://" in line else egg.group(1)
        elif line.startswith("-"):
            continue  # --index-url, --find-links, --pre, --hash on its own line, ...
        option = _OPTION_SPLIT.search(line)
        requirement = line[: option.start()] if option else line
        if "://" in requirement and "@" not in requirement.split("://", 1)[0]:
            egg = _EGG.search(requirement)
            if not egg:
                continue  # a bare URL or archive without a name
            requirement = f"{egg.group(1)} @ {requirement}"
        if requirement.startswith((".", "/", "~")):
            continue  # a local path
        name = _NAME.match(requirement)
        if name is None or not keep(name.group()):
            continue
        dep = pep508_dep(requirement, start, scope=None)
        if dep is None:
            continue
        if editable:
            dep.properties["editable"] = True
        if option and "--hash" in line[option.start() :]:
            dep.properties["hashes"] = True
        if constraint_file:
            dep.direct = None
            dep.properties["constraint"] = True
        else:
            last = start  # a logical line may continue over several physical lines
            while last <= len(text_lines) and text_lines[last - 1].endswith("\\"):
                last += 1
            inline = logical.partition(" #")[2].strip()
            via = (
                _direct_source([inline[3:]])
                if inline.startswith("via ")
                else _via_direct(text_lines, last)
            )
            if via is not None:
                dep.direct = via
        deps.append(dep)
    return deps


def _follow_include(
    target: str,
    *,
    kind: str,
    relpath: str,
    abspath: str,
    engine_scans: Callable[[str], bool],
    parsed: Parsed,
    visited: set[str],
    constraints: dict[str, str],
    depth: int,
    keep: Keep,
) -> None:
    if "://" in target or os.path.isabs(target) or target.startswith("~"):
        parsed.warnings.append(f"{kind} include {target!r} not followed (not a relative path)")
        return
    included_rel = posixpath.normpath(posixpath.join(posixpath.dirname(relpath), target))
    if included_rel.startswith("../") or included_rel == "..":
        parsed.warnings.append(f"{kind} include {target!r} not followed (outside the scan root)")
        return
    included_abs = os.path.normpath(os.path.join(os.path.dirname(abspath), target))
    real = os.path.realpath(included_abs)
    name = posixpath.basename(included_rel)
    parent = posixpath.basename(posixpath.dirname(included_rel))
    scanned_by_engine = engine_scans(name) or is_requirements_name(name, parent)
    if kind == "requirement" and scanned_by_engine:
        return  # The engine hands that file to this detector itself: no double counting.
    if real in visited or depth >= MAX_INCLUDE_DEPTH:
        return
    content = read_text(included_abs)
    if content is None:
        parsed.warnings.append(f"{kind} include {target!r} not found")
        return
    visited.add(real)
    sub = Parsed()
    deps = _requirements_deps(
        content,
        relpath=included_rel,
        abspath=included_abs,
        engine_scans=engine_scans,
        constraint_file=kind == "constraint",
        parsed=sub,
        visited=visited,
        constraints=constraints,
        depth=depth + 1,
        keep=keep,
    )
    if kind == "constraint":
        for dep in deps:
            if dep.version:
                constraints.setdefault(canonical(dep.name), dep.version)
        if scanned_by_engine:
            deps = []
    if deps:
        parsed.extra_files.append((included_rel, deps, content))
    parsed.extra_files.extend(sub.extra_files)
    parsed.warnings.extend(sub.warnings)


# -- pyproject.toml ----------------------------------------------------------------------------


def _poetry_dep(name: str, value: Any, line: int | None, scope: str) -> Dep | None:
    if name.lower() == "python":
        return None
    dep = Dep(name=name, line=line, direct=True, scope=scope)
    if isinstance(value, list):  # multiple-constraint form
        value = next((item for item in value if isinstance(item, dict)), {})
    if isinstance(value, str):
        dep.specifier = value
    elif isinstance(value, dict):
        version = value.get("version")
        dep.specifier = version if isinstance(version, str) else None
        for key in ("git", "url", "path"):
            if isinstance(value.get(key), str):
                dep.properties[key] = redact(value[key])
        if isinstance(value.get("extras"), list):
            dep.properties["extras"] = [str(x) for x in value["extras"]]
        if value.get("optional") is True:
            dep.properties["optional"] = True
    if dep.specifier and _POETRY_EXACT.match(dep.specifier.strip()):
        dep.version = dep.specifier.strip().lstrip("=").strip().lstrip("v")
    return dep


def pyproject_deps(data: dict[str, Any], positions: dict[PathKey, int]) -> list[Dep]:
    """Every dependency a pyproject.toml declares (PEP 621/735, Poetry, PDM, uv)."""
    deps: list[Dep] = []

    def strings(path: PathKey, values: Any, scope: str) -> None:
        if not isinstance(values, list):
            return
        for index, item in enumerate(values):
            if isinstance(item, str):
                dep = pep508_dep(item, positions.get((*path, index)), scope=scope)
                if dep is not None:
                    deps.append(dep)

    project = _table(data, "project")
    strings(("project", "dependencies"), project.get("dependencies"), "dependencies")
    for group, values in _table(project, "optional-dependencies").items():
        strings(("project", "optional-dependencies", group), values, f"optional:{group}")
    for group, values in _table(data, "dependency-groups").items():
        strings(("dependency-groups", group), values, f"group:{group}")
    poetry = _table(data, "tool", "poetry")
    tables: list[tuple[PathKey, dict[str, Any], str]] = [
        (("tool", "poetry", "dependencies"), _table(poetry, "dependencies"), "dependencies"),
        (("tool", "poetry", "dev-dependencies"), _table(poetry, "dev-dependencies"), "dev"),
    ]
    for group, body in _table(poetry, "group").items():
        tables.append(
            (
                ("tool", "poetry", "group", group, "dependencies"),
                _table(body, "dependencies"),
                f"group:{group}",
            )
        )
    for path, table, scope in tables:
        for name, value in table.items():
            dep = _poetry_dep(name, value, positions.get((*path, name)), scope)
            if dep is not None:
                deps.append(dep)
    for group, values in _table(data, "tool", "pdm", "dev-dependencies").items():
        strings(("tool", "pdm", "dev-dependencies", group), values, f"dev:{group}")
    strings(
        ("tool", "uv", "dev-dependencies"),
        _table(data, "tool", "uv").get("dev-dependencies"),
        "dev",
    )
    return deps


_LOCK_BULK_START = re.compile(r"^(?:wheels|files) = \[$")
_LOCK_BULK_LINE = re.compile(r"^(?:sdist|wheels|files) = (?:\{.*\}|\[.*\])$")


def slim_lock(text: str) -> str:
    """Blank the artifact lists of a uv, Poetry or PDM lock file, keeping every line in place.

    `sdist`, `wheels` and `files` (URLs, hashes and sizes of every distribution) are most of a
    lock file's bytes and nothing the scanner reads; blanking them makes the TOML parse many
    times faster. They are whole key/value pairs, so the rest stays valid TOML with the same
    line numbers. A multi-line list that does not end on a line of its own (not how the tools
    write it) leaves the text unchanged.
    """
    if "wheels = [" not in text and "files = [" not in text and "sdist = {" not in text:
        return text
    lines = text.split("\n")
    in_list = False
    for i, line in enumerate(lines):
        if in_list:
            in_list = line != "]"
            lines[i] = ""
        elif _LOCK_BULK_START.match(line):
            in_list = True
            lines[i] = ""
        elif _LOCK_BULK_LINE.match(line):
            lines[i] = ""
    return text if in_list else "\n".join(lines)


def python_lock_versions(abspath: str, names: Iterable[str]) -> dict[str, str]:
    """Resolved versions of a project's lock file (uv.lock, poetry.lock, pdm.lock) by name."""
    # Poetry and PDM lock each project beside its pyproject.toml; a uv workspace shares one
    # uv.lock at its root.
    directory = os.path.dirname(abspath)
    lock = next(
        (
            os.path.join(directory, name)
            for name in ("uv.lock", "poetry.lock", "pdm.lock")
            if os.path.isfile(os.path.join(directory, name))
        ),
        None,
    ) or find_upwards(abspath, ("uv.lock",))
    if lock is None:
        return {}
    text = read_text(lock)
    if text is None:
        return {}
    try:
        data = tomllib.loads(slim_lock(text))
    except tomllib.TOMLDecodeError:
        return {}
    wanted = {canonical(n) for n in names}
    versions: dict[str, str] = {}
    for package in data.get("package", []) if isinstance(data.get("package"), list) else []:
        if not isinstance(package, dict):
            continue
        name, version = package.get("name"), package.get("version")
        if isinstance(name, str) and isinstance(version, str) and canonical(name) in wanted:
            versions.setdefault(canonical(name), version)
    return versions


def parse_pyproject(text: str, *, abspath: str) -> Parsed:
    """Parse pyproject.toml; resolved versions come from a sibling lock file when present."""
    parsed = Parsed()
    data = load_toml(text, parsed.warnings)
    parsed.deps = pyproject_deps(data, toml_positions(text))
    if parsed.deps:
        _apply_lock(parsed.deps, python_lock_versions(abspath, (d.name for d in parsed.deps)))
    return parsed


def declared_python_names(abspath: str) -> set[str] | None:
    """Canonical names the sibling pyproject.toml declares, or None when there is none."""
    text = read_sibling(abspath, "pyproject.toml")
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    return {canonical(dep.name) for dep in pyproject_deps(data, {})}


# -- lock files (TOML) -------------------------------------------------------------------------


def parse_uv_lock(text: str, *, keep: Keep = keep_all) -> Parsed:
    """Parse uv.lock: workspace members (editable/virtual sources) name the direct deps."""
    parsed = Parsed()
    data = load_toml(slim_lock(text), parsed.warnings)
    packages = data.get("package")
    if not isinstance(packages, list):
        return parsed
    name_lines = Lazy(lambda: table_array_name_lines(text))
    direct: set[str] = set()
    for package in packages:
        if not isinstance(package, dict):
            continue
        source = package.get("source")
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            _collect_uv_names(package, direct)
    deps = parsed.deps
    for index, package in enumerate(packages):
        if not isinstance(package, dict):
            continue
        name, version = package.get("name"), package.get("version")
        source = package.get("source")
        if not isinstance(name, str):
            continue
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            continue
        if not keep(name):
            continue
        dep = Dep(
            name=name,
            line=None,
            locate=partial(nth_line, name_lines, index),
            version=version if isinstance(version, str) else None,
            direct=canonical(name) in direct,
        )
        if isinstance(source, dict) and isinstance(source.get("git"), str):
            dep.properties["url"] = redact(source["git"])
        deps.append(dep)
    return parsed


def _collect_uv_names(package: dict[str, Any], into: set[str]) -> None:
    def take(items: Any) -> None:
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    into.add(canonical(item["name"]))

    take(package.get("dependencies"))
    for group in ("optional-dependencies", "dev-dependencies"):
        table = package.get(group)
        if isinstance(table, dict):
            for items in table.values():
                take(items)


def parse_poetry_or_pdm_lock(text: str, *, abspath: str, keep: Keep = keep_all) -> Parsed:
    """Parse poetry.lock or pdm.lock; direct means declared in the sibling pyproject.toml."""
    parsed = Parsed()
    data = load_toml(slim_lock(text), parsed.warnings)
    packages = data.get("package")
    if not isinstance(packages, list):
        return parsed
    name_lines = Lazy(lambda: table_array_name_lines(text))
    declared = declared_python_names(abspath)
    deps = parsed.deps
    for index, package in enumerate(packages):
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            continue
        name = package["name"]
        if not keep(name):
            continue
        version = package.get("version")
        dep = Dep(
            name=name,
            line=None,
            locate=partial(nth_line, name_lines, index),
            version=version if isinstance(version, str) else None,
            direct=None if declared is None else canonical(name) in declared,
        )
        groups = package.get("groups")
        if isinstance(groups, list):
            dep.properties["groups"] = [str(g) for g in groups]
        elif isinstance(package.get("category"), str):
            dep.scope = package["category"]
        deps.append(dep)
    return parsed


# -- Pipfile -------------------------------------------------------------------------------------

_PIPFILE_NON_PACKAGE = {"source", "requires", "scripts", "pipenv"}


def _pipfile_lock_versions(abspath: str) -> dict[str, str]:
    text = read_sibling(abspath, "Pipfile.lock")
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    versions: dict[str, str] = {}
    if not isinstance(data, dict):
        return versions
    for section, body in data.items():
        if section == "_meta" or not isinstance(body, dict):
            continue
        for name, info in body.items():
            if isinstance(info, dict) and isinstance(info.get("version"), str):
                version = exact_version(info["version"])
                if version:
                    versions.setdefault(canonical(name), version)
    return versions


def parse_pipfile(text: str, *, abspath: str) -> Parsed:
    """Parse a Pipfile ([packages], [dev-packages] and custom categories)."""
    parsed = Parsed()
    data = load_toml(text, parsed.warnings)
    positions = toml_positions(text)
    deps = parsed.deps
    for section, body in data.items():
        if section in _PIPFILE_NON_PACKAGE or not isinstance(body, dict):
            continue
        scope = {"packages": "default", "dev-packages": "develop"}.get(section, section)
        for name, value in body.items():
            dep = Dep(name=name, line=positions.get((section, name)), direct=True, scope=scope)
            spec = value if isinstance(value, str) else None
            if isinstance(value, dict):
                version = value.get("version")
                spec = version if isinstance(version, str) else None
                for key in ("git", "file", "path"):
                    if isinstance(value.get(key), str):
                        dep.properties["url" if key != "path" else "path"] = redact(value[key])
            if spec and spec.strip() != "*":
                dep.specifier = spec
                dep.version = exact_version(spec)
            deps.append(dep)
    if deps:
        _apply_lock(deps, _pipfile_lock_versions(abspath))
    return parsed


def parse_pipfile_lock(text: str, *, abspath: str, keep: Keep = keep_all) -> Parsed:
    """Parse Pipfile.lock; direct means declared in the sibling Pipfile."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"malformed JSON: {exc}", line=getattr(exc, "lineno", None)) from None
    if not isinstance(data, dict):
        raise ManifestError("Pipfile.lock is not a JSON object")
    declared: set[str] | None = None
    pipfile = read_sibling(abspath, "Pipfile")
    if pipfile is not None:
        try:
            pdata = tomllib.loads(pipfile)
            declared = {
                canonical(name)
                for section, body in pdata.items()
                if section not in _PIPFILE_NON_PACKAGE and isinstance(body, dict)
                for name in body
            }
        except tomllib.TOMLDecodeError:
            declared = None
    positions = Lazy(lambda: json_positions(text, max_depth=2))
    deps: list[Dep] = []
    for section, body in data.items():
        if section == "_meta" or not isinstance(body, dict):
            continue
        for name, info in body.items():
            if not isinstance(info, dict) or not keep(name):
                continue
            spec = info.get("version") if isinstance(info.get("version"), str) else None
            deps.append(
                Dep(
                    name=name,
                    line=None,
                    locate=partial(path_line, positions, (section, name)),
                    specifier=None,
                    version=exact_version(spec),
                    direct=None if declared is None else canonical(name) in declared,
                    scope=section,
                )
            )
    return Parsed(deps=deps)


# -- setup.cfg / setup.py ------------------------------------------------------------------------


def parse_setup_cfg(text: str) -> Parsed:
    """Parse setup.cfg `[options] install_requires` and `[options.extras_require]` lists."""
    deps: list[Dep] = []
    section = ""
    key: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if raw[:1] not in (" ", "\t") and stripped.startswith("[") and "]" in stripped:
            section = stripped[1 : stripped.index("]")].strip().lower()
            key = None
            continue
        if raw[:1] not in (" ", "\t"):
            sep = min((i for i in (raw.find("="), raw.find(":")) if i >= 0), default=-1)
            if sep < 0:
                key = None
                continue
            key = raw[:sep].strip().lower()
            value = raw[sep + 1 :].strip()
        else:
            value = stripped
        scope = _setup_cfg_scope(section, key)
        if scope is None or not value or value.startswith("file:"):
            continue
        for item in value.split(";") if ";" in value and "python_version" not in value else [value]:
            dep = pep508_dep(_strip_comment(item), number, scope=scope)
            if dep is not None:
                deps.append(dep)
    return Parsed(deps=deps)


def _setup_cfg_scope(section: str, key: str | None) -> str | None:
    if key is None:
        return None
    if section == "options" and key in ("install_requires", "setup_requires", "tests_require"):
        return {"install_requires": "dependencies", "setup_requires": "setup"}.get(key, "test")
    if section == "options.extras_require":
        return f"optional:{key}"
    return None


def parse_setup_py(text: str) -> Parsed:
    """Read `setup(install_requires=..., extras_require=...)` statically with `ast`.

    Requirement lists built in module-level variables are followed: names, `+`, `list(...)`,
    `sorted(...)`, starred items, `name[key] = ...` entries of a dict, and the Hugging Face
    table pattern (a list of requirement strings turned into a name -> requirement dict, read
    through `table["name"]`, `table.values()` or a helper `def deps_list(*names)` that indexes
    it). When a dependency argument of `setup()` still cannot be resolved, every module-level
    list of requirement-shaped strings not already read is reported with scope `unknown`.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        raise ManifestError(f"not valid Python: {exc}", line=getattr(exc, "lineno", None)) from None
    return _SetupPyReader(tree).read()


_SETUP_SCOPES = {
    "install_requires": "dependencies",
    "setup_requires": "setup",
    "tests_require": "test",
}
_LIST_CALLS = {"list", "sorted", "tuple", "set"}
_MAX_RESOLVE_DEPTH = 60
_MAX_RESOLVE_STEPS = 20_000  # names used twice per level would otherwise grow exponentially


def _string_items(expr: ast.expr) -> list[ast.Constant] | None:
    """The elements of a list/tuple/set made only of string literals (None otherwise)."""
    if not isinstance(expr, (ast.List, ast.Tuple, ast.Set)) or not expr.elts:
        return None
    items = [e for e in expr.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return items if len(items) == len(expr.elts) else None


def _requirement_shaped(name: str, items: list[ast.Constant]) -> bool:
    """Heuristic for the fallback: every item is a PEP 508 requirement, and the list looks like one.

    A list qualifies when at least one item carries a version constraint, extras, a marker or a
    URL, or when the variable's name says so (`req`, `dep`, `install`); this keeps `packages`,
    keyword and classifier lists out.
    """
    constrained = False
    for item in items:
        try:
            req = Requirement(str(item.value))
        except InvalidRequirement:
            return False
        constrained = constrained or bool(req.specifier or req.extras or req.marker or req.url)
    lowered = name.lower()
    return constrained or any(word in lowered for word in ("req", "dep", "install"))


class _SetupPyReader:
    """Resolve the requirement strings passed to `setup()` through module-level assignments."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.assigned: dict[str, ast.expr] = {}
        self.entries: dict[str, list[tuple[str, ast.expr]]] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        self.lists: list[tuple[str, list[ast.Constant]]] = []
        for node in tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(target, node.value)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self._bind(node.target, node.value)
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = node
        self.unresolved = False
        self.deps: list[Dep] = []
        self.emitted: set[tuple[int, str]] = set()
        self.used: set[int] = set()
        self.budget = _MAX_RESOLVE_STEPS

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.assigned[target.id] = value
            items = _string_items(value)
            if items is not None:
                self.lists.append((target.id, items))
        elif (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and isinstance(target.slice, ast.Constant)
            and isinstance(target.slice.value, str)
        ):
            self.entries.setdefault(target.value.id, []).append((target.slice.value, value))

    # -- resolution --------------------------------------------------------------------------

    def _table(self, expr: ast.expr, depth: int) -> dict[str, ast.Constant] | None:
        """A name -> requirement-string table: a dict literal, or a dict built from a list."""
        if depth > _MAX_RESOLVE_DEPTH:
            return None
        if isinstance(expr, ast.Name) and expr.id in self.assigned:
            return self._table(self.assigned[expr.id], depth + 1)
        table: dict[str, ast.Constant] = {}
        if isinstance(expr, ast.Dict):
            for key, value in zip(expr.keys, expr.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and isinstance(key.value, str)
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    table[canonical(key.value)] = value
            return table or None
        if isinstance(expr, (ast.DictComp, ast.Call)):
            # A dict derived from a list of requirement strings: key each item by its name.
            for node in ast.walk(expr):
                if isinstance(node, ast.Name) and node.id in self.assigned:
                    items = self._list_source(self.assigned[node.id], depth + 1)
                    for item in items or []:
                        dep = pep508_dep(str(item.value), item.lineno, scope=None)
                        if dep is not None:
                            table.setdefault(canonical(dep.name), item)
            return table or None
        return None

    def _list_source(self, expr: ast.expr, depth: int) -> list[ast.Constant] | None:
        if depth > _MAX_RESOLVE_DEPTH:
            return None
        if isinstance(expr, ast.Name) and expr.id in self.assigned:
            return self._list_source(self.assigned[expr.id], depth + 1)
        return _string_items(expr)

    def _dict(self, expr: ast.expr, depth: int) -> list[tuple[str, ast.expr]] | None:
        """The (key, value) entries of a dict expression, following names and `d[k] = v`."""
        if depth > _MAX_RESOLVE_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            base: list[tuple[str, ast.expr]] | None = None
            if expr.id in self.assigned:
                base = self._dict(self.assigned[expr.id], depth + 1)
            extra = self.entries.get(expr.id, [])
            if base is None and not extra:
                return None
            return [*(base or []), *extra]
        if isinstance(expr, ast.Dict):
            out: list[tuple[str, ast.expr]] = []
            for key, value in zip(expr.keys, expr.values, strict=True):
                if isinstance(key, ast.Constant):
                    out.append((str(key.value), value))
                else:
                    self.unresolved = True
            return out
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Name)
            and expr.func.id == "dict"
        ):
            return [(k.arg, k.value) for k in expr.keywords if k.arg is not None]
        return None

    def _strings(self, expr: ast.expr, depth: int = 0) -> list[ast.Constant]:
        """The requirement string literals an expression evaluates to (flags what it cannot)."""
        self.budget -= 1
        if depth > _MAX_RESOLVE_DEPTH or self.budget < 0:
            self.unresolved = True
            return []
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return [expr]
        if isinstance(expr, ast.Name):
            if expr.id in self.assigned:
                return self._strings(self.assigned[expr.id], depth + 1)
            self.unresolved = True
            return []
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return [s for e in expr.elts for s in self._strings(e, depth + 1)]
        if isinstance(expr, ast.Starred):
            return self._strings(expr.value, depth + 1)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self._strings(expr.left, depth + 1) + self._strings(expr.right, depth + 1)
        if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
            key = expr.slice.value
            if isinstance(key, str):
                table = self._table(expr.value, depth + 1)
                if table is not None and canonical(key) in table:
                    return [table[canonical(key)]]
                entries = self._dict(expr.value, depth + 1)
                if entries is not None:
                    found = [v for k, v in entries if k == key]
                    if found:
                        return self._strings(found[-1], depth + 1)
        if isinstance(expr, ast.Call):
            return self._call(expr, depth)
        self.unresolved = True
        return []

    def _call(self, call: ast.Call, depth: int) -> list[ast.Constant]:
        func = call.func
        if isinstance(func, ast.Name) and func.id in _LIST_CALLS and len(call.args) == 1:
            return self._strings(call.args[0], depth + 1)
        if isinstance(func, ast.Attribute) and func.attr == "values" and not call.args:
            table = self._table(func.value, depth + 1)
            if table is not None:
                return list(table.values())
            entries = self._dict(func.value, depth + 1)
            if entries is not None:
                return [s for _, v in entries for s in self._strings(v, depth + 1)]
        if isinstance(func, ast.Name) and func.id in self.functions:
            # A helper such as `def deps_list(*pkgs): return [deps[p] for p in pkgs]`: its
            # string arguments are keys of the table it indexes.
            helper_table: dict[str, ast.Constant] = {}
            for node in ast.walk(self.functions[func.id]):
                if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
                    helper_table = self._table(node.value, depth + 1) or helper_table
            keys = [
                a for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if helper_table and len(keys) == len(call.args):
                found = [helper_table.get(canonical(str(k.value))) for k in keys]
                if all(f is not None for f in found):
                    return [f for f in found if f is not None]
        self.unresolved = True
        return []

    # -- output ------------------------------------------------------------------------------

    def _emit(self, items: list[ast.Constant], scope: str) -> None:
        for item in items:
            self.used.add(id(item))
            if (id(item), scope) in self.emitted:
                continue
            self.emitted.add((id(item), scope))
            dep = pep508_dep(str(item.value), item.lineno, scope=scope)
            if dep is not None:
                self.deps.append(dep)

    def read(self) -> Parsed:
        for call in ast.walk(self.tree):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if fname != "setup":
                continue
            for keyword in call.keywords:
                if keyword.arg is None:
                    self.unresolved = True  # setup(**kwargs): arguments we do not follow
                elif keyword.arg in _SETUP_SCOPES:
                    self._emit(self._strings(keyword.value), _SETUP_SCOPES[keyword.arg])
                elif keyword.arg == "extras_require":
                    entries = self._dict(keyword.value, 0)
                    if entries is None:
                        self.unresolved = True
                        continue
                    for extra, value in entries:
                        self._emit(self._strings(value), f"optional:{extra}")
        if self.unresolved:
            for name, items in self.lists:
                if _requirement_shaped(name, items):
                    self._emit([i for i in items if id(i) not in self.used], "unknown")
        return Parsed(deps=self.deps)


# -- conda environment.yml ---------------------------------------------------------------------


def parse_conda_env(text: str) -> tuple[Parsed, Parsed]:
    """Parse a conda environment file: (conda packages, packages of the nested `pip:` list)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManifestError(
            f"malformed YAML: {getattr(exc, 'problem', None) or exc}",
            line=mark.line + 1 if mark is not None else None,
        ) from None
    conda, pip = Parsed(), Parsed()
    visited: set[int] = set()
    if not isinstance(root, yaml.MappingNode):
        return conda, pip
    for key, value in root.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value == "dependencies"):
            continue
        if not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            if isinstance(item, yaml.ScalarNode):
                dep = _conda_dep(str(item.value), item.start_mark.line + 1)
                if dep is not None:
                    conda.deps.append(dep)
            elif isinstance(item, yaml.MappingNode):
                for pkey, pvalue in item.value:
                    if (
                        isinstance(pkey, yaml.ScalarNode)
                        and pkey.value == "pip"
                        and isinstance(pvalue, yaml.SequenceNode)
                        and id(pvalue) not in visited  # YAML aliases: read a list once
                    ):
                        visited.add(id(pvalue))
                        for entry in pvalue.value:
                            if isinstance(entry, yaml.ScalarNode) and not str(
                                entry.value
                            ).startswith("-"):
                                dep = pep508_dep(
                                    str(entry.value), entry.start_mark.line + 1, scope="pip"
                                )
                                if dep is not None:
                                    pip.deps.append(dep)
    return conda, pip


def _conda_dep(spec: str, line: int) -> Dep | None:
    match = _CONDA_SPEC.match(spec.strip())
    if not match:
        return None
    name, rest = match.group(1), match.group(2).strip()
    if name == "pip" or name == "python":
        return None
    dep = Dep(name=name, line=line, specifier=rest or None, direct=True, scope="conda")
    pypi_name = CONDA_PYPI_NAMES.get(name.lower())
    if pypi_name:
        dep.properties["catalog_name"] = pypi_name
    if "::" in spec:
        dep.properties["channel"] = spec.split("::", 1)[0].strip()
    if rest.startswith("==") and "*" not in rest:
        dep.version = rest[2:].split("=", 1)[0].strip()
    elif rest.startswith("=") and "*" not in rest and not rest.startswith("=="):
        # `name=1.2.3` (conda's fuzzy `1.2.3*`) and `name=1.2.3=build` both name the release.
        dep.version = rest[1:].split("=", 1)[0].strip() or None
    elif " " in rest and not any(op in rest for op in "<>=!"):
        dep.version = rest.split()[0]  # `name 1.2.3 build` match-spec form
    return dep
