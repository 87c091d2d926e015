"""Finds references to AI models in code and configuration: provider model IDs and open weights.

Two kinds of reference are reported as `model` components:

- provider model IDs the catalog knows (`gpt-4o-mini`, `claude-sonnet-4-5-20250929`, Bedrock
  and Vertex spellings), when they stand in a string literal, a configuration value, an
  assignment or a `--model` flag; short ambiguous IDs (`o1`) only when a model key or flag
  names them;
- open-weight models: Hugging Face repo IDs in calls that load them (`from_pretrained`,
  `pipeline`, `hf_hub_download`, `SentenceTransformer`, vLLM `LLM`/`--model`, ...), in model
  keys of configuration files, and Ollama models (`ollama.chat(model=...)`, `ollama pull`,
  Modelfile `FROM`).

A model whose catalog family is deprecated or retired also raises AIM301 / AIM302.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aims.findings import Finding, Location, Severity, make_finding
from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog, ModelFamily, ModelMatch

NAME = "model-refs"

_CODE_EXTENSIONS = frozenset(
    {
        ".py",
        ".pyi",
        ".ts",
        ".tsx",
        ".mts",
        ".cts",
        ".js",
        ".jsx",
        ".mjs",
        ".cjs",
        ".go",
        ".java",
        ".kt",
        ".kts",
        ".scala",
        ".rs",
        ".rb",
        ".cs",
        ".php",
        ".swift",
        ".r",
        ".jl",
        ".lua",
        ".ex",
        ".exs",
        ".dart",
        ".vue",
        ".svelte",
        ".astro",
    }
)
_SHELL_EXTENSIONS = frozenset({".sh", ".bash", ".zsh", ".ps1", ".mk", ".dockerfile"})
_CONFIG_EXTENSIONS = frozenset(
    {
        ".yaml",
        ".yml",
        ".json",
        ".jsonc",
        ".json5",
        ".toml",
        ".ini",
        ".cfg",
        ".conf",
        ".properties",
        ".env",
        ".tf",
        ".tfvars",
        ".hcl",
        ".bicep",
        ".bicepparam",
    }
)
_SELF_NAMED_MANIFESTS = frozenset(
    {
        "package.json",
        "manifest.json",
        "jsr.json",
        "deno.json",
        "composer.json",
        "app.json",
        "cargo.toml",
        "pyproject.toml",
        "pubspec.yaml",
    }
)
"""Package and app manifests whose name fields name the project itself (an example app called
`llama-3.2-webgpu`), never a model it calls."""
_SELF_NAME_KEYS = frozenset({"name", "displayname", "productname", "short_name"})
_SHELL_NAMES = frozenset({"dockerfile", "containerfile", "makefile", "gnumakefile", "procfile"})
_MODELFILE_NAMES = frozenset({"modelfile"})
_SKIP_NAMES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "uv.lock",
        "pipfile.lock",
        "composer.lock",
        "cargo.lock",
        "go.sum",
        "tsconfig.json",
    }
)

_MAX_LINE = 4000
"""Longer lines (minified code, embedded data) are not searched for contextual references."""

# NOTE: LiteLLM, OpenRouter, Vertex and others prefix a provider model ID with a route
# (`openai/gpt-4o`, `bedrock/...`, `models/gemini-1.5-pro`); such a prefix is not a HF org.
_ROUTE_PREFIXES = frozenset(
    {
        "anthropic",
        "azure",
        "azure_ai",
        "bedrock",
        "bedrock_converse",
        "vertex_ai",
        "vertex_ai_beta",
        "vertexai",
        "gemini",
        "google-vertex",
        "models",
        "publishers",
        "tunedmodels",
        "ollama",
        "ollama_chat",
        "groq",
        "together_ai",
        "openrouter",
        "fireworks_ai",
        "deepinfra",
        "replicate",
        "perplexity",
        "mistral",
        "cohere",
        "cohere_chat",
        "xai",
        "deepseek",
        "cerebras",
        "sagemaker",
        "watsonx",
        "huggingface",
        "hosted_vllm",
        "lm_studio",
        "nvidia_nim",
        "github",
        "copilot",
        "databricks",
        "snowflake",
        "cloudflare",
        "litellm_proxy",
        "litellm",
        "text-completion-openai",
        "azure-openai",
        "amazon-bedrock",
        "google-vertex-anthropic",
    }
)
_AMBIGUOUS_ROUTES = frozenset({"openai", "google"})
# Directory names that make `name/thing` a local path rather than a Hugging Face repo.
_LOCAL_DIRS = frozenset(
    {
        "models",
        "model",
        "checkpoints",
        "checkpoint",
        "ckpt",
        "outputs",
        "output",
        "out",
        "data",
        "tmp",
        "temp",
        "saved_models",
        "saved_model",
        "artifacts",
        "weights",
        "runs",
        "cache",
        "local",
        "assets",
        "resources",
        "results",
        "src",
        "lib",
        "build",
        "dist",
        "experiments",
        "exports",
        "pretrained",
    }
)
_FILE_SUFFIX = re.compile(
    r"\.(?:json|ya?ml|toml|txt|md|py|bin|pt|pth|ckpt|safetensors|gguf|ggml|onnx|h5|pkl|"
    r"joblib|keras|tflite|pb|zip|tar|gz|csv|parquet|jsonl|model|js|ts|html|sh|git)$",
    re.IGNORECASE,
)
_HF_REPO = re.compile(r"[A-Za-z0-9](?:[\w.\-]{0,94}[\w])?/[A-Za-z0-9](?:[\w.\-]{0,94}[\w])?")
_HF_SINGLE = re.compile(r"[A-Za-z0-9](?:[\w.\-]{0,94}[\w])?")
_OLLAMA_NAME = re.compile(
    r"(?:(?P<ns>[a-z0-9][\w.\-]*)/)?(?P<name>[a-z0-9][\w.\-]*)(?::(?P<tag>[\w.\-]+))?",
    re.IGNORECASE,
)
_OLLAMA_TAG = re.compile(r":\d+(?:\.\d+)?[bmBM](?:-[\w.]+)?\Z")
"""An Ollama tag naming a parameter count (`:8b`, `:3.8b`, `:70b-instruct-q4_K_M`); Bedrock's
`:0` version suffix is not one. (`:latest` alone says nothing: the ID is kept as written.)"""
_PLACEHOLDER_NAMES = frozenset(
    {
        "model",
        "model_name",
        "model-name",
        "modelname",
        "model_id",
        "model-id",
        "my_model",
        "my-model",
        "mymodel",
        "your_model",
        "your-model",
        "your_model_name",
        "your-model-name",
        "name",
        "example",
    }
)
"""Words that stand for a model in documentation (`ollama run model_name`)."""
_HF_CO = re.compile(r"(?:https?://)?(?:hf\.co|huggingface\.co)/(?P<repo>[^\s:@\"']+)")

_QUOTES = "\"'`"
_NEWLINE = re.compile("\n")
_TOKEN_LEFT = re.compile(r"[\w.\-/]*$")
_COLON_ROUTE = re.compile(r"""["'`](?P<route>[A-Za-z][\w\-]*:)\Z""")
_ARN_ROUTE = re.compile(
    r"""["'`](?P<route>arn:aws[\w-]*:bedrock:[\w-]*:\d*:"""
    r"""(?:foundation-model|inference-profile|provisioned-model|custom-model|imported-model)/)\Z"""
)
_TOKEN_RIGHT = re.compile(r"[:@][\w.\-]+")
_KEY_BEFORE = re.compile(
    r"""(?P<key>[A-Za-z_$][\w.\-]*)["'\]]?\s*"""
    r"""(?::=|=>|:\s*[A-Za-z_][\w.\[\], |]{0,60}?\s*=|[:=])\s*(?:[\[(]\s*)?["'`]?$"""
)
"""`key = "..."`, `key: "..."`, `"key": "..."`, and a typed default `model: str = "..."`."""
_FLAG_BEFORE = re.compile(
    r"""(?:^|[\s"'\[,(])(?P<flag>--?[A-Za-z][\w\-]*)["']?(?:=|\s*,?\s*|\s+)["'`]?$"""
)
_LIST_BEFORE = re.compile(r"""^\s*-\s+["']?$""")
_MODEL_KEY = re.compile(r"model|engine|llm|deployment|checkpoint", re.IGNORECASE)
_MODEL_FLAGS = frozenset(
    {
        "--model",
        "-m",
        "--model-name",
        "--model_name",
        "--model-id",
        "--model_id",
        "--model-path",
        "--model_name_or_path",
        "--base-model",
        "--base_model",
        "--served-model-name",
        "--llm",
        "--engine",
        "--hf-repo",
        "-hf",
        "--tokenizer",
    }
)


