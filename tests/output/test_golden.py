"""Golden files for every format and case, and byte-identical output whatever the input order."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aims.inventory import Inventory
from aims.output import RenderOptions, get_writer
from tests.output.factories import CASES, demo_inventory

# (format, spec version, file suffix)
VARIANTS = [
    ("json", None, "json"),
    ("table", None, "txt"),
    ("markdown", None, "md"),
    ("cyclonedx", "1.6", "1.6.cdx.json"),
    ("cyclonedx", "1.7", "1.7.cdx.json"),
    ("spdx", None, "spdx.json"),
]


def render(fmt: str, spec: str | None, inventory: Inventory) -> str:
    writer = get_writer(fmt)
    return writer.render(inventory, RenderOptions(reproducible=True, spec_version=spec))


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize(("fmt", "spec", "suffix"), VARIANTS)
def test_golden(
    fmt: str, spec: str | None, suffix: str, case: str, golden: Callable[[str, str], None]
) -> None:
    golden(f"{fmt}/{case}.{suffix}", render(fmt, spec, CASES[case]()))


@pytest.mark.parametrize(("fmt", "spec", "suffix"), VARIANTS)
def test_same_facts_in_any_order_render_identically(
    fmt: str, spec: str | None, suffix: str
) -> None:
    reference = render(fmt, spec, demo_inventory())
    assert render(fmt, spec, demo_inventory()) == reference
    for seed in (1, 2, 3):
        assert render(fmt, spec, demo_inventory(shuffle_seed=seed)) == reference, seed


@pytest.mark.parametrize(("fmt", "spec", "suffix"), VARIANTS)
def test_writer_does_not_mutate_its_input(fmt: str, spec: str | None, suffix: str) -> None:
    inventory = demo_inventory(shuffle_seed=7)
    before = repr(inventory)
    render(fmt, spec, inventory)
    assert repr(inventory) == before
