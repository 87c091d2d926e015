"""Shared pieces of the manifest parsers: the declared-dependency record, purls, sibling files."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from packageurl import PackageURL

from aims.inventory import Component, ComponentType, Evidence, ScanWarning

if TYPE_CHECKING:
    from aims.catalog.model import Catalog, Package

DETECTOR_NAME = "manifest"
SNIPPET_LIMIT = 160
SIBLING_LIMIT = 32 * 1024 * 1024
"""Largest sibling file (lock file or manifest) read from disk to decide versions or direct."""

_USERINFO = re.compile(r"(://)[^/@\s]+@")
_GO_MAJOR = re.compile(r"/v[0-9]+$")


class ManifestError(Exception):
    """A manifest could not be parsed; the message says where and why."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line

    def __str__(self) -> str:
        base = super().__str__()
        if self.line and f"line {self.line}" not in base:
            return f"{base} (line {self.line})"
        return base


@dataclass(slots=True)
class Dep:
    """One dependency as a manifest or lock file states it."""

    name: str
    line: int | None
    specifier: str | None = None
    """The declared constraint as written (`>=1.2`, `^4.0.0`, `[1.0,2.0)`), None when absent."""
    version: str | None = None
    """Resolved (lock) or exactly pinned version; None when only a range is known."""
    direct: bool | None = None
    scope: str | None = None
    """Where it is declared: `dependencies`, `dev`, a group name, a Maven scope, ..."""
    properties: dict[str, Any] = field(default_factory=dict)
    locate: Callable[[], int | None] | None = field(default=None, repr=False)
    """Finds `line` on demand: lock files locate only the few entries that are AI packages."""


T = TypeVar("T")

Keep = Callable[[str], bool]
"""Says whether a package name matters (is in the catalog): big lock files skip the rest early."""


def keep_all(name: str) -> bool:
    """The default `Keep`: every package matters."""
    return True


class Lazy(Generic[T]):
    """A value computed on first use and then kept (a position map shared by many entries)."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute: Callable[[], T] | None = compute
        self._value: T | None = None

    def __call__(self) -> T:
        if self._compute is not None:
            self._value = self._compute()
            self._compute = None
        return self._value  # type: ignore[return-value]


def nth_line(lines: Lazy[list[int]], index: int) -> int | None:
    """The `index`-th entry of a lazily computed list of lines, or None."""
    values = lines()
    return values[index] if 0 <= index < len(values) else None


def path_line(positions: Lazy[dict[Any, int]], key: tuple[Any, ...]) -> int | None:
    """The line of `key` in a lazily computed position map, or None."""
    return positions().get(key)


@dataclass(slots=True)
class Parsed:
    """What one parser got out of one file."""

    deps: list[Dep] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra_files: list[tuple[str, list[Dep], str]] = field(default_factory=list)
    """Dependencies found in files read through includes: (relpath, deps, text)."""


def load_toml(text: str, warnings: list[str]) -> dict[str, Any]:
    """Parse TOML; when it is malformed, note why and salvage the tables before the error.

    Tables are independent in TOML, so everything above the header of the table holding the
    error still parses; lines stay right because the salvaged text is a prefix.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        warnings.append(f"malformed TOML: {exc}")
        match = re.search(r"line (\d+)", str(exc))
        if match is None:
            return {}
        lines = text.splitlines(keepends=True)
        error_index = min(int(match.group(1)), len(lines)) - 1
        for index in range(error_index, 0, -1):
            if lines[index].startswith("["):
                try:
                    return tomllib.loads("".join(lines[:index]))
                except tomllib.TOMLDecodeError:
                    return {}
        return {}


def redact(text: str) -> str:
    """Remove credentials from URLs (`https://user:token@host` becomes `https://***@host`)."""
    return _USERINFO.sub(r"\1***@", text)


def snippet_of(lines: list[str], line: int | None) -> str:
    """Return the stripped, redacted, bounded text of a 1-based line ("" when unknown)."""
    if line is None or line < 1 or line > len(lines):
        return ""
    text = redact(lines[line - 1].strip())
    return text if len(text) <= SNIPPET_LIMIT else text[: SNIPPET_LIMIT - 3] + "..."


def lookup(catalog: Catalog, ecosystem: str, name: str) -> Package | None:
    """Find a package in the catalog, trying the Go module path without its `/vN` suffix too.

    A Go module nested in an AI repository's import tree (`github.com/cloudwego/eino-ext/
    components/model/openai`, a multi-module monorepo) is that package's, by longest import
    prefix, as its imports are.
    """
    entry = catalog.package(ecosystem, name)
    if entry is None and ecosystem == "golang":
        stripped = _GO_MAJOR.sub("", name)
        if stripped != name:
            entry = catalog.package(ecosystem, stripped)
        if entry is None:
            entry = catalog.package_for_import(ecosystem, name)
    return entry


def make_purl(ecosystem: str, name: str, version: str | None) -> str | None:
    """Build a package URL for a dependency (npm scope, Maven group and Go path as namespace)."""
    namespace: str | None = None
    short = name
    if ecosystem == "npm" and name.startswith("@") and "/" in name:
        namespace, short = name.split("/", 1)
    elif ecosystem == "maven":
        if ":" not in name:
            return None
        namespace, short = name.split(":", 1)
    elif ecosystem == "golang" and "/" in name:
        namespace, short = name.rsplit("/", 1)
    if not short:
        return None
    try:
        return PackageURL(
            type=ecosystem, namespace=namespace, name=short, version=version or None
        ).to_string()
    except ValueError:
        return None


