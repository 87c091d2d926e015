"""Baselines: the fingerprints of findings that already exist, so only new ones fail the gate.

Format `aims/baseline/1` (JSON): tool version, the rule IDs known when it was made, and a count per
fingerprint (the same problem in two files shares a fingerprint, so counts matter). Fingerprints
never contain a secret: secret findings are fingerprinted from a keyed hash.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from aims import __version__
from aims.errors import InputError
from aims.findings import Finding

FORMAT = "aims/baseline/1"

# Upgraders from older formats, by format name; each returns the next format's document.
UPGRADES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def make_baseline(findings: Iterable[Finding], rule_ids: Iterable[str]) -> dict[str, Any]:
    """The baseline document for a set of findings (suppressed ones are left out)."""
    counts = Counter(f.fingerprint for f in findings if f.suppression is None)
    return {
        "format": FORMAT,
        "tool_version": __version__,
        "rules": sorted(set(rule_ids)),
        "fingerprints": dict(sorted(counts.items())),
    }


def dump_baseline(document: dict[str, Any]) -> str:
    """Deterministic JSON text."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def load_baseline(path: Path) -> Counter[str]:
    """Read a baseline file (upgrading older formats); raises `InputError` when unusable."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise InputError(
            f"no baseline file at {path}", hint="create one with `aims baseline create`"
        ) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read baseline {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path} is not an aims baseline")
    while data.get("format") in UPGRADES:
        data = UPGRADES[data["format"]](data)
    if data.get("format") != FORMAT:
        raise InputError(
            f"{path} has baseline format {data.get('format')!r}; this aims reads {FORMAT!r}",
            hint="recreate it with `aims baseline create`",
        )
    counts = data.get("fingerprints")
    if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
        raise InputError(f"{path}: `fingerprints` must map fingerprints to counts")
    return Counter({str(k): int(v) for k, v in counts.items()})
