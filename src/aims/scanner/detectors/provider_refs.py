"""Provider evidence in any text file: API hosts and the provider's conventional env var names.

A host counts where it stands as a host: a URL's authority (`https://api.openai.com/v1`, with or
without user-info) or a bare host name (`base_url: api.openai.com`, `NO_PROXY=...`). The same
name inside a URL's path or query (`https://registry.example/…/api.openai.com`) or in an e-mail
address is not evidence. Env var names count as whole tokens, case-sensitively, wherever they
appear (`os.environ[...]`, `process.env.X`, `${X}`, `.env` keys, compose `environment:`,
`secrets.X`, `env: - name: X`); their values are never recorded. Lock files are skipped: the
URLs in them are resolved download locations, not a choice anyone made.
"""

from __future__ import annotations

import re
import string
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from aims.catalog import _yaml
from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "provider-refs"

LOCK_FILES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "deno.lock",
        "poetry.lock",
        "pipfile.lock",
        "uv.lock",
        "pdm.lock",
        "pixi.lock",
        "conda-lock.yml",
        "cargo.lock",
        "go.sum",
        "composer.lock",
        "gemfile.lock",
        "packages.lock.json",
        "gradle.lockfile",
        "flake.lock",
        "mix.lock",
        "pubspec.lock",
    }
)
"""Generated lock files (lower-case names): skipped."""

DOC_SUFFIXES = (".md", ".markdown", ".mdx", ".rst", ".adoc")
"""Prose files: their evidence is marked `context: docs`."""

_SKIP_SUFFIXES = (
    ".ipynb",  # NOTE: the notebook detector reads code cells itself, with notebook lines.
    ".map",
    ".svg",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".ico",
    ".webp",
    ".pdf",
    ".zip",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".7z",
    ".whl",
    ".jar",
    ".class",
    ".so",
    ".dll",
    ".dylib",
    ".exe",
    ".bin",
    ".pt",
    ".pth",
    ".onnx",
    ".safetensors",
    ".gguf",
    ".h5",
    ".pkl",
    ".npy",
    ".npz",
    ".parquet",
    ".arrow",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".mp3",
    ".mp4",
    ".wav",
    ".sum",
    # NOTE: rows of data (evaluation sets, logs) mention hosts without anyone using them.
    ".csv",
    ".tsv",
    ".jsonl",
    ".ndjson",
    ".log",
)


@dataclass(frozen=True, slots=True)
class ProviderRef:
    """One mention of a provider's host or env var."""

    offset: int
    end: int
    provider: str
    host: str | None = None
    """The host as found, lower case, with `:port` when one was written."""
    env_var: str | None = None
    route: str | None = None
    """A model route as written (`bedrock/anthropic.claude-3-haiku-20240307-v1:0`)."""
    client: str | None = None
    """A cloud SDK client's service name (`bedrock-runtime` in `boto3.client(...)`)."""


@dataclass(frozen=True, slots=True)
class _Patterns:
    tld: re.Pattern[str] | None
    """`.tld` of every known host, searched in ASCII-lower-cased text (a literal-led pattern,
    so the regex engine jumps from dot to dot)."""
    ported: re.Pattern[str] | None
    """Hosts listed with a port (`localhost:11434`), which carry no distinctive TLD."""
    env: re.Pattern[str] | None


_CACHE: weakref.WeakKeyDictionary[Catalog, _Patterns] = weakref.WeakKeyDictionary()

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_URL_AUTHORITY = re.compile(r":(?:\\?/){2}(?:[^\s/@\"'<>()]*@)?\Z")
_HOST_HEAD = re.compile(r"[a-z0-9.-]*\Z")
_PORT = re.compile(r":\d{1,5}(?!\d)")
_ENV_VALUE = re.compile(r"""(["'\])]*[ \t]*(?:[:=]|,)[ \t]*)(?![$\s])(\S.*)""")
_HOST_CHARS = frozenset(string.ascii_lowercase + string.digits + "-")
_WORD_CHARS = frozenset(string.ascii_letters + string.digits + "_")


def _patterns(catalog: Catalog) -> _Patterns:
    cached = _CACHE.get(catalog)
    if cached is not None:
        return cached
    hosts = {k.decode() for k in catalog.host_keywords()}
    tlds = {h.rsplit(".", 1)[-1] for h in hosts if ":" not in h and "." in h}
    ported = {h for h in hosts if ":" in h or "." not in h}
    tld_re = None
    if tlds:
        alternation = "|".join(re.escape(t) for t in sorted(tlds, key=lambda t: (-len(t), t)))
        tld_re = re.compile(rf"\.(?:{alternation})(?![a-z0-9-])")
    ported_re = None
    if ported:
        alternation = "|".join(re.escape(h) for h in sorted(ported, key=lambda h: (-len(h), h)))
        ported_re = re.compile(rf"(?:{alternation})(?![a-z0-9-]|\.[a-z0-9])")
    exact: set[str] = set()
    prefixes: set[str] = set()
    for provider in catalog.providers:
        for name in provider.env_vars:
            (prefixes if name.endswith("*") else exact).add(name.rstrip("*"))
    parts = [re.escape(n) for n in sorted(exact, key=lambda n: (-len(n), n))]
    parts += [rf"{re.escape(p)}[A-Z0-9_]*[A-Z0-9]" for p in sorted(prefixes)]
    # NOTE: no leading look-behind, so the engine can skip ahead by first character; the
    # left boundary is checked in `find_provider_refs`.
    env_re = re.compile(rf"(?:{'|'.join(parts)})(?![A-Za-z0-9_])") if parts else None
    cached = _Patterns(tld=tld_re, ported=ported_re, env=env_re)
    _CACHE[catalog] = cached
    return cached


