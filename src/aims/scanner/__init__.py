"""The scanner: walks trees, runs detectors, and builds an `Inventory`.

Public entry points (imported lazily, so importing a detector does not pull in the engine):

- `scan(paths, ScanOptions(...)) -> Inventory` — the whole scan (`aims.scanner.engine`);
- `changed_files(root, ref) -> list[str]` — files a change touched (`aims.scanner.gitdiff`);
- `apply_inline_ignores(findings, text, path=...)` — inline suppressions
  (`aims.scanner.suppressions`);
- `hash_file(path) -> str` — streaming SHA-256 of a whole file (`aims.scanner.walker`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aims.scanner.engine import ScanOptions, scan
    from aims.scanner.gitdiff import changed_files
    from aims.scanner.suppressions import apply_inline_ignores
    from aims.scanner.walker import hash_file

__all__ = ["ScanOptions", "apply_inline_ignores", "changed_files", "hash_file", "scan"]

_LAZY = {
    "scan": "aims.scanner.engine",
    "ScanOptions": "aims.scanner.engine",
    "changed_files": "aims.scanner.gitdiff",
    "apply_inline_ignores": "aims.scanner.suppressions",
    "hash_file": "aims.scanner.walker",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aims.scanner' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
