"""JVM builds: pom.xml, build.gradle(.kts), gradle/libs.versions.toml and gradle.lockfile."""

from __future__ import annotations

import os
import re
import tomllib
from typing import Any

from aims.scanner.detectors.manifests._common import (
    Dep,
    ManifestError,
    Parsed,
    find_upwards,
    load_toml,
    read_sibling,
    read_text,
)
from aims.scanner.detectors.manifests._positions import PathKey, toml_positions
from aims.scanner.detectors.manifests._xml import Node, parse_xml

MAX_EXPANDED = 1024
"""Longest value property substitution may produce."""
_PROPERTY = re.compile(r"\$\{([^}\s]{1,200})\}")
_MAVEN_EXACT = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]*$")
_GRADLE_EXACT = re.compile(r"^[0-9][0-9A-Za-z._+-]*$")

# -- pom.xml -----------------------------------------------------------------------------------


def maven_exact(version: str | None) -> str | None:
    """A Maven/Gradle version that names one release (not a range, property or dynamic)."""
    if not version:
        return None
    value = version.strip()
    if value.startswith("[") and value.endswith("]") and "," not in value:
        value = value[1:-1].strip()  # `[1.2.3]` is Maven's hard requirement for one version
    if not _MAVEN_EXACT.match(value) or value.endswith("+") or value.startswith("latest."):
        return None
    if value in ("LATEST", "RELEASE"):
        return None
    return value


def _substitute(value: str, properties: dict[str, str]) -> str:
    """Replace `${name}` with properties of the same file (nested up to 10 times)."""
    for _ in range(10):
        replaced = _PROPERTY.sub(lambda m: properties.get(m.group(1), m.group(0)), value)
        if replaced == value or len(replaced) > MAX_EXPANDED:
            break  # NOTE: the bound stops properties that double at each level (a "laughs" bomb)
        value = replaced
    return value


def parse_pom(text: str) -> Parsed:
    """Parse pom.xml: the `<dependencies>` of the project and its profiles, `${...}` resolved.

    `<dependencyManagement>` entries (version pins and `<scope>import</scope>` BOMs) are not
    dependencies: Maven adds nothing to the classpath for them. They only give a version to a
    `<dependencies>` entry of the same pom that omits `<version>`, so they are never reported.
    """
    root = parse_xml(text)
    if root.tag != "project":
        raise ManifestError(f"pom.xml root element is <{root.tag}>, expected <project>")
    properties: dict[str, str] = {}
    props = root.find("properties")
    if props is not None:
        for child in props.children:
            properties[child.tag] = child.text.strip()
    parent = root.find("parent")
    for key in ("groupId", "artifactId", "version"):
        own = root.child_text(key)
        inherited = parent.child_text(key) if parent is not None else None
        if inherited:
            properties[f"project.parent.{key}"] = inherited
            properties.setdefault(f"parent.{key}", inherited)
        if own or inherited:
            properties[f"project.{key}"] = own or inherited or ""
            properties.setdefault(f"pom.{key}", own or inherited or "")

    containers: list[tuple[Node, bool]] = []
    scopes = [root] + [
        p for profiles in root.findall("profiles") for p in profiles.findall("profile")
    ]
    for holder in scopes:
        containers.extend((deps, False) for deps in holder.findall("dependencies"))
        for mgmt in holder.findall("dependencyManagement"):
            containers.extend((deps, True) for deps in mgmt.findall("dependencies"))
    managed: dict[str, str] = {}
    boms: list[str] = []
    found: list[Dep] = []
    for container, is_managed in containers:
        for node in container.findall("dependency"):
            group = _substitute(node.child_text("groupId") or "", properties)
            artifact = _substitute(node.child_text("artifactId") or "", properties)
            if not group or not artifact:
                continue
            raw_version = node.child_text("version")
            version = _substitute(raw_version, properties) if raw_version else None
            artifact_node = node.find("artifactId")
            dep = Dep(
                name=f"{group}:{artifact}",
                line=artifact_node.line if artifact_node is not None else node.line,
                specifier=raw_version or None,
                version=maven_exact(version) if version and "${" not in version else None,
                direct=True,
                scope=node.child_text("scope") or ("managed" if is_managed else "compile"),
            )
            if is_managed:
                if dep.version and dep.scope == "import":
                    boms.append(f"{dep.name}:{dep.version}")
                elif dep.version:  # a BOM manages others, not itself
                    managed.setdefault(dep.name.lower(), dep.version)
                continue
            if node.child_text("optional") == "true":
                dep.properties["optional"] = True
            found.append(dep)
    for dep in found:
        if dep.version is None and dep.specifier is None and dep.name.lower() in managed:
            dep.version = managed[dep.name.lower()]
            dep.properties["version_from"] = "dependencyManagement"
    return Parsed(deps=_managed_by(found, boms))


