"""Error types that carry a message a user can act on."""

from __future__ import annotations


class AimsError(Exception):
    """Base class of every error aims reports to a user.

    The CLI prints `str(error)` and then `diagnostics()`; it never shows a traceback for these.
    """

    exit_code: int = 3

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def diagnostics(self) -> str:
        """Return what the user should do next (may be empty)."""
        return self.hint or ""


class UsageError(AimsError):
    """The command line asked for something impossible (exit code 2)."""

    exit_code = 2


class InputError(AimsError):
    """An input file or directory is missing, unreadable or malformed (exit code 3)."""

    exit_code = 3


class ConfigError(AimsError):
    """A configuration, policy or catalog file is invalid (exit code 3)."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.path = path
        self.line = line
