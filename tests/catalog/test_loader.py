"""Loader behaviour: error messages for broken data files, and the parsed-data cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aims.catalog import load_catalog, load_catalog_from
from aims.catalog.loader import data_root
from aims.errors import ConfigError


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog data."""
    target = tmp_path / "data"
    shutil.copytree(
        str(data_root()), target, ignore=shutil.ignore_patterns("rules", "keys*", "agents*")
    )
    return target


def _error(root: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_catalog_from(root)
    return str(info.value)


def test_copy_loads_like_the_shipped_catalog(data: Path) -> None:
    copy = load_catalog_from(data)
    shipped = load_catalog()
    assert len(copy.packages) == len(shipped.packages)
    assert len(copy.model_families) == len(shipped.model_families)


def test_yaml_syntax_error_names_file_and_line(data: Path) -> None:
    path = data / "packages" / "cargo.yaml"
    lines = path.read_text().splitlines()
    lines[5] = "- {ecosystem: cargo, name: [unclosed"
    path.write_text("\n".join(lines) + "\n")
    message = _error(data)
    assert message.startswith("packages/cargo.yaml:")
    assert "not valid YAML" in message


def test_missing_field_names_entry_and_field(data: Path) -> None:
    path = data / "providers.yaml"
    path.write_text(path.read_text() + "- {id: broken-one, name: Broken}\n")
    message = _error(data)
    assert message.startswith("providers.yaml: invalid catalog data: entry ")
    assert "(broken-one) field examples: Field required" in message


def test_bad_pattern_group_and_unknown_provider(data: Path) -> None:
    path = data / "models" / "openai.yaml"
    text = path.read_text()
    bad = text.replace("pattern: gpt-4\\.1(?:-mini|-nano)?", "pattern: gpt-4\\.1(-mini|-nano)?", 1)
    assert bad != text
    path.write_text(bad)
    assert "(openai-gpt-4.1) field pattern: Value error, pattern must not have capturing" in _error(
        data
    )
    path.write_text(text.replace("provider: openai", "provider: nobody", 1))
    assert "names unknown provider 'nobody'" in _error(data)


def test_duplicate_package_and_import_prefix(data: Path) -> None:
    path = data / "packages" / "pypi.yaml"
    original = path.read_text()
    entry = next(line for line in original.splitlines() if "name: openai," in line)
    path.write_text(original + entry.replace("name: openai,", "name: OpenAI,") + "\n")
    assert _error(data) == "duplicate package in catalog: 'pypi:openai'"
    path.write_text(original + entry.replace("name: openai,", "name: openai2,") + "\n")
    assert _error(data) == (
        "duplicate import prefix (two packages claim it) in catalog: 'pypi:openai'"
    )


def test_provider_sdk_without_package_entry(data: Path) -> None:
    path = data / "providers.yaml"
    path.write_text(path.read_text().replace("pypi:groq", "pypi:groq-ghost", 1))
    assert "lists package 'pypi:groq-ghost', which has no entry" in _error(data)


def test_file_that_is_not_a_list(data: Path) -> None:
    (data / "ci.yaml").write_text("id: not-a-list\n")
    assert _error(data).startswith("ci.yaml: catalog file must hold a YAML list")


def test_cache_is_used_and_keyed_by_content(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_catalog_from(data, cache_dir=cache)
    files = sorted(cache.glob("catalog-*.json"))
    assert len(files) == 1
    again = load_catalog_from(data, cache_dir=cache)
    assert len(again.providers) == len(first.providers)
    path = data / "providers.yaml"
    path.write_text(path.read_text().replace("name: Groq,", "name: GroqCloud,", 1))
    changed = load_catalog_from(data, cache_dir=cache)
    assert changed.provider("groq").name == "GroqCloud"  # type: ignore[union-attr]
    assert sorted(cache.glob("catalog-*.json")) != files


def test_unwritable_cache_is_ignored(data: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert load_catalog_from(data, cache_dir=blocker / "sub").provider("openai") is not None