def _managed_by(deps: list[Dep], boms: list[str]) -> list[Dep]:
    """Note the imported BOMs (`group:artifact:version`) on every dependency without a version.

    Which of them pins the dependency is only known from the BOM's own pom; the catalog knows
    the release trains that pin their whole group (`Package.manages`), and `to_components`
    takes the version from those.
    """
    if boms:
        for dep in deps:
            if dep.version is None and dep.specifier is None:
                dep.properties["managed_by"] = list(boms)
    return deps


# -- Gradle --------------------------------------------------------------------------------------

_CONFIG = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:\(|\s)(.*)$")
_COORD = re.compile(
    r"""["']([A-Za-z0-9_.\-${}]+):([A-Za-z0-9_.\-${}]+)(?::([^"'@:\s]+))?(?::[^"'@\s]*)?(?:@[A-Za-z0-9]+)?["']"""
)
_MAP_FIELD = re.compile(
    r"""\b(group|name|version)\s*(?::|=)\s*(?:["']([^"']*)["']|([A-Za-z_][A-Za-z0-9_]*))"""
)
_LIBS_REF = re.compile(r"\b(libs)\.([A-Za-z0-9_.]+)")
_VAR_DEF = re.compile(
    r"""^\s*(?:def|val|var|ext\.|extra\[?["']?|const\s+val|set\(\s*["'])?\s*([A-Za-z_][A-Za-z0-9_]*)["']?\]?\s*(?:=|,)\s*["']([^"'$]+)["']"""
)
_VAR_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_.]*)\}?")
_NOT_CONFIGS = {
    "id",
    "plugins",
    "apply",
    "version",
    "group",
    "repositories",
    "maven",
    "exclude",
    "include",
}


def _gradle_vars(text: str, abspath: str) -> dict[str, str]:
    variables: dict[str, str] = {}
    properties_file = find_upwards(abspath, ("gradle.properties",), levels=4)
    content = read_text(properties_file) if properties_file else None
    for raw in (content or "").splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", "!")) and "=" in line:
            key, _, value = line.partition("=")
            variables[key.strip()] = value.strip()
    for raw in text.splitlines():
        match = _VAR_DEF.match(raw)
        if match:
            variables[match.group(1)] = match.group(2)
    return variables


def _resolve_vars(value: str, variables: dict[str, str]) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        key = (
            name.rsplit(".", 1)[-1]
            if name.startswith(("rootProject.", "project.", "ext."))
            else name
        )
        return variables.get(key, match.group(0))

    return _VAR_REF.sub(repl, value)


def _strip_line_comment(line: str) -> str:
    index = line.find("//")
    while index >= 0:
        if index == 0 or line[index - 1] != ":":  # keep `https://`
            return line[:index]
        index = line.find("//", index + 2)
    return line


