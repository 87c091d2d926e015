"""JSON Schemas of the record kinds, generated from the models and committed under `schemas/`.

`python -m aims.records.schemas` rewrites them; a test fails when they are stale.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from aims.records.model import KINDS

SCHEMA_BASE = "https://aims.dev/schemas/records/"


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one record kind."""
    schema = KINDS[kind].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{kind}.json",
        **schema,
    }


def schema_text(kind: str) -> str:
    """The committed form of a schema: sorted keys, two-space indent, final newline."""
    return json.dumps(schema_for(kind), indent=2, sort_keys=True) + "\n"


def shipped_schema(kind: str) -> str:
    """The schema file shipped in the package."""
    return resources.files("aims.records").joinpath(f"schemas/{kind}.json").read_text("utf-8")


def write_all(folder: Path) -> list[Path]:
    """Write every kind's schema into a folder; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        path.write_text(schema_text(kind), "utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    write_all(Path(__file__).parent / "schemas")
