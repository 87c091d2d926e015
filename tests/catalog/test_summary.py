"""The generated summary in docs/catalog.md is current, and the generator behaves."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.catalog import load_catalog
from aims.catalog.summary import END, START, main, render_summary, splice

PAGE = Path(__file__).resolve().parents[2] / "docs" / "catalog.md"


def test_docs_page_is_not_stale() -> None:
    assert main(["--check", str(PAGE)]) == 0, (
        "run: python -m aims.catalog.summary --write docs/catalog.md"
    )


def test_summary_counts_match_the_catalog() -> None:
    catalog = load_catalog()
    text = render_summary(catalog)
    assert f"- **{len(catalog.packages)}** packages in 6 ecosystems" in text
    total = next(line for line in text.splitlines() if line.startswith("| **total** |"))
    assert total.endswith(f"| {len(catalog.packages)} |")


def test_check_reports_a_stale_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "catalog.md"
    page.write_text(f"# t\n\n{START}\nold numbers\n{END}\nafter\n")
    assert main(["--check", str(page)]) == 1
    assert "is stale" in capsys.readouterr().err
    assert main(["--write", str(page)]) == 0
    assert main(["--check", str(page)]) == 0
    assert page.read_text().endswith(f"{END}\nafter\n")


def test_splice_needs_markers() -> None:
    with pytest.raises(ValueError, match="no catalog summary markers"):
        splice("no markers here", "x")
