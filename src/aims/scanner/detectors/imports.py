"""Source imports of AI packages: Python, JavaScript/TypeScript, Go, Java/Kotlin, C# and Rust.

Each language's scanner works on masked code (comments and string contents blanked, see
`_source.mask`), so an import written in a comment, a docstring or a string literal is never
reported; module specifiers that must be string literals (`require("x")`, Go paths) are read
back from the literal the pattern points at. Each import is resolved through the catalog by
longest prefix, and every import that maps to an AI package becomes SDK evidence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog, Package

DETECTOR_NAME = "imports"

ECOSYSTEM_OF_LANGUAGE: dict[str, str] = {
    _source.PYTHON: "pypi",
    _source.JAVASCRIPT: "npm",
    _source.GO: "golang",
    _source.JAVA: "maven",
    _source.CSHARP: "nuget",
    _source.RUST: "cargo",
}


@dataclass(frozen=True, slots=True)
class ImportRef:
    """One imported module as written in source."""

    offset: int
    """Character offset of the import in the scanned text (its line is the evidence line)."""
    path: str
    """The import path in the language's own notation (`openai.types`, `@ai-sdk/openai`)."""
    alternatives: tuple[str, ...] = ()
    """More specific paths to try first (`from google import genai` -> `google.genai`)."""


# -- Python ---------------------------------------------------------------------------------------

# NOTE: every pattern here starts with a literal so the regex engine can jump between
# candidates; where a statement may start (line start, `;`, `:`) is checked in Python.
_PY_CONT = r"(?:[^\n;\\]|\\\n|\\(?!\n))*"
_PY_IMPORT = re.compile(r"import[ \t]+(?P<names>" + _PY_CONT + ")")
_PY_FROM = re.compile(
    r"from[ \t]+(?P<dots>\.*)[ \t]*(?P<mod>[A-Za-z_][\w.]*)?[ \t\\\n]*?[ \t]import\b[ \t]*"
    r"(?:\((?P<paren>[^)]*)\)|(?P<names>" + _PY_CONT + "))"
)
_PY_NAME = re.compile(r"(?P<name>[A-Za-z_][\w.]*)(?:\s+as\s+\w+)?")
_PY_DYNAMIC = re.compile(
    r"(?:__import__|import_module)\s*\(\s*(?:name\s*=\s*)?(?P<prefix>[rRuU]?)(?=[\"'])"
)


def _statement_start(code: str, pos: int) -> bool:
    """True when a Python statement may start at `pos` (after blanks, `;` or a `:` header)."""
    before = code[code.rfind("\n", 0, pos) + 1 : pos].rstrip(" \t")
    return not before or before[-1] in ";:"


def _after_word(code: str, pos: int, extra: str = "") -> bool:
    """True when the character before `pos` continues an identifier (or is one of `extra`)."""
    if pos == 0:
        return False
    char = code[pos - 1]
    return char.isalnum() or char == "_" or char in extra


def python_imports(masked: _source.Masked) -> list[ImportRef]:
    """Return the absolute imports of Python source (relative imports are skipped)."""
    code = masked.code
    refs: list[ImportRef] = []
    for m in _PY_IMPORT.finditer(code):
        if not _statement_start(code, m.start()):
            continue
        names = m.group("names").replace("\\\n", "  ")
        base = m.start("names")
        refs.extend(
            ImportRef(base + n.start(), _dotted(n.group("name"))) for n in _PY_NAME.finditer(names)
        )
    for m in _PY_FROM.finditer(code):
        if not _statement_start(code, m.start()) or m.group("dots") or not m.group("mod"):
            continue
        module = _dotted(m.group("mod"))
        names = m.group("paren")
        if names is None:
            names = m.group("names") or ""
        subs = tuple(
            f"{module}.{n.group('name')}"
            for n in _PY_NAME.finditer(names.replace("\\\n", "  "))
            if "." not in n.group("name")
        )
        refs.append(ImportRef(m.start("mod"), module, subs))
    for m in _PY_DYNAMIC.finditer(code):
        if _after_word(code, m.start()):
            continue
        value = masked.string_at(m.end())
        if value and not value.startswith(".") and _PY_MODULE.fullmatch(value):
            refs.append(ImportRef(m.start(), value))
    refs.sort(key=lambda r: r.offset)
    return refs


_PY_MODULE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def _dotted(name: str) -> str:
    return name.strip(".")


# -- JavaScript / TypeScript ----------------------------------------------------------------------

