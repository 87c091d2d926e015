"""The agent-configs detector: instruction, rules, settings, skill, command and hook files of
every coding agent client, as `agent-config` components plus the AIM5xx lint findings.

Which file belongs to which client is data (`catalog/data/agents.yaml`); the checks live in
`aims.agents`. Scripts outside those surfaces are read only for flags that turn an agent's
permission prompts off (AIM538).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aims.agents.hits import Hit, to_finding
from aims.agents.knowledge import Surface, classify
from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "agent-configs"
_SCRIPT_SUFFIXES = (".sh", ".bash", ".zsh", ".ps1", ".mk", ".just")
_SCRIPT_NAMES = frozenset({"makefile", "justfile", "package.json", "dockerfile", "taskfile.yml"})
_APP_AGENT_FILES = frozenset({"agents.yaml", "agents.yml", "tasks.yaml", "tasks.yml"})
"""Where crewAI projects define their own agents and tasks (`src/<crew>/config/agents.yaml`)."""
_CREWAI_SHAPES = (
    ("agent", frozenset({"role", "goal"})),
    ("task", frozenset({"description", "expected_output"})),
)
"""Keys every entry of a crewAI agents file (role, goal) or tasks file (description,
expected output) carries."""


def file_hits(file: ScanFile, surface: Surface) -> tuple[list[Hit], list[str]]:
    """Every AIM5xx hit in one agent surface, and parse warnings."""
    from aims.agents import settingschecks as st
    from aims.agents import textchecks as tc
    from aims.agents.pathrefs import stale_path_hits
    from aims.agents.structured import load_structured
    from aims.secrets import find_keys

    text = file.text
    hits: list[Hit] = tc.unicode_hits(text)
    warnings: list[str] = []
    if surface.format in ("markdown", "text"):
        hits += tc.prose_hits(text, fmt=surface.format)
        hits += [
            Hit(
                "AIM501",
                k.line,
                f"{k.format_id} key in agent instructions",
                match=k.keyed_hash,
                column=k.column,
                evidence=k.evidence,
            )
            for k in find_keys(text)
        ]
        if surface.kind in ("skill", "agent", "command", "prompt", "rules"):
            hits += st.frontmatter_hits(text, kind=surface.kind)
        hits += stale_path_hits(text, file.abspath)
    elif surface.format == "script":
        hits += tc.script_hits(text)
        hits += [
            Hit(
                "AIM502",
                k.line,
                f"{k.format_id} key in an agent hook script",
                match=k.keyed_hash,
                column=k.column,
                evidence=k.evidence,
            )
            for k in find_keys(text)
        ]
    else:
        data, error = load_structured(text, surface.format)
        if error:
            hits.append(
                Hit(
                    "AIM553",
                    1,
                    f"{surface.client} cannot read this file ({error}); the agent silently ignores it",
                    match=f"parse:{surface.client}",
                    evidence=error,
                )
            )
            warnings.append(f"cannot parse {surface.format}: {error}")
            return hits, warnings
        hits += st.comment_field_hits(data, text)
        hits += st.secret_hits(data, text)
        if surface.client == "claude-code" and surface.kind == "settings":
            hits += st.claude_settings_hits(data, text)
        elif surface.client == "gemini-cli" and surface.kind == "settings":
            hits += st.gemini_settings_hits(data, text)
        elif surface.client == "codex":
            hits += st.codex_hits(data, text)
        elif surface.client == "aider":
            hits += st.aider_hits(data, text)
        elif surface.client == "kiro" and surface.kind == "hook" and isinstance(data, dict):
            then = data.get("then")
            command = then.get("command") if isinstance(then, dict) else None
            if isinstance(command, str):
                hits += st.command_hook_hits(command, text)
            prompt = then.get("prompt") if isinstance(then, dict) else None
            if isinstance(prompt, str):
                hits += tc.prose_hits(prompt, fmt="json")
        if surface.kind in ("mode", "command"):
            for keys, value in st.walk_strings(data):
                if keys and keys[-1].lower() in st.COMMENT_KEYS:
                    continue
                if "\n" in value or len(value) > 40:
                    hits += _embedded_prose(value, text)
    return hits, warnings


def _embedded_prose(value: str, text: str) -> list[Hit]:
    """Prose rules over long strings inside structured files (custom modes, command prompts)."""
    from aims.agents import textchecks as tc
    from aims.agents.structured import value_line

    hits = tc.prose_hits(value, fmt="json")
    if not hits:
        return []
    base = value_line(text, value.split("\n", 1)[0][:40]) - 1
    for hit in hits:
        hit.line += base
    return [h for h in hits if h.rule_id not in ("AIM548", "AIM549", "AIM550", "AIM551")]


class AgentConfigDetector:
    """Finds coding-agent configuration surfaces and lints them (AIM5xx)."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """Agent surfaces other than pure MCP files, plus scripts that may start agents."""
        surface = classify(relpath)
        if surface is not None:
            return surface.kind not in ("mcp", "manifest")
        lowered = name.lower()
        return (
            lowered in _SCRIPT_NAMES
            or lowered.endswith(_SCRIPT_SUFFIXES)
            or lowered in _APP_AGENT_FILES
        )

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """None: agent surfaces are selected by path and every byte of them matters."""
        return None

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Return the file's `agent-config` component and its lint findings."""
        result = DetectResult()
        surface = classify(file.relpath)
        if surface is None:
            if file.name.lower() in _APP_AGENT_FILES:
                return _app_agents_result(file)
            return _script_result(file)
        try:
            hits, warnings = file_hits(file, surface)
        except (RecursionError, ValueError) as exc:
            result.warnings.append(ScanWarning(file.relpath, f"agent-configs: {exc}"))
            hits, warnings = [], []
        result.warnings += [ScanWarning(file.relpath, w) for w in warnings]
        result.components.append(agent_component(file.relpath, surface))
        result.findings += [to_finding(h, file.relpath) for h in _dedupe(hits)]
        return result


