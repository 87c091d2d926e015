"""Matching helpers behind the catalog's look-ups: hosts, import paths, model IDs and CI steps.

These are small, pure and generic over the entry type so that `aims.catalog.model` can index its
own entries with them; detectors should call the `Catalog` methods rather than these directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")

IMPORT_SEPARATORS: dict[str, str] = {
    "pypi": ".",
    "maven": ".",
    "nuget": ".",
    "golang": "/",
    "npm": "/",
    "cargo": "::",
}
"""How each ecosystem separates the parts of an import path."""

_ID_CHAR = "A-Za-z0-9_"
MODEL_RIGHT = rf"(?![{_ID_CHAR}\-]|\.[{_ID_CHAR}])"
"""Nothing that could continue an ID may follow it; a full stop ending a sentence may."""


def split_host(value: str) -> tuple[str, str | None]:
    """Return `(host, port)` from a host, `host:port` or URL; host lower-cased, port or None.

    Never raises: input that is not a host gives an empty host.
    """
    text = value.strip()
    if "://" in text:
        try:
            parts = urlsplit(text)
            url_host = parts.hostname or ""
            url_port = parts.port
        except ValueError:
            return "", None
        return url_host.rstrip("."), (str(url_port) if url_port is not None else None)
    text = text.split("/", 1)[0].rsplit("@", 1)[-1].lower()
    if text.startswith("["):  # IPv6 literal: [::1]:8080
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") and rest[1:].isdigit() else None
        return host, port
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and ":" not in host:
        return host.rstrip("."), port
    return text.rstrip("."), None


class HostIndex(Generic[T]):
    """Host names mapped to entries.

    A pattern is an exact host, `host:port`, `*.domain` (any subdomain, at any depth), or a
    glob with `*` standing for part of one label (`*-aiplatform.googleapis.com`,
    `bedrock-runtime.*.amazonaws.com`).
    """

    def __init__(self) -> None:
        self._exact: dict[str, T] = {}
        self._wild: dict[str, T] = {}
        self._globs: list[tuple[re.Pattern[str], T]] = []

    def add(self, pattern: str, entry: T) -> None:
        """Index one host pattern; the first entry added for a pattern wins."""
        pattern = pattern.lower()
        if pattern.startswith("*.") and "*" not in pattern[2:]:
            self._wild.setdefault(pattern[2:], entry)
        elif "*" in pattern:
            regex = "[a-z0-9-]+".join(re.escape(part) for part in pattern.split("*"))
            self._globs.append((re.compile(regex + r"\Z"), entry))
        else:
            self._exact.setdefault(pattern, entry)

    def get(self, value: str) -> T | None:
        """Return the entry for a host, `host:port` or URL, or None."""
        host, port = split_host(value)
        if not host:
            return None
        if port is not None and f"{host}:{port}" in self._exact:
            return self._exact[f"{host}:{port}"]
        if host in self._exact:
            return self._exact[host]
        labels = host.split(".")
        for i in range(1, len(labels)):
            found = self._wild.get(".".join(labels[i:]))
            if found is not None:
                return found
        for regex, entry in self._globs:
            if regex.match(host):
                return entry
        return None


def host_keyword(pattern: str) -> str:
    """Return a literal every host matching `pattern` contains: its text after the last `*`.

    `bedrock-runtime.*.amazonaws.com` gives `amazonaws.com`, `*-aiplatform.googleapis.com`
    gives `aiplatform.googleapis.com`: always a domain (or `host:port`), never a bare label.
    """
    return pattern.lower().rsplit("*", 1)[-1].lstrip(".-")


def fold_import(ecosystem: str, name: str) -> str:
    """Return an import name in the form the index compares (C# folds case, Rust `-` to `_`)."""
    name = name.strip()
    if ecosystem == "nuget":
        return name.lower()
    if ecosystem == "cargo":
        return name.replace("-", "_")
    return name


def import_prefixes(ecosystem: str, import_path: str) -> list[str]:
    """Return the candidate prefixes of an import path, longest first, in folded form.

    npm specifiers never shrink below the package name (`@scope/name` or `name`); relative
    imports (`./x`, `.x`) have no prefixes.
    """
    path = fold_import(ecosystem, import_path)
    sep = IMPORT_SEPARATORS.get(ecosystem)
    if not path or sep is None or path.startswith("."):
        return []
    if ecosystem == "cargo":
        path = path.removeprefix("::").removeprefix("crate::")
    elif ecosystem == "npm":
        path = path.removeprefix("npm:")
    parts = path.split(sep)
    if any(not part for part in parts):
        return []
    shortest = 2 if ecosystem == "npm" and path.startswith("@") else 1
    return [sep.join(parts[:n]) for n in range(len(parts), shortest - 1, -1)]


class ModelScanner(Generic[T]):
    """Finds whole model IDs in text: keyword hits first, then only the families they name.

    Every ID contains one of its family's keywords, and starts where the run of ID characters
    (`[A-Za-z0-9_.-]`) around that keyword starts. At such a start, the families whose keywords
    occur in the token there are tried in catalog order, each with the right-hand ID boundary;
    the first that matches wins. Family regexes are compiled on first use, so a scan pays only
    for the families its text mentions.
    """

    def __init__(self, families: Sequence[tuple[str, Sequence[str], T]]) -> None:
        self._patterns = [pattern for pattern, _, _ in families]
        self._family_keywords = [tuple(keywords) for _, keywords, _ in families]
        self._entries = [entry for _, _, entry in families]
        self._compiled: list[re.Pattern[str] | None] = [None] * len(families)
        words = sorted({k for ks in self._family_keywords for k in ks}, key=len, reverse=True)
        ordered = "|".join(re.escape(k) for k in words)
        # A keyword found in a token names its families and those of every keyword inside it
        # (`claude-opus` also holds `claude-`): at each position the search reports only the
        # longest keyword, but it looks at every position, so overlaps are not lost.
        self._candidates: dict[str, tuple[int, ...]] = {
            word: tuple(
                i
                for i, keywords in enumerate(self._family_keywords)
                if any(k in word for k in keywords)
            )
            for word in words
        }
        # NOTE: a case-sensitive search of lower-cased text is about ten times faster than an
        # IGNORECASE search; the folded regex is the fallback for text whose length lower()
        # changes (a few non-ASCII letters).
        self._keywords = re.compile(ordered) if ordered else None
        self._keywords_folded = re.compile(ordered, re.IGNORECASE) if ordered else None
        self._keywords_anywhere = re.compile(f"(?=({ordered}))") if ordered else None

    def _regex(self, index: int) -> re.Pattern[str]:
        compiled = self._compiled[index]
        if compiled is None:
            compiled = re.compile(f"(?:{self._patterns[index]}){MODEL_RIGHT}", re.IGNORECASE)
            self._compiled[index] = compiled
        return compiled

    def scan(self, text: str) -> Iterator[tuple[int, int, T]]:
        """Yield `(start, end, entry)` for every model ID in `text`, left to right."""
        if self._keywords is None or self._keywords_folded is None:
            return
        assert self._keywords_anywhere is not None
        lowered = text.lower()
        if len(lowered) == len(text):
            hits = self._keywords.finditer(lowered)
        else:
            lowered = text
            hits = self._keywords_folded.finditer(text)
        done = 0
        tried: set[int] = set()
        for hit in hits:
            if hit.start() < done:
                continue
            start = hit.start()
            while start > 0 and _ID_RUN_CHAR(text[start - 1]):
                start -= 1
            if start < done or start in tried:
                continue
            tried.add(start)
            token_end = _TOKEN_END.search(lowered, hit.end(), min(len(text), start + 256))
            token = lowered[start : token_end.start() if token_end else start + 256].lower()
            found_words = set(self._keywords_anywhere.findall(token))
            if len(found_words) == 1:
                candidates: Iterable[int] = self._candidates[found_words.pop()]
            else:
                candidates = sorted({i for w in found_words for i in self._candidates[w]})
            for index in candidates:
                found = self._regex(index).match(text, start)
                if found is not None:
                    done = found.end()
                    yield start, done, self._entries[index]
                    break


_TOKEN_END = re.compile(r"""[\s"'`,;()\[\]{}<>=]""")
"""Characters that never occur inside a model ID: the end of the token a keyword is in."""


def _ID_RUN_CHAR(char: str) -> bool:  # noqa: N802 - reads as a character class
    return char.isascii() and (char.isalnum() or char in "_.-")


_SEGMENT = re.compile(r"[^\n;&|()`]+")
_TOKEN = re.compile(r"\S+")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_DURATION = re.compile(r"\d+(?:\.\d+)?[smhd]?")
_WRAPPERS = frozenset({"sudo", "env", "time", "exec", "command", "nohup", "then", "do", "else"})
_WRAPPERS |= frozenset({"if", "while", "until", "!", "{", "timeout", "npx", "bunx", "pnpx", "uvx"})
_RUNNERS = {"pipx": "run", "pnpm": "dlx", "yarn": "dlx", "npm": "exec", "bun": "x"}


def _strip_version(spec: str) -> str:
    """`@scope/name@1.2` -> `@scope/name`, `name@latest` -> `name`."""
    at = spec.rfind("@")
    return spec[:at] if at > 0 else spec


class CiIndex(Generic[T]):
    """CI actions, CLI command names and container images mapped to entries."""

    def __init__(self) -> None:
        self._actions: dict[str, T] = {}
        self._commands: dict[str, T] = {}
        self._images: dict[str, T] = {}
        self._image_prefixes: list[tuple[str, T]] = []

    def add(self, kind: str, value: str, entry: T) -> None:
        """Index one `match` value of an entry of this kind (`action`, `cli` or `image`)."""
        if kind == "action":
            self._actions.setdefault(value.lower().strip("/"), entry)
        elif kind == "cli":
            self._commands.setdefault(value, entry)
        elif kind == "image" and value.endswith("/*"):
            self._image_prefixes.append((normalise_image(value[:-1]), entry))
        elif kind == "image":
            self._images.setdefault(normalise_image(value), entry)
        else:
            raise ValueError(f"unknown CI entry kind {kind!r}")

    def action(self, uses: str) -> T | None:
        """Return the entry for a `uses:` value, or None."""
        text = uses.strip().strip("'\"")
        if not text or text.startswith(("./", "docker://")):
            return None
        parts = text.split("@", 1)[0].lower().strip("/").split("/")
        for n in range(len(parts), 1, -1):
            found = self._actions.get("/".join(parts[:n]))
            if found is not None:
                return found
        return None

    def image(self, reference: str) -> T | None:
        """Return the entry for an image reference, or None."""
        name = normalise_image(reference)
        if name in self._images:
            return self._images[name]
        for prefix, entry in self._image_prefixes:
            if name.startswith(prefix) and len(name) > len(prefix):
                return entry
        return None

    def commands(self, script: str) -> Iterator[tuple[int, int, T]]:
        """Yield `(start, end, entry)` for each AI CLI in command position in a shell script."""
        for segment in _SEGMENT.finditer(script):
            tokens = list(_TOKEN.finditer(segment.group()))
            i = 0
            while i < len(tokens):
                word = tokens[i].group()
                if (
                    word in _WRAPPERS
                    or _ASSIGNMENT.match(word)
                    or (i and (word.startswith("-") or _DURATION.fullmatch(word)))
                ):
                    i += 1
                    continue
                if word in _RUNNERS and i + 1 < len(tokens):
                    if tokens[i + 1].group() == _RUNNERS[word]:
                        i += 2
                        continue
                break
            if i >= len(tokens):
                continue
            word = tokens[i].group().strip("'\"")
            spec = _strip_version(word)
            entry = None
            if i + 1 < len(tokens):
                entry = self._commands.get(f"{spec} {tokens[i + 1].group()}")
            if entry is None and not word.startswith("@"):
                entry = self._commands.get(spec.rsplit("/", 1)[-1])
            elif entry is None:
                entry = self._commands.get(spec)  # a scoped npm package, as `npx` runs it
            if entry is not None:
                base = segment.start()
                yield base + tokens[i].start(), base + len(segment.group().rstrip()), entry


def normalise_image(reference: str) -> str:
    """Return an image repository without tag, digest or implied Docker Hub parts, lower case."""
    ref = reference.strip().strip("'\"").lower().split("@", 1)[0]
    slash = ref.rfind("/")
    colon = ref.find(":", slash + 1)
    if colon != -1:
        ref = ref[:colon]
    for hub in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        ref = ref.removeprefix(hub)
    rest = ref.removeprefix("library/")
    return rest if "/" not in rest else ref


def has_flag(command: str, flags: Sequence[str]) -> bool:
    """Return True when one of `flags` is a whole argument of `command` (or `flag=value`)."""
    if not flags:
        return False
    for token in _TOKEN.findall(command)[1:]:
        for flag in flags:
            if token == flag or (flag.startswith("-") and token.startswith(flag + "=")):
                return True
    return False
