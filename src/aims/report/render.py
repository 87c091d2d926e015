"""Render a readiness report as Markdown, JSON or one self-contained HTML file."""

from __future__ import annotations

import json
from html import escape

from aims.report.readiness import STATUSES, Readiness

STATUS_COLOURS = {
    "implemented": "#2e7d32",
    "partial": "#f9a825",
    "missing": "#c62828",
    "not-applicable": "#9e9e9e",
}
FORMATS = ("markdown", "json", "html")
"""Formats of the readiness report (the CLI adds `review-inputs`)."""


def to_json(report: Readiness) -> str:
    """The report as an `aims/readiness/1` JSON document."""
    return json.dumps(report.to_dict(), indent=2, sort_keys=False) + "\n"


def _md_cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Readiness) -> str:
    """The report as Markdown."""
    c, k = report.counts["clauses"], report.counts["controls"]
    out = [
        f"# AI management system readiness: {report.project}",
        "",
        f"Generated on {report.generated_on}. **Readiness score: {report.score}/100** "
        "(implemented = 1, partial = 0.5, over the 32 clause requirements and the applicable "
        "Annex A controls).",
        "",
        f"- Clauses 4-10: {c['implemented']} implemented, {c['partial']} partial, {c['missing']} missing",
        f"- Annex A controls: {k['implemented']} implemented, {k['partial']} partial, "
        f"{k['missing']} missing, {k['not-applicable']} not applicable",
        "",
        "## What to do first",
        "",
    ]
    out += [f"{n}. {_md_cell(step)}" for n, step in enumerate(report.next_steps, 1)]
    sections = [
        ("Validation errors", report.errors),
        ("Shadow AI", report.shadow_ai),
        ("Expired exceptions", report.expired_exceptions),
        ("Overdue reviews", report.overdue_reviews),
    ]
    for title, lines in sections:
        out += ["", f"## {title}", ""]
        out += [f"- `{line}`" for line in lines] or ["None."]
    out += ["", "## Open incidents", ""]
    out += [
        f"- {i['id']} ({i['severity']}, {i['status']}) {i['title']}"
        + (f"; report by {i['report_by']} (EU AI Act Art. 73)" if i["report_by"] else "")
        for i in report.open_incidents
    ] or ["None."]
    out += ["", "## Open corrective actions", ""]
    out += [
        f"- {a['nonconformity']}: {a['action']} (owner {a['owner'] or '-'}, due {a['due_date'] or '-'}"
        + (", overdue)" if a["overdue"] else ")")
        for a in report.open_actions
    ] or ["None."]
    out += [
        "",
        "## AI systems",
        "",
        "| ID | Name | Owner | Lifecycle | Role | EU AI Act tier |",
        "|---|---|---|---|---|---|",
    ]
    out += [
        f"| {s['id']} | {_md_cell(s['name'])} | {s['owner'] or '-'} | {s['lifecycle']} | {s['role']} | {s['tier']} |"
        for s in report.systems
    ]
    out += [
        "",
        "## Risk register",
        "",
        "| ID | Risk | Owner | Status | Inherent | Residual | Treatment |",
        "|---|---|---|---|---|---|---|",
    ]
    out += [
        f"| {r['id']} | {_md_cell(r['title'])} | {r['owner']} | {r['status']} | "
        f"{r['inherent_score']} {r['inherent_level']} | "
        f"{r['residual_score']} {r['residual_level']} | {r['treatment'] or '-'}"
        + (f" ({r['treatment_status']})" if r["treatment_status"] else "")
        + " |"
        for r in report.risks
    ] or ["No risks recorded."]
    hm = report.heat_map
    out += [
        "",
        "## Risk heat map (open risks, residual rating)",
        "",
        "| likelihood \\ impact | " + " | ".join(hm["impact"]) + " |",
        "|---" * (len(hm["impact"]) + 1) + "|",
    ]
    for li in reversed(range(len(hm["likelihood"]))):
        out.append(
            f"| {hm['likelihood'][li]} | " + " | ".join(str(v) for v in hm["residual"][li]) + " |"
        )
    out += [
        "",
        "## Clauses 4-10",
        "",
        "| ID | Requirement | Status | Evidence found | Missing |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| {i.id} | {_md_cell(i.label)} | {i.status} | {_md_cell('; '.join(i.found)) or '-'} | "
        f"{_md_cell('; '.join(i.missing)) or '-'} |"
        for i in report.clauses
    ]
    out += [
        "",
        "## Annex A controls",
        "",
        "| ID | Control | Status | SoA | Evidence found | Missing |",
        "|---|---|---|---|---|---|",
    ]
    out += [
        f"| {i.id} | {_md_cell(i.label)} | {i.status} | {i.soa_status or _md_cell(i.note) or '-'} | "
        f"{_md_cell('; '.join(i.found)) or '-'} | {_md_cell('; '.join(i.missing)) or '-'} |"
        for i in report.controls
    ]
    return "\n".join(out) + "\n"


