"""Markdown report: summary, a table per type, findings and warnings, safely escaped."""

from __future__ import annotations

from aims.findings import Confidence, Location, Severity, make_finding
from aims.inventory import Component, ComponentType, Evidence, Inventory
from aims.output import RenderOptions, get_writer
from aims.output.markdown import MarkdownWriter, human_size
from tests.output.factories import FAKE_OPENAI_KEY, demo_inventory, empty_inventory


def render(inventory: Inventory, *, reproducible: bool = True) -> str:
    return MarkdownWriter().render(inventory, RenderOptions(reproducible=reproducible))


def section(text: str, title: str) -> list[str]:
    """Lines of the `## title` section, without the heading and surrounding blank lines."""
    lines = text.splitlines()
    start = lines.index(f"## {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [line for line in lines[start:end] if line]


def test_title_and_scan_line() -> None:
    lines = render(demo_inventory()).splitlines()
    assert lines[:3] == [
        "# AI inventory: acme-assistant",
        "",
        "Scanned `acme-assistant`: 388 files with aims 0.1.0.",
    ]
    live = render(demo_inventory(), reproducible=False).splitlines()
    assert live[2] == "Scanned `acme-assistant`: 388 files with aims 0.1.0 on 2026-11-29T09:00:00Z."


def test_summary_counts() -> None:
    assert section(render(demo_inventory()), "Summary") == [
        "| What | Count |",
        "| --- | ---: |",
        "| Providers | 2 |",
        "| SDKs | 5 |",
        "| Models | 3 |",
        "| Model files | 1 |",
        "| MCP servers | 2 |",
        "| Agent configurations | 2 |",
        "| AI workflow steps | 1 |",
        "| Datasets | 2 |",
        "| Secrets | 1 |",
        "| Findings | 2 (1 high, 1 medium) |",
        "| Suppressed findings | 1 |",
        "| Warnings | 2 |",
    ]


def test_a_table_per_type() -> None:
    text = render(demo_inventory(shuffle_seed=2))
    assert section(text, "SDKs (5)")[:3] == [
        "| Name | Version | Ecosystem | Provider | Category | Direct | Where |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| `@anthropic-ai/sdk` | 0.32.1 | npm | anthropic | llm-sdk | yes "
        "| `web/package.json:14`, `web/src/chat.ts:1` |",
    ]
    assert section(text, "Providers (2)") == [
        "| Name | Where |",
        "| --- | --- |",
        "| `Anthropic` | `src/app/review.py:9` |",
        "| `OpenAI` | `src/app/llm.py:6`, `src/app/settings.py:5`, `web/src/chat.ts:4` |",
    ]
    assert section(text, "Model files (1)")[2] == (
        "| `llama-3.2-1b-instruct-q4_k_m.gguf` | format: gguf, architecture: llama, "
        "size: 770.3 MiB, pickle: false | `models/llama-3.2-1b-instruct-q4_k_m.gguf` |"
    )
    secrets = section(text, "Secrets (1)")
    assert secrets[0].startswith("1 secret found; values are never shown.")
    assert secrets[-1] == "| `openai-api-key` | openai | `src/app/settings.py:5` |"
    assert FAKE_OPENAI_KEY not in text and "REDACTED" not in text


def test_many_places_are_cut_after_three() -> None:
    component = Component(
        type=ComponentType.MODEL,
        name="gpt-4o",
        provider="openai",
        evidence=[Evidence(f"f{i}.py", i, "model-refs") for i in range(1, 6)],
    )
    text = render(Inventory(roots=["r"], components=[component]))
    assert "| `gpt-4o` | openai | `f1.py:1`, `f2.py:2`, `f3.py:3`, +2 more |" in text


def test_findings_and_suppressed_findings() -> None:
    text = render(demo_inventory())
    findings = section(text, "Findings (2)")
    assert findings[:4] == [
        "| Severity | Rule | Location | Message |",
        "| --- | --- | --- | --- |",
        "| high | AIM201 hardcoded-ai-provider-key | `src/app/settings.py:5:18` | An OpenAI API "
        "key is committed in src/app/settings.py; rotate it and read it from the environment. |",
        "| medium | AIM401 unpinned-mcp-server | `.mcp.json:6:7` | MCP server 'filesystem' runs "
        "an unpinned npm package through npx; pin a version. |",
    ]
    assert findings[4:] == [
        "### Suppressed (1)",
        "| Rule | Location | Source | Reason |",
        "| --- | --- | --- | --- |",
        "| AIM503 instruction-override-phrase | `CLAUDE.md:40:1` | inline | quoted as a bad example |",
    ]
    assert section(text, "Warnings (2)") == [
        "- `data/huge.bin`: skipped: larger than 10 MiB",
        "- `notebooks/broken.ipynb`: invalid JSON: Expecting value: line 1 column 1",
    ]


def test_cells_cannot_break_the_table() -> None:
    finding = make_finding(
        rule_id="AIM999",
        rule_name="x",
        message="a | b\nc <script>`x`</script> **bold**",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        primary=Location("dir|x/`a`.md", 2),
        match="m",
    )
    text = render(Inventory(roots=["r"], findings=[finding]))
    line = next(line for line in text.splitlines() if "AIM999" in line)
    assert line == (
        "| low | AIM999 x | `dir\\|x/'a'.md:2` | a \\| b c \\<script\\>\\`x\\`\\</script\\> "
        "\\*\\*bold\\*\\* |"
    )


def test_empty_inventory() -> None:
    assert render(empty_inventory()) == (
        "# AI inventory: plain-service\n\n"
        "Scanned `plain-service`: 57 files with aims 0.1.0.\n\n"
        "## Summary\n\n| What | Count |\n| --- | ---: |\n| Findings | 0 |\n\n"
        "No AI components found in 57 files.\n\n"
        "## Findings (0)\n\nNo findings.\n"
    )


def test_human_size() -> None:
    assert [human_size(n) for n in (0, 1023, 1024, 48213, 807694464, 5 * 1024**4)] == [
        "0 B",
        "1023 B",
        "1.0 KiB",
        "47.1 KiB",
        "770.3 MiB",
        "5.0 TiB",
    ]


def test_registry_returns_the_markdown_writer() -> None:
    writer = get_writer("markdown")
    assert isinstance(writer, MarkdownWriter) and writer.media_type == "text/markdown"


def test_a_long_warning_list_is_bounded_with_the_rest_counted() -> None:
    from aims.inventory import ScanWarning

    inventory = empty_inventory()
    inventory.warnings = [ScanWarning(f"data/f{i:04}.csv", "too large") for i in range(60)]
    text = render(inventory)
    assert "## Warnings (60)" in text
    assert text.count(": too large") == 50
    assert "- ... and 10 more warnings (all of them with --format json" in text