@dataclass(slots=True)
class _Kind:
    """How a file's text is read: code needs quotes, config and shell accept bare values."""

    code: bool
    config: bool
    shell: bool
    modelfile: bool = False


def _file_kind(name: str) -> _Kind | None:
    lower = name.lower()
    if lower in _SKIP_NAMES or lower.endswith(".lock") or lower.endswith(".min.js"):
        return None
    if lower in _MODELFILE_NAMES or lower.endswith(".modelfile"):
        return _Kind(code=False, config=False, shell=True, modelfile=True)
    if lower in _SHELL_NAMES or lower.startswith("dockerfile.") or lower.startswith("makefile."):
        return _Kind(code=False, config=False, shell=True)
    if lower == ".env" or lower.startswith(".env.") or lower.endswith(".env"):
        return _Kind(code=False, config=True, shell=True)
    dot = lower.rfind(".")
    ext = lower[dot:] if dot >= 0 else ""
    if ext in _CODE_EXTENSIONS:
        return _Kind(code=True, config=False, shell=False)
    if ext in _SHELL_EXTENSIONS:
        return _Kind(code=False, config=False, shell=True)
    if ext in _CONFIG_EXTENSIONS:
        return _Kind(code=False, config=True, shell=False)
    return None


# --------------------------------------------------------------------------------------------
# Small pure predicates


def is_hf_repo_id(value: str, *, allow_single: bool = False) -> bool:
    """Return True when `value` is shaped like a Hugging Face model repo ID, not a path or URL.

    `org/name` with hub-legal characters; `allow_single` also accepts legacy one-part IDs
    (`gpt2`, `bert-base-uncased`) that contain a digit or a hyphen. Local-looking paths
    (`./x`, `models/x`, `x.json`) are rejected.
    """
    if not value or len(value) > 200 or "--" in value or ".." in value:
        return False
    if value.endswith((".git", ".")) or _FILE_SUFFIX.search(value):
        return False
    if _HF_REPO.fullmatch(value):
        org = value.split("/", 1)[0]
        return org.lower() not in _LOCAL_DIRS
    if allow_single and _HF_SINGLE.fullmatch(value):
        return any(c.isdigit() or c == "-" for c in value)
    return False


def is_route_prefix(value: str, catalog: Catalog, *, hf_context: bool = False) -> bool:
    """Return True when `org/name` is a gateway route to a provider model, not a HF repo.

    `bedrock/...`, `ollama/...` and similar prefixes are never Hugging Face organisations.
    `openai/` and `google/` are both (OpenRouter routes and real HF orgs): outside a Hugging
    Face context (`hf_context`) they count as a route when the rest is a model ID the catalog
    knows (`openai/gpt-4o`, not `openai/whisper-large-v3`).
    """
    org, _, name = value.partition("/")
    org = org.lower()
    if org in _AMBIGUOUS_ROUTES:
        return not hf_context and catalog.model_family(name) is not None
    return org in _ROUTE_PREFIXES


def is_strong_model_id(model_id: str) -> bool:
    """Return True for IDs distinctive enough to trust in any string (`gpt-4o`, not `o1`)."""
    return len(model_id) >= 5 and ("-" in model_id or "." in model_id)


def redact_snippet(line: str, keep: tuple[int, int]) -> str:
    """Return a short excerpt of `line` around `keep`, with key-like tokens replaced.

    The text outside `keep` is redacted before the excerpt is cut, so a key can never be
    shown in part; the kept span (the model reference itself) is shown as written.
    """
    start, end = keep
    before = _source.redact(line[:start])[-60:]
    after = _source.redact(line[end:])[:40]
    return (before + line[start:end] + after).strip()


def _in_comment(prefix: str, kind: _Kind) -> bool:
    """Return True when the text before a match on its line puts the match inside a comment."""
    stripped = prefix.lstrip()
    markers = ("#", "//", "/*", "* ", "<!--") if kind.code else ("#", "//", ";", "<!--")
    if stripped.startswith(markers):
        return True
    quote: str | None = None
    prev = " "
    for i, ch in enumerate(prefix):
        if quote:
            if ch == quote and prev != "\\":
                quote = None
        elif ch in _QUOTES:
            quote = ch
        elif ch == "#" and prev.isspace():
            return True
        elif ch == "/" and prefix[i + 1 : i + 2] == "/" and prev.isspace():
            return True
        prev = ch
    return False