def _bar(counts: dict[str, int], width: int = 520) -> str:
    total = sum(counts.values()) or 1
    x = 0.0
    parts = []
    for status in STATUSES:
        w = width * counts.get(status, 0) / total
        if w:
            parts.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="22" fill="{STATUS_COLOURS[status]}">'
                f"<title>{status}: {counts[status]}</title></rect>"
            )
            if w > 24:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="15" text-anchor="middle" fill="#fff" '
                    f'font-size="12">{counts[status]}</text>'
                )
        x += w
    return (
        f'<svg class="bar" width="{width}" height="22" viewBox="0 0 {width} 22" role="img" '
        f'aria-label="status counts">{"".join(parts)}</svg>'
    )


def _gauge(score: int) -> str:
    import math

    angle = math.pi * (1 - score / 100)
    x, y = 80 + 64 * math.cos(angle), 80 - 64 * math.sin(angle)
    large = 0
    colour = "#c62828" if score < 40 else "#f9a825" if score < 75 else "#2e7d32"
    return (
        '<svg width="160" height="96" viewBox="0 0 160 96" role="img" aria-label="readiness score">'
        '<path d="M16 80 A64 64 0 0 1 144 80" fill="none" stroke="#e0e0e0" stroke-width="14"/>'
        f'<path d="M16 80 A64 64 0 {large} 1 {x:.1f} {y:.1f}" fill="none" stroke="{colour}" '
        'stroke-width="14"/>'
        f'<text x="80" y="78" text-anchor="middle" font-size="28" font-weight="bold">{score}</text>'
        "</svg>"
    )


HEAT_COLOURS = ("#c8e6c9", "#fff59d", "#ffcc80", "#ef9a9a", "#e57373")


def _level_colour(levels: list[dict[str, object]], score: int) -> str:
    """Colour of a score by the risk level it falls in (levels sorted by `min_score`)."""
    index = 0
    for n, level in enumerate(levels):
        if score >= int(str(level["min_score"])):
            index = n
    if len(levels) <= 1:
        return HEAT_COLOURS[0]
    return HEAT_COLOURS[round(index * (len(HEAT_COLOURS) - 2) / (len(levels) - 1))]


def _heat(hm: dict[str, object], key: str) -> str:
    likelihood = list(hm["likelihood"])  # type: ignore[call-overload]
    impact = list(hm["impact"])  # type: ignore[call-overload]
    grid = hm[key]
    levels = list(hm.get("levels") or [])  # type: ignore[call-overload]
    cell, left, top = 44, 110, 8
    n_l, n_i = len(likelihood), len(impact)
    parts = []
    for li in range(n_l):
        for ii in range(n_i):
            colour = _level_colour(levels, (li + 1) * (ii + 1))
            x, y = left + ii * cell, top + (n_l - 1 - li) * cell
            value = grid[li][ii]  # type: ignore[index]
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{colour}"/>'
            )
            if value:
                parts.append(
                    f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 5}" text-anchor="middle" font-size="15" font-weight="bold">{value}</text>'
                )
        parts.append(
            f'<text x="{left - 6}" y="{top + (n_l - 1 - li) * cell + cell / 2 + 4}" text-anchor="end" font-size="11">{escape(str(likelihood[li]))}</text>'
        )
    for ii in range(n_i):
        cx = left + ii * cell + cell / 2
        cy = top + n_l * cell + 12
        parts.append(
            f'<text x="{cx}" y="{cy}" text-anchor="middle" font-size="10">{escape(str(impact[ii]))[:11]}</text>'
        )
    width, height = left + n_i * cell + 10, top + n_l * cell + 40
    parts.append(
        f'<text x="{left + n_i * cell / 2}" y="{height - 6}" text-anchor="middle" font-size="11" font-style="italic">impact</text>'
    )
    return f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="risk heat map ({key})">{"".join(parts)}</svg>'


def _codify(text: str) -> object:
    """Escape text and show `backticked` parts as code."""
    import re

    from markupsafe import Markup

    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def to_html(report: Readiness) -> str:
    """One self-contained HTML file: inline CSS and SVG, no scripts, no network."""
    from importlib import resources

    import jinja2
    from markupsafe import Markup

    template_text = (
        resources.files("aims.report").joinpath("templates/readiness.html.j2").read_text("utf-8")
    )
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["code"] = _codify
    template = env.from_string(template_text)
    return template.render(
        r=report,
        colours=STATUS_COLOURS,
        gauge=Markup(_gauge(report.score)),
        clause_bar=Markup(_bar(report.counts["clauses"])),
        control_bar=Markup(_bar(report.counts["controls"])),
        heat_inherent=Markup(_heat(report.heat_map, "inherent")),
        heat_residual=Markup(_heat(report.heat_map, "residual")),
    )


def render(report: Readiness, fmt: str) -> str:
    """Render in one of `FORMATS`."""
    if fmt == "json":
        return to_json(report)
    if fmt == "html":
        return to_html(report)
    return to_markdown(report)
