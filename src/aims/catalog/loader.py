"""Loads and validates the catalog's data files shipped inside the package."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from aims.catalog.match import fold_import
from aims.catalog.model import Catalog, CiTool, ModelFamily, Package, Provider
from aims.errors import ConfigError

_DATA = "aims.catalog"
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML was built with it: about ten times faster than the pure one."""

_PROVIDERS = TypeAdapter(list[Provider])
_PACKAGES = TypeAdapter(list[Package])
_FAMILIES = TypeAdapter(list[ModelFamily])
_CI_TOOLS = TypeAdapter(list[CiTool])


def data_root() -> Traversable:
    """Return the folder holding the catalog's data files."""
    return resources.files(_DATA).joinpath("data")


def _parse_yaml(text: str, relpath: str) -> Any:
    try:
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(
            f"catalog file is not valid YAML: {getattr(exc, 'problem', None) or exc}",
            path=relpath,
            line=line,
            hint="Fix the YAML syntax at that line.",
        ) from exc


def _yaml_files(root: Traversable, folder: str) -> list[str]:
    base = root.joinpath(folder)
    if not base.is_dir():
        return []
    return sorted(
        f"{folder}/{entry.name}"
        for entry in base.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    )


def _describe(data: Any, loc: tuple[int | str, ...]) -> str:
    """`entry 3 (openai) field examples.positive` for a pydantic error location."""
    if not loc or not isinstance(loc[0], int):
        return "file"
    label = f"entry {loc[0] + 1}"
    if isinstance(data, list) and 0 <= loc[0] < len(data) and isinstance(data[loc[0]], dict):
        item = data[loc[0]]
        name = item.get("id") or item.get("name")
        if name:
            label += f" ({name})"
    field = ".".join(str(part) for part in loc[1:])
    return f"{label} field {field}" if field else label


def _validate(adapter: TypeAdapter[Any], data: Any, relpath: str) -> Any:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(
            "catalog file must hold a YAML list of entries",
            path=relpath,
            hint="Start every entry with `- `.",
        )
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_describe(data, tuple(err['loc']))}: {err['msg']}" for err in exc.errors()[:5]
        )
        more = exc.error_count() - 5
        if more > 0:
            problems += f"; and {more} more"
        raise ConfigError(
            f"invalid catalog data: {problems}",
            path=relpath,
            hint="See docs/catalog.md for the fields each kind of entry takes.",
        ) from exc


def _data_files(root: Traversable) -> list[str]:
    files = ["providers.yaml"] + _yaml_files(root, "packages") + _yaml_files(root, "models")
    if root.joinpath("ci.yaml").is_file():
        files.append("ci.yaml")
    return files


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/aims` (default `~/.cache/aims`): where parsed catalog data is cached."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aims"


def _parse_all(root: Traversable, files: list[str], cache_dir: Path | None) -> dict[str, Any]:
    """Parse every data file, reusing a JSON copy keyed by the files' content hash.

    NOTE: libyaml still builds Python objects in Python and costs most of the load time; JSON
    of the same data loads about thirty times faster. The cache is best effort: any failure
    to read or write it falls back to parsing the YAML.
    """
    texts: dict[str, str] = {}
    digest = hashlib.sha256()
    for relpath in files:
        try:
            text = root.joinpath(relpath).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read catalog file: {exc}", path=relpath) from exc
        texts[relpath] = text
        digest.update(f"{relpath}\0{len(text)}\0".encode())
        digest.update(text.encode())
    cache_file = cache_dir / f"catalog-{digest.hexdigest()[:32]}.json" if cache_dir else None
    if cache_file is not None:
        try:
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
            if isinstance(cached, dict) and set(cached) == set(files):
                return cached
        except (OSError, ValueError):
            pass
    parsed = {relpath: _parse_yaml(text, relpath) for relpath, text in texts.items()}
    if cache_file is not None:
        _write_cache(cache_file, parsed)
    return parsed


def _write_cache(cache_file: Path, parsed: dict[str, Any]) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        for old in cache_file.parent.glob("catalog-*.json"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".catalog-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(parsed, handle, separators=(",", ":"))
        os.replace(tmp, cache_file)
    except (OSError, TypeError, ValueError):
        return


def load_catalog_from(root: Traversable, *, cache_dir: Path | None = None) -> Catalog:
    """Load, validate and cross-check the catalog files under `root` (a `data/` folder).

    With `cache_dir`, parsed data is cached there as JSON keyed by the files' content hash.
    Raises `ConfigError` naming the file, entry and field when a file is unreadable, is not
    valid YAML, fails validation, repeats an ID, package or import prefix, or names an unknown
    provider or package.
    """
    parsed = _parse_all(root, _data_files(root), cache_dir)
    providers: list[Provider] = _validate(_PROVIDERS, parsed["providers.yaml"], "providers.yaml")
    packages: list[Package] = []
    families: list[ModelFamily] = []
    ci_tools: list[CiTool] = []
    for relpath, data in parsed.items():
        if relpath.startswith("packages/"):
            packages += _validate(_PACKAGES, data, relpath)
        elif relpath.startswith("models/"):
            families += _validate(_FAMILIES, data, relpath)
        elif relpath == "ci.yaml":
            ci_tools = _validate(_CI_TOOLS, data, relpath)

    _unique([p.id for p in providers], "provider id")
    _unique([p.key for p in packages], "package")
    _unique([f.id for f in families], "model family id")
    _unique([t.id for t in ci_tools], "CI entry id")
    _unique(
        [f"{p.ecosystem}:{fold_import(p.ecosystem, n)}" for p in packages for n in p.import_names],
        "import prefix (two packages claim it)",
    )
    known = {p.id for p in providers}
    named = (
        [(p.key, p.provider) for p in packages]
        + [(f.id, f.provider) for f in families]
        + [(t.id, t.provider) for t in ci_tools]
    )
    for entry, provider in named:
        if provider and provider not in known:
            raise ConfigError(f"catalog entry {entry!r} names unknown provider {provider!r}")
    catalog = Catalog(
        providers=providers, packages=packages, model_families=families, ci_tools=ci_tools
    )
    for provider_entry in providers:
        for ref in provider_entry.packages:
            eco, _, name = ref.partition(":")
            if catalog.package(eco, name) is None:
                raise ConfigError(
                    f"provider {provider_entry.id!r} lists package {ref!r}, "
                    "which has no entry under packages/",
                    path="providers.yaml",
                )
    return catalog


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Load every catalog file shipped with aims, validate it, and return the `Catalog`.

    Cached: every caller shares one instance. Raises `ConfigError` on invalid data.
    """
    return load_catalog_from(data_root(), cache_dir=default_cache_dir())


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ConfigError(f"duplicate {what} in catalog: {value!r}")
        seen.add(value)
