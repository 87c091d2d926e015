"""The writer interface and the explicit registry of inventory formats."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

from aims.errors import UsageError
from aims.inventory import Inventory


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Options every writer accepts."""

    reproducible: bool = False
    """Drop timestamps, random serials and anything else that varies between identical runs."""
    spec_version: str | None = None
    """Version of the target specification when it has several (CycloneDX `1.6` or `1.7`)."""
    color: bool = False
    """Terminal colours, for human-readable formats written to a terminal."""


class Writer(Protocol):
    """Turns an inventory into one output format. Writers never print; they return text."""

    name: str
    """The `--format` value."""
    media_type: str

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the whole document."""
        ...


# `--format` name -> `module:Class`. One explicit list.
WRITERS: dict[str, str] = {
    "table": "aims.output.table:TableWriter",
    "json": "aims.output.json_v1:JsonWriter",
    "markdown": "aims.output.markdown:MarkdownWriter",
    "cyclonedx": "aims.output.cyclonedx:CycloneDXWriter",
    "spdx": "aims.output.spdx:SpdxWriter",
}


def writer_names() -> list[str]:
    """Return every `--format` name, in registry order."""
    return list(WRITERS)


def get_writer(name: str) -> Writer:
    """Return the writer for a `--format` name; raises `UsageError` for an unknown one."""
    spec = WRITERS.get(name)
    if spec is None:
        raise UsageError(
            f"unknown format {name!r}", hint=f"choose one of: {', '.join(writer_names())}"
        )
    module_name, class_name = spec.split(":")
    writer: Writer = getattr(importlib.import_module(module_name), class_name)()
    return writer