def _dedupe(hits: list[Hit]) -> list[Hit]:
    seen: set[tuple[str, int, str]] = set()
    out: list[Hit] = []
    for h in hits:
        key = (h.rule_id, h.line, h.match)
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


def agent_component(relpath: str, surface: Surface) -> Component:
    """The `agent-config` component of one surface file."""
    return Component(
        type=ComponentType.AGENT_CONFIG,
        name=relpath,
        category=surface.kind,
        evidence=[Evidence(path=relpath, line=1, detector=DETECTOR_NAME, snippet=surface.kind)],
        properties={
            "client": surface.client,
            "kind": surface.kind,
            "format": surface.format,
            "file": relpath,
        },
    )


def crewai_definitions(text: str) -> tuple[str, list[str]] | None:
    """`("agent" | "task", names)` when YAML text is a crewAI agents or tasks file: a mapping of
    names to entries that all carry the agent keys (`role`, `goal`) or the task keys
    (`description`, `expected_output`). None for any other YAML, or YAML that does not parse."""
    import yaml

    if "goal" not in text and "expected_output" not in text:
        return None
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    if not isinstance(data, dict) or not data:
        return None
    entries = list(data.values())
    for kind, keys in _CREWAI_SHAPES:
        if all(isinstance(e, dict) and keys <= e.keys() for e in entries):
            return kind, [str(name) for name in data][:50]
    return None


def _app_agents_result(file: ScanFile) -> DetectResult:
    """An application's own agent or task definitions (crewAI YAML) as an `agent-config`."""
    result = DetectResult()
    found = crewai_definitions(file.text)
    if found is None:
        return result
    kind, names = found
    result.components.append(
        Component(
            type=ComponentType.AGENT_CONFIG,
            name=file.relpath,
            category=kind,
            evidence=[Evidence(path=file.relpath, line=1, detector=DETECTOR_NAME, snippet=kind)],
            properties={
                "client": "crewai",
                "kind": kind,
                "format": "yaml",
                "file": file.relpath,
                f"{kind}s": names,
            },
        )
    )
    return result


def _script_result(file: ScanFile) -> DetectResult:
    from aims.agents import commands as cmd
    from aims.agents.hits import shorten

    result = DetectResult()
    if (
        b"dangerously" not in file.data
        and b"--yolo" not in file.data
        and b"yes-always" not in file.data
        and b"full-auto" not in file.data
    ):
        return result
    for number, line in enumerate(file.text.split("\n"), start=1):
        m = cmd.SKIP_PERMISSIONS.search(line)
        if m:
            hit = Hit(
                "AIM538",
                number,
                f"runs an agent with its permission prompts turned off: {m.group().strip()!r}",
                match=m.group().strip(),
                column=m.start() + 1,
                evidence=shorten(line),
            )
            result.findings.append(to_finding(hit, file.relpath))
    return result
