"""The detector interface: what every detector kind implements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from aims.findings import Finding
from aims.inventory import Component, ScanWarning

if TYPE_CHECKING:
    from aims.catalog.model import Catalog


@dataclass(slots=True)
class ScanFile:
    """One file handed to detectors. Content is read once by the engine and shared."""

    relpath: str
    """Path relative to the scan root, POSIX separators (what findings and evidence show)."""
    abspath: str
    data: bytes
    """Raw bytes (bounded by the engine's size limit; model files get only their header)."""
    size: int
    """Size on disk, which may exceed `len(data)` for model files."""
    _text: str | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """The file name without directories."""
        return self.relpath.rsplit("/", 1)[-1]

    @property
    def text(self) -> str:
        """The content decoded as UTF-8, with undecodable bytes replaced (never raises)."""
        if self._text is None:
            self._text = self.data.decode("utf-8", errors="replace")
        return self._text

    def line_of(self, offset: int) -> int:
        """Return the 1-based line number of a character offset in `text`."""
        return self.text.count("\n", 0, offset) + 1


@dataclass(slots=True)
class DetectContext:
    """What a detector may consult besides the file: the catalog and scan options."""

    catalog: Catalog
    include_tests: bool = True


@dataclass(slots=True)
class DetectResult:
    """What a detector returns for one file."""

    components: list[Component] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[ScanWarning] = field(default_factory=list)

    def extend(self, other: DetectResult) -> None:
        """Append everything in `other` to this result."""
        self.components.extend(other.components)
        self.findings.extend(other.findings)
        self.warnings.extend(other.warnings)


class Detector(Protocol):
    """A detector knows *how* to look at one kind of file; the catalog says *what* to look for.

    The engine calls `wants()` on the path first (cheap), then checks `keywords` against the
    lower-cased content (one combined prefilter for all detectors), and only then `detect()`.
    A detector must never raise on bad input: it returns a `ScanWarning` instead.
    """

    name: str
    """Stable detector name, shown in evidence (`manifest`, `imports`, `model-refs`, ...)."""
    version: str
    """Bumped whenever results can change, so the content cache is invalidated."""

    def wants(self, relpath: str, name: str) -> bool:
        """Return True when files at this path can hold what the detector looks for."""
        ...

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Lower-case byte strings one of which must occur in the file, or None for all files."""
        ...

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Examine one file and return what it shows."""
        ...
