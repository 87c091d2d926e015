"""Meta-lint of the catalog data: counts, coverage, unique IDs, references and patterns."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from aims.catalog import ECOSYSTEMS, Category, CiKind, ModelStatus, load_catalog

CATALOG = load_catalog()

REQUIRED_PROVIDERS = """
openai anthropic google-gemini google-vertex azure-openai aws-bedrock mistral cohere huggingface
groq together replicate fireworks deepseek xai perplexity openrouter voyage ollama nvidia
ibm-watsonx ai21 cerebras alibaba moonshot zhipu stability elevenlabs assemblyai deepgram meta
baidu-qianfan minimax jina pinecone langsmith tavily writer sambanova
""".split()

MINIMUM_PER_ECOSYSTEM = {
    "pypi": 280,
    "npm": 170,
    "golang": 45,
    "maven": 45,
    "cargo": 35,
    "nuget": 35,
}

# Common English words, and words that sit next to model names in prose and code, that no
# model pattern may claim on their own.
ENGLISH_WORDS = """
the be to of and a in that have it for not on with he as you do at this but his by from they we
say her she or an will my one all would there their what so up out if about who get which go me
when make can like time no just him know take people into year your good some could them see
other than then now look only come its over think also back after use two how our work first well
way even new want because any these give day most us model models version latest preview mini
large medium small tiny base instruct chat turbo pro ultra flash lite nano max plus vision code
coder embed embedding rerank command mistral magistral grok gemini claude llama ollama
alpaca vicuna phi sonar granite voyage jamba nova ernie solar palmyra gemma qwen kimi flux
stable diffusion whisper davinci curie babbage ada cushman titan opus sonnet haiku gpt openai
anthropic google meta amazon deepseek cohere guard gecko bison unicorn aya reka glm minimax
command-line command-r-something gpt-four o-ring o-series sonar-scanner granite-countertop
""".split()


def test_provider_count_and_required_providers() -> None:
    ids = {p.id for p in CATALOG.providers}
    assert len(ids) >= 40
    assert sorted(set(REQUIRED_PROVIDERS) - ids) == []


def test_package_counts_per_ecosystem() -> None:
    counts = Counter(p.ecosystem for p in CATALOG.packages)
    assert len(CATALOG.packages) >= 600
    for ecosystem in ECOSYSTEMS:
        assert counts[ecosystem] >= MINIMUM_PER_ECOSYSTEM[ecosystem], ecosystem


def test_every_category_is_used() -> None:
    used = {p.category for p in CATALOG.packages}
    assert used == set(Category)


def test_every_ci_kind_is_used_and_ci_has_enough_entries() -> None:
    kinds = Counter(t.kind for t in CATALOG.ci_tools)
    assert set(kinds) == set(CiKind)
    assert kinds[CiKind.ACTION] >= 10 and kinds[CiKind.CLI] >= 15 and kinds[CiKind.IMAGE] >= 10


def test_ids_are_unique() -> None:
    for values in (
        [p.id for p in CATALOG.providers],
        [p.key for p in CATALOG.packages],
        [f.id for f in CATALOG.model_families],
        [t.id for t in CATALOG.ci_tools],
    ):
        assert [v for v, n in Counter(values).items() if n > 1] == []


def test_every_reference_to_a_provider_resolves() -> None:
    refs = [p.provider for p in CATALOG.packages] + [f.provider for f in CATALOG.model_families]
    refs += [t.provider for t in CATALOG.ci_tools]
    assert {r for r in refs if r and CATALOG.provider(r) is None} == set()


def test_every_provider_sdk_has_a_package_entry() -> None:
    missing = [
        ref
        for provider in CATALOG.providers
        for ref in provider.packages
        if CATALOG.package(*ref.split(":", 1)) is None
    ]
    assert missing == []


def test_every_provider_has_a_way_to_be_found() -> None:
    lonely = [p.id for p in CATALOG.providers if not (p.hosts or p.env_vars or p.hf_orgs)]
    assert lonely == []


def test_major_providers_have_model_families() -> None:
    with_models = {f.provider for f in CATALOG.model_families}
    for provider in ("openai", "anthropic", "google-gemini", "meta", "mistral", "cohere"):
        assert provider in with_models
    for provider in ("alibaba", "deepseek", "xai", "amazon", "ai21", "microsoft", "voyage"):
        assert provider in with_models


def test_deprecated_and_retired_families_are_flagged_with_a_note() -> None:
    flagged = {f.id: f for f in CATALOG.model_families if f.status is not ModelStatus.ACTIVE}
    for family_id in (
        "openai-gpt-3.5-turbo-retired",
        "openai-gpt-3-completions",
        "anthropic-claude-2",
        "anthropic-claude-1-instant",
        "google-gemini-1.0",
        "google-palm",
    ):
        assert family_id in flagged
        assert flagged[family_id].note
    assert CATALOG.find_model_ids("text-davinci-003")[0].family.status is ModelStatus.RETIRED


@pytest.mark.parametrize("family", CATALOG.model_families, ids=lambda f: f.id)
def test_pattern_compiles_and_matches_no_english_word(family: object) -> None:
    from aims.catalog import ModelFamily

    assert isinstance(family, ModelFamily)
    compiled = re.compile(family.pattern, re.IGNORECASE)
    assert compiled.groups == 0
    claimed = [w for w in ENGLISH_WORDS if family.regex.match(w)]
    assert claimed == []


def test_no_model_id_found_in_plain_prose() -> None:
    prose = " ".join(ENGLISH_WORDS) + ". The command line, a mistral wind; grok this granite."
    assert CATALOG.find_model_ids(prose) == []


def test_keywords_are_inside_every_positive_example() -> None:
    for family in CATALOG.model_families:
        for example in family.examples.positive:
            assert any(k in example.lower() for k in family.keywords), (family.id, example)
