"""Find AI provider keys in text: distinctive prefixes first, then context-only formats.

The matcher is built once from the key-format catalog. Distinctive formats are located with one
C-speed `str.find` per distinct prefix and confirmed with the format's anchored pattern at that
position; context-only formats (a bare 32-character token is only a Mistral key if it is
assigned to `MISTRAL_API_KEY` or sits next to `api.mistral.ai`) are only searched for when one of
their context words occurs in the text. Every candidate then goes through the decoy filters.

Text is searched raw, so JSON files and notebooks (code cells and saved outputs alike) report the
line in the file itself; `\\n`, `\\t` and `\\"` escapes in JSON strings count as token boundaries.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from aims.secrets import filters
from aims.secrets.fingerprint import describe, keyed_fingerprint, keyed_hash, redact
from aims.secrets.formats import KeyFormat, load_key_formats

# A key never continues a longer token: these characters may not touch it on either side.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/-")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Names that say "this is a credential" without saying for which service.
_GENERIC_KEY_NAMES = frozenset(
    {
        "key",
        "api_key",
        "apikey",
        "api-key",
        "x-api-key",
        "xi-api-key",
        "api_token",
        "apitoken",
        "token",
        "access_token",
        "auth_token",
        "secret",
        "secret_key",
        "authorization",
        "credential",
        "credentials",
        "password",
    }
)
_KEYISH_PARTS = ("key", "token", "secret", "auth", "credential", "passw")
CONTEXT_LINES = 5
"""How many lines above and below a context-only candidate are searched for provider terms."""


@dataclass(frozen=True, slots=True)
class KeyMatch:
    """One key found in a text. `secret` is the raw key: never print, log or store it."""

    format: KeyFormat = field(repr=False)
    start: int
    end: int
    line: int
    column: int
    secret: str = field(repr=False)

    @property
    def format_id(self) -> str:
        """The catalog ID of the key's format."""
        return self.format.id

    @property
    def redacted(self) -> str:
        """Prefix, ellipsis and last 4 characters."""
        return redact(self.secret, self.format.prefix)

    @property
    def fingerprint(self) -> str:
        """The short keyed fingerprint (12 hex)."""
        return keyed_fingerprint(self.secret)

    @property
    def keyed_hash(self) -> str:
        """The full keyed hash (HMAC-SHA256 hex); what finding fingerprints are built from."""
        return keyed_hash(self.secret)

    @property
    def evidence(self) -> str:
        """Redacted key plus keyed fingerprint: the only form output shows."""
        return describe(self.secret, self.format.prefix)

    def __repr__(self) -> str:
        return f"KeyMatch({self.format.id}, line={self.line}, {self.redacted})"


@dataclass(frozen=True, slots=True)
class Rejection:
    """A candidate that looked like a key but was filtered out, and why (never the value)."""

    format_id: str
    line: int
    reason: str


@dataclass(slots=True)
class MatchResult:
    """Keys found in one text, plus the candidates the decoy filters rejected."""

    matches: list[KeyMatch] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


class _Spans:
    """Per-text state: claimed spans (sorted, O(log n) overlap tests) and a line index."""

    __slots__ = ("_ends", "_newlines", "_starts", "_text")

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._text = text
        self._newlines: list[int] | None = None

    def line_of(self, offset: int) -> int:
        """1-based line of a character offset (the newline index is built on first use)."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) intersects a claimed span."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self._ends[i] > start:
            return True
        return i + 1 < len(self._starts) and self._starts[i + 1] < end

    def add(self, start: int, end: int) -> None:
        """Claim [start, end); callers only add spans that overlap nothing."""
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


def _touches_token(text: str, start: int, end: int) -> bool:
    if start > 0 and text[start - 1] in _TOKEN_CHARS:
        # `\n`, `\t`, `\r` inside a JSON or notebook string end the previous token.
        if not (start >= 2 and text[start - 2] == "\\" and text[start - 1] in "ntr"):
            return True
    return end < len(text) and text[end] in _TOKEN_CHARS


def _line_window(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the span from CONTEXT_LINES lines above `start` to CONTEXT_LINES lines below `end`."""
    lo = start
    for _ in range(CONTEXT_LINES + 1):
        lo = text.rfind("\n", 0, lo)
        if lo <= 0:
            lo = 0
            break
    hi = end
    for _ in range(CONTEXT_LINES + 1):
        nxt = text.find("\n", hi + 1)
        if nxt == -1:
            return lo, len(text)
        hi = nxt
    return lo, hi


def _windows(lowered: str, keywords: list[str]) -> list[tuple[int, int]]:
    """Return the merged line windows around every occurrence of any keyword."""
    spans: list[tuple[int, int]] = []
    for word in keywords:
        pos = lowered.find(word)
        while pos != -1:
            spans.append(_line_window(lowered, pos, pos + len(word)))
            pos = lowered.find(word, spans[-1][1])
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


