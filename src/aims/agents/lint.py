"""The lint engine behind `aims lint`: runs the agent and MCP detectors over paths, adds the
cross-file rules, applies inline suppressions and `--select`/`--ignore`.

Linting is static and offline: files are read, never executed; MCP servers are never started.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from aims.agents.hits import Hit, to_finding
from aims.errors import UsageError
from aims.findings import Finding, Location
from aims.inventory import Component, ComponentType, Inventory, ScanWarning
from aims.scanner.detectors.base import DetectResult

LINT_DETECTORS = ("agent-configs", "mcp-configs")
FAMILIES = ("AIM4", "AIM5")
_AGENT_DIRS = frozenset(
    {
        "rules",
        "agents",
        "agent",
        "commands",
        "command",
        "skills",
        "instructions",
        "prompts",
        "chatmodes",
        "steering",
        "hooks",
        "settings",
        "mcpServers",
        "mcp",
        "cli-agents",
    }
)


@dataclass(frozen=True, slots=True)
class LintOptions:
    """What `aims lint` checks."""

    select: tuple[str, ...] = ()
    """Rule IDs, names or ID prefixes (`AIM5`, `AIM50`) to report; empty means all."""
    ignore: tuple[str, ...] = ()
    """Rule IDs, names or ID prefixes never to report."""
    ignores: bool = True
    """Honour inline `aims: ignore[ID] reason` directives."""
    jobs: int | None = None


@dataclass(slots=True)
class LintResult:
    """Findings plus the agent and MCP components and the roots they were found under."""

    inventory: Inventory
    roots: dict[str, str] = field(default_factory=dict)
    """Inventory path -> absolute path on disk, for the fixers."""


def lint_rule_ids() -> list[str]:
    """IDs of every active AIM4xx/AIM5xx rule."""
    from aims.catalog.rules import RuleStatus, load_rules

    return [
        r.id
        for r in load_rules()
        if r.id.startswith(FAMILIES) and r.status is not RuleStatus.REMOVED
    ]


def resolve_selectors(values: Sequence[str]) -> set[str]:
    """Expand IDs, names and prefixes into rule IDs; raises `UsageError` for unknown ones."""
    from aims.catalog.rules import load_rules

    rules = load_rules()
    ids = lint_rule_ids()
    out: set[str] = set()
    for raw in values:
        for value in (v.strip() for v in raw.split(",")):
            if not value:
                continue
            rule = rules.get(value) or rules.get(value.upper())
            if rule is not None:
                out.add(rule.id)
                continue
            matched = (
                [i for i in ids if i.startswith(value.upper())]
                if value.upper().startswith("AIM")
                else []
            )
            if not matched:
                raise UsageError(
                    f"unknown rule {value!r}",
                    hint="see `docs/rules/index.md` for rule IDs and names (AIM4xx MCP, AIM5xx agents)",
                )
            out.update(matched)
    return out


def _scan_root(path: str) -> tuple[str, frozenset[str] | None]:
    """The directory to scan for one argument and, for a file, its relative path in it."""
    absolute = os.path.abspath(path)
    if os.path.isdir(absolute):
        return absolute, None
    top = os.path.dirname(absolute)
    probe = top
    for _ in range(12):
        if os.path.isdir(os.path.join(probe, ".git")):
            top = probe
            break
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    else:
        probe = top
    if not os.path.isdir(os.path.join(top, ".git")):
        cwd = os.getcwd()
        if absolute.startswith(cwd + os.sep):
            top = cwd
        else:
            # Outside any repository: climb out of agent folders (`.claude/`, `rules/`, ...)
            # so the file keeps the path its client knows it by.
            top = os.path.dirname(absolute)
            while os.path.basename(top).startswith(".") or os.path.basename(top) in _AGENT_DIRS:
                parent = os.path.dirname(top)
                if parent == top:
                    break
                top = parent
    return top, frozenset({os.path.relpath(absolute, top).replace(os.sep, "/")})


def run_lint(paths: Sequence[str], options: LintOptions | None = None) -> LintResult:
    """Lint `paths` (files or directories) and return findings and components.

    Raises `UsageError` for a missing path or an unknown rule selector.
    """
    from aims.scanner.engine import ScanOptions, scan

    options = options or LintOptions()
    selected = resolve_selectors(options.select) if options.select else set(lint_rule_ids())
    selected -= resolve_selectors(options.ignore) if options.ignore else set()
    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"no such file or directory: {path}")
    merged = Inventory(roots=[os.fspath(p) for p in paths])
    disk: dict[str, str] = {}
    for path in paths:
        root, only = _scan_root(path)
        inv = scan(
            [root],
            ScanOptions(
                detectors=LINT_DETECTORS,
                use_cache=False,
                reproducible=True,
                ignores=options.ignores,
                honour_gitignore=False,
                only_paths=only,
                jobs=options.jobs,
            ),
        )
        for component in inv.components:
            for ev in component.evidence:
                disk.setdefault(ev.path, os.path.join(root, ev.path))
        merged.components += inv.components
        merged.findings += inv.findings
        merged.warnings += inv.warnings
        merged.stats.files_scanned += inv.stats.files_scanned
        merged.tool_version = inv.tool_version
        cross, warnings = _cross_file(inv.components, root, options.ignores)
        aider, more = _aider_read_files(inv.components, root, options.ignores)
        cross += aider.findings
        warnings += more
        merged.components += aider.components
        for component in aider.components:
            disk.setdefault(
                str(component.properties["file"]),
                os.path.join(root, str(component.properties["file"])),
            )
        across, more = _across_instructions(
            [*inv.components, *aider.components], root, options.ignores
        )
        cross += across
        warnings += more
        merged.findings += cross
        merged.warnings += warnings
    merged.findings = sorted(
        (f for f in merged.findings if f.rule_id in selected),
        key=lambda f: (f.primary.path, f.primary.line or 0, f.primary.column or 0, f.rule_id),
    )
    return LintResult(inventory=merged, roots=disk)


def _cross_file(
    components: list[Component], root: str, ignores: bool
) -> tuple[list[Finding], list[ScanWarning]]:
    """AIM547: prohibitions in instruction prose that the project's permissions allow."""
    from aims.agents.settingschecks import allowed_entries, prose_bans
    from aims.agents.structured import load_structured
    from aims.scanner.suppressions import apply_inline_ignores

    configs = [c for c in components if c.type is ComponentType.AGENT_CONFIG]
    settings = [
        c
        for c in configs
        if c.properties.get("client") == "claude-code" and c.properties.get("kind") == "settings"
    ]
    if not settings:
        return [], []
    prose = [c for c in configs if c.properties.get("kind") in ("instructions", "rules")]
    findings: list[Finding] = []
    warnings: list[ScanWarning] = []
    for s in settings:
        spath = str(s.properties["file"])
        project = spath.rsplit(".claude/", 1)[0]
        data, error = load_structured(_read(root, spath), "json")
        if error:
            continue
        allowed = allowed_entries(data)
        if not allowed:
            continue
        for p in prose:
            ppath = str(p.properties["file"])
            if not ppath.startswith(project):
                continue
            text = _read(root, ppath)
            hits: list[Finding] = []
            for line, what, allow in prose_bans(text):
                entry = next((a for a in allowed if allow.match(a)), None)
                if entry is None:
                    continue
                hit = Hit(
                    "AIM547",
                    line,
                    f"forbids {what}, but {spath} allows {entry!r} without a prompt",
                    match=f"{what}:{entry}",
                    evidence=entry,
                )
                finding = to_finding(hit, ppath)
                hits.append(replace(finding, related=(Location(spath),)))
            if hits and ignores:
                hits, w = apply_inline_ignores(hits, text, path=ppath)
                warnings += w
            findings += hits
    return findings, warnings