def parse_gradle(text: str, *, abspath: str) -> Parsed:
    """Parse build.gradle / build.gradle.kts dependency declarations inside `dependencies {}`.

    Handles `"g:a:v"` strings, `group: 'g', name: 'a', version: 'v'` maps (Groovy and Kotlin
    named arguments), `platform(...)`, variables of the same file or gradle.properties, and
    version catalog references (`libs.foo.bar`, `libs.bundles.x`).
    """
    variables = _gradle_vars(text, abspath)
    catalog: dict[str, tuple[str, str | None, str]] | None = None
    bundles: dict[str, list[str]] = {}
    deps: list[Dep] = []
    depth = 0
    deps_depth: list[int] = []
    constraints_depth: list[int] = []
    in_block_comment = False
    pending: str | None = None
    balance = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if in_block_comment:
            end = line.find("*/")
            if end < 0:
                continue
            line = line[end + 2 :]
            in_block_comment = False
        start = line.find("/*")
        if start >= 0 and line.find("*/", start) < 0:
            in_block_comment = True
            line = line[:start]
        line = _strip_line_comment(line)
        stripped = line.strip()
        if re.match(r"^dependencies\s*\{", stripped):
            deps_depth.append(depth)
        elif deps_depth and re.match(r"^constraints\s*\{", stripped):
            constraints_depth.append(depth)
        opened = _count_braces(line)
        if deps_depth and depth > deps_depth[-1]:
            config, rest = pending, stripped
            match = _CONFIG.match(stripped) if pending is None else None
            if match and match.group(1) not in _NOT_CONFIGS:
                config, rest = match.group(1), match.group(2)
                parens = stripped[len(config) :].lstrip().startswith("(")
                balance = int(parens) + rest.count("(") - rest.count(")")
            elif pending is not None:
                balance += rest.count("(") - rest.count(")")
            if config is not None:
                found = _gradle_args(config, rest, number, variables)
                if "libs." in rest:
                    if catalog is None:
                        catalog, bundles = _load_version_catalog(abspath)
                    refs = _catalog_refs(config, rest, number, catalog, bundles)
                    if "platform(" in rest or "Platform(" in rest:
                        for dep in refs:
                            dep.properties["platform"] = True
                    found += refs
                if constraints_depth:
                    for dep in found:  # `constraints {}` pins versions, it adds nothing
                        dep.direct = None
                        dep.properties["constraint"] = True
                deps.extend(found)
                # `implementation(` alone on a line: the coordinates follow on the next lines.
                pending = config if balance > 0 and not found else None
        depth += opened
        while deps_depth and depth <= deps_depth[-1]:
            deps_depth.pop()
        while constraints_depth and depth <= constraints_depth[-1]:
            constraints_depth.pop()
    locked = _gradle_lock_versions(abspath)
    for dep in deps:
        if dep.name.lower() in locked:
            dep.version = locked[dep.name.lower()]
    # `platform(...)`, `enforcedPlatform(...)` and the dependency-management plugin's `mavenBom`
    # import a BOM: it pins versions and adds no library, so it is not a dependency itself.
    boms = [f"{d.name}:{d.version}" for d in deps if d.properties.get("platform") and d.version]
    boms += [
        f"{group}:{artifact}:{version}"
        for group, artifact, version in _maven_boms(text, variables)
        if f"{group}:{artifact}:{version}" not in boms
    ]
    return Parsed(deps=_managed_by([d for d in deps if not d.properties.get("platform")], boms))


_MAVEN_BOM = re.compile(r"""\bmavenBom\s*\(?\s*["']([^"'\s]+)["']""")


def _maven_boms(text: str, variables: dict[str, str]) -> list[tuple[str, str, str]]:
    """`mavenBom "g:a:v"` of the Spring dependency-management plugin, variables resolved."""
    found: list[tuple[str, str, str]] = []
    for match in _MAVEN_BOM.finditer(text):
        parts = _resolve_vars(match.group(1), variables).split(":")
        if len(parts) >= 3 and all(parts[:3]):
            version = maven_exact(parts[2])
            if version and "$" not in version:
                found.append((parts[0], parts[1], version))
    return found


