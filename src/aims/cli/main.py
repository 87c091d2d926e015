"""The `aims` entry point: global options, command registration and error handling."""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from aims import __version__
from aims.cli.console import configure_logging
from aims.cli.exit_codes import EXIT_CODES_HELP, ExitCode
from aims.errors import AimsError


def _report_error(exc: AimsError) -> None:
    from aims.cli.console import err_console

    console = err_console()
    console.print(f"[bold red]aims: error:[/] {exc}", markup=True, highlight=False)
    if exc.diagnostics():
        console.print(f"hint: {exc.diagnostics()}", markup=False, highlight=False)


def _is_cli_control(exc: BaseException) -> bool:
    """True for typer/click's own control-flow exceptions (exit, abort, usage errors)."""
    return type(exc).__module__.split(".")[0] in ("typer", "click")


def _is_usage_error(exc: BaseException) -> bool:
    """True for a bad option or argument of a command (not the help shown for no arguments).

    NOTE: typer ships its own copy of click (`typer._click`), so the class is recognised by
    name, as `_is_cli_control` does, rather than by importing it.
    """
    names = {k.__name__ for k in type(exc).__mro__}
    return (
        _is_cli_control(exc)
        and "UsageError" in names
        and "NoArgsIsHelpError" not in names
        and callable(getattr(exc, "format_message", None))
    )


def _report_usage_error(exc: BaseException) -> None:
    """Print a command-line mistake as one `aims: error:` line and a hint, like other errors."""
    from aims.cli.console import err_console

    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", None) or "aims"
    console = err_console()
    console.print(
        f"[bold red]aims: error:[/] {exc.format_message()}",  # type: ignore[attr-defined]
        markup=True,
        highlight=False,
    )
    console.print(f"hint: see '{command} --help'", markup=False, highlight=False)


# Every top-level command, in the order `aims --help` lists them, and the module whose
# `register(app)` adds it. A module is imported only when one of its commands runs (or for
# `--help`): building every command's parameters costs more than a cached rescan's own work.
COMMANDS: dict[str, str] = {
    "scan": "aims.cli.scan",
    "lint": "aims.cli.lint",
    "check": "aims.cli.check",
    "policy": "aims.cli.check",
    "baseline": "aims.cli.check",
    "init": "aims.cli.records",
    "validate": "aims.cli.records",
    "classify": "aims.cli.records",
    "report": "aims.cli.records",
    "evidence": "aims.cli.records",
    "export": "aims.cli.records",
    "log": "aims.cli.log",
    "oversight": "aims.cli.log",
    "monitor": "aims.cli.monitor",
}

COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(COMMANDS.values()))
"""The command modules; each exposes `register(app)`."""


class AimsGroup(TyperGroup):
    """The root command group: turns errors from any command into a message and an exit code.

    User errors (`AimsError`) print what went wrong and a hint; anything else is an internal
    error (exit 3) whose traceback only `-vv` logs. This runs under `CliRunner` too, so tests see
    exactly what users see. Commands are loaded from their modules on first use (`COMMANDS`).
    """

    def list_commands(self, ctx: Any) -> list[str]:
        """Name every command, loaded or not, in `COMMANDS` order."""
        return list(dict.fromkeys([*COMMANDS, *super().list_commands(ctx)]))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Return a command, importing and building its module's commands on first use."""
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.load_module(COMMANDS[cmd_name])
        return super().get_command(ctx, cmd_name)

    def load_module(self, module_name: str) -> None:
        """Build the commands one module registers and add them to this group."""
        module = importlib.import_module(module_name)
        holder = typer.Typer()
        module.register(holder)
        built = typer.main.get_group(holder)
        for name, command in built.commands.items():
            self.commands.setdefault(name, command)

    def invoke(self, ctx: Any) -> Any:
        """Run the command, translating errors into exit codes."""
        try:
            return super().invoke(ctx)
        except AimsError as exc:
            _report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader went away (`aims scan . | head`): stop quietly, successfully.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except Exception as exc:
            if _is_usage_error(exc):
                _report_usage_error(exc)
                raise typer.Exit(int(ExitCode.USAGE)) from None
            if _is_cli_control(exc):
                raise
            from aims.cli.console import err_console

            logging.getLogger("aims").debug("internal error", exc_info=True)
            err_console().print(
                f"[bold red]aims: internal error:[/] {type(exc).__name__}: {exc}", highlight=False
            )
            err_console().print("hint: run again with -vv for details, and please report it.")
            raise typer.Exit(int(ExitCode.TOOL_ERROR)) from None


app = typer.Typer(
    name="aims",
    cls=AimsGroup,
    help=(
        "aims: find, govern and evidence AI use — an offline toolkit for ISO/IEC 42001.\n\n"
        + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"aims {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More logging (-v, -vv).")
    ] = 0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Global options."""
    configure_logging(verbose)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code; never lets a traceback reach the user."""
    from aims.cli.console import err_console

    try:
        # Standalone mode: typer/click print usage errors themselves and exit 2.
        app(args=argv, prog_name="aims")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else int(ExitCode.USAGE))
    except AimsError as exc:
        _report_error(exc)
        return exc.exit_code
    except BrokenPipeError:
        # The reader closed the pipe (`aims --help | head`): stop quietly, like other tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return int(ExitCode.OK)
    except KeyboardInterrupt:
        err_console().print("aims: interrupted")
        return 130
    except Exception as exc:  # the last line of defence: report, never dump a traceback
        logging.getLogger("aims").debug("internal error", exc_info=True)
        err_console().print(f"[bold red]aims: internal error:[/] {type(exc).__name__}: {exc}")
        err_console().print("hint: run again with -vv for details, and please report it.")
        return int(ExitCode.TOOL_ERROR)
    return int(ExitCode.OK)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