@dataclass(slots=True)
class _Context:
    quoted: bool
    key: str | None
    flag: str | None
    list_item: bool


def _context(line: str, start: int, end: int) -> _Context:
    before = line[:start]
    quote_before = before[-1:] if before[-1:] in _QUOTES else ""
    after = line[end : end + 1]
    quoted = bool(quote_before) and after == quote_before
    key_match = _KEY_BEFORE.search(before[-200:])  # bounded: the regex is quadratic
    flag_match = _FLAG_BEFORE.search(before)
    return _Context(
        quoted=quoted,
        key=key_match.group("key") if key_match else None,
        flag=flag_match.group("flag") if flag_match else None,
        list_item=bool(_LIST_BEFORE.match(before)),
    )


def _model_context(ctx: _Context) -> bool:
    return bool(
        (ctx.key and _MODEL_KEY.search(ctx.key)) or (ctx.flag and ctx.flag.lower() in _MODEL_FLAGS)
    )


# --------------------------------------------------------------------------------------------
# Open-weight references: calls and keys


_HF_CALLS = re.compile(
    r"""(?x)
    (?=[.pshSCIAHTLm])  # NOTE: a first-character filter keeps this alternation fast
    (?P<fn>\.from_pretrained|\.push_to_hub|\bpipeline|\bhf_hub_download|\bsnapshot_download|\bhf_hub_url
      |\bSentenceTransformer|\bCrossEncoder|\bInferenceClient|\bAsyncInferenceClient
      |\bHuggingFaceEmbeddings|\bHuggingFaceEndpoint|\bHuggingFacePipeline
      |\bHuggingFaceInferenceAPIEmbeddings|\bHuggingFaceEndpointEmbeddings|\bHfApiModel
      |\bInferenceClientModel|\bTransformersModel|\bLLM|\bmlx_lm\.load)\s*\(""",
)
_OLLAMA_CALLS = re.compile(
    r"""(?x)
    (?P<fn>\bollama\.(?:chat|generate|embed|embeddings|pull|push|show|create|delete|copy)
      |\b(?:Chat)?Ollama(?:LLM|Embeddings|Functions)?|\bOllamaEmbedding)\s*\("""
)
_KWARG = re.compile(
    r"""(?P<key>[A-Za-z_]\w*)\s*[=:]\s*(?P<q>["'`])(?P<value>[^"'`\n]{1,200})(?P=q)"""
)
_POSITIONAL = re.compile(r"""\s*(?P<q>["'`])(?P<value>[^"'`\n]{1,200})(?P=q)\s*(?:,|$)""")
_HF_KEYS = frozenset(
    {
        "model",
        "model_id",
        "model_name",
        "model_name_or_path",
        "pretrained_model_name_or_path",
        "repo_id",
        "base_model",
        "base_model_name_or_path",
        "model_path",
        "hf_model",
        "hub_model_id",
        "checkpoint",
        "embedding_model",
        "embed_model",
        "reranker_model",
        "tokenizer",
        "tokenizer_name",
        "tokenizer_name_or_path",
    }
)
_HF_MARKERS = (
    "transformers",
    "huggingface",
    "sentence_transformers",
    "diffusers",
    "from_pretrained",
    "hf_hub_download",
    "snapshot_download",
    "vllm",
    "peft",
    "mlx_lm",
    "optimum",
    "@xenova",
    "setfit",
    "smolagents",
    "llama_cpp",
)
"""Lower-case words that show a file uses Hugging Face (or vLLM) libraries."""
_HF_ASSIGN_KEY = re.compile(r"model|checkpoint|ckpt|tokenizer|^repo_id$|^hf_repo", re.IGNORECASE)
_QUOTED_REPO = re.compile(
    r"""(?P<q>["'`])(?P<value>[A-Za-z0-9][\w.\-]{0,95}/[A-Za-z0-9][\w.\-]{0,95})(?P=q)"""
)
_ASSIGN_BEFORE = re.compile(
    r"""(?P<key>[A-Za-z_][\w\-]*)["']?\s*(?::\s*[A-Za-z_][\w\[\], |]*)?\s*(?::=|=>|[:=])\s*\Z"""
)
_ASSIGN_WINDOW = 200
"""How far before a quoted repo ID its key and assignment operator are looked for."""
_REPO_KEY_HINT = re.compile(
    r"model|embed|rerank|encoder|checkpoint|ckpt|repo_id|llm|tokenizer|generator|classifier",
    re.IGNORECASE,
)
_CONFIG_KEY_VALUE = re.compile(
    r"""^\s*(?:-\s+)?["']?(?P<key>[A-Za-z_][\w.\-]*)["']?\s*[:=]\s*(?P<q>["']?)"""
    r"""(?P<value>[A-Za-z0-9][\w.\-]*/[A-Za-z0-9][\w.\-]*)(?P=q)\s*(?:[,#}]|$)"""
)
_CLI_MODEL = re.compile(
    r"""(?:^|[\s"'\[,(])(?P<flag>--model|--model-id|--model_id|--model-name|--model_name"""
    r"""|--model_name_or_path|--base-model|--base_model|--hf-repo|-hf|--tokenizer)"""
    r"""(?:=|["']?\s*,?\s*["']?|\s+)(?P<value>[A-Za-z0-9][\w.\-]*/[A-Za-z0-9][\w.\-:]*)"""
)
_CLI_SERVE = re.compile(
    r"""(?:^|[\s;&|(])(?:vllm\s+serve|huggingface-cli\s+download|hf\s+download|"""
    r"""mlx_lm\.\w+\s+--model|sglang\.launch_server\s+--model-path)\s+"""
    r"""(?P<value>[A-Za-z0-9][\w.\-]*/[A-Za-z0-9][\w.\-]*)"""
)
_CLI_OLLAMA = re.compile(
    r"""(?:^|[\s;&|(`'"])ollama\s+(?P<verb>pull|run|show|push|stop)\s+(?P<value>[\w.\-/:]+)"""
)
_OLLAMA_SETTING = re.compile(
    r"""^[ \t]*(?:export[ \t]+)?["']?(?P<key>[\w.\-]*ollama[\w.\-]*?model(?:[_\-]?(?:name|id))?)"""
    r"""["']?[ \t]*[:=][ \t]*(?P<q>["']?)(?P<value>[A-Za-z0-9][\w.\-/]*(?::[\w.\-]+)?)(?P=q)"""
    r"""[ \t]*(?:[,#]|$)""",
    re.IGNORECASE | re.MULTILINE,
)
"""A flat setting whose key names Ollama and ends in a model key: `OLLAMA_MODEL=llama3.2`,
`spring.ai.ollama.chat.options.model=qwen2.5:7b` (not `OLLAMA_MODELS`, the models folder)."""
_MODELFILE_FROM = re.compile(r"^\s*FROM\s+(?P<value>\S+)", re.IGNORECASE | re.MULTILINE)
_REVISION = re.compile(r"""\brevision\s*=\s*["']([0-9a-fA-F]{40})["']""")
_REPO_TYPE_NOT_MODEL = re.compile(r"""\brepo_type\s*=\s*["'](?:dataset|space)["']""")

