"""Shared helpers of the source-code detectors: comment/string masking, line look-up, snippets.

The masker is a small lexer per language, driven by one compiled regex that jumps from one
comment or string start to the next, so the per-character work happens in C. It returns the
text with every comment blanked and every string literal's content blanked (delimiters kept),
the same length as the input, so an offset in the masked code is the same offset in the source.
Detectors run their patterns on the masked code (an `import openai` inside a docstring or a
comment is then invisible) and read the literal a pattern points at through `Masked.string_at`.
"""

from __future__ import annotations

import bisect
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aims.catalog.model import Catalog, Package

SNIPPET_LIMIT = 160
"""Longest evidence snippet, in characters."""

PYTHON = "python"
JAVASCRIPT = "javascript"
GO = "go"
JAVA = "java"
CSHARP = "csharp"
RUST = "rust"
SHELL = "shell"

LANGUAGE_BY_SUFFIX: dict[str, str] = {
    ".py": PYTHON,
    ".pyi": PYTHON,
    ".pyw": PYTHON,
    ".js": JAVASCRIPT,
    ".mjs": JAVASCRIPT,
    ".cjs": JAVASCRIPT,
    ".jsx": JAVASCRIPT,
    ".ts": JAVASCRIPT,
    ".tsx": JAVASCRIPT,
    ".mts": JAVASCRIPT,
    ".cts": JAVASCRIPT,
    ".go": GO,
    ".java": JAVA,
    ".kt": JAVA,
    ".kts": JAVA,
    ".cs": CSHARP,
    ".rs": RUST,
    ".vue": JAVASCRIPT,
    ".svelte": JAVASCRIPT,
    ".astro": JAVASCRIPT,
}
"""Source languages the import scanner understands, by file suffix."""

COMPONENT_SUFFIXES = (".vue", ".svelte", ".astro")
"""Single-file components: only their `<script>` blocks (and Astro front matter) are code."""

_SCRIPT_BLOCK = re.compile(r"(?is)<script\b[^>]*>(?P<body>.*?)(?:</script\s*>|\Z)")
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(?P<body>.*?)(?:\n---[ \t]*(?:\n|\Z)|\Z)", re.S)


def script_view(text: str, name: str) -> str:
    """Return `text` with everything but the script code of a component file blanked.

    For `.vue`, `.svelte` and `.astro` files the `<script>` blocks (and Astro's `---` front
    matter) keep their text; markup becomes spaces, newlines kept, so offsets and lines stay
    those of the file. Other files are returned unchanged.
    """
    if not name.lower().endswith(COMPONENT_SUFFIXES):
        return text
    spans = [m.span("body") for m in _SCRIPT_BLOCK.finditer(text)]
    front = _FRONT_MATTER.match(text)
    if front is not None and name.lower().endswith(".astro"):
        spans.insert(0, front.span("body"))
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        if start < last:
            continue
        pieces.append(_blank(text[last:start]))
        pieces.append(text[start:end])
        last = end
    pieces.append(_blank(text[last:]))
    return "".join(pieces)


def language_of(name: str) -> str | None:
    """Return the source language of a file name (see `LANGUAGE_BY_SUFFIX`), or None."""
    dot = name.rfind(".")
    if dot < 0:
        return None
    return LANGUAGE_BY_SUFFIX.get(name[dot:].lower())


# -- masking ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Masked:
    """Source text with comments and string contents blanked, offsets preserved."""

    text: str
    """The original text."""
    code: str
    """Same length as `text`: comments are spaces, string contents are spaces (newlines kept)."""
    strings: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Offset of a literal's opening delimiter -> (content start, content end) in `text`."""
    constants: dict[str, str] = field(default_factory=dict)
    """Names bound to a string literal, filled by callers that resolve names (see
    `python_string_constants`)."""
    _starts: list[int] | None = None

    def string_at(self, offset: int) -> str | None:
        """Return the raw content of the string literal whose opening quote is at `offset`.

        String prefixes (`r`, `b`, `u`) and, for Python, `f` are not skipped: callers that allow
        them skip the letters first. Returns None when no literal starts there.
        """
        span = self.strings.get(offset)
        if span is None:
            return None
        return self.text[span[0] : span[1]]

    def without_comments(self) -> str:
        """Return the text with only the comments blanked (string contents kept)."""
        pieces: list[str] = []
        last = 0
        for start in sorted(self.strings):
            content_start, content_end = self.strings[start]
            pieces.append(self.code[last:content_start])
            pieces.append(self.text[content_start:content_end])
            last = content_end
        pieces.append(self.code[last:])
        return "".join(pieces)

    def strings_between(self, start: int, end: int) -> list[int]:
        """Return the opening offsets of the literals that start within `[start, end)`, in order."""
        if self._starts is None:
            self._starts = sorted(self.strings)
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return self._starts[lo:hi]