_JS_FROM = re.compile(r"(?:import|export)(?:\s+type\b)?\s*[\w$\s{},*]*?\bfrom\s*(?=[\"'])")
_JS_BARE_IMPORT = re.compile(r"import\s*(?=[\"'])")
_JS_CALL = re.compile(r"(?:require|import|require\.resolve)\s*\(\s*(?=[\"'`])")


def javascript_imports(masked: _source.Masked) -> list[ImportRef]:
    """Return the package specifiers of ESM imports, re-exports, `require()` and `import()`."""
    refs: list[ImportRef] = []
    code = masked.code
    for pattern in (_JS_FROM, _JS_BARE_IMPORT, _JS_CALL):
        for m in pattern.finditer(code):
            if _after_word(code, m.start(), "$."):
                continue
            value = masked.string_at(m.end())
            if value is None or "${" in value:
                continue
            name = npm_package_of(value)
            if name:
                refs.append(ImportRef(m.end(), value, ()))
    refs.sort(key=lambda r: r.offset)
    return refs


def npm_package_of(specifier: str) -> str | None:
    """Return the npm package a module specifier names, or None (relative, URL, builtin)."""
    spec = specifier.strip()
    if not spec or spec.startswith((".", "/", "#", "~")) or ":" in spec:
        return None
    parts = spec.split("/")
    if spec.startswith("@"):
        return "/".join(parts[:2]) if len(parts) >= 2 and parts[1] else None
    return parts[0]


# -- Go -------------------------------------------------------------------------------------------

_GO_SINGLE = re.compile(r"import[ \t]+(?:[\w.]+[ \t]+)?(?=[\"`])")
_GO_BLOCK = re.compile(r"import[ \t]*\((?P<body>[^)]*)\)")


def _line_start(code: str, pos: int) -> bool:
    """True when only blanks stand between the start of the line and `pos`."""
    return not code[code.rfind("\n", 0, pos) + 1 : pos].strip(" \t")


def go_imports(masked: _source.Masked) -> list[ImportRef]:
    """Return the import paths of single-line and block `import` declarations."""
    refs: list[ImportRef] = []
    for m in _GO_SINGLE.finditer(masked.code):
        if not _line_start(masked.code, m.start()):
            continue
        value = masked.string_at(m.end())
        if value:
            refs.append(ImportRef(m.end(), value))
    for m in _GO_BLOCK.finditer(masked.code):
        if not _line_start(masked.code, m.start()):
            continue
        for start in masked.strings_between(m.start("body"), m.end("body")):
            value = masked.string_at(start)
            if value:
                refs.append(ImportRef(start, value))
    refs.sort(key=lambda r: r.offset)
    return refs


# -- Java / Kotlin --------------------------------------------------------------------------------

_JAVA_IMPORT = re.compile(
    r"import[ \t]+(?:static[ \t]+)?(?P<path>[A-Za-z_$][\w$]*(?:[ \t]*\.[ \t]*[\w$`]+)*)"
)


def java_imports(masked: _source.Masked) -> list[ImportRef]:
    """Return the imported packages and classes of Java and Kotlin files (`.*` dropped)."""
    refs = []
    for m in _JAVA_IMPORT.finditer(masked.code):
        if not _line_start(masked.code, m.start()):
            continue
        path = re.sub(r"\s+", "", m.group("path")).replace("`", "")
        refs.append(ImportRef(m.start("path"), path.removesuffix(".*")))
    return refs


# -- C# -------------------------------------------------------------------------------------------

_CSHARP_USING = re.compile(
    r"using[ \t]+(?:static[ \t]+)?(?:@?\w+[ \t]*=[ \t]*)?"
    r"(?:global::)?(?P<ns>[A-Za-z_@][\w.]*)[ \t]*(?:<[^;\n]*>)?[ \t]*;"
)


def csharp_imports(masked: _source.Masked) -> list[ImportRef]:
    """Return the namespaces of `using` directives (global, static and alias forms included)."""
    code = masked.code
    refs = []
    for m in _CSHARP_USING.finditer(code):
        before = code[code.rfind("\n", 0, m.start()) + 1 : m.start()].strip(" \t")
        if before in ("", "global"):
            refs.append(ImportRef(m.start("ns"), m.group("ns").replace("@", "")))
    return refs


# -- Rust -----------------------------------------------------------------------------------------

