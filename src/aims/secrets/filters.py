"""Small, pure predicates that tell a live-looking key from a decoy, and classify paths.

Each filter takes explicit arguments and returns a bool; the matcher applies them in order and
records which one rejected a candidate (for `-vv` debugging and the accuracy report).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from aims.secrets.formats import CHARSETS

# Words that mark a value as a stand-in. Long words count anywhere, case-insensitively: a random
# body contains a given 5+ letter word with odds below 1 in 250,000. Short words count only in
# one of three exact spellings and not inside a longer lower-case run (`YOUR`, `_here_`,
# `KeyGoesHere`), which keeps the odds of rejecting a random key near 1 in 100,000.
_LONG_DECOY_WORDS = re.compile(
    r"example|sample|dummy|placeholder|redacted|changeme|replace|insert", re.IGNORECASE
)
_SHORT_DECOY_WORDS = re.compile(
    r"(?<![A-Za-z])(?:your|YOUR|Your|here|HERE|Here|fake|FAKE|Fake|xxxx|XXXX)(?![a-z])"
    r"|(?<=[a-z])(?:Your|Here|Fake)(?![a-z])"
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_HASH_LABEL = re.compile(
    r"(?:sha(?:1|224|256|384|512)?|md5|blake2\w*|hash|digest|checksum|integrity|commit|etag"
    r"|revision|rev|oid|uuid|guid|nonce|salt|build_?id|run_?id|trace_?id|request_?id)"
    r"[\"'\s]*[:=(]?[\"'\s]*$",
    re.IGNORECASE,
)

MIN_BODY = 16
"""Bodies shorter than this are never reported (too little randomness to be a real key)."""


def shannon_entropy(text: str) -> float:
    """Return the Shannon entropy of `text` in bits per character (0.0 for empty text)."""
    if not text:
        return 0.0
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in Counter(text).values())


def min_entropy(body_length: int, charset: str) -> float:
    """Return the least entropy a random body of this length and charset plausibly has.

    A uniformly random body of length n over an alphabet of k symbols has an empirical entropy
    close to log2(min(n, k)); we accept anything above 70% of that, which every generated key
    clears with a wide margin while repeated, sequential or word-like fillers do not.
    """
    alphabet = len(CHARSETS.get(charset, CHARSETS["b62"]))
    return 0.7 * math.log2(max(2, min(body_length, alphabet)))


def is_low_entropy(body: str, charset: str) -> bool:
    """True when `body` is too repetitive to be a random key body of this charset."""
    return shannon_entropy(body) < min_entropy(len(body), charset)


def is_sequential(body: str) -> bool:
    """True when at least half the neighbouring characters step by one (`abcd`, `0123`, `dcba`)."""
    if len(body) < 8:
        return False
    steps = sum(1 for a, b in zip(body, body[1:], strict=False) if abs(ord(b) - ord(a)) == 1)
    return steps * 2 >= len(body) - 1


_SEGMENT = re.compile(r"[a-z]+|[A-Z][a-z]*|[A-Z]+|\d+")


def is_word_like(body: str) -> bool:
    """True when the body is 3+ plain words joined by `-`, `_` or `.` (`system-config-guide`).

    A segment is plain when it is one lower-case, Title-case, UPPER-case or digit run; random
    bodies mix case and digits inside segments.
    """
    parts = re.split(r"[-_.]", body)
    return len(parts) >= 3 and all(_SEGMENT.fullmatch(p) for p in parts if p)


def has_decoy_word(value: str) -> bool:
    """True when the value contains a stand-in word (`EXAMPLE`, `REDACTED`, `YOUR`, `Here`)."""
    return (
        _LONG_DECOY_WORDS.search(value) is not None or _SHORT_DECOY_WORDS.search(value) is not None
    )


def is_uuid(value: str) -> bool:
    """True when the whole value is a UUID."""
    return _UUID.fullmatch(value) is not None


def follows_hash_label(left: str) -> bool:
    """True when the text left of a value names it as a hash, ID or digest (`sha256:`, `commit=`)."""
    return _HASH_LABEL.search(left[-40:]) is not None


# NOTE: cached because a leaked key is often repeated thousands of times in one file; the cache
# lives only in this process's memory and is never written anywhere.
@lru_cache(maxsize=1024)
def is_decoy(*, body: str, charset: str, whole: str) -> str | None:
    """Return why a candidate key is a decoy (`short`, `word`, `words`, `sequence`, `entropy`), or None."""
    if len(body) < MIN_BODY:
        return "short"
    if has_decoy_word(whole):
        return "word"
    if is_word_like(body):
        return "words"
    if is_sequential(body):
        return "sequence"
    if is_low_entropy(body, charset):
        return "entropy"
    return None


_TEST_DIRS = frozenset(
    {
        "test",
        "tests",
        "testing",
        "spec",
        "specs",
        "__tests__",
        "__mocks__",
        "fixtures",
        "fixture",
        "testdata",
        "test-data",
        "test_data",
    }
)
_DOC_DIRS = frozenset({"doc", "docs", "documentation", "site", "website"})
_DOC_EXTS = (".md", ".mdx", ".rst", ".adoc", ".txt", ".html")
_TEST_NAME = re.compile(r"(?:^test_.*|.*_test\.\w+|.*\.(?:test|spec)\.\w+|conftest\.py)$")


def is_test_path(relpath: str) -> bool:
    """True for files under a test directory or named like a test (`test_x.py`, `x.spec.ts`)."""
    parts = relpath.lower().split("/")
    return any(p in _TEST_DIRS for p in parts[:-1]) or _TEST_NAME.match(parts[-1]) is not None


def is_docs_path(relpath: str) -> bool:
    """True for documentation: under a docs directory, or a Markdown/reST/text file."""
    parts = relpath.lower().split("/")
    return any(p in _DOC_DIRS for p in parts[:-1]) or parts[-1].endswith(_DOC_EXTS)


# Files that are generated or hold only hashes: a key there is not a leak of ours to report,
# and their hex digests next to package names would otherwise need the context check to win.
_SKIP_NAMES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "pipfile.lock",
        "uv.lock",
        "pdm.lock",
        "cargo.lock",
        "go.sum",
        "composer.lock",
        "gemfile.lock",
        "packages.lock.json",
    }
)
_SKIP_SUFFIXES = (".min.js", ".min.css", ".map", ".svg")


def is_skipped_file(name: str) -> bool:
    """True for lock files, minified bundles, source maps and SVGs (by file name)."""
    lowered = name.lower()
    return lowered in _SKIP_NAMES or lowered.endswith(_SKIP_SUFFIXES)
