"""Commands over the `.aims/` management-system records: init, validate, classify, report,
evidence pack|verify and export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aims.cli.exit_codes import ExitCode
from aims.errors import InputError, UsageError

if TYPE_CHECKING:
    from aims.inventory import Inventory

TODAY_HELP = "Judge review dates and expiry as of this date (YYYY-MM-DD; default: today, UTC)."
INVENTORY_HELP = "A scan result (`aims scan --format json`); repeat for several repositories."


def _today(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--today must be a date like 2026-11-29, not {value!r}") from exc


def _inventories(paths: list[Path] | None) -> list[Inventory]:
    from aims.output.json_v1 import load_inventory

    out = []
    for path in paths or []:
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read scan result {path}: {exc}") from exc
        try:
            out.append(load_inventory(text))
        except InputError as exc:
            raise InputError(f"{path}: {exc}", hint=exc.diagnostics()) from exc
    return out


def _write(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, "utf-8")


def init(
    directory: Annotated[
        Path, typer.Argument(help="Project folder; records go to DIR/.aims.")
    ] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite existing starter files.")] = False,
    today: Annotated[
        str | None, typer.Option(help="Date the starter records (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Write a commented starter set of records (.aims/) with one example AI system.

    Exit codes: 0 written; 2 records already exist (pass --force); 3 the folder is not writable.
    """
    from aims.cli.console import err_console
    from aims.records.starter import write_starter

    written = write_starter(directory, _today(today), force=force)
    err_console().print(
        f"wrote {len(written)} records under {directory / '.aims'}; edit them, then run "
        "`aims validate` and `aims report`"
    )


def validate(
    directory: Annotated[Path, typer.Argument(help="Project folder (or its .aims folder).")] = Path(
        "."
    ),
    inventory: Annotated[
        list[Path] | None, typer.Option("--inventory", "-i", help=INVENTORY_HELP)
    ] = None,
    today: Annotated[str | None, typer.Option(help=TODAY_HELP)] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (file:line messages) or json.")
    ] = "text",
) -> None:
    """Check records: schemas, cross-references, SoA completeness, exceptions, shadow AI.

    Exit codes: 0 no errors (warnings, such as overdue reviews, do not fail); 1 errors found;
    2 usage error; 3 no records folder or an unreadable scan result.
    """
    from aims.cli.console import err_console
    from aims.records.io import load_records
    from aims.records.validate import validate as run_validate

    if output_format not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {output_format!r}")
    records = load_records(directory)
    every = run_validate(records, today=_today(today), inventories=_inventories(inventory))
    messages = [m for m in every if m.suppressed is None]
    errors = sum(m.level == "error" for m in messages)
    warnings = len(messages) - errors
    if output_format == "json":
        payload = [
            {
                "level": m.level,
                "rule": m.code,
                "path": m.path,
                "line": m.line,
                "message": m.text,
                "hint": m.hint,
                "suppressed": m.suppressed,
            }
            for m in every
        ]
        typer.echo(json.dumps(payload, indent=2))
    else:
        for message in messages:
            typer.echo(message.render())
    suppressed = len(every) - len(messages)
    err_console().print(
        f"{len(records.loaded)} records checked: {errors} error(s), {warnings} warning(s)"
        + (f", {suppressed} suppressed inline" if suppressed else "")
    )
    if errors:
        raise typer.Exit(int(ExitCode.GATE_FAILED))


def _project(directory: Path, inventory: list[Path] | None):  # type: ignore[no-untyped-def]
    from aims.records.io import load_records
    from aims.report.evidence import Project

    records = load_records(directory)
    return Project(records.root.parent, records, _inventories(inventory))


