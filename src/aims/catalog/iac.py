"""AI services declared in infrastructure as code: resource types, IAM actions, kinds (data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from aims.catalog import _yaml
from aims.catalog.model import Examples
from aims.errors import ConfigError


class IacKind(BaseModel):
    """A resource type that means the provider only with a given `kind` in the same file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    resource: str
    kind: str


class IacEntry(BaseModel):
    """How one provider's service shows up in infrastructure code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: str
    resources: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    kinds: list[IacKind] = Field(default_factory=list)
    examples: Examples


@dataclass(frozen=True, slots=True)
class IacMatch:
    """One IaC mention of a provider."""

    start: int
    end: int
    provider: str
    token: str


@dataclass(frozen=True)
class IacIndex:
    """Compiled patterns over every entry."""

    entries: tuple[IacEntry, ...]
    resource_re: re.Pattern[str] | None
    action_re: re.Pattern[str] | None
    kind_res: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]
    owner: dict[str, str]

    def keywords(self) -> list[bytes]:
        """Lower-case literals one of which every match contains (the engine's prefilter)."""
        words = {r.lower() for e in self.entries for r in e.resources}
        words |= {a.lower() for e in self.entries for a in e.actions}
        words |= {k.resource.lower() for e in self.entries for k in e.kinds}
        return sorted(w.encode() for w in words)

    def find(self, text: str) -> list[IacMatch]:
        """Every provider mention in IaC text, in order of offset."""
        found: list[IacMatch] = []
        if self.resource_re is not None:
            for m in self.resource_re.finditer(text):
                prefix = m.group("prefix")
                found.append(IacMatch(m.start(), m.end(), self.owner["r:" + prefix], m.group(0)))
        if self.action_re is not None:
            for m in self.action_re.finditer(text):
                prefix = m.group("prefix")
                found.append(
                    IacMatch(m.start(1), m.end(), self.owner["a:" + prefix], m.group(0)[1:])
                )
        for provider, resource_re, kind_re in self.kind_res:
            resource = resource_re.search(text)
            if resource is not None and kind_re.search(text):
                found.append(
                    IacMatch(resource.start(), resource.end(), provider, resource.group(0))
                )
        found.sort(key=lambda m: m.start)
        return found


def build_index(entries: list[IacEntry]) -> IacIndex:
    """Compile the entries into one resource and one action pattern."""
    owner: dict[str, str] = {}
    resources: list[str] = []
    actions: list[str] = []
    for entry in entries:
        for r in entry.resources:
            owner["r:" + r] = entry.provider
            resources.append(r)
        for a in entry.actions:
            owner["a:" + a] = entry.provider
            actions.append(a)
    resource_re = None
    if resources:
        alternation = "|".join(re.escape(r) for r in sorted(resources, key=lambda r: (-len(r), r)))
        resource_re = re.compile(
            rf"(?<![A-Za-z0-9_.:/-])(?P<prefix>{alternation})[A-Za-z0-9_:/.@-]*"
        )
    action_re = None
    if actions:
        alternation = "|".join(re.escape(a) for a in sorted(actions, key=lambda a: (-len(a), a)))
        # An IAM action is a quoted string: "bedrock:InvokeModel", 'aiplatform.endpoints.predict'.
        action_re = re.compile(rf"""(["'])(?P<prefix>{alternation})[A-Za-z0-9*.:_-]*\1""")
    kind_res = tuple(
        (
            entry.provider,
            re.compile(rf"(?<![A-Za-z0-9_])({re.escape(k.resource)})(?![A-Za-z0-9_])"),
            re.compile(rf"""\bkind["']?\s*[:=]\s*["']{re.escape(k.kind)}["']"""),
        )
        for entry in entries
        for k in entry.kinds
    )
    return IacIndex(tuple(entries), resource_re, action_re, kind_res, owner)


@lru_cache(maxsize=1)
def load_iac() -> IacIndex:
    """Load `catalog/data/iac.yaml`; raises `ConfigError` when it is invalid."""
    text = resources.files("aims.catalog").joinpath("data/iac.yaml").read_text("utf-8")
    try:
        entries = TypeAdapter(list[IacEntry]).validate_python(_yaml.safe_load(text) or [])
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"invalid IaC catalog data: {exc}", path="iac.yaml") from exc
    return build_index(entries)
