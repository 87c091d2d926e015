"""The agent/MCP knowledge base: surfaces, hosts, well-known MCP packages and phrase patterns.

All of it is data in `catalog/data/agents.yaml`; this module loads and compiles it once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from aims.catalog import _yaml
from aims.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Surface:
    """One kind of agent configuration file: which client reads it and how it is written."""

    client: str
    kind: str
    format: str
    paths: tuple[str, ...]
    mcp: bool
    match: str
    miss: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class MCPPackage:
    """A well-known MCP server package and what its tools can do."""

    name: str
    ecosystem: str
    capabilities: frozenset[str]
    filesystem: bool


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything loaded from `agents.yaml`."""

    surfaces: tuple[Surface, ...]
    exfil_hosts: frozenset[str]
    official_api_hosts: frozenset[str]
    mcp_packages: dict[str, MCPPackage]
    phrases: dict[str, dict[str, tuple[re.Pattern[str], ...]]]
    prefilter: _Prefilter


@dataclass(frozen=True, slots=True)
class _Prefilter:
    """Cheap necessary conditions derived from the surface globs, checked before any regex."""

    names: frozenset[str]
    suffixes: tuple[str, ...]
    prefixes: tuple[str, ...]
    dir_markers: tuple[str, ...]

    def may_match(self, relpath: str) -> bool:
        name = relpath.rsplit("/", 1)[-1]
        if name in self.names or name.endswith(self.suffixes) or name.startswith(self.prefixes):
            return True
        padded = "/" + relpath
        return any(marker in padded for marker in self.dir_markers)


def _prefilter(patterns: list[str]) -> _Prefilter:
    names: set[str] = set()
    suffixes: set[str] = set()
    prefixes: set[str] = set()
    markers: set[str] = set()
    for pattern in patterns:
        segments = pattern.split("/")
        last = segments[-1]
        if "*" not in last:
            names.add(last)
        elif last.startswith("*") and "*" not in last[1:]:
            suffixes.add(last[1:])
        elif not last.startswith("*"):
            prefixes.add(last.split("*", 1)[0])
        else:  # `**`: the file can be named anything under a known directory
            literal = next(seg for seg in segments if seg and "*" not in seg)
            markers.add(f"/{literal}/")
    return _Prefilter(
        frozenset(names), tuple(sorted(suffixes)), tuple(sorted(prefixes)), tuple(sorted(markers))
    )


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Compile a path glob (`**/` any depth, `*` within a segment, `**` anything) to a regex."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def _surface(entry: dict[str, Any]) -> Surface:
    paths = tuple(entry["paths"])
    regex = re.compile("|".join(f"(?:{glob_to_regex(p).pattern})" for p in paths))
    return Surface(
        client=entry["client"],
        kind=entry["kind"],
        format=entry["format"],
        paths=paths,
        mcp=bool(entry.get("mcp", False)),
        match=entry["match"],
        miss=entry["miss"],
        regex=regex,
    )


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """Load and compile `agents.yaml`; raises `ConfigError` when it is malformed."""
    text = resources.files("aims.catalog").joinpath("data/agents.yaml").read_text("utf-8")
    try:
        data = _yaml.safe_load(text)
        surfaces = tuple(_surface(e) for e in data["surfaces"])
        packages = {
            p["name"]: MCPPackage(
                name=p["name"],
                ecosystem=p["ecosystem"],
                capabilities=frozenset(p.get("capabilities", [])),
                filesystem=bool(p.get("filesystem", False)),
            )
            for p in data["mcp_packages"]
        }
        phrases = {
            technique: {
                lang: tuple(re.compile(p, re.IGNORECASE) for p in pats)
                for lang, pats in langs.items()
            }
            for technique, langs in data["phrases"].items()
        }
        return Knowledge(
            prefilter=_prefilter([p for surface in surfaces for p in surface.paths]),
            surfaces=surfaces,
            exfil_hosts=frozenset(data["exfil_hosts"]),
            official_api_hosts=frozenset(data["official_api_hosts"]),
            mcp_packages=packages,
            phrases=phrases,
        )
    except (KeyError, TypeError, yaml.YAMLError, re.error) as exc:
        raise ConfigError(f"invalid agents catalog: {exc}", path="agents.yaml") from exc


def classify(relpath: str) -> Surface | None:
    """Return the surface a repository-relative path belongs to, or None."""
    knowledge = load_knowledge()
    if not knowledge.prefilter.may_match(relpath):
        return None
    for surface in knowledge.surfaces:
        if surface.regex.match(relpath):
            return surface
    return None


def host_in(host: str, hosts: frozenset[str]) -> bool:
    """True when `host` is one of `hosts` or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in hosts)
