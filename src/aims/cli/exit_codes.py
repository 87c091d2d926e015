"""Exit codes shared by every command (documented in docs/cli.md)."""

from enum import IntEnum


class ExitCode(IntEnum):
    """What an `aims` process exit status means."""

    OK = 0
    """Ran; nothing at or above the failure threshold."""
    GATE_FAILED = 1
    """Ran; the gate failed (findings over the threshold, invalid records)."""
    USAGE = 2
    """Usage error: a bad option, a missing path."""
    TOOL_ERROR = 3
    """Tool error: unreadable input, bad configuration, internal failure."""


EXIT_CODES_HELP = (
    "Exit codes: 0 clean; 1 gate failed (findings over the threshold or invalid records); "
    "2 usage error; 3 tool error (unreadable input, bad configuration, internal failure)."
)
