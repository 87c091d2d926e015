"""Helpers the writers share: canonical ordering, stable identifiers and display labels."""

from __future__ import annotations

import hashlib
import json
import math
import os
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any, TypeVar

import orjson

from aims.findings import Finding, Location, Severity
from aims.inventory import Component, ComponentType, Evidence, Inventory, ScanStats

TYPE_ORDER: tuple[ComponentType, ...] = tuple(ComponentType)
"""The order in which every human-readable writer lists component types."""

TYPE_TITLES: dict[ComponentType, str] = {
    ComponentType.PROVIDER: "Providers",
    ComponentType.SDK: "SDKs",
    ComponentType.MODEL: "Models",
    ComponentType.MODEL_FILE: "Model files",
    ComponentType.MCP_SERVER: "MCP servers",
    ComponentType.AGENT_CONFIG: "Agent configurations",
    ComponentType.AI_WORKFLOW: "AI workflow steps",
    ComponentType.DATASET: "Datasets",
    ComponentType.SECRET: "Secrets",
}
"""Plural section titles per component type."""

TYPE_NOUNS: dict[ComponentType, tuple[str, str]] = {
    ComponentType.PROVIDER: ("provider", "providers"),
    ComponentType.SDK: ("SDK", "SDKs"),
    ComponentType.MODEL: ("model", "models"),
    ComponentType.MODEL_FILE: ("model file", "model files"),
    ComponentType.MCP_SERVER: ("MCP server", "MCP servers"),
    ComponentType.AGENT_CONFIG: ("agent configuration", "agent configurations"),
    ComponentType.AI_WORKFLOW: ("AI workflow step", "AI workflow steps"),
    ComponentType.DATASET: ("dataset", "datasets"),
    ComponentType.SECRET: ("secret", "secrets"),
}
"""Singular and plural nouns per component type, for running text."""

SEVERITY_DESC: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda s: -s.rank))
"""Severities from most to least severe."""

_UUID_NAMESPACE = uuid.UUID("5b1f4f0e-8a3c-4f7e-9a51-6a1d0c2e7b13")
"""Namespace of the name-based UUIDs aims derives from document content."""


EVIDENCE_LIMIT = 100
"""Most places a shareable document (CycloneDX, SPDX) lists for one component; the native
JSON keeps every one. A component used in thousands of places (a provider in a large
monorepo) would otherwise drown the document; the total is always written alongside."""

WARNINGS_SHOWN = 50
"""Most warnings the human-readable formats (table, Markdown) list one by one."""


def warnings_left_out(total: int) -> str:
    """The line that ends a bounded warning list: how many more, and where to see them."""
    return (
        f"... and {total - WARNINGS_SHOWN} more warnings "
        "(all of them with --format json, or on stderr with -v)"
    )


T = TypeVar("T")


def bounded_places(items: Sequence[T], path_of: Callable[[T], str], limit: int) -> list[T]:
    """Return at most `limit` of `items` (already in canonical order), in that order.

    Chosen first: the first place in each file that is neither a test nor documentation;
    then the first place in each test or documentation file; then second places. A bounded
    list thus shows where the project itself uses a component, in as many files as it can.
    """
    if len(items) <= limit:
        return list(items)
    from aims.secrets.filters import is_docs_path, is_test_path

    firsts: list[int] = []
    secondary: list[int] = []
    seen_paths: set[str] = set()
    for index, item in enumerate(items):
        path = path_of(item)
        if path in seen_paths:
            continue
        seen_paths.add(path)
        (secondary if is_test_path(path) or is_docs_path(path) else firsts).append(index)
    chosen = set(firsts[:limit])
    for index in [*secondary, *range(len(items))]:
        if len(chosen) >= limit:
            break
        chosen.add(index)
    return [items[i] for i in sorted(chosen)]


def evidence_key(ev: Evidence) -> tuple[str, int, str, str, str]:
    """Sort key of one piece of evidence: path, line, detector, snippet, commit."""
    return (ev.path, ev.line or 0, ev.detector, ev.snippet, ev.commit or "")


def component_sort_key(c: Component) -> tuple[int, tuple[str, ...], str, str]:
    """Sort key of a component: type (in `TYPE_ORDER`), identity, then every other field.

    The trailing fields only break ties between unmerged duplicates, so that even those
    come out in the same order whatever order they went in.
    """
    rest = json.dumps(
        [c.category, c.direct, [evidence_key(e) for e in c.evidence], jsonable(c.properties)],
        sort_keys=True,
        default=str,
    )
    return (TYPE_ORDER.index(c.type), c.key(), c.purl or "", rest)


def location_key(loc: Location) -> tuple[str, int, int, str]:
    """Sort key of a location: path, line, column, commit."""
    return (loc.path, loc.line or 0, loc.column or 0, loc.commit or "")


def finding_sort_key(f: Finding) -> tuple[int, str, tuple[str, int, int, str], str, str]:
    """Sort key of a finding: most severe first, then rule, location, fingerprint, message."""
    return (-f.severity.rank, f.rule_id, location_key(f.primary), f.fingerprint, f.message)


