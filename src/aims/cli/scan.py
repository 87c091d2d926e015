"""`aims scan`: find AI use in files and directories and write the inventory."""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aims.cli.console import configure_logging, err_console, progress_enabled
from aims.cli.exit_codes import ExitCode
from aims.errors import AimsError, InputError, UsageError

if TYPE_CHECKING:
    from aims.inventory import Inventory
    from aims.scanner.engine import ProgressCallback, ScanOptions

log = logging.getLogger("aims")

FORMATS = ("table", "json", "markdown", "cyclonedx", "spdx")
CYCLONEDX_VERSIONS = ("1.6", "1.7")

HELP = (
    "Find AI use in files and directories: SDKs, models, model files, API keys, MCP servers, "
    "agent configurations, AI steps in CI, datasets.\n\n"
    "Writes the inventory to stdout (or --output) in the chosen format; progress and a one-line "
    "summary go to stderr. Findings never fail `scan` (use `aims check` to gate). Honours "
    ".gitignore, skips vendored trees and binaries, and caches results per file.\n\n"
    "Exit codes: 0 scan done; 2 usage error (bad option, a path that does not exist, unknown "
    "--diff-base reference, not a git repository); 3 tool error (unwritable output, broken "
    "catalog, internal failure)."
)

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(text: str) -> int:
    """Parse `2M`, `512k`, `1.5MiB` or plain bytes; raises `UsageError` when it is not a size."""
    match = _SIZE.match(text)
    if not match:
        raise UsageError(
            f"invalid size {text!r} for --max-file-size", hint="use bytes or a unit: 512k, 2M, 1G"
        )
    value = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if value <= 0:
        raise UsageError("--max-file-size must be positive")
    return value


def register(app: typer.Typer) -> None:
    """Add the `scan` command to the application."""
    app.command("scan", help=HELP, no_args_is_help=False)(scan_command)


