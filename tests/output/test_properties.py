"""Properties every writer keeps on arbitrary inventories: no crash, valid, no secret leaks."""

from __future__ import annotations

import json

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from aims.inventory import Component, ComponentType, Evidence, Inventory
from aims.output import RenderOptions, get_writer, writer_names
from tests.output.strategies import inventories

_VALIDATORS = {
    v: JsonStrictValidator(s) for v, s in (("1.6", SchemaVersion.V1_6), ("1.7", SchemaVersion.V1_7))
}

# A marker that stands in for secret material: it only ever sits in a secret component.
MARK = "ZZSECRETMARKZZ"


def _with_secret(inventory: Inventory) -> Inventory:
    inventory.components.append(
        Component(
            type=ComponentType.SECRET,
            name=f"key-{MARK}",
            provider="openai",
            properties={"hash": MARK},
            evidence=[Evidence(f"conf/{MARK}.env", 2, "secrets", f"KEY={MARK}")],
        )
    )
    return inventory


@settings(max_examples=40)
@given(inventories, st.booleans())
def test_every_writer_renders_any_inventory(inventory: Inventory, reproducible: bool) -> None:
    for name in writer_names():
        text = get_writer(name).render(inventory, RenderOptions(reproducible=reproducible))
        assert text.endswith("\n")
        if name in ("json", "cyclonedx", "spdx"):
            json.loads(text)


@settings(max_examples=25)
@given(inventories, st.sampled_from(["1.6", "1.7"]))
def test_cyclonedx_is_strictly_valid_for_any_inventory(inventory: Inventory, spec: str) -> None:
    text = get_writer("cyclonedx").render(
        inventory, RenderOptions(reproducible=True, spec_version=spec)
    )
    error = _VALIDATORS[spec].validate_str(text)
    assert error is None, str(error)
    document = json.loads(text)
    refs = [c["bom-ref"] for c in document["components"]]
    refs += [s["bom-ref"] for s in document.get("services", [])]
    assert len(refs) == len(set(refs))
    graph_refs = {d["ref"] for d in document["dependencies"]}
    assert graph_refs == set(refs) | {"project"}
    for dependency in document["dependencies"]:
        assert set(dependency["dependsOn"]) <= graph_refs


@settings(max_examples=25)
@given(inventories)
def test_boms_never_carry_secret_components(inventory: Inventory) -> None:
    inventory = _with_secret(inventory)
    for name in ("cyclonedx", "spdx"):
        text = get_writer(name).render(inventory, RenderOptions(reproducible=True))
        assert MARK not in text


@settings(max_examples=25)
@given(inventories)
def test_spdx_ids_are_unique_and_references_resolve(inventory: Inventory) -> None:
    document = json.loads(get_writer("spdx").render(inventory, RenderOptions(reproducible=True)))
    elements = document["@graph"][1:]
    ids = [e["spdxId"] for e in elements]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for e in elements:
        if e["type"] == "Relationship":
            assert e["from"] in known and set(e["to"]) <= known
        for key in ("element", "rootElement"):
            assert set(e.get(key, [])) <= known
