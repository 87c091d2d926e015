"""Validate documents against the official OSCAL 1.0.4 JSON schema (vendored, see schemas/README.md)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).parent / "schemas" / "oscal_complete_schema.json"


@lru_cache(maxsize=1)
def validator() -> Any:
    import jsonschema

    text = SCHEMA.read_text("utf-8")
    # Python's `re` lacks \p{..} classes: translate the two the schema uses to their `re`
    # equivalents (Unicode letters, Unicode digits) before compiling.
    text = text.replace("\\\\p{L}", "[^\\\\W\\\\d_]").replace("\\\\p{N}", "\\\\d")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(document: dict[str, Any]) -> list[str]:
    """Every schema error, with its path (empty when valid)."""
    import jsonschema

    found = sorted(validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    out = []
    for error in found:
        best = jsonschema.exceptions.best_match([error])
        out.append("/".join(str(p) for p in best.absolute_path) + ": " + best.message[:300])
    return out
