"""SPDX 3.0.1 JSON-LD with the Core, Software, AI and Dataset profiles.

Mapping (see `docs/formats/spdx.md`): the scanned project is a `software_Package` described by
a `software_Sbom`; SDKs, MCP servers and AI workflow steps are `software_Package`s; models and
model files are `ai_AIPackage`s; datasets are `dataset_DatasetPackage`s; agent instruction
files are `software_File`s; each provider is an `Organization` (the supplier of its hosted
models) plus a `software_Package` standing for its hosted API. Secrets and findings are never
written; the document's `comment` counts them.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

from aims.inventory import Component, ComponentType, Inventory
from aims.output._common import (
    EVIDENCE_LIMIT,
    bounded_places,
    canonical,
    component_id,
    content_uuid,
    dumps,
    iso_seconds,
    project_name,
    property_text,
    unique_refs,
    utc_now,
)
from aims.output.base import RenderOptions
from aims.output.cyclonedx import safe_url

SPDX_VERSION = "3.0.1"
CONTEXT_URL = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
REPRODUCIBLE_CREATED = "1970-01-01T00:00:00Z"
"""`creationInfo.created` in reproducible mode (SPDX requires a creation time)."""

_CREATION = "_:creationinfo"

_PURPOSE = {
    ComponentType.SDK: "library",
    ComponentType.MODEL: "model",
    ComponentType.MODEL_FILE: "model",
    ComponentType.DATASET: "data",
    ComponentType.MCP_SERVER: "application",
    ComponentType.AI_WORKFLOW: "application",
    ComponentType.AGENT_CONFIG: "configuration",
}

_ID_KIND = {
    ComponentType.SDK: "sdk",
    ComponentType.MODEL: "model",
    ComponentType.MODEL_FILE: "model-file",
    ComponentType.DATASET: "dataset",
    ComponentType.MCP_SERVER: "mcp-server",
    ComponentType.AI_WORKFLOW: "ai-workflow",
    ComponentType.AGENT_CONFIG: "file",
}
"""Path segment of each component type's spdxIds."""

_DATASET_TYPES = frozenset(
    {
        "audio",
        "categorical",
        "graph",
        "image",
        "noAssertion",
        "numeric",
        "other",
        "sensor",
        "structured",
        "syntactic",
        "text",
        "timeseries",
        "timestamp",
        "video",
    }
)

# Properties that have their own SPDX field, or that can hold credentials, are not repeated
# in an element's comment.
_NOT_IN_COMMENT = frozenset(
    {"sha256", "type_of_model", "model_type", "architecture_family", "architecture"}
    | {"dataset_type", "url", "env", "headers", "args", "arguments", "token", "api_key"}
)


