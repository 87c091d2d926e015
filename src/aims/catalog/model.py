"""Typed, validated shapes of the catalog's data files, and the look-ups detectors use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aims.catalog import match as _match
from aims.errors import ConfigError

_CAPTURING_GROUP = re.compile(r"(?<!\\)\((?!\?)")
"""An unescaped `(` that does not start an extension group `(?...)`."""

Ecosystem = Literal["pypi", "npm", "golang", "maven", "cargo", "nuget"]
"""Package ecosystems, named by their purl type."""

ECOSYSTEMS: tuple[Ecosystem, ...] = ("pypi", "npm", "golang", "maven", "cargo", "nuget")
"""Every ecosystem, in the order the docs list them."""


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
    """Text that must (positive) and must not (negative) be recognised as the entry.

    Each kind of entry says how its examples are checked (see `docs/catalog.md`); one test walks
    every example of every entry through the real look-ups.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    positive: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)


class Provider(BaseModel):
    """An AI service provider: who it is, where its API lives, how code names its key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    hosts: list[str] = Field(default_factory=list)
    """API host names, lower case; a leading `*.` matches any subdomain, another `*` part of
    one label (`bedrock-runtime.*.amazonaws.com`); `host:port` entries match only that port
    (local servers such as `localhost:11434`)."""
    env_vars: list[str] = Field(default_factory=list)
    """Conventional environment variable names for its key or endpoint; a trailing `*` makes a
    prefix (`AZURE_OPENAI_*`)."""
    packages: list[str] = Field(default_factory=list)
    """Its official SDKs as `ecosystem:name`."""
    hf_orgs: list[str] = Field(default_factory=list)
    """Hugging Face organisations that publish its open models (`meta-llama`, `Qwen`)."""
    examples: Examples
    """Positive: a URL or host, an env var name, or a Hugging Face repo ID (`org/name`) of this
    provider; negative: near misses that must not resolve to it."""

    @field_validator("hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        for host in value:
            if not re.fullmatch(r"[a-z0-9.*-]+(?::\d+)?", host) or "**" in host:
                raise ValueError(f"host must be lower-case `name`, `*.name` or `name:port`: {host}")
        return value

    @field_validator("env_vars")
    @classmethod
    def _env_vars(cls, value: list[str]) -> list[str]:
        for name in value:
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*\*?", name):
                raise ValueError(f"env var must be UPPER_SNAKE_CASE (optional trailing *): {name}")
        return value

    @field_validator("packages")
    @classmethod
    def _packages(cls, value: list[str]) -> list[str]:
        for ref in value:
            eco, _, name = ref.partition(":")
            if eco not in ECOSYSTEMS or not name:
                raise ValueError(f"package must be `ecosystem:name` with a known ecosystem: {ref}")
        return value


class Package(BaseModel):
    """A package in one ecosystem that means AI is used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ecosystem: Ecosystem
    name: str
    """Name as the ecosystem spells it (Maven: `group:artifact`; Go: the module path)."""
    provider: str | None = None
    category: Category
    imports: list[str] = Field(default_factory=list)
    """Import names or prefixes in source (Python modules, Go import paths, Java packages,
    C# namespaces, Rust crate idents). Empty means the package name itself for npm (the
    specifier), the crate ident for Cargo, and none known elsewhere."""
    manages: list[str] = Field(default_factory=list)
    """For a Maven BOM: the group IDs whose artifacts it pins at its own version (a release
    train such as Spring AI's), so an artifact imported without a version gets the BOM's."""
    examples: Examples
    """Positive: a package name (any spelling the ecosystem treats as equal) or an import path
    that resolves to this entry; negative: near misses that must not."""

    @property
    def key(self) -> str:
        """`ecosystem:name`, normalised the way the ecosystem compares names."""
        return f"{self.ecosystem}:{normalise_package_name(self.ecosystem, self.name)}"

    @property
    def import_names(self) -> list[str]:
        """The import prefixes that map back to this package, defaults applied."""
        if self.imports:
            return list(self.imports)
        if self.ecosystem == "npm":
            return [self.name]
        if self.ecosystem == "cargo":
            return [self.name.replace("-", "_")]
        return []


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

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    provider: str
    pattern: str
    """Regular expression matching a whole model ID, case-insensitive, without capturing
    groups (use `(?:...)`; `(?-i:...)` for a case-sensitive part)."""
    keywords: list[str] = Field(min_length=1)
    """Lower-case literals, one of which every ID of the family contains (content prefilter)."""
    status: ModelStatus = ModelStatus.ACTIVE
    note: str | None = None
    """Why it is deprecated or retired, and what replaces it."""
    examples: Examples
    """Positive: model IDs that this family must claim; negative: IDs or words it must not."""

    @field_validator("pattern")
    @classmethod
    def _no_groups(cls, value: str) -> str:
        # NOTE: compiling 100+ patterns costs more than loading everything else, so the loader
        # only checks this cheap rule; `Catalog` compiles lazily and the test suite compiles all.
        if _CAPTURING_GROUP.search(value):
            raise ValueError("pattern must not have capturing groups; use (?:...)")
        return value

    @field_validator("keywords")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        for word in value:
            if not word or word != word.lower():
                raise ValueError(f"keywords must be non-empty lower-case literals: {word!r}")
        return value

    @model_validator(mode="after")
    def _deprecated_has_note(self) -> ModelFamily:
        if self.status is not ModelStatus.ACTIVE and not self.note:
            raise ValueError(f"a {self.status} family needs a note saying why and what replaces it")
        return self

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled, fully anchored, case-insensitive pattern.

        Raises `ConfigError` naming the family when the pattern does not compile.
        """
        try:
            return re.compile(rf"(?:{self.pattern})\Z", re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(f"model family {self.id!r}: pattern does not compile: {exc}") from exc


class CiKind(StrEnum):
    """How an AI step shows up in a CI workflow."""

    ACTION = "action"
    """A GitHub Actions `uses:` reference (`owner/repo[/path]@ref`)."""
    CLI = "cli"
    """A command run in a `run:` / `script:` step."""
    IMAGE = "image"
    """A container image (`services:`, `container:`, `image:`, `docker run`)."""

    def __str__(self) -> str:
        return self.value


class CiTool(BaseModel):
    """An AI step that can appear in CI: an action, a CLI or a container image."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    kind: CiKind
    name: str
    """Human name (`Claude Code GitHub Action`)."""
    purpose: Literal[
        "coding-agent",
        "code-review",
        "pr-summary",
        "chat-cli",
        "inference-server",
        "vector-db",
        "model-download",
        "eval",
        "ai-ops",
    ]
    """What it does in a pipeline."""
    provider: str | None = None
    match: list[str] = Field(min_length=1)
    """Action: `owner/repo` or `owner/repo/path` (case-insensitive). CLI: command names, an npm
    package run by `npx` (`@anthropic-ai/claude-code`) or two words (`gh copilot`). Image:
    repositories without tag (`ollama/ollama`); a trailing `/*` matches every image under a
    namespace (`nvcr.io/nim/*`); Docker Hub's `docker.io/` and `library/` are implied."""

    @model_validator(mode="after")
    def _cli_fields(self) -> CiTool:
        cli_only = self.noninteractive_flags or self.batch_by_default or self.requires_any
        if cli_only and self.kind is not CiKind.CLI:
            raise ValueError("noninteractive_flags, batch_by_default and requires_any are CLI-only")
        return self

    noninteractive_flags: list[str] = Field(default_factory=list)
    """CLI only: flags (or sub-commands) that make it run unattended, as an agent in CI does."""
    batch_by_default: bool = False
    """CLI only: it never waits for a person (`llm "prompt"`, `ollama pull`)."""
    requires_any: list[str] = Field(default_factory=list)
    """CLI only: when set, the command counts only if one of these arguments appears; this
    tells an AI tool from another tool of the same name (`goose run` vs the `goose` SQL
    migration tool)."""
    examples: Examples
    """Positive: a `uses:` value, a shell command line, or an image reference that must resolve
    to this entry; negative: near misses that must not."""


