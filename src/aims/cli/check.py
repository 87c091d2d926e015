"""`aims check` (the pull-request gate), `aims policy ...` and `aims baseline create`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from aims.cli.exit_codes import ExitCode
from aims.errors import InputError, UsageError

CHECK_FORMATS = ("text", "json", "sarif", "junit", "markdown")

policy_app = typer.Typer(
    help="Write, validate and publish the AI policy file.", no_args_is_help=True
)
baseline_app = typer.Typer(
    help="Record existing findings so only new ones fail the gate.", no_args_is_help=True
)


def _today(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--today must be a date like 2026-11-29, not {value!r}") from exc


def _policy_path(root: Path, policy: Path | None) -> Path:
    from aims.policy.load import DEFAULT_POLICY_FILE

    if policy is not None:
        return policy
    base = root if root.is_dir() else root.parent
    return base / DEFAULT_POLICY_FILE


def _load(root: Path, policy: Path | None):  # type: ignore[no-untyped-def]
    from aims.cli.console import err_console
    from aims.policy.load import load_policy
    from aims.policy.model import Policy

    path = _policy_path(root, policy)
    if policy is None and not path.exists():
        err_console().print(
            f"note: no {path.name} here; using the built-in default policy (everything needs "
            "review, high-severity findings fail). Write your own with `aims policy init`."
        )
        return Policy(), "(built-in default)"
    return load_policy(path), str(path)


@policy_app.command("init")
def policy_init(
    path: Annotated[Path, typer.Argument(help="Where to write the policy.")] = Path(
        "aims-policy.yaml"
    ),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter policy (aims-policy.yaml)."""
    from aims.cli.console import err_console
    from aims.policy.load import starter_policy

    if path.exists() and not force:
        raise UsageError(f"{path} already exists", hint="pass --force to overwrite it")
    path.write_text(starter_policy(), "utf-8")
    err_console().print(f"wrote {path}; edit the lists, then run `aims check`")


@policy_app.command("validate")
def policy_validate(
    path: Annotated[Path, typer.Argument(help="Policy file.")] = Path("aims-policy.yaml"),
    today: Annotated[str | None, typer.Option(help="Judge expiry as of this date.")] = None,
) -> None:
    """Check a policy file: schema, exceptions (expiry, approvers, self-approval)."""
    from aims.cli.console import err_console
    from aims.policy.evaluate import check_exceptions
    from aims.policy.load import load_policy

    policy = load_policy(path)
    problems = 0
    for status in check_exceptions(policy, _today(today)):
        if status.problems:
            problems += 1
            err_console().print(
                f"{path}: exception {status.exception.id}: {'; '.join(status.problems)}"
            )
        elif status.expired:
            problems += 1
            err_console().print(
                f"{path}: exception {status.exception.id} expired on {status.exception.expires_on}"
            )
    if problems:
        raise typer.Exit(int(ExitCode.GATE_FAILED))
    err_console().print(f"{path}: valid")


@policy_app.command("schema")
def policy_schema() -> None:
    """Print the policy file's JSON Schema."""
    from aims.policy.load import policy_schema_text

    typer.echo(policy_schema_text(), nl=False)


def _scan_options(jobs: int | None, no_cache: bool):  # type: ignore[no-untyped-def]
    from aims.scanner.engine import ScanOptions

    return ScanOptions(jobs=jobs, use_cache=not no_cache)


