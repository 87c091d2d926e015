"""The native JSON format: exact shape, schema, reproducibility, and `load_inventory`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aims.errors import InputError
from aims.findings import Finding
from aims.inventory import Component, ComponentType, Inventory
from aims.output import RenderOptions, get_writer
from aims.output._common import canonical
from aims.output.json_v1 import JsonWriter, load_inventory, schema, schema_text, to_document
from tests.output.factories import CASES, FAKE_OPENAI_KEY, REDACTED_SNIPPET, demo_inventory
from tests.output.strategies import inventories

DOCS = Path(__file__).resolve().parents[2] / "docs" / "formats" / "json.md"


def render(inventory: Inventory, *, reproducible: bool = False) -> str:
    return JsonWriter().render(inventory, RenderOptions(reproducible=reproducible))


def test_registry_returns_the_json_writer() -> None:
    writer = get_writer("json")
    assert isinstance(writer, JsonWriter)
    assert (writer.name, writer.media_type) == ("json", "application/json")


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("reproducible", [True, False])
def test_output_validates_against_the_shipped_schema(case: str, reproducible: bool) -> None:
    document = json.loads(render(CASES[case](), reproducible=reproducible))
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(document)


def test_top_level_shape_and_key_order() -> None:
    document = json.loads(render(demo_inventory()))
    assert list(document) == [
        "schema",
        "tool",
        "generated_at",
        "roots",
        "stats",
        "summary",
        "components",
        "findings",
        "warnings",
    ]
    assert document["schema"] == "aims/inventory/1"
    assert document["tool"] == {"name": "aims", "version": "0.1.0"}
    assert document["generated_at"] == "2026-11-29T09:00:00Z"
    assert document["roots"] == ["acme-assistant"]
    assert document["stats"] == {
        "files_seen": 412,
        "files_scanned": 388,
        "files_skipped": 24,
        "bytes_scanned": 5234112,
        "cache_hits": 17,
        "duration_seconds": 1.42,
    }
    assert document["summary"] == {
        "components": {
            "provider": 2,
            "sdk": 5,
            "model": 3,
            "model-file": 1,
            "mcp-server": 2,
            "agent-config": 2,
            "ai-workflow": 1,
            "dataset": 2,
            "secret": 1,
        },
        "findings": {"high": 1, "medium": 1},
        "suppressed": 1,
    }


def test_component_and_finding_fields_are_mapped_explicitly() -> None:
    document = json.loads(render(demo_inventory(shuffle_seed=4)))
    sdk = next(c for c in document["components"] if c["purl"] == "pkg:pypi/openai@1.54.4")
    assert sdk == {
        "type": "sdk",
        "name": "openai",
        "version": "1.54.4",
        "ecosystem": "pypi",
        "purl": "pkg:pypi/openai@1.54.4",
        "provider": "openai",
        "category": "llm-sdk",
        "direct": True,
        "evidence": [
            {
                "path": "requirements.txt",
                "line": 3,
                "detector": "manifest",
                "snippet": "openai==1.54.4",
                "commit": None,
            },
            {
                "path": "src/app/llm.py",
                "line": 1,
                "detector": "imports",
                "snippet": "from openai import OpenAI",
                "commit": None,
            },
        ],
        "properties": {},
    }
    first, second, third = document["findings"]
    assert [f["rule_id"] for f in document["findings"]] == ["AIM201", "AIM401", "AIM503"]
    assert first["location"] == {
        "path": "src/app/settings.py",
        "line": 5,
        "column": 18,
        "end_line": 5,
        "end_column": 70,
        "commit": None,
    }
    assert first["evidence"] == REDACTED_SNIPPET
    assert first["suppression"] is None
    assert re.fullmatch(r"[0-9a-f]{32}", first["fingerprint"])
    assert second["related"] == [
        {
            "path": ".mcp.json",
            "line": 4,
            "column": 5,
            "end_line": None,
            "end_column": None,
            "commit": None,
        }
    ]
    assert third["suppression"] == {"source": "inline", "reason": "quoted as a bad example"}
    assert [c["type"] for c in document["components"]][:3] == ["provider", "provider", "sdk"]
    assert [w["path"] for w in document["warnings"]] == ["data/huge.bin", "notebooks/broken.ipynb"]


def test_secrets_appear_only_redacted() -> None:
    text = render(demo_inventory())
    assert FAKE_OPENAI_KEY not in text
    assert "sk-proj-" not in text
    assert json.dumps(REDACTED_SNIPPET)[1:-1] in text


def test_reproducible_mode_drops_run_dependent_values() -> None:
    document = json.loads(render(demo_inventory(), reproducible=True))
    assert document["generated_at"] is None
    assert document["stats"]["duration_seconds"] == 0.0
    assert document["stats"]["cache_hits"] == 0
    assert document["stats"]["files_scanned"] == 388
    assert render(demo_inventory(), reproducible=True) == render(
        demo_inventory(shuffle_seed=9), reproducible=True
    )


def test_text_ends_with_one_newline_and_keeps_unicode() -> None:
    inventory = demo_inventory()
    inventory.roots = ["projet-été"]
    text = render(inventory)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '"projet-été"' in text


def test_odd_property_values_still_serialise() -> None:
    inventory = Inventory(
        components=[
            Component(
                type=ComponentType.MODEL_FILE,
                name="m.bin",
                properties={
                    "tags": {"b", "a"},
                    "shape": (1, 2),
                    "ratio": float("nan"),
                    "p": Path("x"),
                },
            )
        ]
    )
    props = json.loads(render(inventory))["components"][0]["properties"]
    assert props == {"p": "x", "ratio": "nan", "shape": [1, 2], "tags": ["a", "b"]}


# --- load_inventory ---------------------------------------------------------------------


def test_load_reads_back_every_golden_case() -> None:
    for factory in CASES.values():
        inventory = factory()
        assert load_inventory(render(inventory)) == canonical(inventory)


def test_load_keeps_finding_properties() -> None:
    inventory = demo_inventory()
    inventory.findings[0] = Finding(
        **{
            **{f: getattr(inventory.findings[0], f) for f in Finding.__dataclass_fields__},
            "properties": {"commit": "abc123", "present_at_head": False},
        }
    )
    loaded = load_inventory(render(inventory))
    high = next(f for f in loaded.findings if f.rule_id == "AIM201")
    assert high.properties == {"commit": "abc123", "present_at_head": False}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not a JSON document"),
        (b"\xff\xfe", "not a JSON document"),
        ("[1, 2]", "not a JSON object"),
        ('{"schema": "aims/inventory/2"}', "schema is 'aims/inventory/2'"),
        ('{"bomFormat": "CycloneDX"}', "schema is None"),
    ],
)
def test_load_rejects_other_documents(text: str | bytes, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        load_inventory(text)


def test_load_names_the_offending_field() -> None:
    document = to_document(demo_inventory())
    document["components"][2]["type"] = "gizmo"
    with pytest.raises(InputError, match=r"invalid aims inventory at components/2/type"):
        load_inventory(json.dumps(document))
    document = to_document(demo_inventory())
    del document["findings"][0]["fingerprint"]
    with pytest.raises(InputError, match=r"findings/0.*fingerprint"):
        load_inventory(json.dumps(document))


@settings(max_examples=60)
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_load_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        load_inventory(text)
    except InputError:
        pass


# --- round trip with hypothesis ---------------------------------------------------------


def _finding_props(inventory: Inventory) -> list[dict[str, Any]]:
    return [f.properties for f in inventory.findings]


@settings(max_examples=100)
@given(inventories)
def test_round_trip(inventory: Inventory) -> None:
    text = render(inventory)
    loaded = load_inventory(text)  # validates against the schema first
    expected = canonical(inventory)
    assert loaded == expected
    # Finding.properties is excluded from equality, so compare it on its own.
    assert _finding_props(loaded) == _finding_props(expected)
    assert render(loaded) == text


# --- documentation ----------------------------------------------------------------------


def test_docs_carry_the_shipped_schema() -> None:
    """docs/formats/json.md embeds the schema verbatim between two marker comments."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- schema:begin -->\n```json\n(.*?)```\n<!-- schema:end -->", text, flags=re.S
    )
    assert match, "docs/formats/json.md lost its schema markers"
    if match.group(1) != schema_text():
        from tests.output.conftest import UPDATE

        if UPDATE:
            DOCS.write_text(
                text[: match.start(1)] + schema_text() + text[match.end(1) :], encoding="utf-8"
            )
            return
        pytest.fail("docs/formats/json.md and the shipped schema differ; run UPDATE_GOLDEN=1")