# Which argument of a call names the model: "first" positional, "second" (after a task) or
# only keywords.
_FIRST_POSITIONAL = frozenset(
    {
        ".from_pretrained",
        ".push_to_hub",
        "hf_hub_download",
        "snapshot_download",
        "hf_hub_url",
        "SentenceTransformer",
        "CrossEncoder",
        "InferenceClient",
        "AsyncInferenceClient",
        "HfApiModel",
        "InferenceClientModel",
        "TransformersModel",
        "LLM",
        "mlx_lm.load",
    }
)
_SINGLE_OK = frozenset(
    {".from_pretrained", "pipeline", "SentenceTransformer", "CrossEncoder", "TransformersModel"}
)
_DATASET_RECEIVER = re.compile(r"(?i)(?:data\w*|ds|\w*_ds|splits?)\Z")
_NEEDS_MARKER = frozenset({"LLM"})


@dataclass(slots=True)
class _Ref:
    """One model reference found in the text, before it becomes a component."""

    start: int
    end: int
    name: str
    kind: str
    """`provider-model`, `huggingface` or `ollama`."""
    family: ModelFamily | None = None
    version: str | None = None
    via: str = ""


_IDENTIFIER_ARG = re.compile(r"\s*([A-Za-z_]\w*)\s*(?:,|$)")


def _resolve_constant(text: str, name: str) -> tuple[int, str] | None:
    """Find `NAME = "value"` (or `const NAME = '...'`) in the same file: offset and value."""
    if name in ("None", "True", "False", "self", "null", "undefined"):
        return None
    found = re.search(
        rf"""^[ \t]*(?:(?:const|let|var|final)\s+)?{re.escape(name)}\s*(?::\s*\w+\s*)?"""
        r"""(?::=|=)\s*(?P<q>["'`])(?P<value>[^"'`\n]{1,200})(?P=q)\s*;?[ \t]*(?:#.*|//.*)?$""",
        text,
        re.MULTILINE,
    )
    return (found.start("value"), found.group("value")) if found else None


def _call_args(text: str, open_paren: int) -> str:
    """Return the text of a call's arguments (bounded, up to the matching parenthesis)."""
    depth = 0
    limit = min(len(text), open_paren + 1500)
    for i in range(open_paren, limit):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return text[open_paren + 1 : i]
    return text[open_paren + 1 : limit]


def _find_call_refs(text: str, catalog: Catalog, *, has_marker: bool) -> list[_Ref]:
    refs: list[_Ref] = []
    for call in _HF_CALLS.finditer(text):
        fn = call.group("fn")
        if fn in _NEEDS_MARKER and not has_marker:
            continue
        if fn == ".push_to_hub" and _DATASET_RECEIVER.search(text, 0, call.start()):
            continue  # `dataset.push_to_hub(...)` publishes data, not a model
        open_paren = call.end() - 1
        args = _call_args(text, open_paren)
        base = open_paren + 1
        if _REPO_TYPE_NOT_MODEL.search(args):
            continue
        revision = _REVISION.search(args)
        candidates = [
            (base + kw.start("value"), kw.group("value"))
            for kw in _KWARG.finditer(args)
            if kw.group("key") in _HF_KEYS
        ]
        positional = _POSITIONAL.match(args)
        if positional is not None:
            if fn in _FIRST_POSITIONAL:
                candidates.append((base + positional.start("value"), positional.group("value")))
            elif fn == "pipeline":
                second = _POSITIONAL.match(args, positional.end())
                if second is not None:
                    candidates.append((base + second.start("value"), second.group("value")))
        elif fn in _FIRST_POSITIONAL:
            name = _IDENTIFIER_ARG.match(args)
            resolved = _resolve_constant(text, name.group(1)) if name else None
            if resolved is not None:
                candidates.append(resolved)
        for offset, value in candidates:
            allow_single = fn in _SINGLE_OK
            if is_hf_repo_id(value, allow_single=allow_single):
                if "/" in value and fn == "LLM" and is_route_prefix(value, catalog):
                    continue
                refs.append(
                    _Ref(
                        offset,
                        offset + len(value),
                        value,
                        "huggingface",
                        version=revision.group(1).lower() if revision else None,
                        via=fn.lstrip("."),
                    )
                )
    for call in _OLLAMA_CALLS.finditer(text):
        args = _call_args(text, call.end() - 1)
        base = call.end()
        found = None
        for kw in _KWARG.finditer(args):
            if kw.group("key") == "model":
                found = (base + kw.start("value"), kw.group("value"))
                break
        if found is None and call.group("fn").startswith("ollama."):
            positional = _POSITIONAL.match(args)
            if positional is not None:
                found = (base + positional.start("value"), positional.group("value"))
        if found is not None:
            ref = _ollama_ref(found[0], found[1], via="ollama")
            if ref is not None:
                refs.append(ref)
    return refs


_BUILDER_MODEL = re.compile(
    r"""\.(?P<fn>modelName|modelId|withModel)\s*\(\s*(?P<q>["'])(?P<value>[^"'\n]{1,200})(?P=q)\s*\)"""
)
_HF_RUNTIME_CLASS = re.compile(r"\b(?:HuggingFace|Jlama)\w*")
"""JVM classes that load Hugging Face repos: LangChain4j `HuggingFace*` models and Jlama."""
_HF_RUNTIME_IMPORT = re.compile(r"^\s*import\s+[\w.]*\.(?:huggingface|jlama)\.", re.MULTILINE)
_ANY_BUILDER = re.compile(r"\b[A-Z]\w*\.builder\s*\(")