def _count_braces(line: str) -> int:
    count = 0
    quote = ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            count += 1
        elif ch == "}":
            count -= 1
    return count


def _gradle_args(config: str, rest: str, number: int, variables: dict[str, str]) -> list[Dep]:
    """Dependencies named in the arguments of one configuration call (or its next lines)."""
    platform = "platform(" in rest or "enforcedPlatform(" in rest
    deps: list[Dep] = []
    for coord in _COORD.finditer(rest):
        group = _resolve_vars(coord.group(1), variables)
        artifact = _resolve_vars(coord.group(2), variables)
        raw = coord.group(3)
        deps.append(_gradle_dep(group, artifact, raw, number, config, variables, platform))
    if not deps:
        fields = {
            m.group(1): m.group(2) if m.group(2) is not None else f"${{{m.group(3)}}}"
            for m in _MAP_FIELD.finditer(rest)
        }
        if "group" in fields and "name" in fields:
            deps.append(
                _gradle_dep(
                    _resolve_vars(fields["group"], variables),
                    _resolve_vars(fields["name"], variables),
                    fields.get("version"),
                    number,
                    config,
                    variables,
                    platform,
                )
            )
    return deps


def _gradle_dep(
    group: str,
    artifact: str,
    raw: str | None,
    number: int,
    config: str,
    variables: dict[str, str],
    platform: bool,
) -> Dep:
    version = _resolve_vars(raw, variables) if raw else None
    dep = Dep(
        name=f"{group}:{artifact}",
        line=number,
        specifier=raw,
        version=version
        if version and _GRADLE_EXACT.match(version) and "$" not in version
        else None,
        direct=True,
        scope=config,
    )
    if platform:
        dep.properties["platform"] = True
    return dep


def _catalog_refs(
    config: str,
    stripped: str,
    number: int,
    catalog: dict[str, tuple[str, str | None, str]],
    bundles: dict[str, list[str]],
) -> list[Dep]:
    deps: list[Dep] = []
    for ref in _LIBS_REF.finditer(stripped):
        accessor = ref.group(2).rstrip(".")
        for suffix in (".get", ".asProvider"):
            accessor = accessor.removesuffix(suffix)
        if accessor.startswith(("versions.", "plugins.")):
            continue
        aliases = (
            bundles.get(_accessor_key(accessor[len("bundles.") :]), [])
            if accessor.startswith("bundles.")
            else [_accessor_key(accessor)]
        )
        for alias in aliases:
            entry = catalog.get(alias)
            if entry is None:
                continue
            module, version, original = entry
            deps.append(
                Dep(
                    name=module,
                    line=number,
                    specifier=version,
                    version=maven_exact(version),
                    direct=True,
                    scope=config,
                    properties={"catalog_alias": original},
                )
            )
    return deps


def _accessor_key(name: str) -> str:
    """Gradle maps alias separators `-`, `_` and `.` all to `.` in accessors."""
    return re.sub(r"[-_.]", ".", name).lower()


def _load_version_catalog(
    abspath: str,
) -> tuple[dict[str, tuple[str, str | None, str]], dict[str, list[str]]]:
    path = find_upwards(abspath, (os.path.join("gradle", "libs.versions.toml"),))
    text = read_text(path) if path else None
    if text is None:
        return {}, {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}, {}
    libraries = {
        _accessor_key(dep.properties["catalog_alias"]): (
            dep.name,
            dep.specifier,
            dep.properties["catalog_alias"],
        )
        for dep in version_catalog_deps(data, {})
    }
    bundles: dict[str, list[str]] = {}
    table = data.get("bundles")
    for name, members in table.items() if isinstance(table, dict) else []:
        if isinstance(members, list):
            bundles[_accessor_key(name)] = [_accessor_key(str(m)) for m in members]
    return libraries, bundles