def to_components(
    deps: Iterable[Dep],
    *,
    ecosystem: str,
    relpath: str,
    text: str,
    catalog: Catalog,
    catalog_ecosystem: str | None = None,
) -> list[Component]:
    """Turn the AI dependencies among `deps` into SDK components with evidence.

    The component is named as the catalog spells the package (so every detector and file
    agrees on one name), except Go modules, whose `/vN` path is part of the identity.
    `catalog_ecosystem` looks names up in another ecosystem's entries (conda uses PyPI's).
    """
    lines: list[str] | None = None
    components: list[Component] = []
    for dep in deps:
        properties = dict(dep.properties)
        catalog_name = properties.pop("catalog_name", None) or dep.name
        entry = lookup(catalog, catalog_ecosystem or ecosystem, catalog_name)
        if entry is None:
            continue
        name = dep.name if ecosystem in ("golang", "conda") else entry.name
        if dep.line is None and dep.locate is not None:
            dep.line = dep.locate()
        if lines is None:
            lines = text.splitlines()
        if dep.name != name:
            properties["declared_name"] = dep.name
        elif catalog_ecosystem and entry.name != name:
            properties[f"{catalog_ecosystem}_name"] = entry.name
        version = dep.version
        if version is None and ecosystem == "maven":
            version = _bom_version(catalog, dep.name, properties.get("managed_by", ()))
            if version is not None:
                properties["version_from"] = "bom"
        if dep.specifier:
            properties["specifier"] = dep.specifier
        if dep.scope:
            properties["scope"] = dep.scope
        components.append(
            Component(
                type=ComponentType.SDK,
                name=name,
                version=version,
                ecosystem=ecosystem,
                purl=make_purl(ecosystem, name, version),
                provider=entry.provider,
                category=str(entry.category),
                direct=dep.direct,
                evidence=[
                    Evidence(
                        path=relpath,
                        line=dep.line,
                        detector=DETECTOR_NAME,
                        snippet=snippet_of(lines, dep.line),
                    )
                ],
                properties=properties,
            )
        )
    return components


def _bom_version(catalog: Catalog, name: str, boms: Iterable[str]) -> str | None:
    """The version an imported BOM (`group:artifact:version`) pins `name` at, if the catalog
    knows the BOM as a release train for the artifact's group (`Package.manages`)."""
    group = name.split(":", 1)[0].lower()
    for bom in boms:
        coordinates, _, version = bom.rpartition(":")
        entry = catalog.package("maven", coordinates)
        if entry is not None and group in (g.lower() for g in entry.manages):
            return version
    return None


def warning(relpath: str, message: str) -> ScanWarning:
    """A parse problem in a manifest, worded for the scan report."""
    return ScanWarning(path=relpath, message=f"manifest: {message}")


def read_sibling(abspath: str, name: str) -> str | None:
    """Read a file next to `abspath` (same directory), or None when absent or unreadable."""
    return read_text(os.path.join(os.path.dirname(abspath), name))


def read_text(path: str) -> str | None:
    """Read a bounded UTF-8 text file (undecodable bytes replaced), or None."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > SIBLING_LIMIT:
            return None
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None


_PARSED: dict[tuple[str, int, int, str], Any] = {}
_PARSED_LIMIT = 8


def parse_sibling_cached(path: str, parse: Callable[[str], Any]) -> Any:
    """Return `parse(text)` of a sibling file, memoised per file version in this process.

    `parse` must return a value its callers never modify. It may raise; the error is
    re-raised on every call (and remembered too, so a broken lock file is parsed once).
    Returns None when the file is absent, too large or unreadable.

    NOTE: every package.json of a pnpm monorepo resolves its versions from the one root
    lock file; parsing a 2 MB pnpm-lock.yaml once per workspace member (hundreds of them)
    made the scan of vercel/ai take minutes. Keyed by size and modification time, so an
    edited lock file is parsed again.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (path, st.st_size, st.st_mtime_ns, getattr(parse, "__qualname__", repr(parse)))
    if key in _PARSED:
        value = _PARSED[key]
    else:
        text = read_text(path)
        if text is None:
            return None
        try:
            value = parse(text)
        except Exception as exc:  # remembered and re-raised to each caller
            value = _Failed(exc)
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = value
    if isinstance(value, _Failed):
        raise value.error
    return value


@dataclass(frozen=True, slots=True)
class _Failed:
    error: Exception


def find_upwards(abspath: str, names: Iterable[str], *, levels: int = 8) -> str | None:
    """Return the first of `names` found in the file's directory or its parents (bounded).

    Stops at a directory holding `.git`, the root of the repository.
    """
    wanted = tuple(names)
    directory = os.path.dirname(os.path.abspath(abspath))
    for _ in range(levels):
        for name in wanted:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                return candidate
        if os.path.exists(os.path.join(directory, ".git")):
            return None
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
    return None


def line_of_offset(text: str, offset: int) -> int:
    """Return the 1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def exact_version(specifier: str | None) -> str | None:
    """Return the version a PEP 440 specifier pins exactly (`==1.2.3`, `===1.2.3`), else None."""
    if not specifier:
        return None
    spec = specifier.strip()
    if "," in spec:
        return None
    for op in ("===", "=="):
        if spec.startswith(op):
            version = spec[len(op) :].strip()
            if version and "*" not in version:
                return version
    return None