_RUST_USE = re.compile(r"use[ \t\n]+(?:::)?(?P<crate>[A-Za-z_]\w*)\b")
_RUST_USE_PREFIX = re.compile(r"(?:^|[;{}\]\n])[ \t]*(?:pub(?:[ \t]*\([^)\n]*\))?[ \t]+)?\Z")
_RUST_EXTERN = re.compile(r"extern[ \t]+crate[ \t]+(?P<crate>[A-Za-z_]\w*)")
_RUST_SEP = re.compile(r"::")
_RUST_IDENT_BEFORE = re.compile(r"(?<![\w:])[a-z_][a-z0-9_]*[ \t]*\Z")
_RUST_LOCAL = frozenset({"crate", "self", "super", "Self", "std", "core", "alloc"})


def rust_imports(masked: _source.Masked) -> list[ImportRef]:
    """Return the crates named by `use`, `extern crate` and, once each, qualified paths."""
    refs: list[ImportRef] = []
    seen: set[str] = set()
    code = masked.code
    for pattern in (_RUST_USE, _RUST_EXTERN):
        for m in pattern.finditer(code):
            if _after_word(code, m.start()):
                continue
            if pattern is _RUST_USE and not _RUST_USE_PREFIX.search(
                code, max(0, m.start() - 80), m.start()
            ):
                continue
            crate = m.group("crate")
            if crate not in _RUST_LOCAL:
                refs.append(ImportRef(m.start("crate"), crate))
                seen.add(crate)
    for m in _RUST_SEP.finditer(code):
        ident = _RUST_IDENT_BEFORE.search(code, max(0, m.start() - 64), m.start())
        if ident is None:
            continue
        crate = ident.group(0).rstrip(" \t")
        if crate in _RUST_LOCAL or crate in seen:
            continue
        seen.add(crate)
        refs.append(ImportRef(ident.start(), crate))
    refs.sort(key=lambda r: r.offset)
    return refs


_SCANNERS = {
    _source.PYTHON: python_imports,
    _source.JAVASCRIPT: javascript_imports,
    _source.GO: go_imports,
    _source.JAVA: java_imports,
    _source.CSHARP: csharp_imports,
    _source.RUST: rust_imports,
}


def find_imports(masked: _source.Masked, language: str) -> list[ImportRef]:
    """Return every import of masked source in one of the supported languages."""
    return _SCANNERS[language](masked)


def resolve(catalog: Catalog, ecosystem: str, ref: ImportRef) -> list[Package]:
    """Return the AI packages one import names (several for `from x import a, b`)."""
    found: list[Package] = []
    for path in ref.alternatives:
        package = _source.resolve_import(catalog, ecosystem, path)
        if package is not None and package not in found:
            found.append(package)
    if not found:
        package = _source.resolve_import(catalog, ecosystem, ref.path)
        if package is not None:
            found.append(package)
    return found


class ComponentCollector:
    """Groups evidence by catalog package so each package yields one component per file."""

    def __init__(self) -> None:
        self._by_key: dict[str, Component] = {}

    def add(
        self,
        package: Package,
        evidence: Evidence,
        properties: Mapping[str, object],
        *,
        version: str | None = None,
    ) -> None:
        """Record one piece of evidence that `package` is used (`version`: an exact pin seen)."""
        component = self._by_key.get(package.key)
        if component is None:
            component = Component(
                type=ComponentType.SDK,
                name=package.name,
                ecosystem=package.ecosystem,
                purl=_source.package_purl(package.ecosystem, package.name),
                provider=package.provider,
                category=str(package.category),
                direct=None,
            )
            self._by_key[package.key] = component
        if version and component.version is None:
            component.version = version
            component.purl = _source.package_purl(package.ecosystem, package.name, version)
        if evidence not in component.evidence:
            component.evidence.append(evidence)
        for key, value in properties.items():
            values = component.properties.setdefault(key, [])
            if value not in values:
                values.append(value)

    def components(self) -> list[Component]:
        """Return the collected components, in first-seen order."""
        return list(self._by_key.values())


def scan_imports(
    text: str,
    language: str,
    catalog: Catalog,
    *,
    masked: _source.Masked | None = None,
    local_dirs: tuple[str, ...] = (),
) -> list[tuple[int, Package]]:
    """Return (offset, package) for every import in `text` that maps to a catalog package.

    A Python import whose top-level module is a module of the project itself, found in one of
    `local_dirs` (see `is_local_module`), is not a package import and is left out.
    """
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # NOTE: a byte-order mark (common in C# files) is not code
    masked = masked or _source.mask(text, language)
    ecosystem = ECOSYSTEM_OF_LANGUAGE[language]
    hits: list[tuple[int, Package]] = []
    for ref in find_imports(masked, language):
        packages = resolve(catalog, ecosystem, ref)
        if packages and local_dirs and language == _source.PYTHON:
            top = ref.path.split(".", 1)[0]
            if any(is_local_module(folder, top) for folder in local_dirs):
                continue
        hits.extend((ref.offset, package) for package in packages)
    return hits


