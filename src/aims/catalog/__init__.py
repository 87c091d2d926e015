"""The knowledge base: providers, packages, model families and AI steps in CI, as validated data."""

from aims.catalog.loader import load_catalog, load_catalog_from
from aims.catalog.model import (
    ECOSYSTEMS,
    Catalog,
    Category,
    CiCommandMatch,
    CiKind,
    CiTool,
    Ecosystem,
    Examples,
    ModelFamily,
    ModelMatch,
    ModelStatus,
    Package,
    Provider,
    normalise_package_name,
)

__all__ = [
    "ECOSYSTEMS",
    "Catalog",
    "Category",
    "CiCommandMatch",
    "CiKind",
    "CiTool",
    "Ecosystem",
    "Examples",
    "ModelFamily",
    "ModelMatch",
    "ModelStatus",
    "Package",
    "Provider",
    "load_catalog",
    "load_catalog_from",
    "normalise_package_name",
]