class SpdxWriter:
    """Writes an SPDX 3.0.1 JSON-LD document."""

    name = "spdx"
    media_type = "application/spdx+json"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the document as indented JSON-LD."""
        return dumps(build_document(inventory, options))


class _Ids:
    """Stable spdxIds: a namespace derived from the scanned roots, a suffix from each key."""

    def __init__(self, inv: Inventory) -> None:
        name = re.sub(r"[^A-Za-z0-9.-]+", "-", project_name(inv)).strip("-") or "project"
        digest = hashlib.sha256("\0".join(inv.roots).encode()).hexdigest()[:16]
        self.base = f"https://spdx.org/spdxdocs/aims-{name}-{digest}"

    def of(self, kind: str, suffix: str) -> str:
        return f"{self.base}/{kind}-{suffix}"


def build_document(inventory: Inventory, options: RenderOptions) -> dict[str, Any]:
    """Return the SPDX document as a dict in the order it is written.

    In reproducible mode `created` is fixed at the Unix epoch and the document's own spdxId is
    derived from its content; otherwise `created` is the scan time and the spdxId is random.
    """
    inv = canonical(inventory)
    ids = _Ids(inv)
    version = inv.tool_version or "unknown"

    agent_id = ids.of("agent", "aims")
    tool_id = ids.of("tool", _unique_slug(f"aims-{version}"))
    project_id = ids.of("package", "project")
    sbom_id = ids.of("sbom", "inventory")

    if options.reproducible:
        created = REPRODUCIBLE_CREATED
    else:
        created = iso_seconds(inv.generated_at) if inv.generated_at else utc_now()

    elements: list[dict[str, Any]] = [
        _element("SoftwareAgent", agent_id, name="aims"),
        _element("Tool", tool_id, name=f"aims {version}"),
    ]

    organisations: dict[str, str] = {}
    provider_apis: dict[str, str] = {}
    for provider_id in _provider_ids(inv):
        display, hosts = _catalog_provider(provider_id)
        org_id = ids.of("organization", _unique_slug(provider_id))
        organisations[provider_id] = org_id
        elements.append(_element("Organization", org_id, name=display))
        api_id = ids.of("package", f"provider-api-{_unique_slug(provider_id)}")
        provider_apis[provider_id] = api_id
        api = _element("software_Package", api_id, name=f"{display} API")
        api["suppliedBy"] = org_id
        if hosts:
            api["software_homePage"] = f"https://{hosts[0]}"
        api["software_primaryPurpose"] = "other"
        api["comment"] = (
            "Hosted API of the AI provider "
            + provider_id
            + (f"; endpoints: {', '.join('https://' + h for h in hosts)}" if hosts else "")
        )
        elements.append(api)

    project = _element("software_Package", project_id, name=project_name(inv))
    project["software_primaryPurpose"] = "source"
    if inv.roots:
        project["comment"] = "Scanned roots: " + ", ".join(inv.roots)
    elements.append(project)

    depends: list[str] = []
    contains: list[str] = []
    edges: list[tuple[str, str, list[str]]] = []
    listed = [
        c for c in inv.components if c.type not in (ComponentType.PROVIDER, ComponentType.SECRET)
    ]
    wanted = [ids.of(_ID_KIND[c.type], f"{_slug(c.name)[:48]}-{component_id(c)}") for c in listed]
    for c, spdx_id in zip(listed, unique_refs(wanted), strict=True):
        element = _component_element(c, spdx_id, organisations)
        elements.append(element)
        inside = c.type in (ComponentType.AGENT_CONFIG, ComponentType.MODEL_FILE) or (
            c.type is ComponentType.DATASET and not c.ecosystem
        )
        (contains if inside else depends).append(element["spdxId"])
        calls = provider_apis.get(c.provider or "")
        if calls and c.type in (
            ComponentType.SDK,
            ComponentType.MODEL,
            ComponentType.AI_WORKFLOW,
        ):
            edges.append((element["spdxId"], "dependsOn", [calls]))

    relationships: list[tuple[str, str, list[str]]] = []
    relationships.append((sbom_id, "describes", [project_id]))
    if contains:
        relationships.append((project_id, "contains", sorted(contains)))
    if depends:
        relationships.append((project_id, "dependsOn", sorted(depends)))
    relationships += sorted(edges)
    for source, kind, targets in relationships:
        # NOTE: each (from, type) pair occurs once, so it identifies the relationship.
        digest = hashlib.sha256(f"{source}\0{kind}".encode()).hexdigest()[:12]
        rel = _element("Relationship", ids.of("relationship", f"{kind}-{digest}"))
        rel["from"] = source
        rel["relationshipType"] = kind
        rel["to"] = targets
        if source == project_id:
            # Only AI components are listed; the project has other contents and dependencies.
            rel["completeness"] = "incomplete"
        elements.append(rel)

    members = [e["spdxId"] for e in elements]
    sbom = _element("software_Sbom", sbom_id, name=f"AI inventory of {project_name(inv)}")
    sbom["software_sbomType"] = ["source"]
    sbom["rootElement"] = [project_id]
    sbom["element"] = members
    sbom["profileConformance"] = ["core", "software", "ai", "dataset"]

    secrets = len(inv.of_type(ComponentType.SECRET))
    findings = len(inv.findings)
    doc_comment = (
        f"Generated by aims {version} from a static scan. Not included: {secrets} secret(s) "
        f"and {findings} finding(s); see the aims JSON or SARIF output for those."
    )
    creation = {
        "type": "CreationInfo",
        "@id": _CREATION,
        "specVersion": SPDX_VERSION,
        "created": created,
        "createdBy": [agent_id],
        "createdUsing": [tool_id],
    }
    body = [creation, *elements, sbom]
    doc_suffix = (
        str(content_uuid({"graph": body, "comment": doc_comment}))
        if options.reproducible
        else str(uuid.uuid4())
    )
    document = _element("SpdxDocument", ids.of("document", doc_suffix), name=sbom["name"])
    document["comment"] = doc_comment
    document["profileConformance"] = ["core", "software", "ai", "dataset"]
    document["rootElement"] = [sbom_id]
    document["element"] = [*members, sbom_id]
    return {"@context": CONTEXT_URL, "@graph": [*body, document]}


def _element(kind: str, spdx_id: str, *, name: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": kind, "spdxId": spdx_id, "creationInfo": _CREATION}
    if name is not None:
        out["name"] = name
    return out


def _unique_slug(text: str) -> str:
    """`text` itself when it is already a clean slug, else its slug plus a short digest."""
    slug = _slug(text)
    if slug == text:
        return slug
    return f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") or "x"


def _provider_ids(inv: Inventory) -> list[str]:
    found: set[str] = set()
    for c in inv.components:
        if c.type is ComponentType.PROVIDER:
            found.add(c.provider or c.name)
        elif c.provider and c.type in (
            ComponentType.SDK,
            ComponentType.MODEL,
            ComponentType.AI_WORKFLOW,
        ):
            found.add(c.provider)
    return sorted(found)


def _catalog_provider(provider_id: str) -> tuple[str, list[str]]:
    from aims.catalog import load_catalog

    entry = load_catalog().provider(provider_id)
    if entry is None:
        return provider_id, []
    return entry.name, [h for h in entry.hosts if "*" not in h]


def _component_element(c: Component, spdx_id: str, organisations: dict[str, str]) -> dict[str, Any]:
    if c.type in (ComponentType.MODEL, ComponentType.MODEL_FILE):
        out = _element("ai_AIPackage", spdx_id, name=c.name)
    elif c.type is ComponentType.DATASET:
        out = _element("dataset_DatasetPackage", spdx_id, name=c.name)
    elif c.type is ComponentType.AGENT_CONFIG:
        out = _element("software_File", spdx_id, name=c.name)
    else:
        out = _element("software_Package", spdx_id, name=c.name)

    if c.type is ComponentType.MODEL and c.provider in organisations:
        out["suppliedBy"] = organisations[c.provider or ""]
    sha256 = c.properties.get("sha256")
    if isinstance(sha256, str) and re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
        out["verifiedUsing"] = [
            {"type": "Hash", "algorithm": "sha256", "hashValue": sha256.lower()}
        ]
    if out["type"] != "software_File":
        if c.version:
            out["software_packageVersion"] = c.version
        if c.purl:
            out["software_packageUrl"] = c.purl
        download = _download_location(c)
        if download:
            out["software_downloadLocation"] = download
    out["software_primaryPurpose"] = _PURPOSE[c.type]
    if c.type in (ComponentType.MODEL, ComponentType.MODEL_FILE):
        kind = next(
            (
                c.properties[k]
                for k in ("type_of_model", "model_type", "architecture_family", "architecture")
                if isinstance(c.properties.get(k), str) and c.properties[k]
            ),
            None,
        )
        if kind:
            out["ai_typeOfModel"] = [kind]
    if c.type is ComponentType.DATASET:
        declared = c.properties.get("dataset_type")
        out["dataset_datasetType"] = [declared if declared in _DATASET_TYPES else "noAssertion"]
    comment = _comment(c)
    if comment:
        out["comment"] = comment
    return out


def _download_location(c: Component) -> str | None:
    if c.ecosystem == "huggingface":
        prefix = "datasets/" if c.type is ComponentType.DATASET else ""
        return f"https://huggingface.co/{prefix}{c.name}"
    if c.type is ComponentType.MCP_SERVER:
        url = c.properties.get("url")
        if isinstance(url, str):
            return safe_url(url) or None
    return None


def _comment(c: Component) -> str:
    parts = [f"aims type: {c.type.value}"]
    for label, value in (
        ("ecosystem", c.ecosystem),
        ("provider", c.provider),
        ("category", c.category),
    ):
        if value:
            parts.append(f"{label}: {value}")
    if c.direct is not None:
        parts.append("direct dependency" if c.direct else "transitive dependency")
    for key in sorted(c.properties):
        value = c.properties[key]
        if key.lower() in _NOT_IN_COMMENT or value is None:
            continue
        parts.append(f"{key}: {property_text(value)}")
    shown = bounded_places(c.evidence, lambda e: e.path, EVIDENCE_LIMIT)
    places = [
        (f"{e.path}:{e.line}" if e.line else e.path) + (f"@{e.commit[:12]}" if e.commit else "")
        for e in shown
    ]
    if len(shown) < len(c.evidence):
        places.append(f"and {len(c.evidence) - len(shown)} more places")
    if places:
        parts.append("found at: " + ", ".join(places))
    return "; ".join(parts)
