"""The AI policy file (`aims-policy.yaml`, version 1): what is approved, denied or needs review."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from aims.findings import Severity

POLICY_VERSION = 1
"""The policy file format version this aims reads (the `version:` key)."""


class Decision(StrEnum):
    """What the policy says of a component."""

    APPROVED = "approved"
    DENIED = "denied"
    REVIEW = "review"
    UNLISTED = "unlisted"

    def __str__(self) -> str:
        return self.value


class Lists(BaseModel):
    """Approved, denied and needs-review patterns for one kind of component."""

    model_config = ConfigDict(extra="forbid")

    approved: list[str] = Field(default_factory=list)
    denied: list[str] = Field(default_factory=list)
    review: list[str] = Field(default_factory=list)
    """Allowed only after a review: reported, and failing when `review_fails` is set."""
    default: Literal["approved", "denied", "review"] | None = None
    """What an unlisted component is; None inherits the policy's `default`."""


class FailOn(BaseModel):
    """Which findings fail the gate."""

    model_config = ConfigDict(extra="forbid")

    severity: Severity = Severity.HIGH
    """Findings at or above this severity fail."""
    rules: list[str] = Field(default_factory=list)
    """Rule IDs or names that fail whatever their severity."""
    ignore_rules: list[str] = Field(default_factory=list)
    """Rule IDs or names never reported by the gate."""
    review_fails: bool = False
    """Whether components that need review fail the gate (otherwise they are reported only)."""


class ExceptionScope(BaseModel):
    """What an exception covers: every given field must match."""

    model_config = ConfigDict(extra="forbid")

    component: str | None = None
    """`kind:pattern`, e.g. `model:gpt-4-turbo*`, `package:pypi:langchain`, `provider:deepseek`."""
    rule: str | None = None
    """A rule ID or name, e.g. `AIM703` or `denied-model`."""
    paths: list[str] = Field(default_factory=list)
    """Path globs the finding must be in (any of them)."""


class PolicyException(BaseModel):
    """A time-limited, approved deviation from the policy."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    scope: ExceptionScope
    reason: str = Field(min_length=10)
    requested_by: str
    approved_by: str
    approved_on: date
    expires_on: date
    ticket: str | None = None

    @field_validator("expires_on")
    @classmethod
    def _after_approval(cls, value: date, info) -> date:  # type: ignore[no-untyped-def]
        approved = info.data.get("approved_on")
        if approved is not None and value < approved:
            raise ValueError("expires_on is before approved_on")
        return value


class Rules(BaseModel):
    """The component lists and gate thresholds; used at the top level and in scopes."""

    model_config = ConfigDict(extra="forbid")

    providers: Lists | None = None
    models: Lists | None = None
    packages: Lists | None = None
    """Patterns `ecosystem:name` with an optional version specifier: `pypi:openai>=1.40`."""
    mcp_servers: Lists | None = None
    """Patterns matched against the server's name, package, command and URL host."""
    agents: Lists | None = None
    """Agent clients (`claude-code`, `cursor`, `copilot`, ...)."""
    ci_actions: Lists | None = None
    """AI steps in CI: action names (`anthropics/claude-code-action`) or CLI commands."""
    fail_on: FailOn | None = None


class Scope(Rules):
    """Stricter (or looser) rules for part of the tree."""

    paths: list[str] = Field(min_length=1)
    """Path globs (`services/payments/**`); a later scope wins over an earlier one."""


class Policy(Rules):
    """The whole policy file."""

    version: Literal[1] = 1
    name: str | None = None
    default: Literal["approved", "denied", "review"] = "review"
    """What an unlisted component is, unless its list says otherwise."""
    approvers: list[str] = Field(default_factory=list)
    """Who may approve exceptions."""
    scopes: list[Scope] = Field(default_factory=list)
    exceptions: list[PolicyException] = Field(default_factory=list)
