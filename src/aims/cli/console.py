"""The one stderr console for logs, progress and summaries; stdout carries data only."""

from __future__ import annotations

import logging
import os
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

LOGGER_NAME = "aims"


@lru_cache(maxsize=1)
def err_console() -> Console:
    """Return the shared stderr console (colour honours NO_COLOR / FORCE_COLOR)."""
    from rich.console import Console

    no_color = bool(os.environ.get("NO_COLOR")) or os.environ.get("AIMS_COLOR") == "never"
    force = bool(os.environ.get("FORCE_COLOR")) or os.environ.get("AIMS_COLOR") == "always"
    return Console(
        stderr=True,
        no_color=no_color,
        force_terminal=True if force else None,
        highlight=False,
        soft_wrap=True,
    )


def stdout_is_tty() -> bool:
    """True when standard output is a terminal."""
    return sys.stdout.isatty()


def progress_enabled(no_progress: bool) -> bool:
    """True when a progress bar may be drawn: stderr is a terminal and nothing forbids it."""
    if no_progress or os.environ.get("AIMS_NO_PROGRESS") or os.environ.get("CI"):
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("AIMS_COLOR") == "never":
        return False  # a plain terminal gets no animated output either
    return sys.stderr.isatty()


def configure_logging(verbosity: int) -> None:
    """Send the `aims` logger to stderr at WARNING, INFO (-v) or DEBUG (-vv)."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    for existing in logger.handlers:
        if getattr(existing, "_aims", False) and isinstance(existing, logging.StreamHandler):
            # stderr may have been replaced (tests, embedding); `setStream` would flush the
            # old stream, which may be closed by now.
            existing.stream = sys.stderr
    if not any(getattr(h, "_aims", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("aims: %(levelname)s: %(message)s"))
        handler._aims = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.propagate = False
