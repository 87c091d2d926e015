"""Rules: the stable IDs, names, severities and documentation of everything aims reports.

Rules are data (`catalog/data/rules/*.yaml`, one file per family); detectors are code. A finding
carries only its `rule_id`; writers join it against this catalogue for titles, docs and controls.

ID families: AIM1xx packages and SDKs, AIM2xx API keys and secrets, AIM3xx models and model files,
AIM4xx MCP servers, AIM5xx agent instructions and settings, AIM6xx AI steps in CI, AIM7xx policy
gate, AIM8xx management-system records. An ID is never reused or renumbered; removed rules stay as
tombstones with `status: removed`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from aims.catalog import _yaml
from aims.errors import ConfigError
from aims.findings import Confidence, Severity

DOCS_BASE_URL = "https://github.com/aims-dev/aims/blob/main/docs/rules/"
"""Where the generated rule pages live; a rule's help URL is this plus `<ID>.md`."""


class RuleStatus(StrEnum):
    """Lifecycle of a rule: new rules start in preview."""

    PREVIEW = "preview"
    STABLE = "stable"
    DEPRECATED = "deprecated"
    REMOVED = "removed"

    def __str__(self) -> str:
        return self.value


class RuleDoc(BaseModel):
    """The prose of a rule's documentation page (Markdown, our own words)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    what: str
    """What it does: what the rule detects."""
    why: str
    """Why is this a risk?"""
    example: str
    """A minimal bad example (Markdown, usually a fenced block)."""
    fix: str
    """Use instead / how to remediate (Markdown)."""
    fix_safety: str = "No automatic fix."


class Rule(BaseModel):
    """One rule: immutable ID, kebab-case name, defaults, mappings and documentation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^AIM\d{3}$")
    name: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    title: str
    status: RuleStatus = RuleStatus.PREVIEW
    since: str = "0.1.0"
    severity: Severity
    confidence: Confidence
    detector: str
    """Detector kind that raises it (`secrets`, `agent-lint`, `mcp-lint`, `policy`, ...)."""
    controls: list[str] = Field(default_factory=list)
    """ISO/IEC 42001 references such as `A.6.2.8` or `8.2` (IDs only, never standard text)."""
    owasp: list[str] = Field(default_factory=list)
    """OWASP references such as `LLM01:2025`, `ASI01`, `MCP03`."""
    references: list[str] = Field(default_factory=list)
    offline: bool = True
    fixable: bool = False
    doc: RuleDoc

    @field_validator("controls")
    @classmethod
    def _control_ids(cls, value: list[str]) -> list[str]:
        for ref in value:
            if not re.fullmatch(r"(?:A\.\d+(?:\.\d+){1,2}|\d+(?:\.\d+){1,2})", ref):
                raise ValueError(f"not an ISO/IEC 42001 clause or Annex A ID: {ref!r}")
        return value

    @property
    def help_uri(self) -> str:
        """URL of the rule's generated documentation page."""
        return f"{DOCS_BASE_URL}{self.id}.md"


class RuleSet:
    """Every rule, by ID and by name."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = sorted(rules, key=lambda r: r.id)
        self._by_id = {r.id: r for r in rules}
        self._by_name = {r.name: r for r in rules}

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        """Return the rule with this ID (or name), or None."""
        return self._by_id.get(rule_id) or self._by_name.get(rule_id)

    def require(self, rule_id: str) -> Rule:
        """Return the rule with this ID; raises `KeyError` for an unknown ID."""
        rule = self.get(rule_id)
        if rule is None:
            raise KeyError(f"unknown rule ID {rule_id!r}")
        return rule


@lru_cache(maxsize=1)
def load_rules() -> RuleSet:
    """Load and validate every rule file; raises `ConfigError` on invalid data or duplicates."""
    base = resources.files("aims.catalog").joinpath("data/rules")
    adapter = TypeAdapter(list[Rule])
    rules: list[Rule] = []
    if base.is_dir():
        for entry in sorted(base.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith((".yaml", ".yml")):
                continue
            relpath = f"rules/{entry.name}"
            try:
                rules += adapter.validate_python(_yaml.safe_load(entry.read_text("utf-8")) or [])
            except (OSError, yaml.YAMLError, ValidationError) as exc:
                raise ConfigError(f"invalid rule file: {exc}", path=relpath) from exc
    seen: dict[str, str] = {}
    for rule in rules:
        for key in (rule.id, rule.name):
            if key in seen:
                raise ConfigError(f"duplicate rule ID or name {key!r} in the rule catalogue")
            seen[key] = rule.id
    return RuleSet(rules)