def version_catalog_deps(data: dict[str, Any], positions: dict[PathKey, int]) -> list[Dep]:
    """Libraries of a Gradle version catalog, with `version.ref` resolved from `[versions]`."""
    versions: dict[str, str] = {}
    table = data.get("versions")
    for key, value in table.items() if isinstance(table, dict) else []:
        if isinstance(value, str):
            versions[key] = value
        elif isinstance(value, dict):
            for field in ("strictly", "require", "prefer"):
                if isinstance(value.get(field), str):
                    versions[key] = value[field]
                    break
    deps: list[Dep] = []
    libraries = data.get("libraries")
    for alias, value in libraries.items() if isinstance(libraries, dict) else []:
        module: str | None = None
        spec: str | None = None
        if isinstance(value, str):
            parts = value.split(":")
            if len(parts) >= 2:
                module = f"{parts[0]}:{parts[1]}"
                spec = parts[2] if len(parts) > 2 else None
        elif isinstance(value, dict):
            if isinstance(value.get("module"), str):
                module = value["module"]
            elif isinstance(value.get("group"), str) and isinstance(value.get("name"), str):
                module = f"{value['group']}:{value['name']}"
            version = value.get("version")
            if isinstance(version, str):
                spec = version
            elif isinstance(version, dict):
                if isinstance(version.get("ref"), str):
                    spec = versions.get(version["ref"])
                else:
                    for field in ("strictly", "require", "prefer"):
                        if isinstance(version.get(field), str):
                            spec = version[field]
                            break
            elif isinstance(value.get("version.ref"), str):
                spec = versions.get(value["version.ref"])
        if module is None or ":" not in module:
            continue
        deps.append(
            Dep(
                name=module,
                line=positions.get(("libraries", alias)),
                specifier=spec,
                version=maven_exact(spec),
                direct=True,
                scope="catalog",
                properties={"catalog_alias": alias},
            )
        )
    return deps


def parse_version_catalog(text: str) -> Parsed:
    """Parse gradle/libs.versions.toml: each library the catalog declares."""
    parsed = Parsed()
    data = load_toml(text, parsed.warnings)
    parsed.deps = [
        dep
        for dep in version_catalog_deps(data, toml_positions(text))
        if not is_bom_name(dep.name)  # only ever used through `platform(libs.x.bom)`
    ]
    return parsed


def is_bom_name(coordinates: str) -> bool:
    """True for a Maven BOM by the naming convention (`group:x-bom`, `group:bom`)."""
    artifact = coordinates.rsplit(":", 1)[-1].lower()
    return artifact == "bom" or artifact.endswith("-bom")


def _gradle_lock_versions(abspath: str) -> dict[str, str]:
    text = read_sibling(abspath, "gradle.lockfile")
    versions: dict[str, str] = {}
    for raw in (text or "").splitlines():
        coords = raw.split("=", 1)[0].strip()
        parts = coords.split(":")
        if len(parts) == 3 and not raw.startswith("#"):
            versions[f"{parts[0]}:{parts[1]}".lower()] = parts[2]
    return versions


def parse_gradle_lockfile(text: str, *, abspath: str) -> Parsed:
    """Parse gradle.lockfile; direct means declared in the sibling build.gradle(.kts)."""
    declared: set[str] | None = None
    for build in ("build.gradle.kts", "build.gradle"):
        build_text = read_sibling(abspath, build)
        if build_text is not None:
            build_path = os.path.join(os.path.dirname(abspath), build)
            declared = {d.name.lower() for d in parse_gradle(build_text, abspath=build_path).deps}
            break
    deps: list[Dep] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("empty="):
            continue
        coords, _, configs = line.partition("=")
        parts = coords.split(":")
        if len(parts) != 3:
            continue
        name = f"{parts[0]}:{parts[1]}"
        if is_bom_name(name):
            continue  # a platform the build imports, not a library on the classpath
        dep = Dep(
            name=name,
            line=number,
            version=parts[2],
            direct=None if declared is None else name.lower() in declared,
        )
        if configs:
            dep.properties["configurations"] = configs.split(",")
        deps.append(dep)
    return Parsed(deps=deps)