def scan_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Files or directories to scan (default: the current directory).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            envvar="AIMS_FORMAT",
            metavar="FORMAT",
            help="Output format: table, json, markdown, cyclonedx or spdx.",
        ),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            envvar="AIMS_OUTPUT",
            metavar="FILE",
            help="Write the inventory to this file instead of stdout.",
            dir_okay=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            envvar="AIMS_JOBS",
            min=1,
            metavar="N",
            help="Worker processes (default: one per CPU core; 1 scans in-process).",
            show_default=False,
        ),
    ] = None,
    no_progress: Annotated[
        bool,
        typer.Option(
            "--no-progress",
            envvar="AIMS_NO_PROGRESS",
            metavar="",
            help="Never draw the progress bar (it is only drawn when stderr is a terminal).",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", envvar="AIMS_QUIET", metavar="", help="No summary line on stderr."
        ),
    ] = False,
    reproducible: Annotated[
        bool,
        typer.Option(
            "--reproducible",
            envvar="AIMS_REPRODUCIBLE",
            metavar="",
            help="Leave out timestamps and random serials: same tree, same bytes.",
        ),
    ] = False,
    cyclonedx_version: Annotated[
        str,
        typer.Option(
            "--cyclonedx-version",
            envvar="AIMS_CYCLONEDX_VERSION",
            metavar="VERSION",
            help="CycloneDX specification version for --format cyclonedx: 1.6 or 1.7.",
        ),
    ] = "1.6",
    include_vendored: Annotated[
        bool,
        typer.Option(
            "--include-vendored",
            envvar="AIMS_INCLUDE_VENDORED",
            metavar="",
            help="Also scan node_modules, virtual environments, vendor/, build output, ...",
        ),
    ] = False,
    max_file_size: Annotated[
        str,
        typer.Option(
            "--max-file-size",
            envvar="AIMS_MAX_FILE_SIZE",
            metavar="SIZE",
            help="Skip text files larger than this (bytes, or 512k, 2M, 1G), with a warning. "
            "Model files are never skipped for size; lock files are read up to 32M.",
        ),
    ] = "2M",
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="AIMS_NO_CACHE",
            metavar="",
            help="Neither read nor write the scan cache.",
        ),
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            envvar="AIMS_CACHE_DIR",
            metavar="DIR",
            help="Cache directory (default: $XDG_CACHE_HOME/aims or ~/.cache/aims).",
            file_okay=False,
        ),
    ] = None,
    diff_base: Annotated[
        str | None,
        typer.Option(
            "--diff-base",
            envvar="AIMS_DIFF_BASE",
            help="Scan only files changed since the merge base of REF and HEAD (plus untracked).",
            metavar="REF",
        ),
    ] = None,
    no_ignores: Annotated[
        bool,
        typer.Option(
            "--no-ignores",
            envvar="AIMS_NO_IGNORES",
            metavar="",
            help="Disregard inline 'aims: ignore[...]' comments (for reviewers).",
        ),
    ] = False,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            envvar="AIMS_HISTORY",
            metavar="",
            help="Also scan every file version reachable in git history for AI provider keys.",
        ),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            metavar="",
            help="List every warning on stderr (-v); add debug details (-vv). Same as aims -v.",
        ),
    ] = 0,
    detector: Annotated[
        list[str] | None,
        typer.Option(
            "--detector",
            "-d",
            envvar="AIMS_DETECTORS",
            metavar="NAME",
            help="Run only this detector (repeatable or comma-separated; default: all). "
            "An unknown name lists the valid ones.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Scan PATHS and write the AI inventory."""
    if verbose:
        # NOTE: `aims -v scan` is the documented spelling; `aims scan -v` is what people type.
        level = logging.INFO if verbose == 1 else logging.DEBUG
        if logging.getLogger("aims").getEffectiveLevel() > level:  # never quieter than aims -vv
            configure_logging(verbose)
    try:
        code = _run(
            paths=[str(p) for p in paths] if paths else ["."],
            output_format=output_format,
            output=output,
            jobs=jobs,
            no_progress=no_progress,
            quiet=quiet,
            reproducible=reproducible,
            cyclonedx_version=cyclonedx_version,
            include_vendored=include_vendored,
            max_file_size=max_file_size,
            no_cache=no_cache,
            cache_dir=cache_dir,
            diff_base=diff_base,
            no_ignores=no_ignores,
            detectors=detector,
            history=history,
        )
    except AimsError as exc:
        err_console().print(f"[bold red]aims: error:[/] {exc}", markup=True, highlight=False)
        if exc.diagnostics():
            err_console().print(f"hint: {exc.diagnostics()}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:  # never a traceback: report and exit 3
        log.debug("internal error", exc_info=True)
        err_console().print(
            f"[bold red]aims: internal error:[/] {type(exc).__name__}: {exc}", highlight=False
        )
        err_console().print("hint: run again with -vv for details, and please report it.")
        raise typer.Exit(int(ExitCode.TOOL_ERROR)) from None
    raise typer.Exit(code)


def _run(
    *,
    paths: list[str],
    output_format: str,
    output: Path | None,
    jobs: int | None,
    no_progress: bool,
    quiet: bool,
    reproducible: bool,
    cyclonedx_version: str,
    include_vendored: bool,
    max_file_size: str,
    no_cache: bool,
    cache_dir: Path | None,
    diff_base: str | None,
    no_ignores: bool,
    detectors: list[str] | None,
    history: bool = False,
) -> int:
    from aims import output as writers
    from aims.scanner.engine import ScanOptions

    if output_format not in FORMATS:
        raise UsageError(
            f"unknown format {output_format!r}", hint=f"choose one of: {', '.join(FORMATS)}"
        )
    if cyclonedx_version not in CYCLONEDX_VERSIONS:
        raise UsageError(
            f"unsupported CycloneDX version {cyclonedx_version!r}",
            hint=f"choose one of: {', '.join(CYCLONEDX_VERSIONS)}",
        )
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise UsageError(
            f"path does not exist: {', '.join(missing)}", hint="check the spelling of PATH"
        )
    size_limit = parse_size(max_file_size)
    if output is not None:
        _check_writable(output)
    writer = writers.get_writer(output_format)
    only = _diff_paths(paths, diff_base) if diff_base else None
    names: tuple[str, ...] | None = None
    if detectors:
        names = tuple(n.strip() for item in detectors for n in item.split(",") if n.strip())
    options = ScanOptions(
        jobs=jobs,
        include_vendored=include_vendored,
        max_file_size=size_limit,
        use_cache=not no_cache,
        cache_dir=str(cache_dir) if cache_dir else None,
        only_paths=only,
        detectors=names,
        reproducible=reproducible,
        ignores=not no_ignores,
    )
    started = time.perf_counter()
    # NOTE: NO_COLOR / --color never also mean "no animation" (docs/cli.md).
    plain = bool(os.environ.get("NO_COLOR")) or os.environ.get("AIMS_COLOR") == "never"
    show = progress_enabled(no_progress) and not plain
    inventory = _scan_with_progress(paths, options, show=show)
    if history:
        from aims.secrets.history import add_history

        add_history(inventory, paths, ignores=not no_ignores, max_blob_size=size_limit)
    elapsed = time.perf_counter() - started
    for warning in inventory.warnings:
        log.info("%s: %s", warning.path, warning.message)
    document = writer.render(
        inventory,
        writers.RenderOptions(
            reproducible=reproducible,
            spec_version=cyclonedx_version if output_format == "cyclonedx" else None,
            color=output is None and output_format == "table" and _stdout_colour(),
        ),
    )
    if document and not document.endswith("\n"):
        document += "\n"
    _write(document, output)
    if not quiet:
        _summary(inventory, elapsed)
    return int(ExitCode.OK)


def _stdout_colour() -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("AIMS_COLOR") == "never":
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("AIMS_COLOR") == "always":
        return True
    return sys.stdout.isatty()


def _diff_paths(paths: list[str], ref: str) -> frozenset[str]:
    """Relative paths (as the inventory names them) changed since `ref`, over every root."""
    from aims.scanner.gitdiff import changed_files

    many = len(paths) > 1
    selected: set[str] = set()
    for given in paths:
        label = Path(given).as_posix().removeprefix("./").rstrip("/") or "."
        if os.path.isfile(given):
            directory = os.path.dirname(os.path.abspath(given))
            name = os.path.basename(given)
            if name in changed_files(directory, ref):
                selected.add(label if many else name)
            continue
        for rel in changed_files(given, ref):
            selected.add(f"{label}/{rel}" if many else rel)
    return frozenset(selected)


def _scan_with_progress(paths: list[str], options: ScanOptions, *, show: bool) -> Inventory:
    from aims.scanner.engine import scan as run_scan

    if not show:
        return run_scan(paths, options)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("scanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
    ) as bar:
        task = bar.add_task("scan", total=None)

        def advance(done: int, found: int) -> None:
            bar.update(task, completed=done, total=max(found, done))

        callback: ProgressCallback = advance
        return run_scan(paths, options, progress=callback)


def _write(document: str, output: Path | None) -> None:
    if output is None:
        try:
            sys.stdout.write(document)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (`aims scan | head`): not an error of ours. Point stdout at
            # /dev/null so the interpreter's final flush does not complain again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return
    try:
        # NOTE: opened only now, after the scan succeeded, so a failed run leaves no empty file.
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(document)
    except OSError as exc:
        raise InputError(
            f"cannot write {output}: {exc.strerror or exc}",
            hint="check that the directory exists and is writable",
        ) from exc


def _check_writable(output: Path) -> None:
    """Fail before the scan when `--output` can never be written (a scan can take minutes).

    The file itself is not created here, so a failed scan still leaves nothing behind.
    """
    folder = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise UsageError(f"--output {output} is a directory", hint="give a file name")
    if not folder.is_dir():
        raise InputError(
            f"cannot write {output}: the directory {folder} does not exist",
            hint="create it first, or choose another --output",
        )
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise InputError(
            f"cannot write {output}: permission denied",
            hint="choose a writable location for --output",
        )


def _summary(inventory: Inventory, elapsed: float) -> None:
    stats = inventory.stats
    suppressed = sum(1 for f in inventory.findings if f.suppressed)
    findings = f"{len(inventory.findings)} findings"
    if suppressed:
        findings += f" ({suppressed} suppressed)"
    cached = f", {stats.cache_hits} from cache" if stats.cache_hits else ""
    err_console().print(
        f"scanned {stats.files_scanned} files in {elapsed:.2f} s{cached}: "
        f"{len(inventory.components)} components, {findings}, "
        f"{len(inventory.warnings)} warnings",
        markup=False,
        highlight=False,
    )