@dataclass(frozen=True, slots=True)
class ModelMatch:
    """A model ID found inside text."""

    start: int
    """Offset of the first character of the ID in the searched text."""
    end: int
    """Offset just past the ID."""
    model_id: str
    """The ID as written."""
    family: ModelFamily


@dataclass(frozen=True, slots=True)
class CiCommandMatch:
    """An AI CLI invocation found in a shell script."""

    start: int
    """Offset of the command name in the searched script."""
    end: int
    """Offset of the end of the command (end of its line or pipeline segment)."""
    command: str
    """The command segment as written (name and arguments)."""
    tool: CiTool
    noninteractive: bool
    """True when one of the tool's non-interactive flags is among the arguments."""


def normalise_package_name(ecosystem: str, name: str) -> str:
    """Normalise a package name the way its ecosystem compares names.

    PyPI folds case and runs of `-_.` (PEP 503); NuGet and Maven fold case; Cargo treats `-`
    and `_` alike; Go drops a major-version suffix (`/v2`) so every major maps to one module;
    npm compares as written.
    """
    name = name.strip()
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem in ("nuget", "maven"):
        return name.lower()
    if ecosystem == "cargo":
        return name.replace("_", "-").lower()
    if ecosystem == "golang":
        return re.sub(r"/v\d+$", "", name)
    return name