def _string(
    name: str,
    open_q: str,
    close_q: str | None = None,
    *,
    multiline: bool = False,
    escapes: bool = True,
) -> str:
    """A regex fragment for one string literal whose content is the group `name`.

    Without `multiline` an unterminated literal ends at the newline; a lone backslash at the very
    end is allowed, so the fragment always matches once its opening delimiter does.
    """
    close_q = close_q or open_q
    first = re.escape(close_q[0])
    stop = "" if multiline else r"\n"
    inner = rf"[^{first}\\{stop}]++|\\[\s\S]?" if escapes else rf"[^{first}{stop}]++"
    if len(close_q) > 1:
        inner += rf"|{first}(?!{re.escape(close_q[1:])})"
    end = r"\Z" if multiline else r"(?=\n)|\Z"
    return rf"{re.escape(open_q)}(?P<{name}>(?:{inner})*+)(?:{re.escape(close_q)}|{end})"


_LINE = r"(?P<c>{}[^\n]*)"
_BLOCK = r"(?P<cb>/\*[\s\S]*?(?:\*/|\Z))"

_JS_REGEX_BODY = re.compile(r"(?:[^/\\\[\n]++|\\.|\[(?:[^\]\\\n]|\\.)*+\])*+(?P<close>/|(?=\n)|\Z)")
_JS_REGEX_KEYWORDS = (
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "yield",
    "await",
)
_JS_REGEX_AFTER_WORD = re.compile(
    r"(?:^|[^\w$.])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)\Z"
)
_JS_REGEX_AFTER_CHAR = frozenset("(,=:[!&|?{};+-*%<>~^")
_RUST_COMMENT_EDGE = re.compile(r"/\*|\*/")


def _js_regex(text: str, m: re.Match[str]) -> tuple[int, int, int] | None:
    """Accept a `/` as a regex literal only where an expression may start."""
    before = text[max(0, m.start() - 40) : m.start()].rstrip()
    if before and before[-1] not in _JS_REGEX_AFTER_CHAR:
        if not before.endswith(_JS_REGEX_KEYWORDS):
            return None
        if not _JS_REGEX_AFTER_WORD.search(before):
            return None
    body = _JS_REGEX_BODY.match(text, m.end())
    if body is None or body.group("close") != "/":
        return None
    return m.end(), body.start("close"), body.end()


def _rust_block_comment(text: str, m: re.Match[str]) -> tuple[int, int, int]:
    """Rust block comments nest."""
    depth = 1
    pos = m.end()
    while depth:
        edge = _RUST_COMMENT_EDGE.search(text, pos)
        if edge is None:
            return m.start(), len(text), len(text)
        depth += 1 if edge.group(0) == "/*" else -1
        pos = edge.end()
    return m.start(), pos, pos


def _rust_raw_string(text: str, m: re.Match[str]) -> tuple[int, int, int]:
    """`r#"..."#`: closed by a quote and as many `#` as opened it."""
    closer = '"' + "#" * m.group(0).count("#")
    end = text.find(closer, m.end())
    if end < 0:
        return m.end(), len(text), len(text)
    return m.end(), end, end + len(closer)


_Special = Callable[[str, re.Match[str]], tuple[int, int, int] | None]


