"""Tests for the model-reference detector on realistic code and configuration fixtures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog import load_catalog
from aims.catalog.model import Catalog, ModelFamily, Provider
from aims.inventory import ComponentType
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.model_refs import (
    ModelRefDetector,
    enum_model_id,
    is_hf_repo_id,
    is_strong_model_id,
    redact_snippet,
)

FIXTURES = Path(__file__).parent / "fixtures" / "models"
EX = {"positive": ["x"], "negative": ["y"]}


def family(fid: str, provider: str, pattern: str, keywords: list[str], **kw: str) -> ModelFamily:
    return ModelFamily.model_validate(
        {"id": fid, "provider": provider, "pattern": pattern, "keywords": keywords, "examples": EX}
        | kw
    )


def fake_catalog() -> Catalog:
    """A small catalog with the shapes the real one has, so these tests do not move with it."""
    providers = [
        Provider(id="openai", name="OpenAI", hosts=["api.openai.com"], examples=EX),
        Provider(id="anthropic", name="Anthropic", examples=EX),
        Provider(id="google", name="Google", hf_orgs=["google"], examples=EX),
        Provider(id="meta", name="Meta", hf_orgs=["meta-llama"], examples=EX),
        Provider(id="mistral", name="Mistral AI", hf_orgs=["mistralai"], examples=EX),
    ]
    families = [
        family("openai-gpt-4o", "openai", r"gpt-4o(?:-mini)?(?:-\d{4}-\d{2}-\d{2})?", ["gpt-4o"]),
        family("openai-o", "openai", r"o[134](?:-mini|-pro)?(?:-\d{4}-\d{2}-\d{2})?", ["o1", "o3"]),
        family(
            "openai-gpt-4-32k",
            "openai",
            r"gpt-4-32k(?:-\d{4})?",
            ["gpt-4-32k"],
            status="deprecated",
            note="Shut down by OpenAI in 2025; use gpt-4o",
        ),
        family(
            "openai-davinci",
            "openai",
            r"text-davinci-00[1-3]",
            ["davinci"],
            status="retired",
            note="Retired in January 2024; use gpt-4o-mini",
        ),
        family(
            "anthropic-claude-4",
            "anthropic",
            r"claude-(?:sonnet|opus|haiku)-4(?:-[15])?(?:-\d{8})?",
            ["claude"],
        ),
        family(
            "anthropic-claude-3-5",
            "anthropic",
            r"(?:(?:us|eu|apac)\.)?(?:anthropic\.)?claude-3-5-(?:sonnet|haiku)-\d{8}(?:-v\d+(?::\d+)?)?",
            ["claude"],
        ),
        family(
            "google-gemini",
            "google",
            r"gemini-(?:1\.5|2\.0|2\.5)-(?:pro|flash)(?:-latest|-\d{3})?",
            ["gemini"],
        ),
        family(
            "meta-llama-3",
            "meta",
            r"(?:meta-)?llama-?3(?:\.[123])?(?:-\d+b)?(?:-instruct)?(?::\d+b)?",
            ["llama"],
        ),
        family("google-gemma", "google", r"gemma-\d(?:\.\d)?-\d+b(?:-it)?", ["gemma"]),
    ]
    return Catalog(providers=providers, packages=[], model_families=families)


CATALOG = fake_catalog()
DETECTOR = ModelRefDetector()


def detect(relpath: str, text: str | None = None, catalog: Catalog = CATALOG) -> DetectResult:
    if text is None:
        data = (FIXTURES / relpath).read_bytes()
    else:
        data = text.encode()
    file = ScanFile(relpath=relpath, abspath=str(FIXTURES / relpath), data=data, size=len(data))
    return DETECTOR.detect(file, DetectContext(catalog=catalog))


def pairs(result: DetectResult) -> list[tuple[str, int | None]]:
    return [(c.name, c.evidence[0].line) for c in result.components]


EXPECTED: dict[str, list[tuple[str, int]]] = {
    "chat_service.py": [
        ("gpt-4o-mini", 9),
        ("o3-mini", 10),
        ("text-davinci-003", 11),
        ("o1", 27),
        ("claude-sonnet-4-5-20250929", 34),
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", 43),
        ("gemini-2.5-pro", 48),
    ],
    "embeddings.py": [
        ("BAAI/bge-small-en-v1.5", 7),
        ("cross-encoder/ms-marco-MiniLM-L-6-v2", 8),
        ("distilbert/distilbert-base-uncased-finetuned-sst-2-english", 15),
        ("cardiffnlp/twitter-roberta-base-sentiment-latest", 19),
        ("dslim/bert-base-NER", 20),
        ("TheBloke/Mistral-7B-Instruct-v0.2-GGUF", 21),
        ("meta-llama/Llama-3.1-8B-Instruct", 23),
    ],
    "agent.ts": [
        ("claude-opus-4-1", 5),
        ("llama3.1", 13),
        ("Xenova/distilbert-base-uncased-finetuned-sst-2-english", 14),
    ],
    "client.go": [("gpt-4o-2024-08-06", 9), ("gpt-4-32k", 14)],
    "config/llm.yaml": [
        ("gpt-4o-mini", 4),
        ("claude-sonnet-4-5-20250929", 5),
        ("o3-mini", 6),
        ("gpt-4o", 7),
        ("gemini-2.5-pro", 9),
        ("gemini-1.5-flash", 10),
        ("sentence-transformers/all-MiniLM-L6-v2", 12),
        ("llama3", 13),
    ],
    "config/train.toml": [
        ("mistralai/Mistral-7B-v0.1", 2),
        ("mistralai/Mistral-7B-v0.1", 3),
        ("gpt-4o", 7),
    ],
    ".env.example": [("gpt-4o", 2), ("o1", 3), ("gemini-1.5-flash", 5)],
    "Modelfile": [("llama3.2", 1)],
    "serve.sh": [
        ("qwen2.5", 4),
        ("meta-llama/Llama-3.1-8B-Instruct", 5),
        ("mistralai/Mistral-7B-Instruct-v0.3", 7),
        ("google/gemma-2-9b-it", 8),
        ("gpt-4o", 9),
    ],
    "Dockerfile": [("gpt-4o-mini", 2), ("Qwen/Qwen2.5-7B-Instruct", 4)],
    "model_picker.ts": [
        ("gpt-4o", 4),
        ("gpt-4o", 5),
        ("gpt-4o-mini", 9),
        ("claude-sonnet-4-5-20250929", 12),
        ("gpt-4o-mini", 15),
    ],
    "java/Assistants.java": [
        ("gpt-4o-mini", 3),
        ("gpt-4o", 16),
        ("o3-mini", 25),
        ("claude-3-5-sonnet-20240620", 30),
        ("claude-haiku-4-5-20251001", 37),
        ("o3", 46),
    ],
    "java/Embeddings.java": [
        ("sentence-transformers/all-mpnet-base-v2", 13),
        ("intfloat/e5-small-v2", 19),
    ],
    "ollama/Dockerfile": [
        ("avcodes/flowaicom-flow-judge", 5),
        ("meta-llama/llama3.1", 6),
        ("qwen2.5", 7),
    ],
    "ollama/application.properties": [
        ("avcodes/flowaicom-flow-judge", 3),
        ("nomic-embed-text", 5),
    ],
    "ollama/ollama.env": [("llama3.2", 3), ("mxbai-embed-large", 4)],
    "reasoning.py": [("o3", 6), ("o1", 9), ("o3-mini", 10), ("o1", 14), ("o1-2024-12-17", 14)],
    "rerank.py": [
        ("BAAI/bge-small-en-v1.5", 6),
        ("BAAI/bge-small-en-v1.5", 7),
        ("cross-encoder/ms-marco-MiniLM-L-6-v2", 8),
    ],
}


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_fixture_references_exact_names_and_lines(relpath: str) -> None:
    result = detect(relpath)
    assert pairs(result) == EXPECTED[relpath]
    assert result.warnings == []


def test_fixture_coverage_is_complete() -> None:
    on_disk = {
        p.relative_to(FIXTURES).as_posix()
        for p in FIXTURES.rglob("*")
        if p.is_file() and DETECTOR.wants(p.relative_to(FIXTURES).as_posix(), p.name)
    }
    assert on_disk == set(EXPECTED)


def test_provider_model_component_shape() -> None:
    result = detect("chat_service.py")
    claude = next(c for c in result.components if c.name.startswith("claude-sonnet"))
    assert claude.type is ComponentType.MODEL
    assert claude.provider == "anthropic"
    assert claude.category == "provider-model"
    assert claude.ecosystem is None and claude.purl is None
    assert claude.properties == {"family": "anthropic-claude-4", "status": "active"}
    evidence = claude.evidence[0]
    assert evidence.detector == "model-refs"
    assert evidence.path == "chat_service.py"
    assert 'model="claude-sonnet-4-5-20250929"' in evidence.snippet


def test_hugging_face_component_shape_with_revision() -> None:
    result = detect("embeddings.py")
    by_name = {c.name: c for c in result.components}
    distil = by_name["distilbert/distilbert-base-uncased-finetuned-sst-2-english"]
    assert distil.ecosystem == "huggingface"
    assert distil.category == "open-weights"
    assert distil.version == "714eb0fa89d2f80546fda750413ed43d93601a13"
    assert distil.purl == (
        "pkg:huggingface/distilbert/distilbert-base-uncased-finetuned-sst-2-english"
        "@714eb0fa89d2f80546fda750413ed43d93601a13"
    )
    llama = by_name["meta-llama/Llama-3.1-8B-Instruct"]
    assert llama.provider == "meta"  # the catalog maps the HF org to its provider
    assert llama.purl == "pkg:huggingface/meta-llama/Llama-3.1-8B-Instruct"


def test_ollama_models_carry_tag_as_version() -> None:
    [component] = detect("Modelfile").components
    assert component.version == "3b"
    assert component.properties["runtime"] == "ollama"
    assert component.provider == "meta"  # the llama family in the catalog


def test_retired_and_deprecated_models_raise_findings() -> None:
    [retired] = detect("chat_service.py").findings
    assert retired.rule_id == "AIM302"
    assert retired.rule_name == "retired-model-reference"
    assert (retired.primary.path, retired.primary.line, retired.primary.column) == (
        "chat_service.py",
        11,
        29,
    )
    assert "text-davinci-003" in retired.message
    assert "Retired in January 2024; use gpt-4o-mini" in retired.message
    [deprecated] = detect("client.go").findings
    assert deprecated.rule_id == "AIM301"
    assert deprecated.primary.line == 14
    assert "deprecated" in deprecated.message and "gpt-4o" in deprecated.message


def test_fingerprint_ignores_the_line() -> None:
    first = detect("a.py", 'm = "text-davinci-003"\n').findings[0]
    second = detect("a.py", '\n\n\nm = "text-davinci-003"\n').findings[0]
    assert first.fingerprint == second.fingerprint
    assert first.primary.line == 1 and second.primary.line == 4


@pytest.mark.parametrize(
    "text",
    [
        "# we compared gemini, claude and o1 last quarter\n",
        "o1 = compute()\n",
        'd["o1"] = 3\n',
        'print("switching to gpt-4o soon")\n',
        'url = "https://github.com/acme/gpt-4o-evals"\n',
        'name = "my-gpt-4o-deployment"\n',
        'REPO = "acme/support-bot"\n',
        'path = "checkpoints/gpt-4o/config.json"\n',
        "def gemini(): ...\n",
    ],
)
def test_negatives_in_code(text: str) -> None:
    assert detect("neg.py", text).components == []


def test_push_to_hub_publishes_a_model_but_not_a_dataset() -> None:
    text = (
        "from transformers import Trainer\n"
        'trainer.push_to_hub("acme-ai/support-lora", private=True)\n'
        'train_ds.push_to_hub("acme-ai/support-tickets")\n'
        'dataset.push_to_hub("acme-ai/support-tickets-v2")\n'
    )
    result = detect("train.py", text)
    assert pairs(result) == [("acme-ai/support-lora", 2)]
    assert result.components[0].properties["via"] == "push_to_hub"


def test_hf_call_negatives() -> None:
    text = (
        "from transformers import AutoModel\n"
        'a = AutoModel.from_pretrained("./checkpoints/best")\n'
        'b = AutoModel.from_pretrained("models/my-model")\n'
        'c = hf_hub_download(repo_id="rajpurkar/squad", repo_type="dataset", filename="x")\n'
        'd = AutoModel.from_pretrained("/mnt/weights/model.safetensors")\n'
        'github_repo = "acme/search-service"\n'
    )
    assert detect("load.py", text).components == []


def test_random_org_name_strings_are_not_repos_without_hf_context() -> None:
    text = 'owner = "octocat/hello-world"\nmodel_path = "acme/classifier"\n'
    assert detect("plain.py", text).components == []


def test_repo_of_a_known_hf_org_under_a_model_key_needs_no_loader_call() -> None:
    text = (
        "class Settings(BaseSettings):\n"
        '    chat_model: str = "mistralai/Mistral-7B-Instruct-v0.3"\n'
        '    blog: str = "mistralai/announcements"\n'
        '    reranker: str = "acme/rerank-v2"\n'
    )
    result = detect("settings.py", text)
    assert pairs(result) == [("mistralai/Mistral-7B-Instruct-v0.3", 2)]
    assert result.components[0].provider == "mistral"


def test_provider_colon_prefix() -> None:
    text = (
        'agent = Agent("openai:gpt-4o-mini")\nllm = init_chat_model("anthropic:claude-opus-4-1")\n'
    )
    assert pairs(detect("agents.py", text)) == [("gpt-4o-mini", 1), ("claude-opus-4-1", 2)]
    assert detect("x.py", 'label = "note:gpt-4o-mini is cheap"\n').components == []


def test_overlapping_passes_report_the_most_specific_reference_once() -> None:
    text = (
        "text-generation-launcher --model-id google/gemma-2-9b-it\n"
        "litellm --model google/gemma-2-9b-it\n"
        "ollama run llama3.1:8b\n"
    )
    result = detect("run.sh", text)
    assert [(c.name, c.ecosystem, c.version) for c in result.components] == [
        ("google/gemma-2-9b-it", "huggingface", None),
        ("gemma-2-9b-it", None, None),  # `--model` also takes OpenRouter-style routes
        ("llama3.1", None, "8b"),
    ]


def test_bedrock_arn() -> None:
    text = (
        'resource "aws_bedrockagent_agent" "a" {\n'
        '  foundation_model = "anthropic.claude-3-5-sonnet-20240620-v1:0"\n'
        '  resources = ["arn:aws:bedrock:eu-central-1::foundation-model/gpt-4o-mini"]\n'
        "}\n"
    )
    assert pairs(detect("bedrock.tf", text)) == [
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", 2),
        ("gpt-4o-mini", 3),
    ]


def test_trust_remote_code_is_reported_with_its_model() -> None:
    text = (
        "from transformers import AutoModelForCausalLM\n"
        "model = AutoModelForCausalLM.from_pretrained(\n"
        '    "someone/new-arch-7b",\n'
        "    trust_remote_code=True,\n"
        ")\n"
        "pinned = AutoModelForCausalLM.from_pretrained(\n"
        '    "someone/other-7b", revision="4f3a5c1e9b2d7a6f8e0c1b3d5f7a9c2e4b6d8f0a",\n'
        "    trust_remote_code=True)\n"
        "# trust_remote_code=True is discussed here only\n"
        "safe = AutoModelForCausalLM.from_pretrained('gpt2', trust_remote_code=False)\n"
    )
    findings = detect("load.py", text).findings
    assert [(f.rule_id, f.primary.line, str(f.severity)) for f in findings] == [
        ("AIM307", 4, "high"),
        ("AIM307", 8, "medium"),
    ]
    assert "`someone/new-arch-7b`" in findings[0].message
    assert findings[1].properties["pinned_revision"] is True
    shell = "vllm serve someone/new-arch-7b --trust-remote-code --port 8000\n"
    [finding] = detect("serve.sh", shell).findings
    assert (finding.rule_id, finding.primary.line) == ("AIM307", 1)
    assert finding.properties["model"] == "someone/new-arch-7b"
    config = "base_model: someone/new-arch-7b\ntrust_remote_code: true\n"
    assert [f.primary.line for f in detect("axolotl.yaml", config).findings] == [2]


def test_route_prefixes_are_not_hf_orgs() -> None:
    text = "model: openai/gpt-4o\nlocal: ollama/llama3.1\nhf_model: openai/whisper-large-v3\n"
    result = detect("litellm.yaml", text)
    assert [(c.name, c.ecosystem) for c in result.components] == [
        ("gpt-4o", None),
        ("llama3.1", None),
        ("openai/whisper-large-v3", "huggingface"),
    ]


def test_wants() -> None:
    for path in ("a.py", "b.ts", "c/llm.yaml", ".env", ".env.local", "Modelfile", "Dockerfile"):
        assert DETECTOR.wants(path, path.rsplit("/", 1)[-1]), path
    for path in ("README.md", "package-lock.json", "poetry.lock", "image.png", "notes.txt"):
        assert not DETECTOR.wants(path, path), path


def test_keywords_cover_catalog_and_loaders() -> None:
    words = set(DETECTOR.keywords(CATALOG) or [])
    assert {b"gpt-4o", b"claude", b"from_pretrained", b"ollama", b"meta-llama/"} <= words
    assert all(w == w.lower() for w in words)


def test_predicates() -> None:
    assert is_hf_repo_id("meta-llama/Llama-3.1-8B-Instruct")
    assert is_hf_repo_id("gpt2", allow_single=True)
    assert not is_hf_repo_id("gpt2")
    assert not is_hf_repo_id("models/bert")
    assert not is_hf_repo_id("org/config.json")
    assert not is_hf_repo_id("a--b/c")
    assert is_strong_model_id("gpt-4o") and not is_strong_model_id("o1")
    line = 'client = OpenAI(api_key="sk-proj-AbCdEf0123456789XyZ0123456789", model="gpt-4o")'
    start = line.index("gpt-4o")
    snippet = redact_snippet(line, (start, start + 6))
    assert "AbCdEf0123456789" not in snippet and "gpt-4o" in snippet
    fake_key = "sk-proj-" + "A1b2FAKE" * 8  # a long key whose start falls outside the window
    line = f'c = OpenAI(api_key="{fake_key}", timeout=30, model="gpt-4o-mini")'
    start = line.index("gpt-4o-mini")
    snippet = redact_snippet(line, (start, start + len("gpt-4o-mini")))
    assert "A1b2FAKE" not in snippet and snippet.endswith('model="gpt-4o-mini")')


def test_real_catalog_finds_seed_model() -> None:
    result = detect("svc.py", 'resp = client.chat.completions.create(model="gpt-4o-mini")\n',
                    catalog=load_catalog())  # fmt: skip
    assert ("gpt-4o-mini", 1) in pairs(result)
    assert result.components[0].provider == "openai"


@given(
    st.text(max_size=2000),
    st.sampled_from(["x.py", "x.ts", "c.yaml", ".env", "Modelfile", "run.sh", "Dockerfile"]),
)
def test_detector_never_raises_on_arbitrary_text(text: str, relpath: str) -> None:
    detect(relpath, text)


@given(st.lists(st.sampled_from([
    'model="', "gpt-4o", "o1", "/", '"', "'", "\n", "from_pretrained(", "pipeline(", ")", ",",
    "meta-llama/Llama-3", "ollama.chat(", "--model ", "FROM ", "# ", ":", "=", " ", "`",
]), max_size=60))  # fmt: skip
def test_detector_never_raises_on_structured_noise(parts: list[str]) -> None:
    text = "".join(parts)
    for relpath in ("x.py", "c.yaml", "Modelfile"):
        detect(relpath, text)


def test_display_name_and_id_merge_into_one_lower_case_component() -> None:
    from aims.scanner.assemble import merge_components

    result = detect("model_picker.ts")
    label = next(c for c in result.components if c.evidence[0].line == 5)
    assert label.evidence[0].snippet == 'label: "GPT-4o",'  # the text as written
    merged = merge_components(result.components)
    assert [(c.name, [e.line for e in c.evidence]) for c in merged] == [
        ("claude-sonnet-4-5-20250929", [12]),
        ("gpt-4o", [4, 5]),
        ("gpt-4o-mini", [9, 15]),
    ]


def test_hugging_face_spellings_of_one_repo_take_the_first_in_code_point_order() -> None:
    result = detect("rerank.py")
    lower = next(c for c in result.components if c.evidence[0].line == 7)
    assert lower.name == "BAAI/bge-small-en-v1.5"
    assert lower.purl == "pkg:huggingface/BAAI/bge-small-en-v1.5"
    assert 'from_pretrained("baai/bge-small-en-v1.5")' in lower.evidence[0].snippet
    alone = detect("embed.py", 'm = SentenceTransformer("baai/bge-small-en-v1.5")\n')
    assert pairs(alone) == [("baai/bge-small-en-v1.5", 1)]


@pytest.mark.parametrize(
    "relpath", ["ollama/Dockerfile", "ollama/application.properties", "ollama/ollama.env"]
)
def test_ollama_pulls_and_settings_are_ollama_models_not_hugging_face_repos(relpath: str) -> None:
    result = detect(relpath)
    assert result.components
    for component in result.components:
        assert component.ecosystem is None and component.purl is None
        assert component.category == "open-weights"
        assert component.properties["runtime"] == "ollama"
    # `meta-llama/` is a Hugging Face organisation the catalog knows, but `ollama pull` decides.
    tags = {c.name: c.version for c in result.components}
    assert tags.get("avcodes/flowaicom-flow-judge", "q4") == "q4"
    if relpath == "ollama/Dockerfile":
        assert tags == {
            "avcodes/flowaicom-flow-judge": "q4",
            "meta-llama/llama3.1": "8b",
            "qwen2.5": "7b",
        }


def test_ollama_settings_need_a_model_key_under_an_ollama_name() -> None:
    text = "OLLAMA_MODELS=weights\nOLLAMA_HOST=llama3\nCHAT_MODEL_DIR=ollama\n"
    assert pairs(detect("deploy.env", text)) == []


def test_jvm_builders_of_hugging_face_classes_name_repos() -> None:
    result = detect("java/Embeddings.java")
    assert {c.name: c.properties["via"] for c in result.components} == {
        "sentence-transformers/all-mpnet-base-v2": "modelId",
        "intfloat/e5-small-v2": "modelName",
    }
    assert all(c.purl and c.purl.startswith("pkg:huggingface/") for c in result.components)


def test_jvm_builder_without_a_hugging_face_class_or_import_is_not_a_repo() -> None:
    text = (
        "import dev.langchain4j.model.openai.OpenAiChatModel;\n"
        "class A { ChatModel m = OpenAiChatModel.builder()"
        '.modelName("acme/support-bot-v2").build(); }\n'
    )
    assert pairs(detect("A.java", text)) == []
    imported = "import dev.langchain4j.model.huggingface.HuggingFaceChatModel;\n" + text
    assert pairs(detect("A.java", imported)) == []  # the statement builds another class


def test_enum_constants_are_provider_models_with_their_provider() -> None:
    result = detect("java/Assistants.java")
    assert {(c.name, c.provider, c.properties.get("via")) for c in result.components} == {
        ("gpt-4o-mini", "openai", "enum"),
        ("gpt-4o", "openai", "enum"),
        ("o3-mini", "openai", "enum"),
        ("claude-3-5-sonnet-20240620", "anthropic", "enum"),
        ("claude-haiku-4-5-20251001", "anthropic", "enum"),
        ("o3", "openai", None),
    }


@pytest.mark.parametrize(
    ("constant", "model_id"),
    [
        ("GPT_4_O", "gpt-4o"),
        ("GPT_4_O_MINI", "gpt-4o-mini"),
        ("GPT_4O_MINI", "gpt-4o-mini"),
        ("GPT_4_1", "gpt-4.1"),
        ("GPT_3_5_TURBO_INSTRUCT", "gpt-3.5-turbo-instruct"),
        ("O3_MINI", "o3-mini"),
        ("TEXT_EMBEDDING_3_SMALL", "text-embedding-3-small"),
        ("CLAUDE_3_5_SONNET_20240620", "claude-3-5-sonnet-20240620"),
        ("CLAUDE_HAIKU_4_5_20251001", "claude-haiku-4-5-20251001"),
        ("MISTRAL_SMALL_LATEST", "mistral-small-latest"),
        ("DEFAULT_TIMEOUT", None),
        ("SENTENCE_TRANSFORMERS_ALL_MINI_LM_L6_V2", None),
    ],
)
def test_enum_constant_maps_to_the_real_catalog_id(constant: str, model_id: str | None) -> None:
    mapped = enum_model_id(constant, load_catalog())
    assert (mapped[0] if mapped else None) == model_id


def test_enum_constants_of_other_classes_and_in_comments_are_ignored() -> None:
    text = (
        "// OpenAiChatModelName.GPT_4_O is the default\n"
        "int n = Limits.GPT_4_O;\n"
        "var m = OpenAiChatModel.builder();\n"
        'String s = "OpenAiChatModelName.GPT_4_O_MINI_TYPO";\n'
    )
    assert pairs(detect("B.java", text)) == []


@pytest.mark.parametrize(
    "line",
    [
        'o1 = "o1"',
        'steps = ["o3", "plan", "act"]',
        'label = ask("o3")',
        'print("o1 vs o3: which is better?")',
        'pair = ("o1", "gpt-4o")',
        'x = obj.o1("o3")',
    ],
)
def test_short_ids_need_a_model_argument_or_a_sibling_of_their_family(line: str) -> None:
    names = [name for name, _ in pairs(detect("snippet.py", line + "\n"))]
    assert names == (["gpt-4o"] if "gpt-4o" in line else [])


def test_short_ids_in_builder_calls_and_beside_full_ids() -> None:
    text = 'm = client.model("o1")\nfor m in ["o3", "o3-mini"]:\n    pass\n'
    assert pairs(detect("snippet.py", text)) == [("o1", 1), ("o3", 2), ("o3-mini", 2)]


def test_typed_default_is_a_model_key_but_other_typed_names_are_not() -> None:
    text = 'def ask(model: str = "o1") -> None: ...\ndef go(step: str = "o3") -> None: ...\n'
    assert pairs(detect("snippet.py", text)) == [("o1", 1)]


def test_long_words_before_a_model_id_do_not_make_the_scan_quadratic() -> None:
    import time

    text = ("x" * 3980 + ' "gpt-4o"\n') * 200
    began = time.perf_counter()
    result = detect("generated.py", text)
    assert len(result.components) == 200
    assert time.perf_counter() - began < 5.0  # was about 13 s before the bound


@given(st.from_regex(r"[A-Z][A-Z0-9_]{0,40}", fullmatch=True))
def test_enum_mapping_returns_a_lower_case_catalog_id_or_none(constant: str) -> None:
    mapped = enum_model_id(constant, CATALOG)
    if mapped is not None:
        model_id, fam = mapped
        assert model_id == model_id.lower() and "_" not in model_id
        assert CATALOG.model_family(model_id) is fam


def test_a_manifest_name_field_is_the_project_not_a_model() -> None:
    # transformers.js example apps are named after the model they demo; the model they load
    # is named elsewhere (and is still found there).
    package_json = (
        "{\n"
        '  "name": "qwen3-webgpu",\n'
        '  "productName": "llama-3.2-webgpu",\n'
        '  "scripts": {"pull": "ollama pull llama3.2"},\n'
        '  "config": {"model": "gpt-4o-mini"}\n'
        "}\n"
    )
    result = detect("qwen3-webgpu/package.json", package_json, catalog=load_catalog())
    assert sorted(pairs(result)) == [("gpt-4o-mini", 5), ("llama3.2", 4)]
    # The same string as a model setting in an ordinary config file is a model.
    result = detect("config.json", '{"name": "qwen3-32b"}\n', catalog=load_catalog())
    assert pairs(result) == [("qwen3-32b", 1)]


def test_bicep_deployments_name_their_models() -> None:
    # Azure samples deploy their models in Bicep; the application reads the deployment name.
    bicep = (
        "param chatModelName string = 'gpt-4o-mini'\n"
        "resource embedding 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {\n"
        "  properties: {\n"
        "    model: {\n"
        "      format: 'OpenAI'\n"
        "      name: 'text-embedding-3-small'\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    result = detect("infra/main.bicep", bicep, catalog=load_catalog())
    assert pairs(result) == [("gpt-4o-mini", 1), ("text-embedding-3-small", 6)]


def test_component_files_of_web_frameworks_are_code() -> None:
    svelte = (
        "<script>\n"
        "  import { pipeline } from '@huggingface/transformers';\n"
        "  const classify = pipeline('sentiment-analysis', 'Xenova/distilbert-base-uncased-finetuned-sst-2-english');\n"
        "</script>\n"
        '<select><option value="gpt-4o-mini">GPT-4o mini</option></select>\n'
    )
    result = detect("src/routes/+page.svelte", svelte, catalog=load_catalog())
    assert ("Xenova/distilbert-base-uncased-finetuned-sst-2-english", 3) in pairs(result)
    assert ("gpt-4o-mini", 5) in pairs(result)


def test_lines_too_long_to_report_are_not_searched() -> None:
    # A recorded HTTP cassette: the request names the model; a data URL follows on one line.
    cassette = (
        "request:\n"
        '  body: \'{"model": "gpt-4o-mini"}\'\n'
        "response:\n"
        "  body: 'data:image/png;base64," + "o1QUFBo3glm+/" * 50_000 + "'\n"
        "  model: claude-3-5-haiku-20241022\n"
    )
    result = detect("tests/cassettes/image.yaml", cassette, catalog=load_catalog())
    assert pairs(result) == [("gpt-4o-mini", 2), ("claude-3-5-haiku-20241022", 5)]


def test_quoted_repo_ids_on_a_long_line_are_checked_in_linear_time() -> None:
    # A JSON body on one line, full of quoted `a/b` values (MIME types), before a real repo ID.
    body = '{"parts": [' + ", ".join(['{"mime": "image/jpeg"}'] * 20_000) + "]}"
    text = (
        "from sentence_transformers import SentenceTransformer\n"
        f"BODY = '{body}'\n"
        'embed_model = "BAAI/bge-small-en-v1.5"\n'
    )
    started = time.perf_counter()
    result = detect("app/embed.py", text, catalog=load_catalog())
    assert ("BAAI/bge-small-en-v1.5", 3) in pairs(result)
    assert time.perf_counter() - started < 10  # about 0.2 s; the unbounded look-back took minutes


def test_placeholder_names_in_ollama_commands_are_not_models() -> None:
    # A course FAQ: "type ``ollama run model_name``, e.g. ``ollama run phi3``".
    text = "ollama run model_name\nollama pull your-model\nollama run phi3\n"
    assert [(c.name, c.version) for c in detect("faq.sh", text).components] == [("phi3", None)]


def test_sentence_transformers_distilbert_models_belong_to_sbert() -> None:
    text = "model = SentenceTransformer('multi-qa-distilbert-cos-v1')\n"
    found = detect("embed.py", text, catalog=load_catalog()).components
    assert [(c.name, c.provider) for c in found] == [("multi-qa-distilbert-cos-v1", "sbert")]


def test_a_model_id_with_an_ollama_size_tag_is_an_ollama_model() -> None:
    # rag-postgres-openai-python: `os.getenv("OLLAMA_CHAT_MODEL") or "phi3:3.8b"`.
    text = (
        'chat = os.getenv("OLLAMA_CHAT_MODEL") or "phi3:3.8b"\n'
        'bedrock = "anthropic.claude-3-5-sonnet-20240620-v1:0"\n'
    )
    found = detect("deps.py", text, catalog=load_catalog()).components
    assert [(c.name, c.version, c.category, c.properties.get("runtime")) for c in found] == [
        ("phi3", "3.8b", "open-weights", "ollama"),
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", None, "provider-model", None),
    ]
