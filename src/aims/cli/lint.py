"""`aims lint`: lint coding-agent instruction files, settings and MCP configurations."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aims.cli.exit_codes import ExitCode
from aims.errors import InputError, UsageError

if TYPE_CHECKING:
    from aims.agents.lint import LintResult
    from aims.inventory import Inventory

LINT_FORMATS = ("text", "json", "sarif", "markdown")
SEVERITIES = ("info", "low", "medium", "high", "critical")

HELP = (
    "Lint coding-agent configuration: CLAUDE.md, AGENTS.md, .cursorrules, Copilot and Gemini "
    "instructions, skills, hooks, settings and every MCP configuration dialect. Static and "
    "offline: files are read, never executed, and MCP servers are never started.\n\n"
    "Findings go to stdout in the chosen format; a one-line summary goes to stderr. Exit codes: "
    "0 nothing at or above --fail-on; 1 findings at or above --fail-on; 2 usage error; 3 tool "
    "error. Suppress one finding with a comment `aims: ignore[AIM503] <reason>` on its line or "
    "the line above (the reason is mandatory)."
)


def register(app: typer.Typer) -> None:
    """Add `aims lint` to the root command."""
    app.command("lint", help=HELP)(lint_command)


def lint_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories to lint (default: .).")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", "-f", envvar="AIMS_LINT_FORMAT", help="text, json, sarif or markdown."
        ),
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write findings to this file instead of stdout."),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Only these rules: IDs, names or prefixes (AIM5, AIM40); repeatable or comma-separated.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Never report these rules (IDs, names or prefixes)."),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            envvar="AIMS_FAIL_ON",
            help="Lowest severity that makes the exit code 1: info, low, medium (default), high, critical.",
        ),
    ] = "medium",
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Apply safe fixes (hidden Unicode, MCP env secrets, package pins) and print their diff.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --fix: print the diff, change nothing.")
    ] = False,
    no_ignores: Annotated[
        bool, typer.Option("--no-ignores", help="Disregard inline `aims: ignore[...]` comments.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No summary line on stderr.")
    ] = False,
) -> None:
    """Lint agent and MCP configuration files."""
    from aims.agents.lint import LintOptions, run_lint
    from aims.cli.console import err_console
    from aims.findings import Severity

    if output_format not in LINT_FORMATS:
        raise UsageError(
            f"--format must be one of {', '.join(LINT_FORMATS)}, not {output_format!r}"
        )
    if fail_on not in SEVERITIES:
        raise UsageError(f"--fail-on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
    if dry_run and not fix:
        raise UsageError("--dry-run only makes sense with --fix")
    targets = [os.fspath(p) for p in (paths or [Path(".")])]
    result = run_lint(
        targets,
        LintOptions(select=tuple(select or ()), ignore=tuple(ignore or ()), ignores=not no_ignores),
    )
    inventory = result.inventory
    console = err_console()
    if fix:
        _fix(result, dry_run=dry_run)
        if not dry_run:
            result = run_lint(
                targets,
                LintOptions(
                    select=tuple(select or ()), ignore=tuple(ignore or ()), ignores=not no_ignores
                ),
            )
            inventory = result.inventory
    else:
        _write(_render(inventory, output_format), output)
    threshold = Severity(fail_on).rank
    active = [f for f in inventory.findings if not f.suppressed]
    failing = [f for f in active if f.severity.rank >= threshold]
    suppressed = len(inventory.findings) - len(active)
    files = len(
        {c.properties.get("file") for c in inventory.components if c.properties.get("file")}
    )
    if not quiet:
        if not active:
            note = f" ({suppressed} suppressed)" if suppressed else ""
            console.print(
                f"aims lint: all clear: {files} agent/MCP files, no findings{note}.", markup=False
            )
        else:
            worst = max((f.severity for f in active), key=lambda s: s.rank)
            console.print(
                f"aims lint: {len(active)} findings in {files} agent/MCP files (worst: {worst}); "
                f"{len(failing)} at or above {fail_on}"
                + (f"; {suppressed} suppressed" if suppressed else "")
                + ".",
                markup=False,
            )
        for warning in inventory.warnings:
            console.print(f"warning: {warning.path}: {warning.message}", markup=False)
    if failing:
        raise typer.Exit(int(ExitCode.GATE_FAILED))


def _render(inventory: Inventory, output_format: str) -> str:
    if output_format == "json":
        import json

        from aims.output.json_v1 import to_document

        return (
            json.dumps(to_document(inventory, reproducible=True), indent=2, ensure_ascii=False)
            + "\n"
        )
    if output_format == "sarif":
        from aims.output.sarif import render_sarif

        return render_sarif(inventory.findings)
    if output_format == "markdown":
        from aims.agents.report import render_markdown

        return render_markdown(inventory)
    from aims.agents.report import render_text

    return render_text(inventory)


def _fix(result: LintResult, *, dry_run: bool) -> None:
    from aims.agents.fix import apply_fixes, plan_fixes
    from aims.cli.console import err_console

    fixes = plan_fixes(result)
    diff = "".join(f.diff() for f in fixes)
    sys.stdout.write(diff)
    console = err_console()
    for f in fixes:
        for note in f.applied:
            console.print(f"{'would fix' if dry_run else 'fixed'}: {f.path}: {note}", markup=False)
        for note in f.refused:
            console.print(f"not fixed: {f.path}: {note}", markup=False)
    if not dry_run:
        apply_fixes(fixes)


def _write(document: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(document)
        sys.stdout.flush()
        return
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(document)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
