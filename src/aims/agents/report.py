"""Human-readable renderings of lint results: plain text (terminal) and Markdown (PR comments).

Hidden-Unicode findings show what a reviewer sees next to what the model reads.
"""

from __future__ import annotations

from collections import Counter

from aims.findings import Finding, Severity
from aims.inventory import Inventory


def _views(f: Finding) -> list[tuple[str, str]]:
    props = f.properties
    out: list[tuple[str, str]] = []
    if "reviewer_sees" in props and "model_reads" in props:
        out.append(("reviewer sees", str(props["reviewer_sees"])))
        out.append(("model reads", str(props["model_reads"])))
    elif "decoded" in props:
        out.append(("decoded", str(props["decoded"])))
    if f.related:
        out.append(("see also", ", ".join(str(r) for r in f.related)))
    return out


def render_text(inventory: Inventory) -> str:
    """One block per unsuppressed finding: `path:line:col: ID severity message`, then views."""
    lines: list[str] = []
    for f in inventory.findings:
        if f.suppressed:
            continue
        lines.append(f"{f.primary}: {f.rule_id} [{f.severity}] {f.message} ({f.rule_name})")
        for label, value in _views(f):
            lines.append(f"    {label + ':':15} {_printable(value)}")
        if f.evidence and not _views(f):
            lines.append(f"    {'evidence:':15} {_printable(f.evidence)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() or c == "\t" else f"<U+{ord(c):04X}>" for c in text)


def render_markdown(inventory: Inventory) -> str:
    """A Markdown report: summary counts and a table of findings with their decoded views."""
    active = [f for f in inventory.findings if not f.suppressed]
    suppressed = [f for f in inventory.findings if f.suppressed]
    out = ["# aims lint", ""]
    files = {c.properties.get("file") for c in inventory.components if c.properties.get("file")}
    out.append(
        f"{len(files)} agent and MCP configuration files, {len(active)} findings, {len(suppressed)} suppressed."
    )
    out.append("")
    if active:
        counts = Counter(f.severity for f in active)
        out.append(", ".join(f"{counts[s]} {s}" for s in reversed(Severity) if counts[s]))
        out += ["", "| Where | Rule | Severity | Finding |", "| --- | --- | --- | --- |"]
        for f in active:
            detail = "; ".join(f"{k}: `{_cell(v)}`" for k, v in _views(f))
            message = _cell(f.message) + (f"<br>{detail}" if detail else "")
            out.append(
                f"| `{_cell(str(f.primary))}` | {f.rule_id} `{f.rule_name}` | {f.severity} | {message} |"
            )
        out.append("")
    if suppressed:
        out += ["## Suppressed", ""]
        out += [
            f"- `{_cell(str(f.primary))}` {f.rule_id}: {_cell(f.suppression.reason if f.suppression else '')}"
            for f in suppressed
        ]
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return _printable(text).replace("|", "\\|").replace("`", "'").replace("\n", " ")
