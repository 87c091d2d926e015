"""AI nodes of n8n workflows: node types and the provider each one calls (data)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from aims.catalog import _yaml
from aims.catalog.model import Examples
from aims.errors import ConfigError

PACKAGES = ("@n8n/n8n-nodes-langchain.", "n8n-nodes-base.")
"""The node packages whose types the catalog lists (the engine's prefilter keywords)."""


class N8nEntry(BaseModel):
    """Node types that call one provider (or, without `provider`, a connected model)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: str | None = None
    nodes: list[str] = Field(min_length=1)
    examples: Examples


@dataclass(frozen=True)
class N8nIndex:
    """Every catalogued node type mapped to its entry."""

    entries: tuple[N8nEntry, ...]
    by_type: dict[str, N8nEntry]

    def entry(self, node_type: str) -> N8nEntry | None:
        """The entry of a node type (exact, as n8n writes it), or None for non-AI nodes."""
        return self.by_type.get(node_type)


@lru_cache(maxsize=1)
def load_n8n() -> N8nIndex:
    """Load `catalog/data/n8n.yaml`; raises `ConfigError` when it is invalid."""
    text = resources.files("aims.catalog").joinpath("data/n8n.yaml").read_text("utf-8")
    try:
        entries = TypeAdapter(list[N8nEntry]).validate_python(_yaml.safe_load(text) or [])
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"invalid n8n catalog data: {exc}", path="n8n.yaml") from exc
    by_type: dict[str, N8nEntry] = {}
    for entry in entries:
        for node in entry.nodes:
            if node in by_type:
                raise ConfigError(f"n8n node type listed twice: {node}", path="n8n.yaml")
            by_type[node] = entry
    return N8nIndex(tuple(entries), by_type)