def _find_builder_refs(text: str, catalog: Catalog) -> list[_Ref]:
    """Hugging Face repos passed to JVM builders: `.modelName("intfloat/e5-small-v2")`.

    The statement must build a `HuggingFace*` or `Jlama*` class, or the file must import one of
    their packages and the statement build no other class; gateway routes are skipped.
    """
    refs: list[_Ref] = []
    imports = _HF_RUNTIME_IMPORT.search(text) is not None
    for found in _BUILDER_MODEL.finditer(text):
        value = found.group("value")
        if not is_hf_repo_id(value) or is_route_prefix(value, catalog, hf_context=True):
            continue
        begin = max(found.start() - 1500, *(text.rfind(ch, 0, found.start()) for ch in ";{}"))
        statement = text[begin + 1 : found.start()]
        if _HF_RUNTIME_CLASS.search(statement) is None and (
            not imports or _ANY_BUILDER.search(statement) is not None
        ):
            continue
        start = found.start("value")
        refs.append(_Ref(start, start + len(value), value, "huggingface", via=found.group("fn")))
    return refs


_MODEL_ENUM = re.compile(
    r"""\b(?P<cls>(?:[A-Z]\w*)?(?:ModelName|ChatModel|EmbeddingModel|ImageModel))"""
    r"""\.(?P<const>[A-Z][A-Z0-9_]*[A-Z0-9])\b"""
)
"""`OpenAiChatModelName.GPT_4_O_MINI` (LangChain4j), `OpenAiApi.ChatModel.GPT_4_O` (Spring AI),
`ChatModel.GPT_4O` (openai-java): an enum constant that stands for a model ID."""
_ENUM_LETTER_SUFFIX = re.compile(r"(?<=\d)-(?=o(?:-|$))")
_ENUM_DIGIT_PAIR = re.compile(r"(?<![\d.])(\d)-(\d)(?![\d])")


def enum_model_id(constant: str, catalog: Catalog) -> tuple[str, ModelFamily] | None:
    """Map an enum constant to the catalog model ID it stands for, or None.

    The constant is lower-cased with `_` as `-` (`CLAUDE_HAIKU_4_5_20251001` →
    `claude-haiku-4-5-20251001`); when that is not a catalog ID, the two spellings SDK enums
    flatten are tried: a letter after a version joins it (`GPT_4_O` → `gpt-4o`) and single
    digits pair into a version (`GPT_4_1` → `gpt-4.1`, `GPT_3_5_TURBO` → `gpt-3.5-turbo`).
    """
    base = constant.lower().replace("_", "-")
    fused = _ENUM_LETTER_SUFFIX.sub("", base)
    for candidate in dict.fromkeys(
        (base, fused, _ENUM_DIGIT_PAIR.sub(r"\1.\2", base), _ENUM_DIGIT_PAIR.sub(r"\1.\2", fused))
    ):
        family = catalog.model_family(candidate)
        if family is not None:
            return candidate, family
    return None


def _find_enum_refs(text: str, catalog: Catalog, kind: _Kind) -> list[_Ref]:
    refs: list[_Ref] = []
    for found in _MODEL_ENUM.finditer(text):
        mapped = enum_model_id(found.group("const"), catalog)
        if mapped is None or _in_comment(_line_prefix(text, found.start()), kind):
            continue
        model_id, family = mapped
        refs.append(
            _Ref(found.start(), found.end(), model_id, "provider-model", family=family, via="enum")
        )
    return refs


def _ollama_ref(offset: int, value: str, *, via: str) -> _Ref | None:
    value = value.strip()
    hf = _HF_CO.match(value)
    if hf is not None:
        repo = hf.group("repo")
        if is_hf_repo_id(repo):
            tag = value[hf.end() + 1 :] if value[hf.end() : hf.end() + 1] == ":" else None
            start = offset + hf.start("repo")
            return _Ref(start, start + len(repo), repo, "huggingface", version=tag, via=via)
        return None
    match = _OLLAMA_NAME.fullmatch(value)
    if match is None or value.startswith((".", "/", "~")) or _FILE_SUFFIX.search(value):
        return None
    name = match.group("name")
    if not any(c.isalpha() for c in name):
        return None
    namespace = match.group("ns")
    if namespace is None and name.lower() in _PLACEHOLDER_NAMES:
        return None  # NOTE: `ollama run model_name` in a tutorial names no model
    if namespace is not None and namespace.lower() == "library":
        # Ollama's default namespace: `library/llama3.2` is `llama3.2`.
        offset += len(namespace) + 1
        namespace = None
    full = f"{namespace}/{name}" if namespace else name
    tag = match.group("tag")
    end = offset + len(full)
    return _Ref(offset, end, full, "ollama", version=tag if tag != "latest" else None, via=via)


def _quoted_repo_refs(text: str, catalog: Catalog, *, assignments: bool) -> list[_Ref]:
    """Quoted `org/name` strings assigned to a model-like key.

    With `assignments` (code that uses Hugging Face libraries) any model, checkpoint, tokenizer
    or repo ID key counts; otherwise the organisation must be one the catalog knows.
    """
    refs: list[_Ref] = []
    for found in _QUOTED_REPO.finditer(text):
        value = found.group("value")
        line_start = text.rfind("\n", 0, found.start()) + 1
        # NOTE: bounded look-back: the key sits just before the value, and a search from the
        # start of a megabyte-long line (JSON bodies in HTTP cassettes) at every quoted
        # `a/b` on it was quadratic.
        window = max(line_start, found.start() - _ASSIGN_WINDOW)
        key_match = _ASSIGN_BEFORE.search(text, window, found.start())
        if (
            key_match is None
            or not is_hf_repo_id(value)
            or is_route_prefix(value, catalog, hf_context=assignments)
        ):
            continue
        key = key_match.group("key")
        line_end = text.find("\n", found.end())
        line_end = len(text) if line_end < 0 else line_end
        start = found.start("value")
        if assignments and _HF_ASSIGN_KEY.search(key):
            if _REPO_TYPE_NOT_MODEL.search(text, found.end(), line_end):
                continue
            refs.append(_Ref(start, start + len(value), value, "huggingface", via="assignment"))
        elif _REPO_KEY_HINT.search(key) and catalog.provider_for_hf_org(value.split("/")[0]):
            refs.append(_Ref(start, start + len(value), value, "huggingface", via="known-org"))
    return refs