def _aider_read_files(
    components: list[Component], root: str, ignores: bool
) -> tuple[DetectResult, list[ScanWarning]]:
    """Lint the conventions files that `.aider.conf.yml` loads with `read:` as Aider instructions.

    Aider reads any file named there into every chat, whatever its name; files that already are
    agent surfaces are linted by the detectors and skipped here.
    """
    from aims.agents.knowledge import Surface, glob_to_regex
    from aims.agents.structured import load_structured
    from aims.scanner.detectors.agent_configs import agent_component, file_hits
    from aims.scanner.detectors.base import DetectResult, ScanFile
    from aims.scanner.suppressions import apply_inline_ignores

    out = DetectResult()
    warnings: list[ScanWarning] = []
    known = {
        str(c.properties.get("file")) for c in components if c.type is ComponentType.AGENT_CONFIG
    }
    configs = [
        c
        for c in components
        if c.properties.get("client") == "aider" and c.properties.get("kind") == "settings"
    ]
    surface = Surface(
        "aider",
        "instructions",
        "markdown",
        ("(read: in .aider.conf.yml)",),
        False,
        "",
        "",
        glob_to_regex("*"),
    )
    for config in configs:
        cpath = str(config.properties["file"])
        data, error = load_structured(_read(root, cpath), "yaml")
        reads = data.get("read") if isinstance(data, dict) and not error else None
        names = (
            [reads]
            if isinstance(reads, str)
            else [r for r in reads if isinstance(r, str)]
            if isinstance(reads, list)
            else []
        )
        base = cpath.rsplit("/", 1)[0] + "/" if "/" in cpath else ""
        for name in names:
            rel = os.path.normpath(base + name).replace(os.sep, "/")
            absolute = os.path.join(root, rel)
            if rel.startswith("../") or rel in known or not os.path.isfile(absolute):
                continue
            known.add(rel)
            text = _read(root, rel)
            data_bytes = text.encode("utf-8")
            hits, _ = file_hits(
                ScanFile(relpath=rel, abspath=absolute, data=data_bytes, size=len(data_bytes)),
                surface,
            )
            findings = [to_finding(h, rel) for h in hits]
            if findings and ignores:
                findings, w = apply_inline_ignores(findings, text, path=rel)
                warnings += w
            out.findings += findings
            out.components.append(agent_component(rel, surface))
    return out, warnings