@dataclass(frozen=True, slots=True)
class _Spec:
    """One language's lexer: a regex whose alternatives are whole tokens.

    Group names tell the kind: `c*` a comment (the whole match is blanked), `s*` a string's
    content, `x*` a token that a function in `special` finishes (returning content start,
    content end and token end, or None to treat the character as code).
    """

    pattern: re.Pattern[str]
    special: dict[str, tuple[_Special, bool]] = field(default_factory=dict)
    """Group name -> (function, whether the token is a comment)."""


def _spec(*alternatives: str, special: dict[str, tuple[_Special, bool]] | None = None) -> _Spec:
    return _Spec(pattern=re.compile("|".join(alternatives)), special=special or {})


_SPECS: dict[str, _Spec] = {
    PYTHON: _spec(
        _LINE.format(r"\#"),
        _string("s1", '"""', multiline=True),
        _string("s2", "'''", multiline=True),
        _string("s3", '"'),
        _string("s4", "'"),
    ),
    JAVASCRIPT: _spec(
        _LINE.format("//"),
        _BLOCK,
        _string("s1", '"'),
        _string("s2", "'"),
        _string("s3", "`", multiline=True),
        r"(?P<x>/)",
        special={"x": (_js_regex, False)},
    ),
    GO: _spec(
        _LINE.format("//"),
        _BLOCK,
        _string("s1", '"'),
        _string("s2", "`", multiline=True, escapes=False),
        _string("s3", "'"),
    ),
    JAVA: _spec(
        _LINE.format("//"),
        _BLOCK,
        _string("s1", '"""', multiline=True),
        _string("s2", '"'),
        _string("s3", "'"),
    ),
    CSHARP: _spec(
        _LINE.format("//"),
        _BLOCK,
        _string("s1", '"""', multiline=True, escapes=False),
        r'(?:@\$?|\$@)"(?P<s2>(?:[^"]++|"")*+)(?:"|\Z)',
        _string("s3", '"'),
        _string("s4", "'"),
    ),
    RUST: _spec(
        _LINE.format("//"),
        r"(?P<xc>/\*)",
        r"(?P<xr>(?<![\w])b?r\#*\")",
        r"b?" + _string("s1", '"', multiline=True),
        r"b?'(?P<s2>\\(?:u\{[0-9a-fA-F]{1,6}\}|x[0-9a-fA-F]{2}|[^\n])|[^'\\\n])'",
        special={"xc": (_rust_block_comment, True), "xr": (_rust_raw_string, False)},
    ),
    SHELL: _spec(
        r"(?P<c>(?:^|(?<=[\s;&|(]))\#[^\n]*)",
        _string("s1", '"', multiline=True),
        _string("s2", "'", multiline=True, escapes=False),
    ),
}


def _blank(chunk: str) -> str:
    if "\n" not in chunk:
        return " " * len(chunk)
    return "\n".join(" " * len(part) for part in chunk.split("\n"))


def mask(text: str, language: str) -> Masked:
    """Blank the comments and string contents of `text` written in `language`.

    Unterminated comments and strings run to the end of the text (or, for single-line strings,
    to the end of the line), so malformed input never raises. A leading byte-order mark is
    blanked too.
    """
    spec = _SPECS[language]
    pieces: list[str] = []
    strings: dict[int, tuple[int, int]] = {}
    pos = last = 0
    search = spec.pattern.search
    append = pieces.append
    while True:
        m = search(text, pos)
        if m is None:
            break
        group = m.lastgroup or ""
        kind = group[:1]
        if kind == "c":
            content_start, content_end = m.span()
            pos = content_end
        elif kind == "s":
            content_start, content_end = m.span(group)
            strings[m.start()] = (content_start, content_end)
            pos = m.end()
        else:
            function, comment = spec.special[group]
            span = function(text, m)
            if span is None:
                pos = m.end()
                continue
            content_start, content_end, pos = span
            if comment:
                content_start = m.start()
            else:
                strings[m.start()] = (content_start, content_end)
        append(text[last:content_start])
        append(_blank(text[content_start:content_end]))
        last = content_end
        if pos <= m.start():  # NOTE: defensive; every token consumes at least one character
            pos = m.start() + 1
    append(text[last:])
    code = "".join(pieces)
    if code.startswith("\ufeff"):
        code = " " + code[1:]  # NOTE: a byte-order mark is not code
    return Masked(text=text, code=code, strings=strings)


