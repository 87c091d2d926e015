"""The key-format catalog: every entry's examples, generators and coverage."""

from __future__ import annotations

import random

import pytest

from aims.secrets.formats import KeyFormat, load_key_formats
from aims.secrets.matcher import default_matcher

FORMATS = load_key_formats()


def test_catalog_covers_at_least_30_providers() -> None:
    providers = {f.provider for f in FORMATS}
    assert len(providers) >= 30
    for expected in ("openai", "anthropic", "google", "huggingface", "groq", "mistral", "cohere"):
        assert expected in providers


def test_distinctive_formats_named_in_the_issue_are_present() -> None:
    prefixes = {f.prefix for f in FORMATS if not f.contextual}
    for prefix in (
        "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-api", "sk-ant-admin", "AIza", "hf_",
        "api_org_", "gsk_", "r8_", "xai-", "pplx-", "sk-or-v1-", "fw_", "csk-", "nvapi-",
        "pcsk_", "lsv2_pt_", "lsv2_sk_", "tvly-", "sk_", "pa-", "tgp_v1_", "esecret_", "jina_",
    ):  # fmt: skip
        assert prefix in prefixes, prefix


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_positive_examples_find_exactly_the_generated_key(fmt: KeyFormat) -> None:
    rng = random.Random(fmt.id)
    for template in fmt.examples.positive:
        secret = fmt.generate_key(rng)
        text = template.replace("{key}", secret)
        matches = default_matcher().find(text).matches
        assert [(m.format.id, m.secret) for m in matches] == [(fmt.id, secret)], template
        expected_line = text[: text.index(secret)].count("\n") + 1
        assert matches[0].line == expected_line


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_negative_examples_find_nothing(fmt: KeyFormat) -> None:
    for text in fmt.examples.negative:
        assert default_matcher().find(text).matches == [], text


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.contextual], ids=lambda f: f.id)
def test_contextual_formats_need_context(fmt: KeyFormat) -> None:
    secret = fmt.generate_key(random.Random(fmt.id))
    assert default_matcher().find(f"BUILD_LABEL={secret}\n").matches == []
    assert default_matcher().find(f"value: {secret}\n").matches == []


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_generated_keys_match_their_own_pattern(fmt: KeyFormat) -> None:
    rng = random.Random(7)
    for _ in range(20):
        assert fmt.regex.match(fmt.generate_key(rng))


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_prefilter_keywords_never_hide_a_positive_example(fmt: KeyFormat) -> None:
    keywords = default_matcher().keywords()
    rng = random.Random(3)
    for template in fmt.examples.positive:
        lowered = template.replace("{key}", fmt.generate_key(rng)).lower().encode()
        assert any(k in lowered for k in keywords), template
