"""The secrets detector: AI provider API keys in any text file, redacted in everything it returns.

Knowledge lives in `catalog/data/keys.yaml`; matching, decoy filters and redaction live in
`aims.secrets`. This module only adapts them to the detector protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aims.inventory import ScanWarning
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.secrets.filters import is_skipped_file
from aims.secrets.matcher import default_matcher
from aims.secrets.results import DETECTOR_NAME, key_component, key_finding

if TYPE_CHECKING:
    from aims.catalog.model import Catalog


class SecretDetector:
    """Finds AI provider keys in every text file; evidence shows prefix, last 4 and fingerprint."""

    name = DETECTOR_NAME
    version = "2"

    def wants(self, relpath: str, name: str) -> bool:
        """Every text file except lock files, minified bundles, source maps and SVGs."""
        return not is_skipped_file(name)

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Every distinctive prefix plus the env names and terms of context-only formats."""
        return default_matcher().keywords()

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Return one `secret` component and one finding per key in the file."""
        result = DetectResult()
        try:
            matches = default_matcher().find(file.text).matches
        except Exception as exc:  # a detector never raises; and the message never holds text
            result.warnings.append(
                ScanWarning(file.relpath, f"secrets detector failed: {type(exc).__name__}")
            )
            return result
        for match in matches:
            result.findings.append(key_finding(match, file.relpath, text=file.text))
            result.components.append(key_component(match, file.relpath))
        return result
