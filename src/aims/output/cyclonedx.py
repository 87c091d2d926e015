"""CycloneDX 1.6 / 1.7 AI bill of materials (AIBOM) in JSON.

Mapping (see `docs/formats/cyclonedx.md`):

- sdk -> `library` component with its purl;
- model, model-file -> `machine-learning-model` component, with a `modelCard` when task or
  architecture are known, and SHA-256 `hashes` for model files;
- dataset -> `data` component whose `data` array holds one `dataset` entry;
- agent-config -> `file` component (an instruction or settings file in the repository);
- ai-workflow -> `application` component (an action or tool a CI pipeline runs);
- mcp-server -> `application` component when it runs locally (stdio), a `service` with its
  endpoint when it is remote (http/sse);
- provider -> `service` with the provider's API endpoints from the catalog;
- secret -> never written: only their count, as the `aims:secrets` metadata property.

Every component carries `evidence.occurrences` (path and line) and `aims:` properties.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from aims.errors import UsageError
from aims.inventory import Component, ComponentType, Evidence, Inventory
from aims.output._common import (
    EVIDENCE_LIMIT,
    bom_ref,
    bounded_places,
    canonical,
    content_uuid,
    dumps,
    iso_seconds,
    project_name,
    property_text,
    unique_refs,
    utc_now,
)
from aims.output.base import RenderOptions

SPEC_VERSIONS = ("1.6", "1.7")
"""CycloneDX versions this writer produces; the first is the default."""

PROJECT_REF = "project"
"""`bom-ref` of the scanned project (the BOM's metadata component)."""

_REMOTE_TRANSPORTS = frozenset({"http", "https", "sse", "streamable-http", "websocket", "ws"})

# NOTE: these property keys can hold credentials (environment blocks, headers, command-line
# arguments such as `--api-key=...`), so they never reach a BOM that may be shared.
_SENSITIVE_KEYS = frozenset(
    {"env", "headers", "args", "arguments", "token", "api_key", "apikey", "password", "secret"}
)

# Property keys that have a dedicated CycloneDX field; they are not repeated as properties.
_MODEL_CARD_KEYS = {
    "task": "task",
    "architecture_family": "architectureFamily",
    "architecture": "architectureFamily",
    "model_architecture": "modelArchitecture",
}


class CycloneDXWriter:
    """Writes a CycloneDX AIBOM (JSON), version 1.6 by default or 1.7 on request."""

    name = "cyclonedx"
    media_type = "application/vnd.cyclonedx+json"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the BOM as indented JSON.

        Raises `UsageError` when `options.spec_version` is not a supported CycloneDX version.
        """
        return dumps(build_bom(inventory, options))


def build_bom(inventory: Inventory, options: RenderOptions) -> dict[str, Any]:
    """Return the CycloneDX document as a dict in the order it is written.

    In reproducible mode the timestamp is left out and the serial number is a name-based
    UUID derived from the rest of the document; otherwise it is random.
    """
    spec = options.spec_version or SPEC_VERSIONS[0]
    if spec not in SPEC_VERSIONS:
        raise UsageError(
            f"unsupported CycloneDX version {spec!r}",
            hint=f"choose one of: {', '.join(SPEC_VERSIONS)}",
        )
    inv = canonical(inventory)

    # NOTE: the engine gives a provider the evidence of everything that names it, secrets
    # included; those places are left out so that a shared BOM never points at a secret.
    secret_places = {
        (e.path, e.line) for c in inv.of_type(ComponentType.SECRET) for e in c.evidence
    }
    services: dict[str, dict[str, Any]] = {}
    provider_refs: dict[str, str] = {}
    for provider_id, evidence_of in _providers(inv).items():
        ref = f"service:{provider_id}"
        provider_refs[provider_id] = ref
        services[ref] = _provider_service(ref, provider_id, evidence_of, hide=secret_places)

    components: list[dict[str, Any]] = []
    project_deps: list[str] = []
    graph: dict[str, list[str]] = {}
    listed = [
        c for c in inv.components if c.type not in (ComponentType.PROVIDER, ComponentType.SECRET)
    ]
    for c, ref in zip(listed, unique_refs([bom_ref(c) for c in listed]), strict=True):
        project_deps.append(ref)
        if c.type is ComponentType.MCP_SERVER and _is_remote(c):
            services[ref] = _remote_mcp_service(ref, c)
            graph[ref] = []
            continue
        components.append(_component(c, ref))
        calls = provider_refs.get(c.provider or "")
        if calls and c.type in (
            ComponentType.SDK,
            ComponentType.MODEL,
            ComponentType.AI_WORKFLOW,
        ):
            graph[ref] = [calls]
        else:
            graph[ref] = []

    dependencies = [{"ref": PROJECT_REF, "dependsOn": sorted(set(project_deps))}]
    dependencies += [{"ref": ref, "dependsOn": graph[ref]} for ref in sorted(graph)]
    dependencies += [{"ref": ref, "dependsOn": []} for ref in sorted(provider_refs.values())]

    metadata: dict[str, Any] = {}
    if not options.reproducible:
        metadata["timestamp"] = iso_seconds(inv.generated_at) if inv.generated_at else utc_now()
    metadata["lifecycles"] = [{"phase": "pre-build"}]
    metadata["tools"] = {
        "components": [
            {
                "type": "application",
                "name": "aims",
                "version": inv.tool_version or "unknown",
                "description": "AI inventory scanner for ISO/IEC 42001 management systems",
            }
        ]
    }
    metadata["component"] = {
        "type": "application",
        "bom-ref": PROJECT_REF,
        "name": project_name(inv),
        "properties": [{"name": "aims:root", "value": root} for root in inv.roots],
    }
    if not metadata["component"]["properties"]:
        del metadata["component"]["properties"]
    metadata["properties"] = _metadata_properties(inv)

    body: dict[str, Any] = {
        "metadata": metadata,
        "components": components,
        "services": [services[ref] for ref in sorted(services)],
        "dependencies": dependencies,
        # An AIBOM lists the AI a project uses, not every dependency: say so.
        "compositions": [{"aggregate": "incomplete", "assemblies": [PROJECT_REF]}],
    }
    if not body["services"]:
        del body["services"]
    serial = content_uuid({"spec": spec, **body}) if options.reproducible else uuid.uuid4()
    return {
        "$schema": f"http://cyclonedx.org/schema/bom-{spec}.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": spec,
        "serialNumber": serial.urn,
        "version": 1,
        **body,
    }


def _providers(inv: Inventory) -> dict[str, list[Component]]:
    """Provider IDs to show as services, each with the provider components that name it.

    A provider is included when a provider component names it, or when an SDK, model or AI
    workflow step names it (that code calls the provider's API).
    """
    found: dict[str, list[Component]] = {}
    for c in inv.components:
        if c.type is ComponentType.PROVIDER:
            found.setdefault(c.provider or c.name, []).append(c)
        elif c.provider and c.type in (
            ComponentType.SDK,
            ComponentType.MODEL,
            ComponentType.AI_WORKFLOW,
        ):
            found.setdefault(c.provider, [])
    return dict(sorted(found.items()))


def _provider_service(
    ref: str,
    provider_id: str,
    seen_in: list[Component],
    *,
    hide: set[tuple[str, int | None]],
) -> dict[str, Any]:
    from aims.catalog import load_catalog

    entry = load_catalog().provider(provider_id)
    named = [str(c.properties["display_name"]) for c in seen_in if c.properties.get("display_name")]
    display = entry.name if entry else (named[0] if named else provider_id)
    service: dict[str, Any] = {
        "bom-ref": ref,
        "provider": {"name": display},
        "name": f"{display} API",
    }
    endpoints = [f"https://{host}" for host in (entry.hosts if entry else []) if "*" not in host]
    if endpoints:
        service["endpoints"] = endpoints
    props = [("aims:type", "provider"), ("aims:provider", provider_id)]
    if entry is None:
        props.append(("aims:catalog", "unknown provider"))
    places = sorted(
        {(e.path, e.line or 0) for c in seen_in for e in c.evidence if (e.path, e.line) not in hide}
    )
    shown = bounded_places(places, lambda place: place[0], EVIDENCE_LIMIT)
    props += _occurrence_counts(len(places), len(shown))
    props += [("aims:occurrence", _place(path, line)) for path, line in shown]
    service["properties"] = _props(props)
    return service


def _occurrence_counts(total: int, shown: int) -> list[tuple[str, str]]:
    """`aims:occurrences` (every place seen) and, when the list is bounded, how many are left out."""
    if total == shown:
        return []
    return [("aims:occurrences", str(total)), ("aims:occurrences_omitted", str(total - shown))]


def _bounded_evidence(c: Component) -> list[Evidence]:
    return bounded_places(c.evidence, lambda e: e.path, EVIDENCE_LIMIT)


def _is_remote(c: Component) -> bool:
    transport = str(c.properties.get("transport", "")).lower()
    return transport in _REMOTE_TRANSPORTS or (
        not transport and isinstance(c.properties.get("url"), str)
    )


def _remote_mcp_service(ref: str, c: Component) -> dict[str, Any]:
    service: dict[str, Any] = {"bom-ref": ref, "name": c.name}
    if c.version:
        service["version"] = c.version
    url = c.properties.get("url")
    if isinstance(url, str) and (clean := safe_url(url)):
        service["endpoints"] = [clean]
    shown = _bounded_evidence(c)
    props = [("aims:type", c.type.value), *_common_props(c)]
    props += _occurrence_counts(len(c.evidence), len(shown))
    props += [("aims:occurrence", _place(e.path, e.line)) for e in shown]
    service["properties"] = _props(props)
    return service


def _component(c: Component, ref: str) -> dict[str, Any]:
    kind = {
        ComponentType.SDK: "library",
        ComponentType.MODEL: "machine-learning-model",
        ComponentType.MODEL_FILE: "machine-learning-model",
        ComponentType.DATASET: "data",
        ComponentType.AGENT_CONFIG: "file",
        ComponentType.AI_WORKFLOW: "application",
        ComponentType.MCP_SERVER: "application",
    }[c.type]
    if c.type is ComponentType.SDK and c.ecosystem == "docker":
        kind = "container"  # NOTE: an image run as a service, not a library linked in.
    out: dict[str, Any] = {"type": kind, "bom-ref": ref}
    if c.provider and c.type is ComponentType.MODEL:
        out["supplier"] = {"name": _provider_name(c.provider)}
    out["name"] = c.name
    if c.version:
        out["version"] = c.version
    sha256 = c.properties.get("sha256")
    if isinstance(sha256, str) and len(sha256) == 64:
        out["hashes"] = [{"alg": "SHA-256", "content": sha256.lower()}]
    if c.purl:
        out["purl"] = c.purl
    refs = _external_references(c)
    if refs:
        out["externalReferences"] = refs
    if c.type is ComponentType.DATASET:
        out["data"] = [_dataset_entry(c)]
    if c.type in (ComponentType.MODEL, ComponentType.MODEL_FILE):
        card = _model_card(c)
        if card:
            out["modelCard"] = card
    shown = _bounded_evidence(c)
    if shown:
        out["evidence"] = {"occurrences": [_occurrence(e) for e in shown]}
    skip = (
        set(_MODEL_CARD_KEYS)
        if c.type in (ComponentType.MODEL, ComponentType.MODEL_FILE)
        else set()
    )
    skip.add("sha256")
    out["properties"] = _props(
        [
            ("aims:type", c.type.value),
            *_occurrence_counts(len(c.evidence), len(shown)),
            *_common_props(c, skip=skip),
        ]
    )
    return out


def _common_props(c: Component, *, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    skipped = set(skip)
    props: list[tuple[str, str]] = []
    for label, value in (
        ("ecosystem", c.ecosystem),
        ("provider", c.provider),
        ("category", c.category),
    ):
        if value:
            props.append((f"aims:{label}", value))
    if c.direct is not None:
        props.append(("aims:direct", "true" if c.direct else "false"))
    detectors = sorted({e.detector for e in c.evidence if e.detector})
    if detectors:
        props.append(("aims:detectors", ",".join(detectors)))
    for key in sorted(c.properties):
        if key in skipped or key.lower() in _SENSITIVE_KEYS:
            continue
        value = c.properties[key]
        if value is None:
            continue
        if key == "url" and isinstance(value, str):
            value = safe_url(value)
            if not value:
                continue
        props.append((f"aims:{key}", property_text(value)))
    return props


def _props(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def _place(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


def _occurrence(e: Evidence) -> dict[str, Any]:
    occ: dict[str, Any] = {"location": e.path}
    if e.line:
        occ["line"] = e.line
    context = [f"commit {e.commit}"] if e.commit else []
    context += [e.snippet] if e.snippet else []
    if context:
        occ["additionalContext"] = ": ".join(context)
    return occ


def _provider_name(provider_id: str) -> str:
    from aims.catalog import load_catalog

    entry = load_catalog().provider(provider_id)
    return entry.name if entry else provider_id


def _external_references(c: Component) -> list[dict[str, str]]:
    if c.ecosystem != "huggingface":
        return []
    if c.type is ComponentType.MODEL:
        return [{"type": "distribution", "url": f"https://huggingface.co/{c.name}"}]
    if c.type is ComponentType.DATASET:
        return [{"type": "distribution", "url": f"https://huggingface.co/datasets/{c.name}"}]
    return []


def _dataset_entry(c: Component) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "dataset", "name": c.name}
    refs = _external_references(c)
    if refs:
        entry["contents"] = {"url": refs[0]["url"]}
    elif c.evidence and not c.ecosystem:
        entry["contents"] = {"properties": _props([("aims:path", c.evidence[0].path)])}
    return entry


def _model_card(c: Component) -> dict[str, Any]:
    params: dict[str, str] = {}
    for key, field in _MODEL_CARD_KEYS.items():
        value = c.properties.get(key)
        if isinstance(value, str) and value and field not in params:
            params[field] = value
    if not params:
        return {}
    ordered = {
        f: params[f] for f in ("task", "architectureFamily", "modelArchitecture") if f in params
    }
    return {"modelParameters": ordered}


def safe_url(url: str) -> str:
    """Return `url` without credentials, query or fragment; "" when it is not http(s)/ws(s).

    Remote MCP URLs sometimes carry tokens in the user-info or query string.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https", "ws", "wss") or not parts.hostname:
        return ""
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return ""
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, "", ""))


def _metadata_properties(inv: Inventory) -> list[dict[str, str]]:
    secrets = len(inv.of_type(ComponentType.SECRET))
    active = [f for f in inv.findings if not f.suppressed]
    return _props(
        [
            ("aims:files_scanned", str(inv.stats.files_scanned)),
            ("aims:findings", str(len(active))),
            ("aims:findings_suppressed", str(len(inv.findings) - len(active))),
            ("aims:secrets", str(secrets)),
            ("aims:warnings", str(len(inv.warnings))),
        ]
    )