def report(
    directory: Annotated[Path, typer.Argument(help="Project folder (or its .aims folder).")] = Path(
        "."
    ),
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", help="markdown, json or html (one self-contained file)."),
    ] = "markdown",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    inventory: Annotated[
        list[Path] | None, typer.Option("--inventory", "-i", help=INVENTORY_HELP)
    ] = None,
    today: Annotated[str | None, typer.Option(help=TODAY_HELP)] = None,
) -> None:
    """Readiness report: status per clause and Annex A control, evidence, gaps, score.

    Exit codes: 0 report written (use `aims validate` as the CI gate); 2 usage error; 3 no
    records folder or an unreadable scan result.
    """
    from aims.cli.console import err_console
    from aims.report.readiness import build
    from aims.report.render import FORMATS, render

    formats = (*FORMATS, "review-inputs")
    if output_format not in formats:
        raise UsageError(f"--format must be one of {', '.join(formats)}, not {output_format!r}")
    project = _project(directory, inventory)
    result = build(project, _today(today))
    if output_format == "review-inputs":
        from aims.report.review import review_inputs

        _write(review_inputs(project, result), output)
    else:
        _write(render(result, output_format), output)
    err_console().print(
        f"readiness {result.score}/100; {len(result.gaps())} gap(s); first: {result.next_steps[0]}"
        + (f"; wrote {output}" if output else "")
    )