def _find_text_refs(
    file: ScanFile, kind: _Kind, catalog: Catalog, *, has_marker: bool
) -> list[_Ref]:
    text = file.text
    refs: list[_Ref] = []
    if kind.modelfile:
        for found in _MODELFILE_FROM.finditer(text):
            ref = _ollama_ref(found.start("value"), found.group("value"), via="Modelfile FROM")
            if ref is not None:
                refs.append(ref)
        return refs
    lower = text.lower()
    if "-model" in lower or "-hf" in lower or "--tokenizer" in lower or "--base" in lower:
        for found in _CLI_MODEL.finditer(text):
            value = found.group("value")
            repo = value.split(":", 1)[0]
            flag = found.group("flag")
            hf_flag = flag not in ("--model", "-m")  # `--model` also takes gateway routes
            if is_hf_repo_id(repo) and not is_route_prefix(repo, catalog, hf_context=hf_flag):
                start = found.start("value")
                refs.append(_Ref(start, start + len(repo), repo, "huggingface", via=flag))
    if any(word in lower for word in ("vllm", "download", "mlx_lm", "sglang")):
        for found in _CLI_SERVE.finditer(text):
            value = found.group("value")
            if is_hf_repo_id(value):
                start = found.start("value")
                refs.append(_Ref(start, start + len(value), value, "huggingface", via="cli"))
    if "ollama" in lower:
        for found in _CLI_OLLAMA.finditer(text):
            verb = found.group("verb")
            ref = _ollama_ref(found.start("value"), found.group("value"), via=f"ollama {verb}")
            if ref is not None:
                refs.append(ref)
    if kind.config and "ollama" in lower:
        for found in _OLLAMA_SETTING.finditer(text):
            value = found.group("value")
            ref = _ollama_ref(found.start("value"), value, via=found.group("key"))
            if ref is not None:
                refs.append(ref)
    if kind.code or kind.config:
        refs += _quoted_repo_refs(text, catalog, assignments=kind.code and has_marker)
    if kind.config:
        offset = 0
        for line in text.splitlines(keepends=True):
            pair = _CONFIG_KEY_VALUE.match(line)
            if pair is not None:
                key = pair.group("key").rsplit(".", 1)[-1].lower()
                value = pair.group("value")
                hf_key = key not in ("model", "model_name", "model_id")
                if (
                    key in _HF_KEYS
                    and is_hf_repo_id(value)
                    and not is_route_prefix(value, catalog, hf_context=hf_key)
                ):
                    start = offset + pair.start("value")
                    refs.append(_Ref(start, start + len(value), value, "huggingface", via=key))
            offset += len(line)
    return refs


_MODEL_CALL_BEFORE = re.compile(
    r"""\.(?:model|modelName|modelId|withModel|setModel|WithModel|SetModel)\s*\(\s*["'`]\Z"""
)
"""A builder or setter that takes the model: `.modelName("o3")`, `.model("o1")`."""
_SEQUENCE_BEFORE = re.compile(r"""[\[(,]\s*["'`]\Z""")
_SEQUENCE_AFTER = re.compile(r"""["'`]\s*[,)\]]""")


def _without_long_lines(text: str) -> str:
    """`text` with every line longer than `_MAX_LINE` blanked (offsets kept).

    Matches on such lines (minified code, base64 data in recorded HTTP cassettes) are dropped
    anyway; blanking them first spares the model ID search megabytes of chance keyword hits.
    """
    if len(text) <= _MAX_LINE:
        return text
    lines = text.split("\n")
    if all(len(line) <= _MAX_LINE for line in lines):
        return text
    return "\n".join(" " * len(line) if len(line) > _MAX_LINE else line for line in lines)


def _find_model_ids(file: ScanFile, catalog: Catalog, kind: _Kind) -> list[_Ref]:
    text = file.text
    self_named = file.name.lower() in _SELF_NAMED_MANIFESTS
    refs: list[_Ref] = []
    weak: list[tuple[int, ModelMatch]] = []
    strong: dict[int, set[str]] = {}
    for match in catalog.find_model_ids(_without_long_lines(text)):
        line_start = text.rfind("\n", 0, match.start) + 1
        line_end = text.find("\n", match.end)
        line_end = len(text) if line_end < 0 else line_end
        if line_end - line_start > _MAX_LINE:
            continue
        line = text[line_start:line_end]
        start, end = match.start - line_start, match.end - line_start
        left = _TOKEN_LEFT.search(line, max(0, start - 300), start)  # bounded: quadratic
        tok_start = left.start() if left else start
        colon = _COLON_ROUTE.search(line, 0, tok_start) if tok_start == start else None
        if colon is None:
            colon = _ARN_ROUTE.search(line, 0, start)  # Bedrock ARNs
        if colon is not None:
            tok_start = colon.start("route")  # `openai:gpt-4o` (PydanticAI, LangChain), ARNs
        prefix = line[tok_start:start]
        right = _TOKEN_RIGHT.match(line, end)
        tok_end = right.end() if right else end
        if line[tok_end : tok_end + 1] == "/":
            continue  # a path segment (`gpt-4o/config.json`), not a model ID
        org = ""
        if prefix and colon is None:
            if not prefix.endswith("/"):
                continue  # part of a longer identifier
            org = prefix.rstrip("/").rsplit("/", 1)[-1]
        if _in_comment(line[:tok_start], kind):
            continue
        ctx = _context(line, tok_start, tok_end)
        if self_named and ctx.key is not None and ctx.key.lower() in _SELF_NAME_KEYS:
            continue  # `"name": "qwen3-webgpu"`: the project's own name, not a model it uses
        if kind.code:
            accepted = ctx.quoted
        else:
            accepted = ctx.quoted or ctx.key is not None or ctx.flag is not None or ctx.list_item
        if not accepted:
            continue
        if not is_strong_model_id(match.model_id) and not _model_context(ctx):
            if not ctx.quoted or org or colon is not None:
                continue
            if _MODEL_CALL_BEFORE.search(line, 0, tok_start) is None:
                if _SEQUENCE_BEFORE.search(line, 0, tok_start) and _SEQUENCE_AFTER.match(
                    line, tok_end
                ):
                    weak.append((line_start, match))  # kept if a strong sibling vouches for it
                continue
        elif not org and colon is None:
            strong.setdefault(line_start, set()).add(match.family.id)
        route = is_route_prefix(f"{org}/{match.model_id}", catalog)
        if org and not route and "/" not in prefix.rstrip("/"):
            repo = f"{org}/{match.model_id.split(':', 1)[0]}"
            if catalog.provider_for_hf_org(org) is None:
                continue  # `someone/gpt-4o-finetune` is someone's repo; the HF pass decides
            refs.append(
                _Ref(
                    match.start - len(org) - 1,
                    match.start + len(match.model_id.split(":", 1)[0]),
                    repo,
                    "huggingface",
                    family=match.family,
                    via="repo-id",
                )
            )
            continue
        kind_name = "ollama" if org.lower() in ("ollama", "ollama_chat") else "provider-model"
        if kind_name != "ollama" and _OLLAMA_TAG.search(match.model_id):
            # `phi3:3.8b`, `gpt-oss:20b`: a size tag only Ollama uses; named like `ollama pull`.
            name, _, tag = match.model_id.partition(":")
            refs.append(
                _Ref(
                    match.start,
                    match.start + len(name),
                    name,
                    "ollama",
                    family=match.family,
                    version=tag,
                )
            )
            continue
        refs.append(_Ref(match.start, match.end, match.model_id, kind_name, family=match.family))
    for line_start, match in weak:
        # `("o1", "o1-2024-12-17")`: a short ID listed beside a full ID of its own family.
        if match.family.id in strong.get(line_start, ()):
            refs.append(
                _Ref(match.start, match.end, match.model_id, "provider-model", family=match.family)
            )
    refs.sort(key=lambda r: r.start)
    return refs


