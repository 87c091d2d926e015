"""How policy patterns match inventory components."""

from __future__ import annotations

import fnmatch
import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from aims.catalog.model import normalise_package_name
from aims.inventory import Component, ComponentType
from aims.policy.model import Decision, Lists

# Which policy list governs which component type.
LIST_OF_TYPE: dict[ComponentType, str] = {
    ComponentType.PROVIDER: "providers",
    ComponentType.MODEL: "models",
    ComponentType.SDK: "packages",
    ComponentType.MCP_SERVER: "mcp_servers",
    ComponentType.AGENT_CONFIG: "agents",
    ComponentType.AI_WORKFLOW: "ci_actions",
}

_SPEC = re.compile(r"^(?P<eco>[a-z]+):(?P<name>[^<>=!~\s]+)\s*(?P<spec>[<>=!~].*)?$")


def glob(pattern: str, value: str) -> bool:
    """Case-insensitive shell-style match (`gpt-4o*`, `claude-*`)."""
    return fnmatch.fnmatchcase(value.lower(), pattern.lower())


def _version_ok(spec: str, version: str | None) -> bool:
    if not spec or not version:
        return True  # NOTE: an unknown version (an import) matches by name alone
    try:
        return Version(version.lstrip("v=^~ ")) in SpecifierSet(spec)
    except (InvalidSpecifier, InvalidVersion):
        return spec.strip().lstrip("=") == version


def strip_version(package: str) -> str:
    """`@scope/name@1.2.3` -> `@scope/name`, `name==1.0` -> `name`, `name@latest` -> `name`."""
    scoped = package.startswith("@")
    body = package[1:] if scoped else package
    name = re.split(r"[=<>~!]", body.split("@", 1)[0], maxsplit=1)[0]
    return ("@" if scoped else "") + name


def package_matches(pattern: str, component: Component) -> bool:
    """`ecosystem:name[specifier]`; the name may be a glob; PyPI names compare normalised."""
    m = _SPEC.match(pattern.strip())
    if not m or component.ecosystem is None:
        return False
    eco = m.group("eco")
    if eco != component.ecosystem:
        return False
    name = normalise_package_name(eco, m.group("name"))
    if not glob(name, normalise_package_name(eco, component.name)):
        return False
    return _version_ok(m.group("spec") or "", component.version)


def subjects(component: Component) -> list[str]:
    """The strings a pattern is tried against, by component type."""
    props = component.properties
    if component.type is ComponentType.PROVIDER:
        return [component.provider or component.name]
    if component.type is ComponentType.MCP_SERVER:
        values = [component.name]
        for key in ("package", "command", "host", "url", "image"):
            value = props.get(key)
            if isinstance(value, str) and value:
                values.append(value)
        package = props.get("package")
        if isinstance(package, str) and package:
            values.append(strip_version(package))
        return values
    if component.type is ComponentType.AGENT_CONFIG:
        return [str(props.get("client") or component.name), component.name]
    if component.type is ComponentType.AI_WORKFLOW:
        values = []
        action = props.get("action")
        if isinstance(action, str):
            values += [action, action.split("@", 1)[0]]
        for key in ("tool", "image"):
            if isinstance(props.get(key), str):
                values.append(str(props[key]))
        command = props.get("command")
        if isinstance(command, str) and command.split():
            values.append(command.split()[0])
        return values or [component.name]
    return [component.name]


def matches(pattern: str, component: Component) -> bool:
    """True when one policy pattern covers the component."""
    if component.type is ComponentType.SDK:
        return package_matches(pattern, component)
    return any(glob(pattern, s) for s in subjects(component))


def decide(lists: Lists | None, component: Component, default: str) -> tuple[Decision, str | None]:
    """The decision for a component and the pattern that decided it.

    Denied wins over approved (a deny list is the stronger statement), approved over review.
    """
    if lists is not None:
        for decision, patterns in (
            (Decision.DENIED, lists.denied),
            (Decision.APPROVED, lists.approved),
            (Decision.REVIEW, lists.review),
        ):
            for pattern in patterns:
                if matches(pattern, component):
                    return decision, pattern
    fallback = (lists.default if lists is not None else None) or default
    return Decision(fallback) if fallback != "approved" else Decision.APPROVED, None
