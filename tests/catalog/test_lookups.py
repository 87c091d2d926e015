"""The catalog's look-ups on realistic input: hosts, env vars, imports, HF orgs, models, CI."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog import load_catalog

CATALOG = load_catalog()


def _provider_id(found: object) -> str | None:
    return getattr(found, "id", None)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("api.openai.com", "openai"),
        ("API.OpenAI.com:443", "openai"),
        ("https://api.openai.com/v1/chat/completions", "openai"),
        ("https://user:pw@api.anthropic.com./v1/messages", "anthropic"),
        ("my-res.openai.azure.com", "azure-openai"),
        ("a.b.openai.azure.com", "azure-openai"),
        ("openai.azure.com", None),
        ("us-central1-aiplatform.googleapis.com", "google-vertex"),
        ("aiplatform.googleapis.com", "google-vertex"),
        ("generativelanguage.googleapis.com", "google-gemini"),
        ("bedrock-runtime.eu-west-3.amazonaws.com", "aws-bedrock"),
        ("bedrock-runtime..amazonaws.com", None),
        ("s3.amazonaws.com", None),
        ("http://localhost:11434/api/chat", "ollama"),
        ("localhost:11434", "ollama"),
        ("localhost", None),
        ("localhost:8080", None),
        ("[::1]:11434", None),
        ("router.huggingface.co", "huggingface"),
        ("integrate.api.nvidia.com", "nvidia"),
        ("evil-api.openai.com.attacker.example", None),
        ("", None),
        ("not a host at all", None),
    ],
)
def test_provider_for_host(host: str, expected: str | None) -> None:
    assert _provider_id(CATALOG.provider_for_host(host)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("OPENAI_API_KEY", "openai"),
        ("openai_api_key", "openai"),
        ("AZURE_OPENAI_ENDPOINT", "azure-openai"),
        ("AZURE_OPENAI_DEPLOYMENT_NAME", "azure-openai"),
        ("AZURE_OPENAI_", None),
        ("HF_TOKEN", "huggingface"),
        ("HUGGING_FACE_HUB_TOKEN", "huggingface"),
        ("OLLAMA_HOST", "ollama"),
        ("NVIDIA_API_KEY", "nvidia"),
        ("API_KEY", None),
        ("OPENAI_API_KEY_2", None),
    ],
)
def test_provider_for_env(name: str, expected: str | None) -> None:
    assert _provider_id(CATALOG.provider_for_env(name)) == expected


@pytest.mark.parametrize(
    ("org", "expected"),
    [
        ("meta-llama", "meta"),
        ("meta-llama/Llama-4-Scout-17B-16E-Instruct", "meta"),
        ("mistralai", "mistral"),
        ("qwen", "alibaba"),
        ("deepseek-ai", "deepseek"),
        ("google", "google-gemini"),
        ("microsoft", "microsoft"),
        ("ibm-granite", "ibm-watsonx"),
        ("nvidia", "nvidia"),
        ("CohereForAI", "cohere"),
        ("TheBloke", None),
    ],
)
def test_provider_for_hf_org(org: str, expected: str | None) -> None:
    assert _provider_id(CATALOG.provider_for_hf_org(org)) == expected


@pytest.mark.parametrize(
    ("ecosystem", "path", "expected"),
    [
        ("pypi", "google.generativeai.types", "google-generativeai"),
        ("pypi", "google.genai", "google-genai"),
        ("pypi", "google.cloud.storage", None),
        ("pypi", "langchain_openai.chat_models", "langchain-openai"),
        ("pypi", "llama_index.llms.openai", "llama-index-llms-openai"),
        ("pypi", "llama_index.core.agent", "llama-index-core"),
        ("pypi", "openaix", None),
        ("pypi", ".openai", None),
        (
            "golang",
            "github.com/sashabaranov/go-openai/jsonschema",
            "github.com/sashabaranov/go-openai",
        ),
        ("golang", "github.com/openai/openai-go/v2/option", "github.com/openai/openai-go"),
        ("golang", "github.com/sashabaranov/go-openaix", None),
        ("npm", "@ai-sdk/openai/internal", "@ai-sdk/openai"),
        ("npm", "@ai-sdk/openai-compatible", "@ai-sdk/openai-compatible"),
        ("npm", "openai/resources", "openai"),
        ("npm", "@ai-sdk", None),
        (
            "maven",
            "org.springframework.ai.openai.api.OpenAiApi",
            "org.springframework.ai:spring-ai-openai",
        ),
        (
            "maven",
            "org.springframework.ai.chat.client.ChatClient",
            "org.springframework.ai:spring-ai-client-chat",
        ),
        (
            "maven",
            "dev.langchain4j.model.ollama.OllamaChatModel",
            "dev.langchain4j:langchain4j-ollama",
        ),
        (
            "nuget",
            "microsoft.semantickernel.connectors.openai",
            "Microsoft.SemanticKernel.Connectors.OpenAI",
        ),
        ("nuget", "Azure.AI.OpenAI.Chat", "Azure.AI.OpenAI"),
        ("cargo", "async_openai::types::CreateChatCompletionRequest", "async-openai"),
        ("cargo", "async-openai", "async-openai"),
        ("cargo", "rig::completion", "rig-core"),
        ("cargo", "crate::openai", None),
        ("pypi", "", None),
        ("conda", "openai", None),
    ],
)
def test_package_for_import(ecosystem: str, path: str, expected: str | None) -> None:
    found = CATALOG.package_for_import(ecosystem, path)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    ("ecosystem", "name", "expected"),
    [
        ("pypi", "LangChain_OpenAI", "langchain-openai"),
        ("pypi", "huggingface.hub", "huggingface-hub"),
        ("nuget", "azure.ai.openai", "Azure.AI.OpenAI"),
        ("maven", "Dev.LangChain4j:LangChain4j", "dev.langchain4j:langchain4j"),
        ("cargo", "async_openai", "async-openai"),
        ("golang", "github.com/cohere-ai/cohere-go/v2", "github.com/cohere-ai/cohere-go"),
        ("npm", "OpenAI", None),
    ],
)
def test_package_name_normalisation(ecosystem: str, name: str, expected: str | None) -> None:
    found = CATALOG.package(ecosystem, name)
    assert (found.name if found else None) == expected


def test_find_model_ids_reports_offsets_and_boundaries() -> None:
    text = (
        'client.chat(model="gpt-4o-mini-2024-07-18")\n'
        "MODEL=claude-sonnet-4-5 # or models/gemini-2.5-pro, openai/gpt-4.1.\n"
        "ollama pull llama3.1:8b; bedrock: us.anthropic.claude-3-7-sonnet-20250219-v1:0\n"
        "not-gpt-4o, gpt-4o_x, mygpt-4o, gpt-4o-mini.yaml, xo3, o3\n"
    )
    found = [(m.model_id, m.family.id) for m in CATALOG.find_model_ids(text)]
    assert found == [
        ("gpt-4o-mini-2024-07-18", "openai-gpt-4o"),
        ("claude-sonnet-4-5", "anthropic-claude-4"),
        ("gemini-2.5-pro", "google-gemini-2.5"),
        ("gpt-4.1", "openai-gpt-4.1"),
        ("llama3.1:8b", "meta-llama-3"),
        ("us.anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic-claude-3.7-sonnet"),
        ("o3", "openai-o-series"),
    ]
    first = CATALOG.find_model_ids(text)[0]
    assert text[first.start : first.end] == first.model_id


def test_model_keywords_cover_every_find() -> None:
    keywords = CATALOG.model_keywords()
    assert all(k == k.lower() and isinstance(k, bytes) for k in keywords)
    assert b"gpt-4o" in keywords and b"claude-" in keywords
    text = "gpt-5.1-codex-max meta-llama/Llama-3.3-70B-Instruct Qwen3-Coder-480B-A35B-Instruct"
    for match in CATALOG.find_model_ids(text):
        assert any(k.decode() in match.model_id.lower() for k in keywords)


def test_other_keyword_lists() -> None:
    assert b"api.openai.com" in CATALOG.host_keywords()
    assert b"openai.azure.com" in CATALOG.host_keywords()
    assert (
        b"amazonaws.com" in CATALOG.host_keywords() or b"bedrock-runtime" in CATALOG.host_keywords()
    )
    assert b"openai_api_key" in CATALOG.env_keywords()
    assert b"azure_openai_" in CATALOG.env_keywords()
    assert b"google.generativeai" in CATALOG.import_keywords("pypi")
    assert b"@ai-sdk/openai" in CATALOG.import_keywords("npm")
    assert b"async_openai" in CATALOG.import_keywords("cargo")
    assert CATALOG.import_keywords("conda") == []


def test_ci_lookups() -> None:
    assert CATALOG.ci_action("anthropics/claude-code-action@v1").id == "claude-code-action"  # type: ignore[union-attr]
    assert CATALOG.ci_action("sst/opencode/github@latest").id == "opencode-action"  # type: ignore[union-attr]
    assert CATALOG.ci_action("docker://ollama/ollama") is None
    assert CATALOG.ci_action("actions/checkout@v4") is None
    assert CATALOG.ci_image("docker.io/library/ollama/ollama:latest") is None
    assert CATALOG.ci_image("docker.io/ollama/ollama:latest").id == "ollama-image"  # type: ignore[union-attr]
    script = (
        "set -e\n"
        "npm ci && npx -y @anthropic-ai/claude-code -p 'review' > review.md\n"
        "timeout 10m codex exec --full-auto 'fix' || true\n"
        "gemini\n"
        "echo claude -p nope\n"
    )
    found = [(m.tool.id, m.noninteractive, m.command) for m in CATALOG.find_ci_commands(script)]
    assert found == [
        ("claude-code-cli", True, "@anthropic-ai/claude-code -p 'review' > review.md"),
        ("codex-cli", True, "codex exec --full-auto 'fix'"),
        ("gemini-cli", False, "gemini"),
    ]


@given(st.text(max_size=300))
def test_lookups_never_raise_on_arbitrary_text(text: str) -> None:
    CATALOG.find_model_ids(text)
    CATALOG.find_ci_commands(text)
    CATALOG.provider_for_host(text)
    CATALOG.provider_for_env(text)
    CATALOG.provider_for_hf_org(text)
    CATALOG.ci_action(text)
    CATALOG.ci_image(text)
    for ecosystem in ("pypi", "npm", "golang", "maven", "cargo", "nuget"):
        CATALOG.package(ecosystem, text)
        CATALOG.package_for_import(ecosystem, text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_find_model_ids_offsets_are_exact(prefix: str) -> None:
    text = f"{prefix} gpt-4o "
    for match in CATALOG.find_model_ids(text):
        assert text[match.start : match.end] == match.model_id


_POSITIVES = [x for f in CATALOG.model_families for x in f.examples.positive]
_NEGATIVES = [x for f in CATALOG.model_families for x in f.examples.negative]


def _reference_find(text: str) -> list[tuple[int, str, str]]:
    """Slow, obviously right search: try every family, in order, at every possible start."""
    import re

    from aims.catalog.match import MODEL_RIGHT

    regexes = [
        (re.compile(f"(?:{f.pattern}){MODEL_RIGHT}", re.IGNORECASE), f.id)
        for f in CATALOG.model_families
    ]
    found: list[tuple[int, str, str]] = []
    pos = 0
    while pos < len(text):
        before = text[pos - 1] if pos else " "
        if before.isascii() and (before.isalnum() or before in "_.-"):
            pos += 1
            continue
        for regex, family_id in regexes:
            m = regex.match(text, pos)
            if m:
                found.append((pos, m.group(), family_id))
                pos = m.end()
                break
        else:
            pos += 1
    return found


def test_every_positive_example_is_found_in_one_joined_text() -> None:
    text = " ".join(_POSITIVES)
    assert [m.model_id for m in CATALOG.find_model_ids(text)] == _POSITIVES


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_POSITIVES),
            st.sampled_from(_NEGATIVES),
            st.sampled_from(["model", "=", '"', "/", ":", "openai", "x1", "(", "-", "."]),
        ),
        max_size=12,
    ),
    st.sampled_from([" ", "", "\n", '", "', "/", ":"]),
)
def test_find_model_ids_agrees_with_a_brute_force_search(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    found = [(m.start, m.model_id, m.family.id) for m in CATALOG.find_model_ids(text)]
    assert found == _reference_find(text)


def test_a_long_run_of_id_characters_is_scanned_in_linear_time() -> None:
    # Base64 image data in a recorded HTTP cassette: one run of ID characters, megabytes long,
    # in which keywords occur by chance. Each hit used to walk back to the run's start.
    blob = ("QUFBo1QUFBo4QUFBglmQUFB" * 20000) + " gpt-4o"
    started = time.perf_counter()
    found = [m.model_id for m in CATALOG.find_model_ids(blob)]
    assert found == ["gpt-4o"]
    assert time.perf_counter() - started < 5  # about 0.1 s; the quadratic walk took minutes
