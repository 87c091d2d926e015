"""The knowledge base: providers, packages and model families, as validated data files."""

from aims.catalog.loader import load_catalog
from aims.catalog.model import Catalog, ModelFamily, Package, Provider

__all__ = ["Catalog", "ModelFamily", "Package", "Provider", "load_catalog"]
