"""Markdown report of a scan, fit for a README, a wiki page or a pull-request comment."""

from __future__ import annotations

from aims.findings import Finding
from aims.inventory import Component, ComponentType, Inventory
from aims.output._common import (
    TYPE_TITLES,
    WARNINGS_SHOWN,
    canonical,
    count_label,
    project_name,
    property_text,
    severity_counts,
    type_counts,
    warnings_left_out,
)
from aims.output.base import RenderOptions

# Facts worth a column in the per-type tables; anything else stays in the JSON output.
_DETAIL_KEYS: dict[ComponentType, tuple[str, ...]] = {
    ComponentType.MODEL: ("family", "status", "task", "runtime"),
    ComponentType.MODEL_FILE: ("format", "architecture", "size", "pickle"),
    ComponentType.MCP_SERVER: ("transport", "client", "command", "pinned"),
    ComponentType.AGENT_CONFIG: ("agent",),
    ComponentType.AI_WORKFLOW: ("workflow", "job"),
    ComponentType.DATASET: ("source", "format", "loader"),
}

_MAX_PLACES = 3
"""Evidence places listed per component; the rest are counted."""


class MarkdownWriter:
    """Writes a GitHub-flavoured Markdown report: summary, a table per type, findings."""

    name = "markdown"
    media_type = "text/markdown"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the report. Generation time is printed unless `options.reproducible`."""
        inv = canonical(inventory)
        out: list[str] = [f"# AI inventory: {_inline(project_name(inv))}", ""]
        files = inv.stats.files_scanned
        roots = ", ".join(f"`{_code(r)}`" for r in inv.roots) or "nothing"
        line = f"Scanned {roots}: {files} file{'s' if files != 1 else ''}"
        line += f" with aims {inv.tool_version}" if inv.tool_version else ""
        if inv.generated_at and not options.reproducible:
            line += f" on {inv.generated_at}"
        out += [line + ".", ""]

        out += _summary(inv)
        if not inv.components:
            out += [f"No AI components found in {files} file{'s' if files != 1 else ''}.", ""]
        for kind, count in type_counts(inv).items():
            out += _type_section(kind, count, inv.of_type(kind))
        out += _findings(inv.findings)
        if inv.warnings:
            out += [f"## Warnings ({len(inv.warnings)})", ""]
            shown = inv.warnings[:WARNINGS_SHOWN]
            out += [f"- `{_code(w.path)}`: {_inline(w.message)}" for w in shown]
            if len(inv.warnings) > WARNINGS_SHOWN:
                out.append(f"- {warnings_left_out(len(inv.warnings))}")
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"


def _summary(inv: Inventory) -> list[str]:
    out = ["## Summary", "", "| What | Count |", "| --- | ---: |"]
    for kind, count in type_counts(inv).items():
        out.append(f"| {TYPE_TITLES[kind]} | {count} |")
    active = [f for f in inv.findings if not f.suppressed]
    by_severity = ", ".join(f"{n} {s}" for s, n in severity_counts(inv.findings).items())
    out.append(f"| Findings | {len(active)}{f' ({by_severity})' if by_severity else ''} |")
    suppressed = len(inv.findings) - len(active)
    if suppressed:
        out.append(f"| Suppressed findings | {suppressed} |")
    if inv.warnings:
        out.append(f"| Warnings | {len(inv.warnings)} |")
    return [*out, ""]


def _type_section(kind: ComponentType, count: int, components: list[Component]) -> list[str]:
    facts = {id(c): _facts(c, _DETAIL_KEYS.get(kind, ())) for c in components}
    details = any(facts.values())
    versions = any(c.version for c in components)
    providers = kind is not ComponentType.PROVIDER and any(c.provider for c in components)
    headers = ["Name"] + (["Version"] if versions else [])
    if kind is ComponentType.SDK:
        headers += ["Ecosystem", "Provider", "Category", "Direct"]
    elif providers:
        headers += ["Provider"]
    headers += ["Details"] if details else []
    headers += ["Where"]
    out = [f"## {TYPE_TITLES[kind]} ({count})", ""]
    if kind is ComponentType.SECRET:
        out += [
            f"{count_label(kind, count)} found; values are never shown. "
            "See the findings below for how to fix them.",
            "",
        ]
    out += ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    for c in components:
        name = c.name
        if kind is ComponentType.PROVIDER:
            name = str(c.properties.get("display_name") or c.name)
        cells = [f"`{_code(name)}`"] + ([_inline(c.version or "")] if versions else [])
        if kind is ComponentType.SDK:
            direct = {True: "yes", False: "no", None: ""}[c.direct]
            cells += [_inline(c.ecosystem or ""), _inline(c.provider or "")]
            cells += [_inline(c.category or ""), direct]
        elif providers:
            cells.append(_inline(c.provider or ""))
        if details:
            cells.append(_inline(facts[id(c)]))
        cells.append(_places(c))
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def _facts(c: Component, keys: tuple[str, ...]) -> str:
    return ", ".join(
        f"{key}: {_fact(key, c.properties[key])}"
        for key in keys
        if c.properties.get(key) not in (None, "")
    )


def _fact(key: str, value: object) -> str:
    if key == "size" and isinstance(value, int) and not isinstance(value, bool):
        return human_size(value)
    return property_text(value)


def human_size(size: int) -> str:
    """`807694464` -> `770.3 MiB`: a byte count in binary units, one decimal."""
    amount = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if amount < 1024 or unit == "TiB":
            return f"{size} B" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns


def _places(c: Component) -> str:
    places = [
        f"`{_code(e.path)}{f':{e.line}' if e.line else ''}`" for e in c.evidence[:_MAX_PLACES]
    ]
    more = len(c.evidence) - _MAX_PLACES
    if more > 0:
        places.append(f"+{more} more")
    return ", ".join(places)


def _findings(findings: list[Finding]) -> list[str]:
    active = [f for f in findings if not f.suppressed]
    suppressed = [f for f in findings if f.suppressed]
    out = [f"## Findings ({len(active)})", ""]
    if not active:
        out += ["No findings.", ""]
    else:
        out += ["| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
        for f in active:
            out.append(
                f"| {f.severity.value} | {_rule(f)} | `{_code(str(f.primary))}` "
                f"| {_inline(f.message)} |"
            )
        out.append("")
    if suppressed:
        out += [f"### Suppressed ({len(suppressed)})", ""]
        out += ["| Rule | Location | Source | Reason |", "| --- | --- | --- | --- |"]
        for f in suppressed:
            assert f.suppression is not None
            out.append(
                f"| {_rule(f)} | `{_code(str(f.primary))}` | {_inline(f.suppression.source)} "
                f"| {_inline(f.suppression.reason)} |"
            )
        out.append("")
    return out


def _rule(f: Finding) -> str:
    return f"{f.rule_id} {_inline(f.rule_name)}".strip()


def _inline(text: str) -> str:
    """Escape text for a table cell: pipes, newlines and Markdown/HTML control characters."""
    text = " ".join(text.split())
    for char in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"):
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str) -> str:
    """Make text safe inside a single-backtick code span in a table cell."""
    return " ".join(text.split()).replace("`", "'").replace("|", "\\|")