def _priority(ref: _Ref) -> int:
    """Which of two overlapping references wins: lower first.

    A Hugging Face repo named by its context beats an Ollama model, which beats a repo inferred
    only from a known organisation (`ollama pull meta-llama/llama3.1` is an Ollama model),
    which beats a bare provider model ID.
    """
    if ref.kind == "huggingface":
        return 2 if ref.via == "repo-id" else 0
    return 1 if ref.kind == "ollama" else 3


def _canonical_names(refs: list[_Ref]) -> None:
    """Give every spelling of one model the same component name, in place.

    Provider model IDs are case-insensitive, so `GPT-4o` in a UI label and `gpt-4o` in code
    are one model: the name becomes the catalog's lower-case spelling (the evidence snippet
    keeps the text as written). Hugging Face repo IDs keep their case, but the Hub resolves
    them case-insensitively: the spellings of one repo in a file take the one that sorts first
    by code point (`BAAI/bge-small-en-v1.5` over `baai/bge-small-en-v1.5`).
    """
    spellings: dict[str, str] = {}
    for ref in refs:
        if ref.kind == "provider-model":
            ref.name = ref.name.lower()
        elif ref.kind == "huggingface":
            folded = ref.name.lower()
            spellings[folded] = min(spellings.get(folded, ref.name), ref.name)
    for ref in refs:
        if ref.kind == "huggingface":
            ref.name = spellings[ref.name.lower()]


def _dedupe(refs: list[_Ref], newlines: list[int]) -> list[tuple[_Ref, int]]:
    """Keep one reference per span: the most specific kind wins where two passes overlap.

    A HF repo (`google/gemma-2-9b-it`) beats the provider ID inside it, an Ollama model with its
    tag beats the bare ID, and the same name twice on one line is reported once. Returns the
    kept references with their 1-based lines, in text order.
    """
    by_line: dict[int, list[_Ref]] = {}
    for ref in refs:
        by_line.setdefault(bisect.bisect_left(newlines, ref.start) + 1, []).append(ref)
    out: list[tuple[_Ref, int]] = []
    for line_no in sorted(by_line):
        kept: list[_Ref] = []
        for ref in sorted(by_line[line_no], key=lambda r: (_priority(r), r.start)):
            if any(
                ref.start < k.end and k.start < ref.end or ref.name.lower() == k.name.lower()
                for k in kept
            ):
                continue
            kept.append(ref)
        out += [(ref, line_no) for ref in sorted(kept, key=lambda r: r.start)]
    return out


_REMOTE_CODE = re.compile(
    r"""\btrust_remote_code["']?\s*[=:]\s*["']?(?:True|true)\b|(?<![\w-])--trust-remote-code\b"""
)


def _line_prefix(text: str, offset: int) -> str:
    return text[text.rfind("\n", 0, offset) + 1 : offset]