def classify(
    system_id: Annotated[str, typer.Argument(help="ID of the system in .aims/systems/.")],
    directory: Annotated[Path, typer.Option("--dir", "-C", help="Project folder.")] = Path("."),
    interactive: Annotated[
        bool | None,
        typer.Option(
            "--interactive/--no-interactive",
            help="Ask for facts missing from the record (default: only on a terminal).",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Explain only; do not write the record.")] = False,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    today: Annotated[str | None, typer.Option(help="Date stamped on the result.")] = None,
) -> None:
    """EU AI Act tier of a system, explained step by step with the articles, written back.

    Facts come from the record's `eu_ai_act:` answers; missing ones are asked on a terminal.
    The tier (`eu_ai_act_tier`) and the dated obligations (`classification:`) are written back
    into the record; its other lines and comments are kept.

    Exit codes: 0 classified; 2 unknown system, unknown IDs or facts missing without a terminal;
    3 unreadable records.
    """
    import sys

    from aims.classify.engine import ask_missing, missing_answers
    from aims.classify.engine import classify as run_classify
    from aims.classify.writeback import set_top_level
    from aims.cli.console import err_console
    from aims.records.io import load_records, parse_record
    from aims.records.model import AISystem, Answers

    if output_format not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {output_format!r}")
    records = load_records(directory)
    target = next(
        (r for r in records.of("ai-system") if getattr(r.record, "id", None) == system_id), None
    )
    if target is None:
        known = sorted(str(getattr(r.record, "id", "")) for r in records.of("ai-system"))
        raise UsageError(
            f"no AI system {system_id!r} in {records.root}",
            hint="known systems: " + (", ".join(known) or "none; copy the starter example"),
        )
    assert isinstance(target.record, AISystem)
    answers = target.record.eu_ai_act or Answers()
    asked = False
    if missing_answers(answers):
        ask_now = sys.stdin.isatty() if interactive is None else interactive
        if ask_now:
            answers = ask_missing(answers, lambda q: typer.confirm(q, default=False, err=True))
            asked = True
    result = run_classify(answers, target.record.role)
    stamp = _today(today).isoformat()
    if output_format == "json":
        typer.echo(json.dumps({"system": system_id, **result.to_record(stamp)}, indent=2))
    else:
        typer.echo(f"{system_id}: {result.tier}" + (f" ({result.route})" if result.route else ""))
        for step in result.steps:
            typer.echo(f"  - {step.article}: {step.finding}")
        typer.echo("obligations:")
        for duty in result.obligations:
            typer.echo(
                f"  - Art. {duty.article} [{duty.role}] from {duty.applies_from} "
                f"({duty.status}): {duty.duty}"
            )
    if dry_run:
        return
    path = records.root.parent / target.path
    values: dict[str, object] = {
        "eu_ai_act_tier": result.tier,
        "classification": result.to_record(stamp),
    }
    if asked:
        values = {"eu_ai_act": answers.model_dump(exclude_none=True), **values}
    new_text = set_top_level(
        path.read_text("utf-8"),
        values,
        "Written by `aims classify`; re-run it after changing the facts.",
    )
    loaded, problems = parse_record(new_text, target.path, "ai-system")
    if loaded is None:  # pragma: no cover - a bug in the write-back, never user input
        raise InputError(f"refusing to write {target.path}: " + problems[0].render())
    path.write_text(new_text, "utf-8")
    err_console().print(
        f"wrote tier {result.tier} and {len(result.obligations)} obligations to {target.path}"
    )


evidence_app = typer.Typer(
    help="Build and check the evidence pack an auditor receives.", no_args_is_help=True
)


@evidence_app.command("pack")
def evidence_pack(
    directory: Annotated[Path, typer.Argument(help="Project folder (or its .aims folder).")] = Path(
        "."
    ),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Zip to write (default: aims-evidence-DATE.zip)."),
    ] = None,
    inventory: Annotated[
        list[Path] | None, typer.Option("--inventory", "-i", help=INVENTORY_HELP)
    ] = None,
    today: Annotated[str | None, typer.Option(help="Date of the pack and its reports.")] = None,
) -> None:
    """Write a reproducible zip: records, registers, reports, git approval trail, scans, manifest.

    The root SHA-256 of the manifest is printed on stdout. Exit codes: 0 written; 2 usage error;
    3 no records folder or an unreadable input.
    """
    from aims.cli.console import err_console
    from aims.report.pack import pack

    day = _today(today)
    target = output or Path(f"aims-evidence-{day.isoformat()}.zip")
    manifest = pack(_project(directory, inventory), target, day, list(inventory or []))
    typer.echo(manifest["root_sha256"])
    err_console().print(
        f"wrote {target}: {len(manifest['files'])} files; root SHA-256 on stdout "
        "(record it where the auditor can see it)"
    )


@evidence_app.command("verify")
def evidence_verify(
    pack_file: Annotated[Path, typer.Argument(help="The evidence pack zip.")],
    expect: Annotated[
        str | None, typer.Option(help="Root SHA-256 the pack must have (from `evidence pack`).")
    ] = None,
) -> None:
    """Check every file of a pack against its manifest and root hash.

    Exit codes: 0 intact; 1 a file is missing, altered or unlisted, or the root hash differs;
    3 not a readable evidence pack.
    """
    from aims.cli.console import err_console
    from aims.report.pack import verify

    result = verify(pack_file)
    problems = list(result.problems)
    if expect and expect != result.root_sha256:
        problems.append(f"root SHA-256 is {result.root_sha256}, expected {expect}")
    for problem in problems:
        typer.echo(f"{pack_file}: {problem}")
    if problems:
        err_console().print(f"evidence pack FAILED verification: {len(problems)} problem(s)")
        raise typer.Exit(int(ExitCode.GATE_FAILED))
    err_console().print(
        f"evidence pack OK: {result.files} files, root SHA-256 {result.root_sha256}"
    )


def export(
    directory: Annotated[Path, typer.Argument(help="Project folder (or its .aims folder).")] = Path(
        "."
    ),
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="oscal-catalog, oscal-profile, oscal-ssp, oscal-assessment-results, jira-csv "
            "or github-issues.",
        ),
    ] = "oscal-ssp",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(help="The previous jira-csv/github-issues export: gaps now fixed are closed."),
    ] = None,
    inventory: Annotated[
        list[Path] | None, typer.Option("--inventory", "-i", help=INVENTORY_HELP)
    ] = None,
    today: Annotated[str | None, typer.Option(help="Date stamped on the export.")] = None,
) -> None:
    """Export OSCAL 1.0.4 JSON or gap tickets (stable gap IDs; re-export updates, fixed = closed).

    Exit codes: 0 written; 2 unknown format; 3 no records folder or an unreadable input.
    """
    from aims.cli.console import err_console
    from aims.report.export import FORMATS
    from aims.report.export import export as run_export
    from aims.report.readiness import build

    if output_format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    day = _today(today)
    project = _project(directory, inventory)
    previous_text = None
    if previous is not None:
        try:
            previous_text = previous.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {previous}: {exc}") from exc
    text = run_export(project, build(project, day), output_format, day, previous_text)
    _write(text, output)
    err_console().print(f"exported {output_format}" + (f" to {output}" if output else ""))


def register(app: typer.Typer) -> None:
    """Add the records commands to the root app."""
    app.command("init")(init)
    app.command("validate")(validate)
    app.command("classify")(classify)
    app.command("report")(report)
    app.add_typer(evidence_app, name="evidence")
    app.command("export")(export)