@baseline_app.command("create")
def baseline_create(
    path: Annotated[Path, typer.Argument(help="Repository to scan.")] = Path("."),
    output: Annotated[Path, typer.Option("--output", "-o", help="Baseline file.")] = Path(
        ".aims-baseline.json"
    ),
    policy: Annotated[Path | None, typer.Option(help="Policy file.")] = None,
    today: Annotated[str | None, typer.Option(help="Judge exceptions as of this date.")] = None,
    jobs: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    no_cache: Annotated[bool, typer.Option(help="Do not use the scan cache.")] = False,
) -> None:
    """Record today's findings (their fingerprints only, never secrets) as the baseline."""
    from aims.catalog.rules import load_rules
    from aims.cli.console import err_console
    from aims.policy.baseline import dump_baseline, make_baseline
    from aims.policy.gate import run_gate

    if not path.exists():
        raise UsageError(f"no such path: {path}")
    pol, _ = _load(path, policy)
    result, _ = run_gate(path, pol, options=_scan_options(jobs, no_cache), today=_today(today))
    doc = make_baseline(result.findings, (r.id for r in load_rules()))
    output.write_text(dump_baseline(doc), "utf-8")
    err_console().print(
        f"baseline with {sum(doc['fingerprints'].values())} finding(s) written to {output}"
    )


def check(
    path: Annotated[Path, typer.Argument(help="Repository (or folder) to check.")] = Path("."),
    policy: Annotated[
        Path | None, typer.Option(help="Policy file [default: PATH/aims-policy.yaml].")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Fail only on findings not in this baseline.")
    ] = None,
    diff_base: Annotated[
        str | None,
        typer.Option(help="Fail only on what changed since this git ref (e.g. origin/main)."),
    ] = None,
    inventory: Annotated[
        Path | None, typer.Option(help="Use a saved `aims scan --format json` instead of scanning.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="text, json, sarif, junit or markdown.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here.")
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="Judge exception expiry as of this date.")
    ] = None,
    jobs: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    no_cache: Annotated[bool, typer.Option(help="Do not use the scan cache.")] = False,
    exit_zero: Annotated[
        bool, typer.Option(help="Report only: exit 0 even when the gate fails.")
    ] = False,
) -> None:
    """Evaluate AI use against the policy and fail (exit 1) on violations: the PR gate.

    Exit codes: 0 passed; 1 the gate failed; 2 usage error; 3 tool error (an invalid policy is
    reported with its file and line).
    """
    from aims.cli.console import err_console
    from aims.output.junit import render_junit
    from aims.output.sarif import render_sarif
    from aims.policy.baseline import load_baseline
    from aims.policy.gate import run_gate
    from aims.policy.report import render_json, render_markdown, render_text

    if fmt not in CHECK_FORMATS:
        raise UsageError(
            f"unknown format {fmt!r}", hint=f"choose one of: {', '.join(CHECK_FORMATS)}"
        )
    if baseline is not None and diff_base is not None:
        raise UsageError("use --baseline or --diff-base, not both")
    if not path.exists():
        raise UsageError(f"no such path: {path}")
    pol, policy_label = _load(path, policy)
    counts = load_baseline(baseline) if baseline is not None else None
    scanned = None
    if inventory is not None:
        from aims.output.json_v1 import load_inventory

        try:
            scanned = load_inventory(inventory.read_text("utf-8"))
        except OSError as exc:
            raise InputError(f"cannot read {inventory}: {exc.strerror}") from exc
    result, _ = run_gate(
        path,
        pol,
        options=_scan_options(jobs, no_cache),
        today=_today(today),
        baseline=counts,
        diff_base=diff_base,
        inventory=scanned,
    )
    if fmt == "json":
        text = render_json(result, policy_path=policy_label)
    elif fmt == "sarif":
        text = render_sarif(result.findings, new_fingerprints=result.new_fingerprints)
    elif fmt == "junit":
        text = render_junit(result.findings, result.failing)
    elif fmt == "markdown":
        text = render_markdown(result, pol, policy_path=policy_label)
    else:
        text = render_text(result, pol, policy_path=policy_label)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")
        err_console().print(
            f"aims check: {'passed' if result.passed else 'FAILED'} "
            f"({len(result.failing)} failing); report written to {output}"
        )
    if not result.passed and not exit_zero:
        raise typer.Exit(int(ExitCode.GATE_FAILED))


def register(app: typer.Typer) -> None:
    """Add `check`, `policy` and `baseline` to the CLI."""
    app.command("check")(check)
    app.add_typer(policy_app, name="policy")
    app.add_typer(baseline_app, name="baseline")
