"""Loads and validates the catalog's data files shipped inside the package."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from aims.catalog.model import Catalog, ModelFamily, Package, Provider
from aims.errors import ConfigError

_DATA = "aims.catalog"


def _read_yaml(relpath: str) -> Any:
    resource = resources.files(_DATA).joinpath(f"data/{relpath}")
    try:
        return yaml.safe_load(resource.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read catalog file: {exc}", path=relpath) from exc


def _yaml_files(folder: str) -> list[str]:
    base = resources.files(_DATA).joinpath(f"data/{folder}")
    if not base.is_dir():
        return []
    return sorted(
        f"{folder}/{entry.name}"
        for entry in base.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    )


def _validate(adapter: TypeAdapter[Any], data: Any, relpath: str) -> Any:
    try:
        return adapter.validate_python(data or [])
    except ValidationError as exc:
        raise ConfigError(f"invalid catalog data: {exc}", path=relpath) from exc


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Load every catalog file, validate it, and return the combined `Catalog`.

    Raises `ConfigError` when a file is unreadable, fails validation or repeats an ID.
    """
    providers: list[Provider] = _validate(
        TypeAdapter(list[Provider]), _read_yaml("providers.yaml"), "providers.yaml"
    )
    packages: list[Package] = []
    for relpath in _yaml_files("packages"):
        packages += _validate(TypeAdapter(list[Package]), _read_yaml(relpath), relpath)
    families: list[ModelFamily] = []
    for relpath in _yaml_files("models"):
        families += _validate(TypeAdapter(list[ModelFamily]), _read_yaml(relpath), relpath)

    _unique([p.id for p in providers], "provider id")
    _unique([p.key for p in packages], "package")
    _unique([f.id for f in families], "model family id")
    known = {p.id for p in providers}
    named = [(p.key, p.provider) for p in packages] + [(f.id, f.provider) for f in families]
    for entry, provider in named:
        if provider and provider not in known:
            raise ConfigError(f"catalog entry {entry!r} names unknown provider {provider!r}")
    return Catalog(providers=providers, packages=packages, model_families=families)


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ConfigError(f"duplicate {what} in catalog: {value!r}")
        seen.add(value)
