"""The inventory: AI components found in a tree, each with the evidence that shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aims.findings import Finding


class ComponentType(StrEnum):
    """What kind of AI component a `Component` is."""

    PROVIDER = "provider"
    SDK = "sdk"
    MODEL = "model"
    MODEL_FILE = "model-file"
    MCP_SERVER = "mcp-server"
    AGENT_CONFIG = "agent-config"
    AI_WORKFLOW = "ai-workflow"
    DATASET = "dataset"
    SECRET = "secret"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Evidence:
    """One place that shows a component is used."""

    path: str
    """Repository-relative POSIX path (or the scan root's name for a single file)."""
    line: int | None = None
    detector: str = ""
    """Name of the detector that saw it (`manifest`, `imports`, `model-refs`, ...)."""
    snippet: str = ""
    """A short, redacted excerpt of the line."""
    commit: str | None = None


@dataclass(slots=True)
class Component:
    """One AI component: a provider, an SDK, a model, an MCP server, a secret, ...

    Components with the same `key()` are merged by the engine: their evidence is concatenated
    and the most specific values of the other fields are kept.
    """

    type: ComponentType
    name: str
    version: str | None = None
    ecosystem: str | None = None
    """`pypi`, `npm`, `golang`, `maven`, `cargo`, `nuget`, `huggingface`, ... (purl types)."""
    purl: str | None = None
    provider: str | None = None
    """Catalog provider ID (`openai`, `anthropic`, ...)."""
    category: str | None = None
    """Catalog category (`llm-sdk`, `agent-framework`, ...) or a type-specific kind."""
    direct: bool | None = None
    """True for a direct dependency, False for a transitive one, None when unknown."""
    evidence: list[Evidence] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    """Type-specific facts (model file: format, size, sha256, pickle; MCP: transport, ...)."""

    def key(self) -> tuple[str, str, str, str, str]:
        """Identity used to merge duplicates: type, ecosystem, name, version, provider."""
        return (
            self.type.value,
            self.ecosystem or "",
            self.name,
            self.version or "",
            self.provider or "",
        )


@dataclass(slots=True)
class ScanWarning:
    """A file that could not be read or parsed. It never fails the scan."""

    path: str
    message: str


@dataclass(slots=True)
class ScanStats:
    """Counts that describe a scan run."""

    files_seen: int = 0
    files_scanned: int = 0
    files_skipped: int = 0
    bytes_scanned: int = 0
    cache_hits: int = 0
    duration_seconds: float = 0.0


@dataclass(slots=True)
class Inventory:
    """Everything one scan found: components, findings, warnings and statistics."""

    roots: list[str] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[ScanWarning] = field(default_factory=list)
    stats: ScanStats = field(default_factory=ScanStats)
    tool_version: str = ""
    generated_at: str | None = None
    """ISO-8601 UTC timestamp; None in reproducible mode."""

    def of_type(self, kind: ComponentType) -> list[Component]:
        """Return the components of one type, in inventory order."""
        return [c for c in self.components if c.type is kind]