def _model_near(text: str, offset: int, refs: list[_Ref]) -> _Ref | None:
    """The open-weights model loaded together with `trust_remote_code`: the closest reference
    before it in the same statement (within a call's reach), else on the same line."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    best: _Ref | None = None
    for ref in refs:
        if ref.kind == "provider-model":
            continue
        before = offset - 1500 <= ref.start < offset and ";" not in text[ref.end : offset]
        if before or line_start <= ref.start < line_end:
            if best is None or abs(offset - ref.start) < abs(offset - best.start):
                best = ref
    return best


class ModelRefDetector:
    """Reports provider model IDs, Hugging Face repos and Ollama models named in text files."""

    name = NAME
    version = "3"

    def wants(self, relpath: str, name: str) -> bool:
        """Source code, configuration, `.env`, Dockerfiles, Makefiles, shell and Modelfiles."""
        return _file_kind(name) is not None

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Model family keywords plus the call and command names that load open weights."""
        words = set(catalog.model_keywords())
        words |= {f"{org.lower()}/".encode() for p in catalog.providers for org in p.hf_orgs}
        words |= {
            b"from_pretrained",
            b"pipeline",
            b"hf_hub_download",
            b"snapshot_download",
            b"hf_hub_url",
            b"sentencetransformer",
            b"crossencoder",
            b"inferenceclient",
            b"huggingface",
            b"ollama",
            b"jlama",
            b"modelname",
            b"chatmodel",
            b"embeddingmodel",
            b"imagemodel",
            b"vllm",
            b"--model",
            b"mlx_lm",
            b"transformersmodel",
            b"hfapimodel",
            b"model_name_or_path",
            b"base_model",
            b"repo_id",
            b"model_id",
            b"hf.co/",
            b"trust_remote_code",
            b"--trust-remote-code",
        }
        return sorted(words)

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Find model references in one file; never raises on odd content."""
        result = DetectResult()
        kind = _file_kind(file.name)
        if kind is None:
            return result
        try:
            refs = self._refs(file, ctx.catalog, kind)
        except (ValueError, IndexError, RecursionError) as exc:
            result.warnings.append(ScanWarning(file.relpath, f"model reference scan failed: {exc}"))
            return result
        sites = list(_REMOTE_CODE.finditer(file.text)) if "trust" in file.text else []
        newlines = [m.start() for m in _NEWLINE.finditer(file.text)] if refs or sites else []
        _canonical_names(refs)
        kept = _dedupe(refs, newlines)
        for ref, line_no in kept:
            component, finding = self._component(file, ref, ctx.catalog, line_no)
            result.components.append(component)
            if finding is not None:
                result.findings.append(finding)
        for site in sites:
            if not _in_comment(_line_prefix(file.text, site.start()), kind):
                model = _model_near(file.text, site.start(), [ref for ref, _ in kept])
                line_no = bisect.bisect_left(newlines, site.start()) + 1
                result.findings.append(_remote_code_finding(file, site, model, line_no))
        return result

    def _refs(self, file: ScanFile, catalog: Catalog, kind: _Kind) -> list[_Ref]:
        text = file.text
        lower = text.lower()
        has_marker = any(word in lower for word in _HF_MARKERS)
        refs: list[_Ref] = []
        if not kind.modelfile:
            refs += _find_model_ids(file, catalog, kind)
        if kind.code:
            refs += _find_call_refs(text, catalog, has_marker=has_marker)
        if "model" in text:
            refs += _find_builder_refs(text, catalog)
        if "Model" in text:
            refs += _find_enum_refs(text, catalog, kind)
        refs += _find_text_refs(file, kind, catalog, has_marker=has_marker)
        for ref in refs:
            if ref.family is None and ref.kind != "provider-model":
                ref.family = catalog.model_family(ref.name.rsplit("/", 1)[-1])
        return refs

    def _component(
        self, file: ScanFile, ref: _Ref, catalog: Catalog, line_no: int
    ) -> tuple[Component, Finding | None]:
        text = file.text
        line_start = text.rfind("\n", 0, ref.start) + 1
        line_end = text.find("\n", ref.start)
        line = text[line_start : (len(text) if line_end < 0 else line_end)]
        column = ref.start - line_start + 1
        snippet = redact_snippet(line, (ref.start - line_start, ref.end - line_start))
        family = ref.family
        properties: dict[str, Any] = {}
        if family is not None:
            properties["family"] = family.id
            properties["status"] = str(family.status)
        if ref.via:
            properties["via"] = ref.via
        provider: str | None = family.provider if family is not None else None
        ecosystem: str | None = None
        purl: str | None = None
        category = "provider-model"
        if ref.kind == "huggingface":
            category = "open-weights"
            ecosystem = "huggingface"
            purl = f"pkg:huggingface/{ref.name}" + (f"@{ref.version}" if ref.version else "")
            if "/" in ref.name:
                hf_provider = catalog.provider_for_hf_org(ref.name.split("/", 1)[0])
                if hf_provider is not None:
                    provider = hf_provider.id
        elif ref.kind == "ollama":
            category = "open-weights"
            properties["runtime"] = "ollama"
        component = Component(
            type=ComponentType.MODEL,
            name=ref.name,
            version=ref.version,
            ecosystem=ecosystem,
            purl=purl,
            provider=provider,
            category=category,
            evidence=[Evidence(file.relpath, line_no, NAME, snippet)],
            properties=properties,
        )
        finding = None
        if family is not None and str(family.status) in ("deprecated", "retired"):
            finding = _status_finding(file, ref, family, line_no, column, snippet)
        return component, finding


def _status_finding(
    file: ScanFile, ref: _Ref, family: ModelFamily, line_no: int, column: int, snippet: str
) -> Finding:
    from aims.catalog.rules import load_rules

    retired = str(family.status) == "retired"
    rule = load_rules().require("AIM302" if retired else "AIM301")
    note = (family.note or "").strip().rstrip(".")
    if retired:
        message = (
            f"Model `{ref.name}` ({family.provider}, family {family.id}) is retired: the "
            "provider no longer serves it, so requests naming it fail. "
            f"{note + '. ' if note else ''}Switch to a current model and re-run your evaluations."
        )
    else:
        message = (
            f"Model `{ref.name}` ({family.provider}, family {family.id}) is deprecated and will "
            f"stop working when the provider retires it. {note + '. ' if note else ''}"
            "Plan the migration to its successor and re-run your evaluations."
        )
    return make_finding(
        rule_id=rule.id,
        rule_name=rule.name,
        message=message,
        severity=rule.severity,
        confidence=rule.confidence,
        primary=Location(
            file.relpath, line_no, column, end_line=line_no, end_column=column + len(ref.name)
        ),
        match=ref.name.lower(),
        evidence=snippet,
        properties={"model": ref.name, "family": family.id, "status": str(family.status)},
    )


def _remote_code_finding(
    file: ScanFile, site: re.Match[str], model: _Ref | None, line_no: int
) -> Finding:
    from aims.catalog.rules import load_rules

    rule = load_rules().require("AIM307")
    pinned = model is not None and model.version is not None and len(model.version) == 40
    what = f"`{model.name}`" if model is not None else "a Hugging Face model"
    message = (
        f"{what} is loaded with `{site.group().strip()}`: the Python files in the model "
        "repository run with your privileges, and whoever controls that repository (or its "
        "next revision) controls that code. "
        + (
            "The revision is pinned, so review that commit's code and keep the pin. "
            if pinned
            else "Pin `revision=` to a reviewed commit SHA, or use a model whose architecture "
            "your library supports natively. "
        )
        + "Remove the flag where it is not needed."
    )
    line_start = file.text.rfind("\n", 0, site.start()) + 1
    column = site.start() - line_start + 1
    line_end = file.text.find("\n", site.start())
    line = file.text[line_start : (len(file.text) if line_end < 0 else line_end)]
    return make_finding(
        rule_id=rule.id,
        rule_name=rule.name,
        message=message,
        severity=Severity.MEDIUM if pinned else rule.severity,
        confidence=rule.confidence,
        primary=Location(file.relpath, line_no, column),
        match=model.name if model is not None else site.group(),
        evidence=redact_snippet(line, (site.start() - line_start, site.end() - line_start)),
        properties={"model": model.name if model else None, "pinned_revision": pinned},
    )
