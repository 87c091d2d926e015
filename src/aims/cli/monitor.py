"""`aims monitor run` and `aims monitor history`: drift, fairness and performance over time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from aims.cli.exit_codes import ExitCode
from aims.errors import UsageError

monitor_app = typer.Typer(
    help=(
        "Post-market monitoring: compare current data with a reference for drift, fairness and "
        "performance; store the history; open incidents on breaches. Exit codes: 0 within "
        "thresholds, 1 a threshold was breached, 2 usage error, 3 tool error."
    ),
    no_args_is_help=True,
)

FORMATS = ("text", "json", "html")


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


@monitor_app.command("run")
def run(
    reference: Annotated[
        str,
        typer.Option(
            help="Reference data: CSV/Parquet file, a saved summary (.json), or a database URL "
            "with --reference-query."
        ),
    ],
    current: Annotated[str, typer.Option(help="Current data: CSV/Parquet file or a database URL.")],
    target: Annotated[str | None, typer.Option(help="True label / target column.")] = None,
    prediction: Annotated[str | None, typer.Option(help="Model prediction column.")] = None,
    score: Annotated[str | None, typer.Option(help="Model score / probability column.")] = None,
    sensitive: Annotated[
        str | None, typer.Option(help="Comma-separated protected attributes for fairness.")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="monitor.yaml with thresholds.")] = None,
    system: Annotated[str | None, typer.Option(help="AI system ID (history, incidents).")] = None,
    model_version: Annotated[
        str | None, typer.Option(help="Model version being monitored.")
    ] = None,
    reference_query: Annotated[
        str | None, typer.Option(help="SQL for a database reference.")
    ] = None,
    current_query: Annotated[
        str | None, typer.Option(help="SQL for a database current set.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json or html.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            envvar="AIMS_MONITOR_DB",
            help="History DB: SQLAlchemy URL or SQLite path [default: .aims/monitor/history.db].",
        ),
    ] = None,
    no_history: Annotated[bool, typer.Option(help="Do not store this run.")] = False,
    aims_dir: Annotated[
        Path, typer.Option(help="Records folder: system thresholds in, incidents out.")
    ] = Path(".aims"),
    no_incident: Annotated[bool, typer.Option(help="Do not write an incident on breach.")] = False,
    exit_zero: Annotated[
        bool, typer.Option(help="Exit 0 even when thresholds are breached.")
    ] = False,
) -> None:
    """Compare CURRENT with REFERENCE: drift per column, fairness per group, performance.

    The reference is summarised once into mergeable histograms and cached in the history
    database, so later runs only stream the current data.
    """
    from aims.cli.console import err_console
    from aims.monitor.config import load_config
    from aims.monitor.history import history_url
    from aims.monitor.report_html import render_run
    from aims.monitor.run import DataSpec
    from aims.monitor.service import RunRequest, run_request

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"choose one of: {', '.join(FORMATS)}")
    cfg = load_config(config)
    overrides: dict[str, Any] = {
        "target": target,
        "prediction": prediction,
        "score": score,
        "system": system,
        "model_version": model_version,
    }
    updates = {k: v for k, v in overrides.items() if v is not None}
    if sensitive is not None:
        updates["sensitive"] = _csv(sensitive)
    cfg = cfg.model_copy(update=updates)
    request = RunRequest(
        reference=DataSpec(reference, reference_query),
        current=DataSpec(current, current_query),
        config=cfg,
        history_url=None if no_history else history_url(db),
        aims_dir=aims_dir,
        open_incidents=not no_incident,
    )
    result = run_request(request)
    if fmt == "json":
        text = json.dumps(result, indent=2, sort_keys=True, default=str) + "\n"
    elif fmt == "html":
        text = render_run(result, result.get("history"))
    else:
        text = _text(result)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")
    console = err_console()
    breaches = result["breaches"]
    if result.get("incident"):
        console.print(f"incident opened: {result['incident']}")
    console.print(
        f"monitored {result['current']['rows']:,} rows against {result['reference']['rows']:,}: "
        f"{len(breaches)} breach(es) in {result['seconds']:.1f} s"
    )
    if breaches and not exit_zero:
        raise typer.Exit(int(ExitCode.GATE_FAILED))


def _text(result: dict[str, Any]) -> str:
    lines = [
        f"system: {result.get('system') or '(unnamed)'}   model: {result.get('model_version') or '—'}",
        f"reference: {result['reference']['source']} ({result['reference']['rows']:,} rows)   "
        f"current: {result['current']['source']} ({result['current']['rows']:,} rows)",
        "",
        "DRIFT",
        f"{'column':<24} {'kind':<12} {'method':<15} {'score':>9} {'PSI':>7} {'drifted':>8}",
    ]
    for c in result["drift"]["columns"]:
        score = c.get("score")
        lines.append(
            f"{c['column'][:24]:<24} {c['kind']:<12} {c['method']:<15} "
            f"{'—' if score is None else format(score, '.4f'):>9} {c.get('psi', 0) or 0:>7.3f} "
            f"{'YES' if c['drifted'] else 'no':>8}"
        )
    d = result["drift"]["dataset"]
    lines.append(
        f"dataset drift: {d['drift_share']:.0%} of {d['columns']} columns "
        f"({'DRIFTED' if d['drifted'] else 'stable'}; threshold {d['threshold']:.0%})"
    )
    for attribute, report in result["fairness"].items():
        lines += ["", f"FAIRNESS: {attribute}"]
        for g in report["groups"]:
            label = ", ".join(str(v) for v in g["group"].values())
            sr = g["selection_rate"]
            lines.append(
                f"  {label:<30} n={int(g['n']):>8}  selection rate {'—' if sr is None else f'{sr:.3f}'}"
                + ("" if g["reliable"] else "  (too small: unreliable)")
            )
        for name, m in report.get("metrics", {}).items():
            ci = m.get("ci95")
            value = m["value"]
            lines.append(
                f"  {name:<32} {'—' if value is None else f'{value:.3f}'}"
                + (f"  [95% CI {ci[0]:.3f}, {ci[1]:.3f}]" if ci else "")
            )
    perf = (result.get("performance") or {}).get("overall")
    if perf:
        lines += ["", "PERFORMANCE"]
        base = (result.get("baseline") or {}).get("overall") or {}
        for name, value in perf.items():
            then = base.get(name)
            lines.append(
                f"  {name:<20} {'—' if value is None else format(value, '.4f') if isinstance(value, float) else value}"
                + (f"   (reference {then:.4f})" if isinstance(then, float) else "")
            )
    lines += ["", "BREACHES" if result["breaches"] else "No threshold breached."]
    lines += [f"  [{b['severity']}] {b['metric']}: {b['detail']}" for b in result["breaches"]]
    return "\n".join(lines) + "\n"


@monitor_app.command("history")
def history(
    system: Annotated[str, typer.Argument(help="AI system ID.")],
    db: Annotated[str | None, typer.Option(envvar="AIMS_MONITOR_DB", help="History DB.")] = None,
    model_version: Annotated[str | None, typer.Option(help="Only this model version.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json or html.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Show the trend of a system's runs: drift share, accuracy, fairness, breaches."""
    from aims.monitor.history import History, history_url, trend
    from aims.monitor.report_html import render_history

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"choose one of: {', '.join(FORMATS)}")
    store = History(history_url(db))
    rows = trend(store.runs_of(system, model_version))
    store.close()
    if not rows:
        raise UsageError(f"no monitoring runs stored for {system!r}")
    if fmt == "json":
        text = json.dumps(rows, indent=2) + "\n"
    elif fmt == "html":
        text = render_history(system, rows)
    else:
        out = [
            f"{'run at':<22} {'model':<10} {'rows':>10} {'drift':>7} {'accuracy':>9} {'DP ratio':>9} {'breaches':>9}"
        ]
        for r in rows:
            acc, dpr = r["accuracy"], r["demographic_parity_ratio"]
            out.append(
                f"{r['run_at']:<22} {str(r['model_version'] or '—'):<10} {r['rows']:>10,} "
                f"{r['drift_share']:>7.0%} {'—' if acc is None else f'{acc:.3f}':>9} "
                f"{'—' if dpr is None else f'{dpr:.3f}':>9} {r['breaches']:>9}"
            )
        text = "\n".join(out) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")


def register(app: typer.Typer) -> None:
    """Add the `monitor` command group to the CLI."""
    app.add_typer(monitor_app, name="monitor")
