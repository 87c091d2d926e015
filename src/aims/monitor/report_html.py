"""A self-contained HTML report of a monitoring run and its history (inline SVG, no network)."""

from __future__ import annotations

from html import escape
from typing import Any

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;
max-width:1100px;color:#1d2433;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;
padding-bottom:4px}.muted{color:#5b6474}table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff4;vertical-align:top}
th{background:#f5f7fa;font-weight:600}.bad{color:#b42318;font-weight:600}.ok{color:#067647}
.pill{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.pill.bad{background:#fee4e2}.pill.ok{background:#dcfae6}.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{border:1px solid #dde2ea;border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:20px}svg text{font:11px system-ui,sans-serif;fill:#1d2433}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}
"""


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return escape(str(value))


def _bar_chart(
    rows: list[tuple[str, float, bool]], *, limit: float | None, width: int = 640
) -> str:
    """Horizontal bars (label, value in [0, max], flagged)."""
    if not rows:
        return ""
    top = max([v for _, v, _ in rows] + [limit or 0.0, 1e-9])
    h = 20 * len(rows) + 24
    label_w = 180
    scale = (width - label_w - 60) / top
    parts = [f'<svg width="{width}" height="{h}" role="img" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value, bad) in enumerate(rows):
        y = 8 + i * 20
        color = "#d92d20" if bad else "#2e90fa"
        parts.append(f'<text x="0" y="{y + 12}">{escape(label[:28])}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{max(1.0, value * scale):.1f}" height="14" '
            f'fill="{color}"><title>{escape(label)}: {value:.4f}</title></rect>'
        )
        parts.append(f'<text x="{label_w + value * scale + 4:.1f}" y="{y + 12}">{value:.3f}</text>')
    if limit is not None:
        x = label_w + limit * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{h - 14}" stroke="#1d2433" '
            'stroke-dasharray="4 3"/>'
        )
        parts.append(f'<text x="{x + 3:.1f}" y="{h - 2}">threshold {limit:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _line_chart(series: dict[str, list[float | None]], labels: list[str], width: int = 640) -> str:
    """Lines over runs for values in [0, 1]."""
    if len(labels) < 1:
        return ""
    h, left, bottom = 220, 40, 30
    colors = ["#2e90fa", "#d92d20", "#12b76a", "#7a5af8"]
    step = (width - left - 20) / max(1, len(labels) - 1)
    parts = [f'<svg width="{width}" height="{h}" role="img" xmlns="http://www.w3.org/2000/svg">']
    for frac in (0, 0.5, 1):
        y = 10 + (1 - frac) * (h - bottom - 10)
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eceff4"/>'
        )
        parts.append(f'<text x="4" y="{y + 4:.1f}">{frac:g}</text>')
    for i, label in enumerate(labels):
        x = left + i * step
        parts.append(f'<text x="{x - 20:.1f}" y="{h - 8}">{escape(label[5:16])}</text>')
    for n, (name, values) in enumerate(series.items()):
        color = colors[n % len(colors)]
        points = [
            (left + i * step, 10 + (1 - max(0.0, min(1.0, v))) * (h - bottom - 10))
            for i, v in enumerate(values)
            if v is not None
        ]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>'
            )
            parts += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>' for x, y in points
            ]
        parts.append(
            f'<text x="{left + 10 + n * 170}" y="{h - 20 + 14}" fill="{color}">■ {escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_run(result: dict[str, Any], history: list[dict[str, Any]] | None = None) -> str:
    """The whole HTML document for one run (with the system's history when given)."""
    breaches = result.get("breaches", [])
    dataset = result["drift"]["dataset"]
    status = (
        '<span class="pill bad">thresholds breached</span>'
        if breaches
        else '<span class="pill ok">within thresholds</span>'
    )
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>aims monitor: {escape(str(result.get('system') or 'run'))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Monitoring report: {escape(str(result.get('system') or '(unnamed system)'))} {status}</h1>",
        f"<p class='muted'>Run at {escape(result['run_at'])} · model version "
        f"{_fmt(result.get('model_version'))} · reference {escape(result['reference']['source'])} "
        f"({result['reference']['rows']:,} rows) · current {escape(result['current']['source'])} "
        f"({result['current']['rows']:,} rows) · aims {escape(result['tool_version'])}</p>",
        "<div class='cards'>",
        f"<div class='card'>Drifted columns<b>{len(dataset['drifted_columns'])} / {dataset['columns']}</b></div>",
        f"<div class='card'>Drift share<b>{dataset['drift_share']:.0%}</b></div>",
        f"<div class='card'>Breaches<b class='{'bad' if breaches else 'ok'}'>{len(breaches)}</b></div>",
    ]
    perf = (result.get("performance") or {}).get("overall") or {}
    if perf.get("accuracy") is not None:
        out.append(f"<div class='card'>Accuracy<b>{perf['accuracy']:.3f}</b></div>")
    out.append("</div>")
    if result.get("incident"):
        out.append(f"<p class='bad'>Incident opened: {escape(result['incident'])}</p>")
    if breaches:
        out.append(
            "<h2>Breaches</h2><table><tr><th>kind</th><th>metric</th><th>value</th>"
            "<th>threshold</th><th>severity</th><th>detail</th></tr>"
        )
        out.extend(
            f"<tr><td>{escape(b['kind'])}</td><td>{escape(b['metric'])}</td>"
            f"<td class='bad'>{_fmt(b['value'])}</td><td>{_fmt(b['threshold'])}</td>"
            f"<td>{escape(b['severity'])}</td><td>{escape(b['detail'])}</td></tr>"
            for b in breaches
        )
        out.append("</table>")
    out.append("<h2>Data drift</h2>")
    cols = result["drift"]["columns"]
    bars = [
        (
            c["column"],
            float(c.get("wasserstein_normed") or c.get("jensen_shannon") or 0.0),
            bool(c["drifted"]),
        )
        for c in cols
    ]
    out.append(
        "<p class='muted'>Normalised Wasserstein distance (numeric) or Jensen–Shannon "
        "distance (categorical) per column; red = drifted by the deciding test.</p>"
    )
    out.append(_bar_chart(bars, limit=0.1))
    out.append(
        "<table><tr><th>column</th><th>kind</th><th>method</th><th>score</th><th>PSI</th>"
        "<th>KS</th><th>KS p</th><th>JS</th><th>drifted</th></tr>"
    )
    out.extend(
        f"<tr><td>{escape(c['column'])}</td><td>{c['kind']}</td><td>{c['method']}</td>"
        f"<td>{_fmt(c.get('score'))}</td><td>{_fmt(c.get('psi'))}</td>"
        f"<td>{_fmt(c.get('ks_statistic'))}</td><td>{_fmt(c.get('ks_p_value'))}</td>"
        f"<td>{_fmt(c.get('jensen_shannon'))}</td>"
        f"<td class='{'bad' if c['drifted'] else 'ok'}'>{'yes' if c['drifted'] else 'no'}</td></tr>"
        for c in cols
    )
    out.append("</table>")
    for role in ("prediction", "score", "target"):
        d = result["drift"].get(role)
        if d:
            out.append(
                f"<p>{role.capitalize()} drift ({escape(d['column'])}): {d['method']} "
                f"{_fmt(d.get('score'))} — <span class='{'bad' if d['drifted'] else 'ok'}'>"
                f"{'drifted' if d['drifted'] else 'stable'}</span></p>"
            )
    if result.get("fairness"):
        out.append("<h2>Fairness</h2>")
        for attribute, report in result["fairness"].items():
            out.append(f"<h3>{escape(attribute)}</h3>")
            rows = [
                (
                    ", ".join(f"{v}" for v in g["group"].values()),
                    float(g["selection_rate"] or 0.0),
                    not g["reliable"],
                )
                for g in report["groups"]
            ]
            out.append(
                "<p class='muted'>Selection rate per group (red = group smaller than "
                f"{report['min_group_size']}, unreliable).</p>"
            )
            out.append(_bar_chart(rows, limit=None))
            out.append("<table><tr><th>metric</th><th>value</th><th>95% CI</th></tr>")
            for name, m in report.get("metrics", {}).items():
                ci = m.get("ci95")
                out.append(
                    f"<tr><td>{escape(name)}</td><td>{_fmt(m['value'])}</td>"
                    f"<td>{'—' if not ci else f'{ci[0]:.3f} – {ci[1]:.3f}'}</td></tr>"
                )
            out.append("</table>")
            if not report.get("reliable"):
                out.append(
                    "<p class='muted'>Fewer than two groups are large enough: not assessed.</p>"
                )
    if perf:
        out.append(
            "<h2>Performance</h2><table><tr><th>metric</th><th>current</th><th>reference</th></tr>"
        )
        base = (result.get("baseline") or {}).get("overall") or {}
        for name, value in perf.items():
            out.append(
                f"<tr><td>{escape(name)}</td><td>{_fmt(value)}</td><td>{_fmt(base.get(name))}</td></tr>"
            )
        out.append("</table>")
    if history and len(history) > 1:
        out.append("<h2>History</h2>")
        labels = [h["run_at"] for h in history]
        out.append(
            _line_chart(
                {
                    "drift share": [h["drift_share"] for h in history],
                    "demographic parity ratio": [h["demographic_parity_ratio"] for h in history],
                    "accuracy": [h["accuracy"] for h in history],
                },
                labels,
            )
        )
    out.append(
        "<p class='muted'>Generated offline by aims; no data left this machine.</p></body></html>"
    )
    return "\n".join(out)


def render_history(system: str, rows: list[dict[str, Any]]) -> str:
    """An HTML page with the trend of a system's runs."""
    body = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>aims monitor history: {escape(system)}</title><style>{CSS}</style></head><body>",
        f"<h1>Monitoring history: {escape(system)}</h1>",
        _line_chart(
            {
                "drift share": [r["drift_share"] for r in rows],
                "demographic parity ratio": [r["demographic_parity_ratio"] for r in rows],
                "accuracy": [r["accuracy"] for r in rows],
            },
            [r["run_at"] for r in rows],
        ),
        "<table><tr><th>run</th><th>model</th><th>rows</th><th>drift share</th><th>accuracy</th>"
        "<th>DP ratio</th><th>breaches</th></tr>",
    ]
    body.extend(
        f"<tr><td>{escape(r['run_at'])}</td><td>{_fmt(r['model_version'])}</td><td>{r['rows']:,}</td>"
        f"<td>{r['drift_share']:.0%}</td><td>{_fmt(r['accuracy'])}</td>"
        f"<td>{_fmt(r['demographic_parity_ratio'])}</td><td>{r['breaches']}</td></tr>"
        for r in rows
    )
    body.append("</table></body></html>")
    return "\n".join(body)
