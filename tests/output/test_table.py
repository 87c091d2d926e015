"""Terminal table: exact lines, plain text without a colour request, and the empty case."""

from __future__ import annotations

import re
import subprocess
import sys

from aims.findings import Confidence, Location, Severity, make_finding
from aims.inventory import Component, ComponentType, Evidence, Inventory
from aims.output import RenderOptions, get_writer
from aims.output.table import TableWriter
from tests.output.factories import FAKE_OPENAI_KEY, demo_inventory, empty_inventory

ANSI = re.compile(r"\x1b\[")


def render(inventory: Inventory, *, color: bool = False) -> str:
    return TableWriter().render(inventory, RenderOptions(color=color))


def row(text: str, first_cell: str, second_cell: str) -> list[str]:
    """Cells of the row whose first two cells match (columns are split on 2+ spaces)."""
    for line in text.splitlines():
        cells = re.split(r" {2,}", line.strip())
        if cells[:2] == [first_cell, second_cell]:
            return cells
    raise AssertionError(f"no row {first_cell} {second_cell} in:\n{text}")


def test_header_counts_every_type() -> None:
    first = render(demo_inventory()).splitlines()[0]
    assert first == (
        "AI inventory of acme-assistant (388 files scanned): 2 providers, 5 SDKs, 3 models, "
        "1 model file, 2 MCP servers, 2 agent configurations, 1 AI workflow step, 2 datasets, "
        "1 secret"
    )


def test_rows_are_grouped_by_type_with_where_column() -> None:
    text = render(demo_inventory(shuffle_seed=3))
    assert row(text, "TYPE", "NAME") == ["TYPE", "NAME", "VERSION", "PROVIDER", "WHERE"]
    assert row(text, "model", "gpt-4o") == [
        "model",
        "gpt-4o",
        "openai",
        "src/app/llm.py:14 +2 more",
    ]
    assert row(text, "sdk", "transformers") == [
        "sdk",
        "transformers",
        "4.46.3",
        "requirements.txt:5 +1 more",
    ]
    assert row(text, "model-file", "llama-3.2-1b-instruct-q4_k_m.gguf")[-1] == (
        "models/llama-3.2-1b-instruct-q4_k_m.gguf"
    )
    types = [
        line.split()[0]
        for line in text.split("\n\n", 1)[1].split("Findings")[0].splitlines()
        if line and not line.startswith(("TYPE", "-"))
    ]
    assert types == sorted(types, key=lambda t: list(ComponentType).index(ComponentType(t)))
    # A blank line separates the type groups.
    lines = text.splitlines()
    last_provider = max(i for i, line in enumerate(lines) if line.startswith("provider "))
    assert lines[last_provider + 1] == ""
    assert lines[last_provider + 2].startswith("sdk ")


def test_findings_by_severity_with_suppressed_count() -> None:
    text = render(demo_inventory(shuffle_seed=8))
    lines = text.splitlines()
    start = lines.index("Findings (2, 1 suppressed not shown)")
    assert re.split(r" {2,}", lines[start + 1].strip()) == [
        "SEVERITY",
        "RULE",
        "LOCATION",
        "MESSAGE",
    ]
    assert set(lines[start + 2]) == {"-"}
    assert re.split(r" {2,}", lines[start + 3].strip()) == [
        "high",
        "AIM201 hardcoded-ai-provider-key",
        "src/app/settings.py:5:18",
        "An OpenAI API key is committed in src/app/settings.py; rotate it and read it from the environment.",
    ]
    assert lines[start + 4].startswith("medium")
    assert "AIM503" not in text  # suppressed findings are counted, not listed
    assert lines[-3:] == [
        "Warnings (2)",
        "  data/huge.bin: skipped: larger than 10 MiB",
        "  notebooks/broken.ipynb: invalid JSON: Expecting value: line 1 column 1",
    ]


def test_plain_text_has_no_ansi_and_no_trailing_spaces() -> None:
    text = render(demo_inventory())
    assert not ANSI.search(text)
    assert all(line == line.rstrip() for line in text.splitlines())
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert FAKE_OPENAI_KEY not in text


def test_colour_only_when_asked() -> None:
    coloured = render(demo_inventory(), color=True)
    assert ANSI.search(coloured)
    assert "\x1b[31mhigh" in coloured or "\x1b[31m" in coloured  # high severity in red


def test_empty_inventory_says_so_plainly() -> None:
    assert render(empty_inventory()) == (
        "AI inventory of plain-service (57 files scanned)\n\nNo AI components found in 57 files.\n"
    )


def test_empty_but_with_findings_still_lists_them() -> None:
    finding = make_finding(
        rule_id="AIM501",
        rule_name="hidden-unicode",
        message="Hidden Unicode in AGENTS.md.",
        severity=Severity.CRITICAL,
        confidence=Confidence.HIGH,
        primary=Location("AGENTS.md", 3),
        match="\u202e",
    )
    inventory = Inventory(roots=["r"], findings=[finding])
    inventory.stats.files_scanned = 1
    text = render(inventory)
    assert "No AI components found in 1 file." in text
    assert "critical   AIM501 hidden-unicode   AGENTS.md:3   Hidden Unicode in AGENTS.md." in text


def test_markup_like_names_are_printed_literally() -> None:
    component = Component(
        type=ComponentType.MODEL,
        name="[bold]evil[/bold]",
        evidence=[Evidence("a.py", 1, "model-refs")],
    )
    text = render(Inventory(roots=["r"], components=[component]))
    assert "[bold]evil[/bold]" in text


def test_rich_is_not_imported_until_render() -> None:
    code = (
        "import sys, aims.output.table, aims.output.json_v1, aims.output.markdown, "
        "aims.output.cyclonedx, aims.output.spdx; print('rich' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_registry_returns_the_table_writer() -> None:
    assert isinstance(get_writer("table"), TableWriter)


def test_a_long_warning_list_is_bounded_with_the_rest_counted() -> None:
    from aims.inventory import ScanWarning

    inventory = empty_inventory()
    inventory.warnings = [
        ScanWarning(f"data/f{i:04}.csv", "cannot read: Permission denied") for i in range(1200)
    ]
    text = render(inventory)
    assert "Warnings (1200)" in text
    assert text.count("cannot read: Permission denied") == 50
    assert "data/f0049.csv" in text and "data/f0050.csv" not in text
    assert text.rstrip().endswith(
        "... and 1150 more warnings (all of them with --format json, or on stderr with -v)"
    )
