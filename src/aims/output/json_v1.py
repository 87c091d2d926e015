"""The native JSON format `aims/inventory/1`: a frozen, documented shape and its reader.

The shape is mapped field by field from the internal classes (never `dataclasses.asdict`), so
internal refactors cannot change it. `load_inventory` is the reverse mapping that `aims check
--inventory` and `aims report --inventory` use to read a saved scan.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from aims.errors import InputError
from aims.findings import Confidence, Finding, Location, Severity, Suppression
from aims.inventory import (
    Component,
    ComponentType,
    Evidence,
    Inventory,
    ScanStats,
    ScanWarning,
)
from aims.output._common import (
    canonical,
    dumps,
    jsonable,
    reproducible_stats,
    severity_counts,
    type_counts,
)
from aims.output.base import RenderOptions

SCHEMA_ID = "aims/inventory/1"
"""Value of the top-level `schema` key; bumped only for incompatible changes."""

SCHEMA_RESOURCE = "schemas/inventory-1.schema.json"
"""Path of the JSON Schema inside the `aims.output` package."""


def schema_text() -> str:
    """Return the shipped JSON Schema (draft 2020-12) of `aims/inventory/1` as text."""
    return resources.files("aims.output").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """Return the shipped JSON Schema of `aims/inventory/1`, parsed."""
    parsed: dict[str, Any] = json.loads(schema_text())
    return parsed


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


class JsonWriter:
    """Writes the native `aims/inventory/1` JSON document."""

    name = "json"
    media_type = "application/json"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the inventory as indented JSON with a fixed key order and a final newline."""
        return dumps(to_document(inventory, reproducible=options.reproducible))


def to_document(inventory: Inventory, *, reproducible: bool = False) -> dict[str, Any]:
    """Map an inventory to the `aims/inventory/1` document (a dict in fixed key order).

    In reproducible mode `generated_at` is null and the run-dependent counters
    (`stats.duration_seconds`, `stats.cache_hits`, `stats.bytes_scanned`) are zero.
    """
    inv = canonical(inventory)
    stats = reproducible_stats(inv.stats) if reproducible else inv.stats
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "aims", "version": inv.tool_version},
        "generated_at": None if reproducible else inv.generated_at,
        "roots": list(inv.roots),
        "stats": {
            "files_seen": stats.files_seen,
            "files_scanned": stats.files_scanned,
            "files_skipped": stats.files_skipped,
            "bytes_scanned": stats.bytes_scanned,
            "cache_hits": stats.cache_hits,
            "duration_seconds": stats.duration_seconds,
        },
        "summary": {
            "components": {str(t): n for t, n in type_counts(inv).items()},
            "findings": {str(s): n for s, n in severity_counts(inv.findings).items()},
            "suppressed": sum(1 for f in inv.findings if f.suppressed),
        },
        "components": [_component(c) for c in inv.components],
        "findings": [_finding(f) for f in inv.findings],
        "warnings": [{"path": w.path, "message": w.message} for w in inv.warnings],
    }


def _component(c: Component) -> dict[str, Any]:
    return {
        "type": c.type.value,
        "name": c.name,
        "version": c.version,
        "ecosystem": c.ecosystem,
        "purl": c.purl,
        "provider": c.provider,
        "category": c.category,
        "direct": c.direct,
        "evidence": [
            {
                "path": e.path,
                "line": e.line,
                "detector": e.detector,
                "snippet": e.snippet,
                "commit": e.commit,
            }
            for e in c.evidence
        ],
        "properties": jsonable(c.properties),
    }


def _location(loc: Location) -> dict[str, Any]:
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "commit": loc.commit,
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "rule_name": f.rule_name,
        "message": f.message,
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "location": _location(f.primary),
        "related": [_location(r) for r in f.related],
        "evidence": f.evidence,
        "fingerprint": f.fingerprint,
        "suppression": (
            {"source": f.suppression.source, "reason": f.suppression.reason}
            if f.suppression
            else None
        ),
        "properties": jsonable(f.properties),
    }


def load_inventory(text: str | bytes) -> Inventory:
    """Read an `aims/inventory/1` document back into an `Inventory`.

    The document is validated against the shipped JSON Schema first. Raises `InputError` when
    the text is not JSON, names another schema, or does not match the schema (the message
    names the first offending field). The derived `summary` block is ignored.
    """
    import jsonschema

    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"not a JSON document: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError("not an aims inventory: the document is not a JSON object")
    found = data.get("schema")
    if found != SCHEMA_ID:
        raise InputError(
            f"not an aims inventory: schema is {found!r}, expected {SCHEMA_ID!r}",
            hint="produce one with `aims scan --format json`",
        )
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        raise InputError(f"invalid aims inventory at {where}: {error.message}")

    stats = data["stats"]
    return Inventory(
        roots=list(data["roots"]),
        components=[_load_component(c) for c in data["components"]],
        findings=[_load_finding(f) for f in data["findings"]],
        warnings=[ScanWarning(path=w["path"], message=w["message"]) for w in data["warnings"]],
        stats=ScanStats(
            files_seen=stats["files_seen"],
            files_scanned=stats["files_scanned"],
            files_skipped=stats["files_skipped"],
            bytes_scanned=stats["bytes_scanned"],
            cache_hits=stats["cache_hits"],
            duration_seconds=float(stats["duration_seconds"]),
        ),
        tool_version=data["tool"]["version"],
        generated_at=data.get("generated_at"),
    )


def _load_component(c: dict[str, Any]) -> Component:
    return Component(
        type=ComponentType(c["type"]),
        name=c["name"],
        version=c.get("version"),
        ecosystem=c.get("ecosystem"),
        purl=c.get("purl"),
        provider=c.get("provider"),
        category=c.get("category"),
        direct=c.get("direct"),
        evidence=[
            Evidence(
                path=e["path"],
                line=e.get("line"),
                detector=e.get("detector", ""),
                snippet=e.get("snippet", ""),
                commit=e.get("commit"),
            )
            for e in c["evidence"]
        ],
        properties=dict(c.get("properties", {})),
    )


def _load_location(loc: dict[str, Any]) -> Location:
    return Location(
        path=loc["path"],
        line=loc.get("line"),
        column=loc.get("column"),
        end_line=loc.get("end_line"),
        end_column=loc.get("end_column"),
        commit=loc.get("commit"),
    )


def _load_finding(f: dict[str, Any]) -> Finding:
    suppression = f.get("suppression")
    return Finding(
        rule_id=f["rule_id"],
        rule_name=f["rule_name"],
        message=f["message"],
        severity=Severity(f["severity"]),
        confidence=Confidence(f["confidence"]),
        primary=_load_location(f["location"]),
        fingerprint=f["fingerprint"],
        evidence=f.get("evidence", ""),
        related=tuple(_load_location(r) for r in f.get("related", [])),
        suppression=(
            Suppression(source=suppression["source"], reason=suppression["reason"])
            if suppression
            else None
        ),
        properties=dict(f.get("properties", {})),
    )