def canonical(inventory: Inventory) -> Inventory:
    """Return a copy of the inventory in canonical order.

    Components are sorted by type and identity, each component's evidence by place, findings
    by severity then rule and place, warnings by path. Roots keep the order the user gave.
    Every writer renders the canonical form, so two inventories holding the same facts in a
    different order produce identical documents.
    """
    components = [
        replace(c, evidence=sorted(c.evidence, key=evidence_key), properties=dict(c.properties))
        for c in inventory.components
    ]
    # NOTE: evidence is sorted before the components, since the component order uses it.
    components.sort(key=component_sort_key)
    return Inventory(
        roots=list(inventory.roots),
        components=components,
        findings=sorted(inventory.findings, key=finding_sort_key),
        warnings=sorted(inventory.warnings, key=lambda w: (w.path, w.message)),
        stats=replace(inventory.stats),
        tool_version=inventory.tool_version,
        generated_at=inventory.generated_at,
    )


def reproducible_stats(stats: ScanStats) -> ScanStats:
    """Return the stats with run-dependent counters set to zero.

    Duration, cache hits and bytes read depend on the run (a file served by the cache is not
    read again), not on the tree.
    """
    return replace(stats, duration_seconds=0.0, cache_hits=0, bytes_scanned=0)


def component_id(c: Component) -> str:
    """Return a short digest of a component's identity (its `key()`), stable across runs."""
    return hashlib.sha256("\0".join(c.key()).encode()).hexdigest()[:12]


def unique_refs(refs: list[str]) -> list[str]:
    """Make references unique by suffixing repeats with `-2`, `-3`, ... (input order kept)."""
    seen: dict[str, int] = {}
    out = []
    for ref in refs:
        count = seen.get(ref, 0) + 1
        seen[ref] = count
        out.append(ref if count == 1 else f"{ref}-{count}")
    return out


def bom_ref(c: Component) -> str:
    """Return a stable, readable reference for a component: `type:name[@version]:digest`."""
    label = c.name + (f"@{c.version}" if c.version else "")
    return f"{c.type.value}:{label}:{component_id(c)}"


def project_name(inventory: Inventory) -> str:
    """Name of the scanned project: the last part of each root, joined with `+`."""
    names = []
    for root in inventory.roots:
        name = PurePosixPath(root.replace("\\", "/").rstrip("/")).name or root
        if name in ("", ".", ".."):
            # `aims scan .` names the project after the folder it runs in.
            name = os.path.basename(os.path.abspath(root)) or "project"
        names.append(name)
    return "+".join(names) or "project"


def where(c: Component) -> str:
    """First evidence place as `path:line`, plus `+N more` when there is more evidence."""
    if not c.evidence:
        return ""
    first = c.evidence[0]
    text = first.path + (f":{first.line}" if first.line else "")
    if len(c.evidence) > 1:
        text += f" +{len(c.evidence) - 1} more"
    return text


def count_label(kind: ComponentType, count: int) -> str:
    """`1 SDK`, `2 SDKs`: a count with the right noun for a component type."""
    singular, plural = TYPE_NOUNS[kind]
    return f"{count} {singular if count == 1 else plural}"


def type_counts(inventory: Inventory) -> dict[ComponentType, int]:
    """Number of components per type, in `TYPE_ORDER`, omitting types with none."""
    counts = Counter(c.type for c in inventory.components)
    return {t: counts[t] for t in TYPE_ORDER if counts[t]}


def severity_counts(findings: list[Finding]) -> dict[Severity, int]:
    """Number of unsuppressed findings per severity, most severe first, omitting zeros."""
    counts = Counter(f.severity for f in findings if not f.suppressed)
    return {s: counts[s] for s in SEVERITY_DESC if counts[s]}


def jsonable(value: Any) -> Any:
    """Return `value` as plain JSON data: mappings with string keys (sorted), lists, scalars.

    Tuples and sets become lists (sets sorted), non-finite floats and unknown objects become
    strings, so a writer never fails on a detector's unusual property value.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return str(value)


def property_text(value: Any) -> str:
    """Render a property value as one string (scalars as themselves, the rest as JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dumps(document: Any) -> str:
    """Serialise a document as stable, indented JSON (UTF-8, two spaces) with a final newline.

    Non-finite floats become `null` (valid JSON; no writer produces them); raises `ValueError`
    for values JSON cannot carry (integers over 64 bits, unknown types).
    """
    try:
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError as exc:
        raise ValueError(f"cannot write JSON: {exc}") from exc
    return text.decode("utf-8") + "\n"


def content_uuid(document: Any) -> uuid.UUID:
    """Return a name-based UUID derived from a document's canonical JSON."""
    canonical_text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return uuid.uuid5(_UUID_NAMESPACE, canonical_text)


def utc_now() -> str:
    """The current UTC time as ISO-8601 with a `Z` suffix and whole seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_seconds(timestamp: str) -> str:
    """Normalise an ISO-8601 timestamp to UTC, whole seconds and a `Z` suffix.

    Returns the input unchanged when it cannot be parsed.
    """
    try:
        parsed = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return timestamp
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    text = parsed.astimezone(UTC).replace(microsecond=0).isoformat()
    return text.replace("+00:00", "Z")
