"""NuGet: project files (PackageReference), central package management, packages.config, locks."""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from aims.scanner.detectors.manifests._common import (
    Dep,
    Keep,
    Lazy,
    ManifestError,
    Parsed,
    find_upwards,
    keep_all,
    path_line,
    read_sibling,
    read_text,
)
from aims.scanner.detectors.manifests._positions import json_positions
from aims.scanner.detectors.manifests._xml import Node, parse_xml

_MSBUILD_PROPERTY = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]{0,200})\)")
_PLAIN = re.compile(r"^[0-9]+(?:\.[0-9]+){0,3}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def nuget_exact(spec: str | None) -> str | None:
    """The version a NuGet requirement resolves to without a lock: `1.2.3` and `[1.2.3]`.

    A plain version is a minimum, and NuGet restores the lowest version that satisfies it,
    so it names the version used unless another package forces a higher one.
    """
    if not spec:
        return None
    value = spec.strip()
    if value.startswith("[") and value.endswith("]") and "," not in value:
        value = value[1:-1].strip()
    return value if _PLAIN.match(value) else None


def _msbuild_properties(root: Node) -> dict[str, str]:
    properties: dict[str, str] = {}
    for group in root.iter("PropertyGroup"):
        for child in group.children:
            properties[child.tag] = child.text.strip()
    return properties


def _expand(value: str | None, properties: dict[str, str]) -> str | None:
    if value is None:
        return None
    for _ in range(10):
        replaced = _MSBUILD_PROPERTY.sub(lambda m: properties.get(m.group(1), m.group(0)), value)
        if replaced == value or len(replaced) > 1024:
            break  # NOTE: bounded, so properties that double at each level cannot explode
        value = replaced
    return value


def _attr_or_child(node: Node, name: str) -> str | None:
    for key, value in node.attrs.items():
        if key.lower() == name.lower():
            return value.strip()
    for child in node.children:
        if child.tag.lower() == name.lower():
            return child.text.strip()
    return None


def _xml(text: str) -> Node:
    return parse_xml(text.lstrip("\ufeff"))


def central_versions(root: Node) -> dict[str, tuple[str, int]]:
    """`PackageVersion` items of a Directory.Packages.props: lower-cased id -> (version, line)."""
    properties = _msbuild_properties(root)
    versions: dict[str, tuple[str, int]] = {}
    # NOTE: items may sit in ItemGroups nested in <Choose><When>, so search the whole tree.
    for group in root.iter("ItemGroup"):
        for node in group.findall("PackageVersion") + group.findall("GlobalPackageReference"):
            include = node.attrs.get("Include") or node.attrs.get("Update")
            version = _expand(_attr_or_child(node, "Version"), properties)
            if include and version:
                versions[include.strip().lower()] = (version, node.line)
    return versions


def parse_project_file(text: str, *, abspath: str) -> Parsed:
    """Parse a .csproj/.fsproj/.vbproj (or Directory.Build.props) for PackageReference items.

    A reference without a version takes it from the nearest Directory.Packages.props (central
    package management); `VersionOverride` wins over both. packages.lock.json, when present next
    to the project, gives the resolved version.
    """
    root = _xml(text)
    properties = _msbuild_properties(root)
    central: dict[str, tuple[str, int]] | None = None
    deps: list[Dep] = []
    for group in root.iter("ItemGroup"):
        for node in group.findall("PackageReference"):
            include = node.attrs.get("Include")
            if not include:
                continue  # `Update=` items change a reference declared elsewhere
            spec = _expand(_attr_or_child(node, "VersionOverride"), properties)
            source = "override" if spec else None
            if spec is None:
                spec = _expand(_attr_or_child(node, "Version"), properties)
            if spec is None:
                if central is None:
                    central = _load_central(abspath)
                found = central.get(include.strip().lower())
                if found:
                    spec, source = found[0], "central"
            dep = Dep(
                name=include.strip(),
                line=node.line,
                specifier=spec,
                version=nuget_exact(spec),
                direct=True,
            )
            if source:
                dep.properties["version_source"] = source
            if (_attr_or_child(node, "PrivateAssets") or "").lower() == "all":
                dep.properties["private_assets"] = "all"
            deps.append(dep)
    if deps:
        locked = _lock_versions(abspath)
        for dep in deps:
            resolved = locked.get(dep.name.lower())
            if resolved:
                dep.version = resolved
    return Parsed(deps=deps)


def _load_central(abspath: str) -> dict[str, tuple[str, int]]:
    path = find_upwards(abspath, ("Directory.Packages.props",))
    text = read_text(path) if path else None
    if text is None:
        return {}
    try:
        return central_versions(_xml(text))
    except ManifestError:
        return {}


def parse_central_props(text: str) -> Parsed:
    """Parse Directory.Packages.props: centrally managed versions (not references themselves)."""
    root = _xml(text)
    deps = [
        Dep(
            name=_original_case(root, key),
            line=line,
            specifier=version,
            version=nuget_exact(version),
            direct=None,
            properties={"managed": True},
        )
        for key, (version, line) in central_versions(root).items()
    ]
    return Parsed(deps=deps)


def _original_case(root: Node, lower: str) -> str:
    for node in root.iter("PackageVersion") + root.iter("GlobalPackageReference"):
        include = (node.attrs.get("Include") or node.attrs.get("Update") or "").strip()
        if include.lower() == lower:
            return include
    return lower


def parse_packages_config(text: str) -> Parsed:
    """Parse packages.config (it lists every installed package, so direct is unknown)."""
    root = _xml(text)
    deps: list[Dep] = []
    for node in root.iter("package"):
        name = node.attrs.get("id")
        version = node.attrs.get("version")
        if not name:
            continue
        dep = Dep(
            name=name.strip(), line=node.line, specifier=version, version=version, direct=None
        )
        if node.attrs.get("developmentDependency") == "true":
            dep.scope = "development"
        deps.append(dep)
    return Parsed(deps=deps)


def _lock_versions(abspath: str) -> dict[str, str]:
    text = read_sibling(abspath, "packages.lock.json")
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    versions: dict[str, str] = {}
    frameworks = data.get("dependencies") if isinstance(data, dict) else None
    for body in frameworks.values() if isinstance(frameworks, dict) else []:
        for name, info in body.items() if isinstance(body, dict) else []:
            if isinstance(info, dict) and isinstance(info.get("resolved"), str):
                versions.setdefault(name.lower(), info["resolved"])
    return versions


def parse_packages_lock(text: str, *, keep: Keep = keep_all) -> Parsed:
    """Parse packages.lock.json: `type` says Direct, Transitive or CentralTransitive."""
    try:
        data: Any = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ManifestError(f"malformed JSON: {exc.msg}", line=exc.lineno) from None
    except ValueError as exc:
        raise ManifestError(f"malformed JSON: {exc}") from None
    frameworks = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(frameworks, dict):
        return Parsed()
    positions = Lazy(lambda: json_positions(text.lstrip("\ufeff"), max_depth=3))
    found: dict[tuple[str, str], Dep] = {}
    for framework, body in frameworks.items():
        if not isinstance(body, dict):
            continue
        for name, info in body.items():
            if not isinstance(info, dict) or not keep(name):
                continue
            kind = info.get("type")
            if kind == "Project":
                continue
            version = info.get("resolved") if isinstance(info.get("resolved"), str) else None
            key = (name.lower(), version or "")
            direct = kind == "Direct"
            if key in found:
                found[key].direct = bool(found[key].direct) or direct
                continue
            requested = info.get("requested")
            found[key] = Dep(
                name=name,
                line=None,
                locate=partial(path_line, positions, ("dependencies", framework, name)),
                specifier=requested if isinstance(requested, str) else None,
                version=version,
                direct=direct,
                properties={"framework": framework},
            )
    return Parsed(deps=list(found.values()))


def is_project_file(name: str) -> bool:
    """True for MSBuild project files that can hold PackageReference items."""
    lower = name.lower()
    return lower.endswith((".csproj", ".fsproj", ".vbproj")) or lower == "directory.build.props"


__all__ = [
    "is_project_file",
    "parse_central_props",
    "parse_packages_config",
    "parse_packages_lock",
    "parse_project_file",
]