def _in_host_position(text: str, start: int) -> bool:
    """True when the name at `start` is a URL's authority or a bare host, not a path or e-mail."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 300) : start]
    if _URL_AUTHORITY.search(before):
        return True
    return not before.endswith(("/", "@", "\\"))


def _host_spans(low: str, patterns: _Patterns) -> list[tuple[int, int]]:
    """Return (start, end) of every host-like token that ends in a known TLD or is a ported host."""
    spans: list[tuple[int, int]] = []
    size = len(low)
    if patterns.tld is not None:
        for m in patterns.tld.finditer(low):
            end = m.end()
            if end + 1 < size and low[end] == "." and low[end + 1] in _HOST_CHARS:
                continue  # NOTE: `api.openai.com.evil.example` is another host
            head = _HOST_HEAD.search(low, max(0, m.start() - 253), m.start())
            start = head.start() if head else m.start()
            while start < m.start() and low[start] in ".-":
                start += 1
            if start == m.start() or (start > 0 and low[start - 1] in _WORD_CHARS):
                continue
            port = _PORT.match(low, end)
            spans.append((start, port.end() if port else end))
    if patterns.ported is not None:
        for m in patterns.ported.finditer(low):
            if m.start() > 0 and (low[m.start() - 1] in _WORD_CHARS or low[m.start() - 1] in ".-"):
                continue
            spans.append(m.span())
    return spans


def find_provider_refs(text: str, catalog: Catalog) -> list[ProviderRef]:
    """Return every provider host and env var mention in `text`, in order of offset."""
    patterns = _patterns(catalog)
    refs: list[ProviderRef] = []
    low = text.translate(_ASCII_LOWER)
    for start, end in _host_spans(low, patterns):
        if not _in_host_position(text, start):
            continue
        host = low[start:end]
        provider = catalog.provider_for_host(host)
        if provider is not None:
            refs.append(ProviderRef(start, end, provider.id, host=host))
    if patterns.env is not None:
        for m in patterns.env.finditer(text):
            if m.start() > 0 and text[m.start() - 1] in _WORD_CHARS:
                continue
            provider = catalog.provider_for_env(m.group(0))
            if provider is not None:
                refs.append(ProviderRef(m.start(), m.end(), provider.id, env_var=m.group(0)))
    refs += _route_refs(text, catalog)
    refs += _client_refs(text, catalog)
    refs.sort(key=lambda r: r.offset)
    return refs


@lru_cache(maxsize=1)
def _routes() -> tuple[dict[str, str], re.Pattern[str]]:
    """Route name -> provider, and one pattern for quoted `route/model` or `route:model`."""
    text = resources.files("aims.catalog").joinpath("data/routes.yaml").read_text("utf-8")
    table = {str(r["route"]): str(r["provider"]) for r in _yaml.safe_load(text) or []}
    alternation = "|".join(re.escape(r) for r in sorted(table, key=lambda r: (-len(r), r)))
    pattern = re.compile(
        rf"""(?P<q>["'`])(?P<route>{alternation})(?P<sep>[/:])(?P<model>[A-Za-z0-9][\w.:@/-]{{0,200}})(?P=q)"""
    )
    return table, pattern


def route_keywords() -> list[bytes]:
    """`route/` and `route:` for every model route (lower case)."""
    table, _ = _routes()
    return sorted({f"{r}{sep}".lower().encode() for r in table for sep in "/:"})


def _route_refs(text: str, catalog: Catalog) -> list[ProviderRef]:
    """Quoted `route/model-id` strings whose model part is a model ID the catalog knows."""
    table, pattern = _routes()
    refs = []
    for m in pattern.finditer(text):
        model = m.group("model")
        if catalog.model_family(model) is None and not any(
            hit.start == 0 and hit.end == len(model) for hit in catalog.find_model_ids(model)
        ):
            continue
        provider = table[m.group("route")]
        if catalog.provider(provider) is None:
            continue
        refs.append(ProviderRef(m.start("route"), m.end("model"), provider, route=m.group(0)[1:-1]))
    return refs


@lru_cache(maxsize=1)
def _clients() -> dict[str, str]:
    """boto3 service name -> provider (`catalog/data/cloud_clients.yaml`)."""
    text = resources.files("aims.catalog").joinpath("data/cloud_clients.yaml").read_text("utf-8")
    data = _yaml.safe_load(text) or {}
    return {str(k): str(v) for k, v in (data.get("boto3") or {}).items()}


# `boto3.client("bedrock-runtime")`, `session.client(service_name='sagemaker-runtime')`,
# `aioboto3.Session().client("bedrock")`: the service name is the first argument.
_CLIENT_CALL = re.compile(
    r"""\.(?:client|resource)\(\s*(?:service_name\s*=\s*)?(?P<q>["'])(?P<svc>[a-z0-9-]{1,64})(?P=q)"""
)


def client_keywords() -> list[bytes]:
    """The service names, as quoted strings (lower case)."""
    return sorted({f"{q}{name}{q}".encode() for name in _clients() for q in "\"'"})


def _client_refs(text: str, catalog: Catalog) -> list[ProviderRef]:
    """Cloud SDK clients created for an AI service."""
    if ".client(" not in text and ".resource(" not in text:
        return []
    table = _clients()
    refs = []
    for m in _CLIENT_CALL.finditer(text):
        provider = table.get(m.group("svc"))
        if provider is not None and catalog.provider(provider) is not None:
            refs.append(ProviderRef(m.start("svc"), m.end("svc"), provider, client=m.group("svc")))
    return refs


def redact_env_line(line: str, var_end: int) -> str:
    """Replace a literal value written after an env var name (`KEY=value`, `KEY: value`)."""
    m = _ENV_VALUE.match(line, var_end)
    if m is None:
        return line
    return line[: m.start(2)] + "***"


def line_snippets(text: str, lines: _source.LineIndex, refs: list[ProviderRef]) -> dict[int, str]:
    """Return the redacted snippet of every line holding a reference, keyed by 1-based line.

    Every env var on a line has its value replaced, so a line shows the same text whichever
    reference on it is reported.
    """
    by_line: dict[int, list[ProviderRef]] = {}
    for ref in refs:
        by_line.setdefault(lines.line_of(ref.offset), []).append(ref)
    snippets: dict[int, str] = {}
    for line, on_line in by_line.items():
        line_text = lines.line_text(line)
        line_start = text.rfind("\n", 0, on_line[0].offset) + 1
        for ref in sorted(on_line, key=lambda r: -r.offset):
            if ref.env_var is not None:
                line_text = redact_env_line(line_text, ref.end - line_start)
        snippets[line] = _source.snippet(line_text)
    return snippets


class ProviderCollector:
    """Groups provider references into one component per provider."""

    def __init__(self, detector: str, context: str | None = None) -> None:
        self._detector = detector
        self._context = context
        self._by_id: dict[str, Component] = {}

    def add(self, ref: ProviderRef, path: str, line: int, snippet: str) -> Component:
        """Record one reference found at `path:line`; returns the provider's component."""
        component = self._by_id.get(ref.provider)
        if component is None:
            component = Component(
                type=ComponentType.PROVIDER,
                name=ref.provider,
                provider=ref.provider,
                properties={"hosts": [], "env_vars": []},
            )
            if self._context:
                component.properties["context"] = self._context
            self._by_id[ref.provider] = component
        evidence = Evidence(path=path, line=line, detector=self._detector, snippet=snippet)
        if evidence not in component.evidence:
            component.evidence.append(evidence)
        key, value = "routes", ref.route
        if ref.client is not None:
            key, value = "clients", ref.client
        elif ref.host is not None:
            key, value = "hosts", ref.host
        elif ref.env_var is not None:
            key, value = "env_vars", ref.env_var
        values: list[str] = component.properties.setdefault(key, [])
        if value is not None and value not in values:
            values.append(value)
            values.sort()
        return component

    def components(self) -> list[Component]:
        """Return one component per provider, in first-seen order."""
        return list(self._by_id.values())


def wants_text(relpath: str, name: str) -> bool:
    """True for files that may hold provider evidence: text, not lock files or binaries."""
    lower = name.lower()
    return lower not in LOCK_FILES and not lower.endswith(_SKIP_SUFFIXES)


class ProviderRefDetector:
    """Finds AI provider API hosts and provider env var names in any text file."""

    name = DETECTOR_NAME
    version = "3"

    def wants(self, relpath: str, name: str) -> bool:
        """Every text file except lock files, notebooks (see `notebooks`) and binaries."""
        return wants_text(relpath, name)

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Every provider host, env var name and model route (lower case)."""
        return sorted(
            set(catalog.host_keywords())
            | set(catalog.env_keywords())
            | set(route_keywords())
            | set(client_keywords())
        )

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Report one component per provider the file names, with every line that names it."""
        result = DetectResult()
        text = file.text
        try:
            refs = find_provider_refs(text, ctx.catalog)
        except (RecursionError, ValueError) as exc:  # NOTE: defensive; the patterns are total.
            result.warnings.append(ScanWarning(file.relpath, f"provider-refs: {exc}"))
            return result
        if not refs:
            return result
        context = "docs" if file.name.lower().endswith(DOC_SUFFIXES) else None
        collector = ProviderCollector(DETECTOR_NAME, context)
        lines = _source.LineIndex(text)
        snippets = line_snippets(text, lines, refs)
        for ref in refs:
            line = lines.line_of(ref.offset)
            collector.add(ref, file.relpath, line, snippets[line])
        result.components.extend(collector.components())
        return result