class Catalog:
    """All catalog data, with the look-ups detectors need.

    Indexes and the combined model regex are built lazily, on first use, so loading stays cheap.
    """

    def __init__(
        self,
        *,
        providers: list[Provider],
        packages: list[Package],
        model_families: list[ModelFamily],
        ci_tools: list[CiTool] | None = None,
    ) -> None:
        self.providers = providers
        self.packages = packages
        self.model_families = model_families
        self.ci_tools = ci_tools or []
        self._providers = {p.id: p for p in providers}
        self._packages = {p.key: p for p in packages}

    # -- providers ---------------------------------------------------------------------------

    def provider(self, provider_id: str) -> Provider | None:
        """Return the provider with this ID, or None."""
        return self._providers.get(provider_id)

    @cached_property
    def _host_index(self) -> _match.HostIndex[Provider]:
        index: _match.HostIndex[Provider] = _match.HostIndex()
        for provider in self.providers:
            for host in provider.hosts:
                index.add(host, provider)
        return index

    def provider_for_host(self, host: str) -> Provider | None:
        """Return the provider whose API lives at `host`, or None.

        Accepts a bare host, `host:port` or a whole URL; compares case-insensitively, tries an
        exact `host:port` entry first, then the host without port, then `*.` wildcards from the
        most specific parent domain up.
        """
        return self._host_index.get(host)

    @cached_property
    def _env_index(self) -> tuple[dict[str, Provider], list[tuple[str, Provider]]]:
        exact: dict[str, Provider] = {}
        prefixes: list[tuple[str, Provider]] = []
        for provider in self.providers:
            for name in provider.env_vars:
                if name.endswith("*"):
                    prefixes.append((name[:-1], provider))
                else:
                    exact.setdefault(name, provider)
        prefixes.sort(key=lambda item: -len(item[0]))
        return exact, prefixes

    def provider_for_env(self, var_name: str) -> Provider | None:
        """Return the provider that conventionally reads this environment variable, or None.

        Compares upper-cased; exact names win over `PREFIX_*` entries, the longest prefix first.
        """
        name = var_name.strip().upper()
        exact, prefixes = self._env_index
        if name in exact:
            return exact[name]
        for prefix, provider in prefixes:
            if name.startswith(prefix) and len(name) > len(prefix):
                return provider
        return None

    @cached_property
    def _hf_index(self) -> dict[str, Provider]:
        return {org.lower(): p for p in self.providers for org in p.hf_orgs}

    def provider_for_hf_org(self, org: str) -> Provider | None:
        """Return the provider whose open models a Hugging Face organisation publishes, or None.

        Case-insensitive; a whole repo ID (`meta-llama/Llama-3.1-8B`) is accepted too.
        """
        return self._hf_index.get(org.strip().split("/", 1)[0].lower())

    # -- packages ----------------------------------------------------------------------------

    def package(self, ecosystem: str, name: str) -> Package | None:
        """Return the catalog entry for a package, or None when it is not an AI package."""
        return self._packages.get(f"{ecosystem}:{normalise_package_name(ecosystem, name)}")

    def packages_of(self, ecosystem: str) -> list[Package]:
        """Return every catalog package of one ecosystem."""
        return [p for p in self.packages if p.ecosystem == ecosystem]

    @cached_property
    def _import_index(self) -> dict[str, dict[str, Package]]:
        index: dict[str, dict[str, Package]] = {}
        for package in self.packages:
            table = index.setdefault(package.ecosystem, {})
            for name in package.import_names:
                table.setdefault(_match.fold_import(package.ecosystem, name), package)
        return index

    def package_for_import(self, ecosystem: str, import_path: str) -> Package | None:
        """Return the package that provides an import, by longest prefix, or None.

        The prefix is cut at the ecosystem's separator: `.` for Python, Java and C#, `/` for
        Go and npm, `::` for Rust. So `google.generativeai.types` resolves to
        `google-generativeai`, `github.com/sashabaranov/go-openai/jsonschema` to `go-openai`,
        `@ai-sdk/openai/internal` to `@ai-sdk/openai`, but `openaix` to nothing. C# namespaces
        compare case-insensitively, the others as written.
        """
        table = self._import_index.get(ecosystem)
        if not table:
            return None
        for prefix in _match.import_prefixes(ecosystem, import_path):
            found = table.get(prefix)
            if found is not None:
                return found
        return None

    # -- models ------------------------------------------------------------------------------

    def model_family(self, model_id: str) -> ModelFamily | None:
        """Return the first family whose pattern matches the whole model ID, or None.

        Only families with a keyword in the ID are tried (and compiled).
        """
        lowered = model_id.lower()
        for family in self.model_families:
            if any(k in lowered for k in family.keywords) and family.regex.match(model_id):
                return family
        return None

    @cached_property
    def _model_scanner(self) -> _match.ModelScanner[ModelFamily]:
        return _match.ModelScanner([(f.pattern, f.keywords, f) for f in self.model_families])

    def find_model_ids(self, text: str) -> list[ModelMatch]:
        """Return every model ID in `text`, left to right, with the family it belongs to.

        An ID must stand alone: the characters around it may be quotes, spaces, `/`, `=`, `:`,
        `,`, brackets or a sentence's full stop, but not letters, digits, `_`, `-` or `.`
        followed by more of the ID. Only lines holding a family keyword are examined, and only
        the families named there are tried; each family's regex is compiled once, on first use.
        """
        return [
            ModelMatch(start=s, end=e, model_id=text[s:e], family=fam)
            for s, e, fam in self._model_scanner.scan(text)
        ]

    def model_keywords(self) -> list[bytes]:
        """Return lower-case literals, one of which every model ID the catalog finds contains."""
        words = {w for f in self.model_families for w in f.keywords}
        return sorted(w.encode() for w in words)

    def host_keywords(self) -> list[bytes]:
        """Return lower-case literals, one of which every known provider host contains."""
        words = {_match.host_keyword(h) for p in self.providers for h in p.hosts}
        return sorted(w.encode() for w in words)

    def env_keywords(self) -> list[bytes]:
        """Return lower-case env var names (prefixes for `PREFIX_*` entries) of all providers."""
        words = {v.rstrip("*").lower() for p in self.providers for v in p.env_vars}
        return sorted(w.encode() for w in words)

    def import_keywords(self, ecosystem: str) -> list[bytes]:
        """Return the lower-case import prefixes of one ecosystem's packages."""
        words = {n.lower() for p in self.packages_of(ecosystem) for n in p.import_names}
        return sorted(w.encode() for w in words)

    # -- CI ----------------------------------------------------------------------------------

    def ci_tools_of(self, kind: CiKind | str) -> list[CiTool]:
        """Return every CI entry of one kind."""
        return [t for t in self.ci_tools if t.kind == kind]

    @cached_property
    def _ci_index(self) -> _match.CiIndex[CiTool]:
        index: _match.CiIndex[CiTool] = _match.CiIndex()
        for tool in self.ci_tools:
            for value in tool.match:
                index.add(str(tool.kind), value, tool)
        return index

    def ci_action(self, uses: str) -> CiTool | None:
        """Return the AI action a GitHub Actions `uses:` value refers to, or None.

        `owner/repo@ref` and `owner/repo/path@ref` are compared case-insensitively; an entry
        for `owner/repo` covers every path inside it. Local (`./x`) and `docker://` uses are not
        actions of a repository and return None.
        """
        return self._ci_index.action(uses)

    def ci_image(self, image: str) -> CiTool | None:
        """Return the AI container image an image reference names, or None.

        Tags and digests are ignored; `docker.io/`, `index.docker.io/` and `library/` are
        implied for Docker Hub images.
        """
        return self._ci_index.image(image)

    def find_ci_commands(self, script: str) -> list[CiCommandMatch]:
        """Return every AI CLI invocation in a shell script, left to right.

        A command counts when the tool's name is in command position: at the start of a line
        or after `&&`, `||`, `;`, `|`, `(`, `$(`, possibly behind `sudo`, `env`, `VAR=value`
        assignments, `npx`/`uvx`/`pipx run`, or a path (`./bin/claude`); and, for tools with
        `requires_any`, when one of those arguments follows.
        """
        return [
            CiCommandMatch(
                start=s,
                end=e,
                command=script[s:e],
                tool=tool,
                noninteractive=tool.batch_by_default
                or _match.has_flag(script[s:e], tool.noninteractive_flags),
            )
            for s, e, tool in self._ci_index.commands(script)
            if not tool.requires_any or _match.has_flag(script[s:e], tool.requires_any)
        ]