class KeyMatcher:
    """Compiled look-up over every key format; build once, call `find()` per text."""

    def __init__(self, formats: tuple[KeyFormat, ...]) -> None:
        self.formats = formats
        distinctive = [f for f in formats if not f.contextual]
        # Longest prefix first, so `sk-proj-` claims a span before the generic `sk-` does.
        distinctive.sort(key=lambda f: -len(f.prefix))
        # Prefixes that start with another prefix share its search: one `str.find` for `sk-`
        # serves `sk-proj-`, `sk-ant-api`, `sk-or-v1-`, ... (each format is tried longest first).
        prefixes = {f.prefix for f in distinctive}
        anchors = {p for p in prefixes if not any(o != p and p.startswith(o) for o in prefixes)}
        self._by_anchor: dict[str, list[tuple[KeyFormat, re.Pattern[str]]]] = {}
        for fmt in distinctive:
            anchor = next(a for a in anchors if fmt.prefix.startswith(a))
            self._by_anchor.setdefault(anchor, []).append((fmt, re.compile(fmt.pattern)))
        self._contextual: list[
            tuple[KeyFormat, re.Pattern[str], list[str], list[str], list[str]]
        ] = []
        for fmt in formats:
            if fmt.context is None:
                continue
            self._contextual.append(
                (
                    fmt,
                    re.compile(fmt.pattern),
                    [e.lower() for e in fmt.context.env],
                    [t.lower() for t in fmt.context.terms],
                    fmt.keywords,
                )
            )

    def keywords(self) -> list[bytes]:
        """Lower-case byte strings one of which occurs in every text that holds a key."""
        words: set[str] = set()
        for fmt in self.formats:
            words.update(fmt.keywords)
        # A word containing another word adds nothing to "one of them occurs" (`gsk_` ⊃ `sk_`).
        minimal = {w for w in words if not any(o != w and o in w for o in words)}
        return sorted(w.encode() for w in minimal)

    def find(self, text: str) -> MatchResult:
        """Return every key in `text` and every rejected candidate. Never raises on any text."""
        result = MatchResult()
        claimed = _Spans(text)
        for anchor, candidates in self._by_anchor.items():
            pos = text.find(anchor)
            while pos != -1:
                self._try_distinctive(text, pos, candidates, claimed, result)
                pos = text.find(anchor, pos + 1)
        if self._contextual:
            self._find_contextual(text, claimed, result)
        result.matches.sort(key=lambda m: m.start)
        return result

    def _try_distinctive(
        self,
        text: str,
        pos: int,
        candidates: list[tuple[KeyFormat, re.Pattern[str]]],
        claimed: _Spans,
        result: MatchResult,
    ) -> None:
        if claimed.overlaps(pos, pos + 1):
            return
        for fmt, compiled in candidates:
            if not text.startswith(fmt.prefix, pos):
                continue
            m = compiled.match(text, pos)
            if m is None or _touches_token(text, m.start(), m.end()):
                continue
            self._accept(text, fmt, m.start(), m.end(), claimed, result)
            return

    def _find_contextual(self, text: str, claimed: _Spans, result: MatchResult) -> None:
        lowered = text.lower()
        for fmt, compiled, env, terms, keywords in self._contextual:
            # Every env name and term holds one of the format's keywords, and valid context is
            # never more than CONTEXT_LINES away from it: search only those windows.
            for lo, hi in _windows(lowered, keywords):
                for m in compiled.finditer(text, lo, hi):
                    start, end = m.start(), m.end()
                    if _touches_token(text, start, end) or claimed.overlaps(start, end):
                        continue
                    line_start = text.rfind("\n", 0, start) + 1
                    left = lowered[line_start:start]
                    if filters.follows_hash_label(left) or filters.is_uuid(m.group()):
                        continue
                    if not self._has_context(lowered, left, start, end, env, terms):
                        continue
                    self._accept(text, fmt, start, end, claimed, result)

    @staticmethod
    def _has_context(
        lowered: str, left: str, start: int, end: int, env: list[str], terms: list[str]
    ) -> bool:
        """Assigned to the provider's own variable, or to a key-like name near its host/SDK.

        The name a value is assigned to is the last identifier left of it on its line
        (`os.environ["MISTRAL_API_KEY"] = "…"` -> `mistral_api_key`; `Authorization: Bearer …`
        -> `authorization`).
        """
        names = [n for n in _NAME.findall(left) if n != "bearer"]
        if not names:
            return False
        name = names[-1]
        if any(env_name in name for env_name in env):
            return True
        if any(term in name for term in terms) and any(p in name for p in _KEYISH_PARTS):
            return True  # `mistral_key = "..."`, `cohere-token: ...`
        if name not in _GENERIC_KEY_NAMES:
            return False
        lo, hi = _line_window(lowered, start, end)
        window = lowered[lo:hi]
        return any(term in window for term in terms)

    @staticmethod
    def _accept(
        text: str,
        fmt: KeyFormat,
        start: int,
        end: int,
        claimed: _Spans,
        result: MatchResult,
    ) -> None:
        value = text[start:end]
        body = value[len(fmt.prefix) :] if value.startswith(fmt.prefix) else value
        line_start = text.rfind("\n", 0, start) + 1
        line = claimed.line_of(start)
        reason = filters.is_decoy(body=body, charset=fmt.charset, whole=value)
        if reason is not None:
            result.rejected.append(Rejection(fmt.id, line, reason))
            claimed.add(start, end)
            return
        claimed.add(start, end)
        result.matches.append(
            KeyMatch(
                format=fmt,
                start=start,
                end=end,
                line=line,
                column=start - line_start + 1,
                secret=value,
            )
        )


@lru_cache(maxsize=1)
def default_matcher() -> KeyMatcher:
    """Return the matcher over the shipped key-format catalog (built once per process)."""
    return KeyMatcher(load_key_formats())


def find_keys(text: str) -> list[KeyMatch]:
    """Return every key of a catalog format in `text`, decoys excluded, in text order."""
    return default_matcher().find(text).matches
