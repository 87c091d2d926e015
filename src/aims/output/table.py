"""Terminal table: components grouped by type, then findings by severity, then warnings.

Plain text unless `RenderOptions.color` is set (the CLI sets it only for a terminal), so piped
output never carries ANSI codes. `rich` is imported inside `render` only.
"""

from __future__ import annotations

import io
import shutil
from typing import TYPE_CHECKING

from aims.findings import Finding, Severity
from aims.inventory import Inventory
from aims.output._common import (
    WARNINGS_SHOWN,
    canonical,
    count_label,
    project_name,
    type_counts,
    warnings_left_out,
    where,
)
from aims.output.base import RenderOptions

if TYPE_CHECKING:
    from rich.box import Box
    from rich.console import Console
    from rich.table import Table

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}

_PLAIN_WIDTH = 10_000
"""Plain output is never wrapped: each row stays on one line for grep and diff."""


class TableWriter:
    """Writes the human-readable terminal summary of a scan."""

    name = "table"
    media_type = "text/plain"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the tables as text; ANSI colours only when `options.color` is set."""
        from rich.console import Console

        inv = canonical(inventory)
        buffer = io.StringIO()
        width = shutil.get_terminal_size((120, 24)).columns if options.color else _PLAIN_WIDTH
        console = Console(
            file=buffer,
            width=width,
            force_terminal=options.color,
            no_color=not options.color,
            color_system="standard" if options.color else None,
            highlight=False,
            emoji=False,
            markup=False,
            legacy_windows=False,
        )
        _render(console, inv, options)
        lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"


def _box(options: RenderOptions) -> Box:
    """A rule under the header only: Unicode on a terminal, ASCII dashes in plain text."""
    from rich import box

    if options.color:
        return box.SIMPLE_HEAD
    return box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)


def _render(console: Console, inv: Inventory, options: RenderOptions) -> None:
    from rich.table import Table
    from rich.text import Text

    files = inv.stats.files_scanned
    counts = type_counts(inv)
    header = Text(f"AI inventory of {project_name(inv)}", style="bold")
    summary = ", ".join(count_label(t, n) for t, n in counts.items())
    noun = "file" if files == 1 else "files"
    header.append(f" ({files} {noun} scanned)" + (f": {summary}" if summary else ""))
    console.print(header)
    console.print()

    if not inv.components:
        console.print(Text(f"No AI components found in {files} {noun}."))
    else:
        table = Table(box=_box(options), show_edge=False, pad_edge=False, header_style="bold")
        for column in ("TYPE", "NAME", "VERSION", "PROVIDER", "WHERE"):
            table.add_column(column, no_wrap=not options.color, overflow="fold")
        previous = None
        for c in inv.components:
            if previous is not None and c.type is not previous:
                table.add_section()
            previous = c.type
            table.add_row(
                Text(c.type.value, style="bold" if options.color else ""),
                Text(c.name),
                Text(c.version or ""),
                Text(c.provider or ""),
                Text(where(c), style="dim" if options.color else ""),
            )
        console.print(table)

    active = [f for f in inv.findings if not f.suppressed]
    suppressed = len(inv.findings) - len(active)
    if inv.findings:
        console.print()
        title = f"Findings ({len(active)}"
        title += f", {suppressed} suppressed not shown)" if suppressed else ")"
        console.print(Text(title, style="bold"))
    if active:
        console.print(_findings_table(active, options))

    if inv.warnings:
        console.print()
        console.print(Text(f"Warnings ({len(inv.warnings)})", style="bold"))
        for w in inv.warnings[:WARNINGS_SHOWN]:
            console.print(Text(f"  {w.path}: {w.message}"))
        if len(inv.warnings) > WARNINGS_SHOWN:
            console.print(Text(f"  {warnings_left_out(len(inv.warnings))}"))


def _findings_table(findings: list[Finding], options: RenderOptions) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=_box(options), show_edge=False, pad_edge=False, header_style="bold")
    for column in ("SEVERITY", "RULE", "LOCATION", "MESSAGE"):
        table.add_column(column, no_wrap=not options.color, overflow="fold")
    for f in findings:
        table.add_row(
            Text(f.severity.value, style=_SEVERITY_STYLE[f.severity] if options.color else ""),
            Text(f"{f.rule_id} {f.rule_name}".strip()),
            Text(str(f.primary)),
            Text(f.message),
        )
    return table