_PY_CONSTANT = re.compile(r"(?m)^(?P<name>[A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*(?=[rRuU]?[\"'])")
_REST_OF_LINE = re.compile(r"[\"']{1,3}[ \t]*(?:\n|\Z)")


def python_string_constants(masked: Masked) -> dict[str, str]:
    """Return module-level names bound exactly once to a whole string literal (`BASE = "x"`)."""
    found: dict[str, str | None] = {}
    for m in _PY_CONSTANT.finditer(masked.code):
        pos = m.end() + (1 if masked.text[m.end()] in "rRuU" else 0)
        span = masked.strings.get(pos)
        name = m.group("name")
        whole = span is not None and _REST_OF_LINE.match(masked.code, span[1]) is not None
        value = masked.text[span[0] : span[1]] if span is not None and whole else None
        found[name] = None if name in found else value
    return {name: value for name, value in found.items() if value}


_MODEL_WORD = re.compile(
    r"(?i)model|clf|classif|regress|estimator|pipeline|pipe(?![a-z])|predictor|booster|forest|"
    r"xgb|lgbm|gbm|svm|svc|knn|kmeans|tree|vectori[sz]er|tfidf|scaler|encoder|preprocessor|"
    r"tokenizer|weights|checkpoint|ckpt"
)


def names_a_model(text: str) -> bool:
    """Whether a file name (or a variable name) says it holds a model or a fitted pipeline
    step: `model`, `clf`, `classifier`, `pipeline`, `vectorizer`, `scaler`, `weights`, ...
    Pickle and joblib files also store plain data, so their names are asked."""
    return _MODEL_WORD.search(text) is not None


def repo_path(value: str, relpath: str, abspath: str, *, notebook: bool) -> tuple[str, bool]:
    """The repository path of a file that code names by a relative path, and whether it exists.

    `relpath`/`abspath` are the calling file's. A relative path is tried against the scan root
    (where scripts are usually run) and the calling file's folder; a notebook's folder comes
    first (Jupyter runs a notebook there). A path found in neither is named as written, relative
    to that first choice. Absolute paths are returned as written.
    """
    path = value.replace("\\", "/").strip()
    while path.startswith("./"):
        path = path[2:]
    if path.startswith(("/", "~")) or re.match(r"[A-Za-z]:/", path):
        return path.rstrip("/"), False
    folder = posixpath.dirname(relpath)
    candidates = [posixpath.normpath(path), posixpath.normpath(posixpath.join(folder, path))]
    if notebook:
        candidates.reverse()
    candidates = [c for c in candidates if not c.startswith("../") and c != ".."]
    root = abspath[: -len(relpath)] if relpath and abspath.endswith(relpath) else ""
    if root:
        for candidate in candidates:
            if os.path.exists(os.path.join(root, candidate)):
                return candidate, True
    return (candidates[0] if candidates else posixpath.normpath(path)), False


# -- lines and snippets ---------------------------------------------------------------------------


