"""The combined keyword prefilter: one pass over a file decides which detectors may see it.

Every detector declares lower-case keywords, one of which must occur in a file it can match.
The union of all keywords is compiled once per process. Three interchangeable backends give the
same answer at different speeds (measured in docs/performance.md):

- `hyperscan` (optional package): one SIMD pass that reports every detector with a keyword;
- `re2` (optional package `google-re2`): a DFA search for "any keyword", then one search per
  candidate detector only for files that contain one;
- `python`: the same two steps with the standard library's `re`.

`select()` returns exactly the detectors with at least one keyword in the file, so the prefilter
only ever saves work; it can never hide a match.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

BACKENDS = ("auto", "hyperscan", "re2", "python")


def available_backends() -> list[str]:
    """Return the backends usable in this environment, fastest first."""
    found = [name for name in ("hyperscan", "re2") if _import(_MODULES[name]) is not None]
    return [*found, "python"]


_MODULES = {"hyperscan": "hyperscan", "re2": "re2"}


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


class Prefilter:
    """Keyword sets of several detectors, compiled once; `select()` runs per file."""

    def __init__(
        self, keyword_sets: Sequence[Iterable[bytes] | None], backend: str = "auto"
    ) -> None:
        """Compile the keyword sets; `keyword_sets[i]` is None when detector `i` wants all files.

        Raises `ValueError` for an unknown backend or one whose package is not installed.
        """
        if backend not in BACKENDS:
            raise ValueError(f"unknown prefilter backend {backend!r}")
        self.always = 0
        """Bit mask of detectors without keywords: they see every file they want."""
        self.never = 0
        """Bit mask of detectors with an empty keyword set: they can never match."""
        self._known = (1 << len(keyword_sets)) - 1
        masks: dict[bytes, int] = {}
        per_detector: list[list[bytes]] = []
        for index, keywords in enumerate(keyword_sets):
            if keywords is None:
                self.always |= 1 << index
                per_detector.append([])
                continue
            unique = sorted({k.lower() for k in keywords if k})
            if not unique:
                self.never |= 1 << index
            per_detector.append(unique)
            for keyword in unique:
                masks[keyword] = masks.get(keyword, 0) | (1 << index)
        if backend == "auto":
            backend = available_backends()[0]
        self.backend = backend
        self._select: Callable[[bytes, int], int]
        if not masks:
            self._select = _nothing
        elif backend == "hyperscan":
            self._select = _HyperscanSelect(masks).select
        elif backend == "re2":
            self._select = _SearchSelect(per_detector, _re2_compiler()).select
        else:
            self._select = _SearchSelect(per_detector, re.compile).select

    def select(self, data: bytes, candidates: int) -> int:
        """Return the subset (bit mask) of `candidates` whose keywords occur in `data`.

        Matching ignores ASCII case (as if `data` went through `bytes.lower()`); `candidates`
        is the bit mask of detectors whose `wants()` accepted the path.
        """
        candidates &= self._known
        selected = candidates & self.always
        pending = candidates & ~self.always & ~self.never
        if not pending:
            return selected
        return selected | self._select(data, pending)


def _re2_compiler() -> Callable[[bytes], Any]:
    module = _import("re2")
    if module is None:
        raise ValueError("the re2 backend needs the google-re2 package")
    options = module.Options()
    # NOTE: RE2 defaults to UTF-8 and rejects keywords that are not valid UTF-8; Latin-1 maps
    # each byte to one character, so patterns and content compare byte for byte.
    options.encoding = module.Options.Encoding.LATIN1
    options.max_mem = 64 << 20

    def compile_(pattern: bytes) -> Any:
        return module.compile(pattern, options)

    return compile_


def _nothing(data: bytes, pending: int) -> int:
    return 0


def _alternation(keywords: Iterable[bytes]) -> bytes:
    # Longest first, so a backtracking engine prefers the longer of two overlapping keywords.
    ordered = sorted(set(keywords), key=lambda k: (-len(k), k))
    return b"|".join(re.escape(k) for k in ordered)


class _SearchSelect:
    """Regex backends: one "any keyword?" search, then one search per pending detector."""

    def __init__(self, per_detector: list[list[bytes]], compile_: Callable[[bytes], Any]) -> None:
        union = [k for keywords in per_detector for k in keywords]
        self._any = compile_(_alternation(union))
        self._each = [compile_(_alternation(k)) if k else None for k in per_detector]

    def select(self, data: bytes, pending: int) -> int:
        lowered = data.lower()
        if self._any.search(lowered) is None:
            return 0
        found = 0
        index = 0
        bits = pending
        while bits:
            if bits & 1:
                pattern = self._each[index]
                if pattern is not None and pattern.search(lowered) is not None:
                    found |= 1 << index
            bits >>= 1
            index += 1
        return found


class _HyperscanSelect:
    """Hyperscan: every keyword reported at most once, in one pass."""

    def __init__(self, masks: dict[bytes, int]) -> None:
        hyperscan = _import("hyperscan")
        if hyperscan is None:
            raise ValueError("the hyperscan backend needs the hyperscan package")
        self._hs = hyperscan
        keywords = sorted(masks)
        self._masks = [masks[k] for k in keywords]
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(
            expressions=[_hs_literal(k) for k in keywords],
            ids=list(range(len(keywords))),
            elements=len(keywords),
            # Caseless matching of ASCII letters equals lower-casing the content first, without
            # copying it.
            flags=[hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_CASELESS] * len(keywords),
        )

    def select(self, data: bytes, pending: int) -> int:
        found = [0]
        masks = self._masks

        def on_match(ident: int, start: int, end: int, flags: int, context: Any) -> bool:
            found[0] |= masks[ident] & pending
            return found[0] == pending  # stop the scan once every candidate is in

        try:
            self._db.scan(data, match_event_handler=on_match)
        except self._hs.ScanTerminated:
            pass
        return found[0]


def _hs_literal(keyword: bytes) -> bytes:
    """Escape a byte string as a Hyperscan (PCRE syntax) literal, byte for byte."""
    return b"".join(bytes([b]) if chr(b).isalnum() and b < 128 else b"\\x%02x" % b for b in keyword)