@lru_cache(maxsize=4096)
def is_local_module(folder: str, name: str) -> bool:
    """Whether `folder` holds a Python module or package called `name` (`agents.py`, or an
    `agents/` directory with Python files in it).

    Python puts the running script's folder first on `sys.path`, so `from agents import X` next
    to an `agents.py` imports the project's own module, not the `openai-agents` distribution;
    generic names (`agents`, `evaluate`, `llm`, `tools`) make this common in example repos.
    """
    if not folder or not name.isidentifier():
        return False
    base = os.path.join(folder, name)
    if os.path.isfile(base + ".py"):
        return True
    try:
        with os.scandir(base) as entries:
            return any(e.name.endswith(".py") and e.is_file() for e in entries)
    except OSError:
        return False


def local_import_dirs(relpath: str, abspath: str) -> tuple[str, ...]:
    """The folders a Python file's top-level imports may resolve to inside the project: its own
    folder and the scan root (where `python -m` and test runners start)."""
    if not abspath or not os.path.isabs(abspath):
        return ()
    folder = os.path.dirname(abspath)
    root = abspath[: -len(relpath)].rstrip("/\\") if abspath.endswith(relpath) else ""
    return (folder, root) if root and root != folder else (folder,)


def _python_words(name: bytes) -> set[bytes]:
    """Prefilter words for one Python import name.

    A short top-level name (`jax`, `trl`, `mcp`) would let most files through as a bare word
    (`ajax`, `html`, ...), so it must stand after `import` or `from`, as a Python import writes it.
    """
    if len(name) > 3:
        return {name}
    return {b"import " + name, b"from " + name}


class ImportDetector:
    """Finds imports of AI packages in source files of six languages."""

    name = DETECTOR_NAME
    version = "2"

    def wants(self, relpath: str, name: str) -> bool:
        """Source files of a supported language."""
        return _source.language_of(name) is not None

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """The catalog's import keywords of every ecosystem with a source scanner.

        A dotted Python import also contributes its last part, because `from google import
        genai` contains neither `google.genai` nor anything longer. npm specifiers are always
        quoted and Rust crates are always followed by `::` or named by `use`/`extern crate`,
        so those keywords carry that context: a bare `ai` or `ort` would let nearly every file
        through the prefilter.
        """
        words = set(_source.import_keywords(catalog, ("golang", "maven", "nuget")))
        for name in catalog.import_keywords("pypi"):
            words.update(_python_words(name))
            if b"." in name:
                # `from google import genai`: the last part only ever follows `import`.
                words.add(b"import " + name.rsplit(b".", 1)[1])
        for name in catalog.import_keywords("npm"):
            words.update(q + name + end for q in (b'"', b"'", b"`") for end in (q, b"/"))
        for name in catalog.import_keywords("cargo"):
            words.update((name + b"::", b"crate " + name, b"use " + name))
        return sorted(words)

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Report every AI package the file imports, with the import's line."""
        result = DetectResult()
        language = _source.language_of(file.name)
        if language is None:
            return result
        try:
            # NOTE: a sibling module decides whether an import is the project's own, so a
            # cached result can go stale when one is added; the next edit of the file refreshes it.
            hits = scan_imports(
                _source.script_view(file.text, file.name),
                language,
                ctx.catalog,
                local_dirs=local_import_dirs(file.relpath, file.abspath),
            )
        except (RecursionError, ValueError) as exc:  # NOTE: defensive; the lexers are total.
            result.warnings.append(ScanWarning(file.relpath, f"imports: cannot scan: {exc}"))
            return result
        lines = _source.LineIndex(file.text)
        collector = ComponentCollector()
        for offset, package in hits:
            line = lines.line_of(offset)
            evidence = Evidence(
                path=file.relpath,
                line=line,
                detector=DETECTOR_NAME,
                snippet=_source.snippet(lines.line_text(line)),
            )
            collector.add(package, evidence, {})
        result.components.extend(collector.components())
        return result
