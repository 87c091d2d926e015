"""Inventory assembly: merge what detectors saw per file into one deterministic `Inventory`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from aims import __version__
from aims.findings import Finding
from aims.inventory import (
    Component,
    ComponentType,
    Evidence,
    Inventory,
    ScanStats,
    ScanWarning,
)

_TYPE_ORDER = {kind: index for index, kind in enumerate(ComponentType)}


def evidence_sort_key(item: Evidence) -> tuple[str, int, str, str, str]:
    """Order evidence by path, then line (unknown lines first), detector and snippet."""
    return (item.path, item.line or 0, item.detector, item.snippet, item.commit or "")


def component_sort_key(component: Component) -> tuple[int, str, str, str, str]:
    """Order components by type (in `ComponentType` order), ecosystem, name, version, provider."""
    return (
        _TYPE_ORDER.get(component.type, len(_TYPE_ORDER)),
        component.ecosystem or "",
        component.name,
        component.version or "",
        component.provider or "",
    )


def finding_sort_key(finding: Finding) -> tuple[str, int, int, str, str, str]:
    """Order findings by path, line, column, rule ID, fingerprint and message."""
    where = finding.primary
    return (
        where.path,
        where.line or 0,
        where.column or 0,
        finding.rule_id,
        finding.fingerprint,
        finding.message,
    )


def merge_components(components: Iterable[Component]) -> list[Component]:
    """Merge components with equal `key()` and return them sorted.

    Evidence is concatenated, de-duplicated and sorted by path and line. For the other fields
    the first non-empty value wins, in a fixed order (components are sorted by key and their
    own evidence first), so the result never depends on the order detectors ran in. `direct`
    is True when any duplicate says the dependency is direct.
    """
    ordered = sorted(components, key=_merge_order)
    merged: dict[tuple[str, str, str, str, str], Component] = {}
    for component in ordered:
        key = component.key()
        into = merged.get(key)
        if into is None:
            merged[key] = Component(
                type=component.type,
                name=component.name,
                version=component.version,
                ecosystem=component.ecosystem,
                purl=component.purl,
                provider=component.provider,
                category=component.category,
                direct=component.direct,
                evidence=list(component.evidence),
                properties=dict(component.properties),
            )
            continue
        into.purl = into.purl or component.purl
        into.category = into.category or component.category
        if component.direct is not None:
            into.direct = bool(into.direct) or component.direct
        into.evidence.extend(component.evidence)
        for name, value in component.properties.items():
            into.properties.setdefault(name, value)
    _fold_case(merged)
    _fold_unversioned(merged)
    for component in merged.values():
        component.evidence = sorted(set(component.evidence), key=evidence_sort_key)
    return sorted(merged.values(), key=component_sort_key)


def _fold_case(merged: dict[tuple[str, str, str, str, str], Component]) -> None:
    """Merge Hugging Face repos whose names differ only in case (`BAAI/x`, `baai/x`).

    The Hub resolves repo IDs case-insensitively; the spelling that sorts first by code point
    names the merged component (the same rule the model detector applies within a file).
    """
    groups: dict[tuple[str, str, str, str, str], list[tuple[str, str, str, str, str]]] = {}
    for key in merged:
        kind, eco, name, version, provider = key
        if eco == "huggingface":
            groups.setdefault((kind, eco, name.lower(), version, provider), []).append(key)
    for keys in groups.values():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: k[2])
        target = merged[keys[0]]
        for key in keys[1:]:
            source = merged.pop(key)
            target.evidence.extend(source.evidence)
            target.category = target.category or source.category
            for prop, value in source.properties.items():
                target.properties.setdefault(prop, value)


def _fold_unversioned(merged: dict[tuple[str, str, str, str, str], Component]) -> None:
    """Fold a component seen without a version (an import) into its versioned sibling.

    `import openai` and `openai==1.54.3` in requirements.txt are one SDK: the import's evidence
    joins the versioned component (the direct dependency when several versions exist, else the
    first in sort order) instead of listing the SDK twice.
    """
    versioned: dict[tuple[str, str, str, str], list[Component]] = {}
    for (kind, eco, name, version, provider), component in merged.items():
        if version:
            versioned.setdefault((kind, eco, name, provider), []).append(component)
    for key in [k for k in merged if not k[3]]:
        kind, eco, name, _, provider = key
        siblings = versioned.get((kind, eco, name, provider))
        if not siblings:
            continue
        siblings.sort(key=lambda c: (not c.direct, component_sort_key(c)))
        target = siblings[0]
        source = merged.pop(key)
        target.evidence.extend(source.evidence)
        target.purl = target.purl or source.purl
        target.category = target.category or source.category
        for prop, value in source.properties.items():
            target.properties.setdefault(prop, value)


def _merge_order(component: Component) -> tuple[Any, ...]:
    first = min((evidence_sort_key(e) for e in component.evidence), default=("", 0, "", "", ""))
    return (
        component.key(),
        first,
        component.category or "",
        component.purl or "",
        repr(sorted(component.properties.items(), key=lambda kv: kv[0])),
    )


def providers_named(components: Iterable[Component]) -> set[str]:
    """Return the provider IDs that the provider components of an inventory will carry."""
    named: set[str] = set()
    for component in components:
        if component.type is ComponentType.PROVIDER:
            named.add(component.provider or component.name)
        elif component.provider:
            named.add(component.provider)
    return named


HUB = "huggingface"
"""Provider ID (and component ecosystem) of the Hugging Face Hub."""
_GUESSED_REPO = frozenset({"known-org", "repo-id"})
"""`via` of model IDs shaped like `org/name` seen without anything that fetches them (an
OpenRouter route such as `google/gemini-flash-1.5` looks the same)."""


def _from_the_hub(component: Component) -> bool:
    """A dataset or model fetched from the Hugging Face Hub (by a loader, CLI, config key)."""
    if component.ecosystem != HUB:
        return False
    if component.type is ComponentType.DATASET:
        return True
    return (
        component.type is ComponentType.MODEL
        and component.properties.get("via") not in _GUESSED_REPO
    )


def derive_providers(
    components: list[Component], provider_names: Mapping[str, str] | None = None
) -> list[Component]:
    """Add a `provider` component for every provider other components point at.

    SDKs, models, secrets, MCP servers, ... name their catalog provider in `provider`; each
    such provider becomes (or joins) a provider component whose evidence is the union of the
    evidence of everything that points at it. Provider components that detectors emitted from
    host names or environment variables are normalised to the same identity (name = provider
    ID), so they merge with the derived ones. `provider_names` maps provider IDs to display
    names (from the catalog), stored as the `display_name` property.
    """
    names = provider_names or {}
    result: list[Component] = []
    derived: dict[str, list[Evidence]] = {}
    for component in components:
        if component.type is ComponentType.PROVIDER:
            provider_id = component.provider or component.name
            result.append(
                replace(
                    component,
                    name=provider_id,
                    provider=provider_id,
                    version=None,
                    ecosystem=None,
                    evidence=list(component.evidence),
                    properties=_with_display_name(component.properties, provider_id, names),
                )
            )
            continue
        result.append(component)
        if component.provider:
            derived.setdefault(component.provider, []).extend(component.evidence)
        if _from_the_hub(component):
            # NOTE: a model or dataset pulled from the Hugging Face Hub makes the Hub a supplier
            # whoever published it (ISO/IEC 42001 A.10.3), as a package registry is not.
            hub = derived.setdefault(HUB, [])
            hub.extend(e for e in component.evidence if e not in hub)
    for provider_id, evidence in derived.items():
        result.append(
            Component(
                type=ComponentType.PROVIDER,
                name=provider_id,
                provider=provider_id,
                evidence=evidence,
                properties=_with_display_name({}, provider_id, names),
            )
        )
    return result


def _with_display_name(
    properties: dict[str, Any], provider_id: str, names: Mapping[str, str]
) -> dict[str, Any]:
    out = dict(properties)
    if "display_name" not in out and provider_id in names:
        out["display_name"] = names[provider_id]
    return out


def dedupe_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Drop exact duplicates (same rule, location and fingerprint) and sort the rest."""
    unique: dict[tuple[Any, ...], Finding] = {}
    for finding in sorted(findings, key=finding_sort_key):
        key = (finding.rule_id, finding.primary, finding.fingerprint)
        kept = unique.get(key)
        # Prefer the suppressed copy: a suppression found for one copy applies to all.
        if kept is None or (kept.suppression is None and finding.suppression is not None):
            unique[key] = finding
    return list(unique.values())


def assemble(
    *,
    roots: list[str],
    components: Iterable[Component],
    findings: Iterable[Finding],
    warnings: Iterable[ScanWarning],
    stats: ScanStats,
    provider_names: Mapping[str, str] | None = None,
    reproducible: bool,
) -> Inventory:
    """Build the final inventory: merged components, providers derived, everything sorted.

    `generated_at` is the current UTC time, or None when `reproducible` is set.
    """
    merged = merge_components(derive_providers(merge_components(components), provider_names))
    unique_warnings = {(w.path, w.message): w for w in warnings}
    return Inventory(
        roots=list(roots),
        components=merged,
        findings=dedupe_findings(findings),
        warnings=[unique_warnings[k] for k in sorted(unique_warnings)],
        stats=stats,
        tool_version=__version__,
        generated_at=None
        if reproducible
        else datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    )
