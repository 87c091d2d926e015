"""Every positive example of every catalog entry resolves to it, and no negative one does."""

from __future__ import annotations

import re

import pytest

from aims.catalog import CiKind, CiTool, ModelFamily, Package, Provider, load_catalog

CATALOG = load_catalog()
_ENV = re.compile(r"[A-Z][A-Z0-9_]*")


def _provider_of(text: str) -> Provider | None:
    """Resolve a provider example the way its kind says: URL/host, env var or HF repo ID."""
    if "://" in text:
        return CATALOG.provider_for_host(text)
    if _ENV.fullmatch(text):
        return CATALOG.provider_for_env(text)
    if "/" in text and "." not in text.split("/", 1)[0]:
        return CATALOG.provider_for_hf_org(text)
    return CATALOG.provider_for_host(text)


def _packages_of(entry: Package, text: str) -> set[str]:
    found = [
        CATALOG.package(entry.ecosystem, text),
        CATALOG.package_for_import(entry.ecosystem, text),
    ]
    return {p.key for p in found if p is not None}


def _families_of(text: str) -> list[tuple[str, str]]:
    return [(m.model_id, m.family.id) for m in CATALOG.find_model_ids(text)]


def _ci_of(tool: CiTool, text: str) -> set[str]:
    if tool.kind is CiKind.ACTION:
        hit = CATALOG.ci_action(text)
        return {hit.id} if hit else set()
    if tool.kind is CiKind.IMAGE:
        hit = CATALOG.ci_image(text)
        return {hit.id} if hit else set()
    return {m.tool.id for m in CATALOG.find_ci_commands(text)}


def _cases() -> list[object]:
    cases: list[object] = []
    entries: list[tuple[str, Provider | Package | ModelFamily | CiTool]] = []
    entries += [(f"provider:{p.id}", p) for p in CATALOG.providers]
    entries += [(f"package:{p.key}", p) for p in CATALOG.packages]
    entries += [(f"model:{f.id}", f) for f in CATALOG.model_families]
    entries += [(f"ci:{t.id}", t) for t in CATALOG.ci_tools]
    for label, entry in entries:
        for sign, texts in (("+", entry.examples.positive), ("-", entry.examples.negative)):
            cases.extend(pytest.param(entry, sign, t, id=f"{label}{sign}{t}") for t in texts)
    return cases


@pytest.mark.parametrize(("entry", "sign", "text"), _cases())
def test_example(entry: Provider | Package | ModelFamily | CiTool, sign: str, text: str) -> None:
    positive = sign == "+"
    if isinstance(entry, Provider):
        found = _provider_of(text)
        assert (found is not None and found.id == entry.id) is positive, found
    elif isinstance(entry, Package):
        assert (entry.key in _packages_of(entry, text)) is positive
    elif isinstance(entry, ModelFamily):
        if positive:
            assert _families_of(text) == [(text, entry.id)]
            quoted = f'client.create(model="{text}", temperature=0)'
            assert _families_of(quoted) == [(text, entry.id)]
            assert CATALOG.model_family(text) == entry
            assert any(k in text.lower() for k in entry.keywords)
        else:
            assert entry.id not in {family for _, family in _families_of(text)}
            assert CATALOG.model_family(text) != entry
    else:
        assert (entry.id in _ci_of(entry, text)) is positive
