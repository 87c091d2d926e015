"""Typed, validated shapes of the catalog's data files."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Ecosystem = Literal["pypi", "npm", "golang", "maven", "cargo", "nuget"]
"""Package ecosystems, named by their purl type."""


class Category(StrEnum):
    """What an AI package is for."""

    LLM_SDK = "llm-sdk"
    AGENT_FRAMEWORK = "agent-framework"
    ML_FRAMEWORK = "ml-framework"
    INFERENCE_SERVER = "inference-server"
    VECTOR_DB = "vector-db"
    EMBEDDING = "embedding"
    EVAL_GUARDRAIL = "eval-guardrail"
    MLOPS = "mlops"
    MCP = "mcp"

    def __str__(self) -> str:
        return self.value


class Examples(BaseModel):
    """Text that must (positive) and must not (negative) be recognised as the entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    positive: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)


class Provider(BaseModel):
    """An AI service provider: who it is, where its API lives, how code names its key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    hosts: list[str] = Field(default_factory=list)
    """API host names; a leading `*.` matches any subdomain."""
    env_vars: list[str] = Field(default_factory=list)
    """Conventional environment variable names for its key or endpoint."""
    packages: list[str] = Field(default_factory=list)
    """Its official SDKs as `ecosystem:name`."""
    examples: Examples
    """Positive: text naming a host or env var of this provider; negative: near misses."""


class Package(BaseModel):
    """A package in one ecosystem that means AI is used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ecosystem: Ecosystem
    name: str
    """Name as the ecosystem spells it (Maven: `group:artifact`)."""
    provider: str | None = None
    category: Category
    imports: list[str] = Field(default_factory=list)
    """Import names or prefixes in source (Python modules, Go import paths, Java packages,
    C# namespaces, Rust crates). Empty means the package name itself (npm) or none known."""
    examples: Examples
    """Positive: a manifest or import line that uses it; negative: a near miss."""

    @property
    def key(self) -> str:
        """`ecosystem:name`, lower-cased where the ecosystem is case-insensitive."""
        return f"{self.ecosystem}:{normalise_package_name(self.ecosystem, self.name)}"


class ModelStatus(StrEnum):
    """Whether a model family is current."""

    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"

    def __str__(self) -> str:
        return self.value


class ModelFamily(BaseModel):
    """A family of model IDs that share a provider and a naming pattern."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    provider: str
    pattern: str
    """Regular expression matching a whole model ID (anchored by the loader)."""
    status: ModelStatus = ModelStatus.ACTIVE
    note: str | None = None
    examples: Examples

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled, fully anchored pattern."""
        return re.compile(rf"(?:{self.pattern})\Z")


def normalise_package_name(ecosystem: str, name: str) -> str:
    """Normalise a package name the way its ecosystem compares names.

    PyPI folds case and runs of `-_.` (PEP 503); NuGet and Maven fold case; npm, Go and Cargo
    compare as written (Cargo treats `-` and `_` alike).
    """
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem in ("nuget", "maven"):
        return name.lower()
    if ecosystem == "cargo":
        return name.replace("_", "-")
    return name


class Catalog:
    """All catalog data, with the look-ups detectors need."""

    def __init__(
        self,
        *,
        providers: list[Provider],
        packages: list[Package],
        model_families: list[ModelFamily],
    ) -> None:
        self.providers = providers
        self.packages = packages
        self.model_families = model_families
        self._providers = {p.id: p for p in providers}
        self._packages = {p.key: p for p in packages}

    def provider(self, provider_id: str) -> Provider | None:
        """Return the provider with this ID, or None."""
        return self._providers.get(provider_id)

    def package(self, ecosystem: str, name: str) -> Package | None:
        """Return the catalog entry for a package, or None when it is not an AI package."""
        return self._packages.get(f"{ecosystem}:{normalise_package_name(ecosystem, name)}")

    def packages_of(self, ecosystem: str) -> list[Package]:
        """Return every catalog package of one ecosystem."""
        return [p for p in self.packages if p.ecosystem == ecosystem]

    def model_family(self, model_id: str) -> ModelFamily | None:
        """Return the first family whose pattern matches the whole model ID, or None."""
        for family in self.model_families:
            if family.regex.match(model_id):
                return family
        return None