class LineIndex:
    """Maps character offsets of a text to 1-based line numbers and back to line text."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def line_of(self, offset: int) -> int:
        """Return the 1-based line number of a character offset."""
        return bisect.bisect_right(self._starts, offset)

    def start_of(self, line: int) -> int:
        """Return the offset where a 1-based line starts (clamped to the text)."""
        return self._starts[min(max(line, 1), len(self._starts)) - 1]

    def line_text(self, line: int) -> str:
        """Return the text of a 1-based line without its newline ("" when out of range)."""
        if line < 1 or line > len(self._starts):
            return ""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._text)
        return self._text[start:end]


_USERINFO = re.compile(r"(://)[^/@\s\"']+@")
_LONG_TOKEN = re.compile(r"(?<![\w/+.:-])(?=[\w+/-]*\d)(?=[\w+/-]*[A-Za-z])[\w+/-]{20,}={0,2}")


_SEGMENT = re.compile(r"[A-Z]{2,4}(?=[A-Z][a-z]|\d|[-_]|$)|[A-Z]?[a-z]+|\d+[A-Za-z]?|[-_]")
_VOWELS = frozenset("aeiouyAEIOUY")


def _identifier_like(token: str) -> bool:
    """True for names made of words: `ModelNameLlama2_13BChat`, `Claude-Sonnet-4-5-20250929`.

    The whole token must split into words with a vowel, short acronyms, numbers and `-`/`_`
    separators (at least one), with at least two words, at most one acronym and at most one
    number with a letter suffix (`13B`); random
    key material almost never splits that way (a test checks many random tokens).
    """
    position = 0
    words = acronyms = suffixed = 0
    for m in _SEGMENT.finditer(token):
        if m.start() != position:
            return False
        position = m.end()
        part = m.group(0)
        if part[0].isdigit() and part[-1].isalpha():
            suffixed += 1  # `13B`: fine once; `9f`, `4y`, ... is what random text looks like
        if part[0].isalpha():
            if part.isupper():
                acronyms += 1
            elif len(part) >= 3 and _VOWELS & set(part):
                words += 1
            else:
                return False
    separated = "-" in token or "_" in token
    return position == len(token) and separated and words >= 2 and acronyms <= 1 and suffixed <= 1


def _redact_token(m: re.Match[str]) -> str:
    token = m.group(0)
    if "/" in token and ("-" in token or "_" in token):
        return token  # NOTE: a path (`aws-sdk-go-v2/service/x`), not base64 key material
    mixed = any(c.isupper() for c in token) and any(c.islower() for c in token)
    if not mixed and len(token) < 32:
        return token  # NOTE: one-case names (`text-embedding-3-large`) are not key material
    if _identifier_like(token):
        return token  # NOTE: a CamelCase or dashed name made of words is not key material
    return "***"


def redact(text: str) -> str:
    """Remove credentials from a line: URL user-info and long key-like tokens become `***`.

    A key-like token has 20 or more characters of letters, digits and `+/_-` (and `=`
    padding), at least one letter and one digit, upper and lower case letters (or 32 or more
    characters), and does not continue a dotted or `:`-separated name; path-like tokens (a `/`
    together with `-` or `_`) are kept.
    """
    text = _USERINFO.sub(r"\1***@", text)
    return _LONG_TOKEN.sub(_redact_token, text)


def bound(text: str) -> str:
    """Strip a snippet and cut it to `SNIPPET_LIMIT` characters."""
    text = text.strip()
    return text if len(text) <= SNIPPET_LIMIT else text[: SNIPPET_LIMIT - 3] + "..."


def snippet(text: str) -> str:
    """Return a stripped, redacted, bounded evidence snippet for one line of text."""
    return bound(redact(text))


# -- catalog look-ups -----------------------------------------------------------------------------


def resolve_import(catalog: Catalog, ecosystem: str, import_path: str) -> Package | None:
    """Return the catalog package an import path belongs to (longest prefix), or None."""
    if not import_path:
        return None
    return catalog.package_for_import(ecosystem, import_path)


def import_keywords(catalog: Catalog, ecosystems: Iterable[str]) -> list[bytes]:
    """Return the union of the catalog's lower-case import keywords of several ecosystems."""
    words: set[bytes] = set()
    for ecosystem in ecosystems:
        words.update(catalog.import_keywords(ecosystem))
    return sorted(words)


def package_purl(ecosystem: str, name: str, version: str | None = None) -> str | None:
    """Return the package URL of a catalog package (versionless by default), or None."""
    from packageurl import PackageURL

    namespace: str | None = None
    short = name
    if ecosystem == "npm" and name.startswith("@") and "/" in name:
        namespace, short = name.split("/", 1)
    elif ecosystem == "maven":
        if ":" not in name:
            return None
        namespace, short = name.split(":", 1)
    elif ecosystem == "golang" and "/" in name:
        namespace, short = name.rsplit("/", 1)
    if not short:
        return None
    try:
        purl = PackageURL(type=ecosystem, namespace=namespace, name=short, version=version)
        return str(purl.to_string())
    except ValueError:
        return None