def _same_tree(a: str, b: str) -> bool:
    """True when one file's directory contains the other's (both apply to the same code)."""
    da = a.rsplit("/", 1)[0] + "/" if "/" in a else ""
    db = b.rsplit("/", 1)[0] + "/" if "/" in b else ""
    return da.startswith(db) or db.startswith(da)


def _across_instructions(
    components: list[Component], root: str, ignores: bool
) -> tuple[list[Finding], list[ScanWarning]]:
    """AIM549/AIM550 across files: contradictions and duplicates between instruction files
    that apply to the same directory (a file and the files in its parent directories)."""
    from aims.agents.textchecks import prose_index
    from aims.scanner.suppressions import apply_inline_ignores

    paths = sorted(
        str(c.properties["file"])
        for c in components
        if c.type is ComponentType.AGENT_CONFIG
        and c.properties.get("kind") in ("instructions", "rules")
        and c.properties.get("format") in ("markdown", "text")
    )
    if len(paths) < 2:
        return [], []
    texts = {p: _read(root, p) for p in paths}
    index = {p: prose_index(texts[p]) for p in paths}
    findings: list[Finding] = []
    warnings: list[ScanWarning] = []
    for i, path in enumerate(paths):
        hits: list[Finding] = []
        for earlier in paths[:i]:
            if not _same_tree(path, earlier):
                continue
            mine, theirs = index[path], index[earlier]
            for obj, (sign, line, pol) in mine.directives.items():
                other = theirs.directives.get(obj)
                if other is not None and other[0] != sign:
                    hit = Hit(
                        "AIM549",
                        line,
                        f"contradicts {earlier}:{other[1]}: {pol!r} {obj!r}",
                        match=f"{obj}",
                        evidence=obj,
                    )
                    hits.append(
                        replace(to_finding(hit, path), related=(Location(earlier, other[1]),))
                    )
            for norm, line in mine.lines.items():
                if norm in theirs.lines:
                    hit = Hit(
                        "AIM550",
                        line,
                        f"repeats {earlier}:{theirs.lines[norm]} word for word",
                        match=norm,
                        evidence=norm[:120],
                    )
                    hits.append(
                        replace(
                            to_finding(hit, path), related=(Location(earlier, theirs.lines[norm]),)
                        )
                    )
        if hits and ignores:
            hits, w = apply_inline_ignores(hits, texts[path], path=path)
            warnings += w
        findings += hits
    return findings, warnings


def _read(root: str, relpath: str) -> str:
    try:
        with open(os.path.join(root, relpath), "rb") as fh:
            return fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
