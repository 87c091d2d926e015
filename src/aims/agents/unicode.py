"""Hidden and deceptive Unicode: what a reviewer cannot see but a model reads.

Each analyser returns `Hidden` spans with the decoded payload where one exists (tag characters
and variation-selector encodings carry whole hidden messages). `reveal()` renders a line the way
the model reads it, with every invisible character made visible.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TAG_RANGE = (0xE0000, 0xE007F)
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u2061\u2062\u2063\u2064")
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BLANK_LETTERS = frozenset("\u3164\u115f\u1160\uffa0\u2800\u17b4\u17b5")
_VS_BASIC = (0xFE00, 0xFE0F)
_VS_SUPP = (0xE0100, 0xE01EF)


@dataclass(frozen=True, slots=True)
class Hidden:
    """One run of hidden or deceptive characters in a text."""

    kind: str
    """`tag`, `zero-width`, `bidi`, `variation-selector`, `blank-letter` or `homoglyph`."""
    start: int
    end: int
    decoded: str = ""
    """The hidden message (tags, variation selectors) or the confusable word."""


def _is_tag(ch: str) -> bool:
    return TAG_RANGE[0] <= ord(ch) <= TAG_RANGE[1]


def _is_vs(ch: str) -> bool:
    cp = ord(ch)
    return _VS_BASIC[0] <= cp <= _VS_BASIC[1] or _VS_SUPP[0] <= cp <= _VS_SUPP[1]


def _vs_byte(ch: str) -> int:
    cp = ord(ch)
    return cp - _VS_BASIC[0] if cp <= _VS_BASIC[1] else cp - _VS_SUPP[0] + 16


def _is_emoji_base(ch: str) -> bool:
    cp = ord(ch)
    return (
        cp >= 0x1F000
        or 0x2600 <= cp <= 0x27BF
        or 0x2300 <= cp <= 0x23FF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)
        or 0x2190 <= cp <= 0x21FF
        or 0x25A0 <= cp <= 0x25FF
        or ch in "#*0123456789"
    )


def find_tags(text: str) -> list[Hidden]:
    """Runs of Unicode tag characters, except well-formed emoji subdivision flags."""
    out: list[Hidden] = []
    i = 0
    n = len(text)
    while i < n:
        if not _is_tag(text[i]):
            i += 1
            continue
        j = i
        while j < n and _is_tag(text[j]):
            j += 1
        run = text[i:j]
        flag = (
            i > 0
            and text[i - 1] == _BLACK_FLAG
            and run.endswith(_CANCEL_TAG)
            and 2 <= len(run) - 1 <= 6
            and all(
                "a" <= chr(ord(c) - 0xE0000) <= "z" or "0" <= chr(ord(c) - 0xE0000) <= "9"
                for c in run[:-1]
            )
        )
        if not flag:
            decoded = "".join(chr(ord(c) - 0xE0000) for c in run if ord(c) < 0xE007F)
            out.append(Hidden("tag", i, j, decoded))
        i = j
    return out


def _letter(ch: str) -> bool:
    return ch.isalnum()


def find_zero_width(text: str) -> list[Hidden]:
    """Zero-width characters inside a word, or long runs of them anywhere (binary encodings).

    A zero-width joiner between emoji and joiners in scripts that need them (Arabic, Indic) are
    legitimate: only characters with letters of a cased script on both sides, or runs of three
    or more, are reported. A byte-order mark at the very start is ignored.
    """
    out: list[Hidden] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch not in ZERO_WIDTH or (i == 0 and ch == "\ufeff"):
            i += 1
            continue
        j = i
        while j < n and text[j] in ZERO_WIDTH:
            j += 1
        before = text[i - 1] if i else ""
        after = text[j] if j < n else ""
        cased = bool(before) and bool(after) and _cased(before) and _cased(after)
        if j - i >= 3 or cased:
            bits = "".join("1" if c == "\u200c" else "0" for c in text[i:j] if c in "\u200b\u200c")
            decoded = _bits_to_text(bits) if len(bits) >= 8 else ""
            out.append(Hidden("zero-width", i, j, decoded))
        i = j
    return out


def _cased(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum()
    return ch.isalpha() and ch.lower() != ch.upper()


def _bits_to_text(bits: str) -> str:
    data = bytes(int(bits[k : k + 8], 2) for k in range(0, len(bits) - 7, 8))
    text = data.decode("utf-8", errors="replace")
    return text if sum(c.isprintable() for c in text) >= 0.9 * max(1, len(text)) else ""


def find_bidi(text: str) -> list[Hidden]:
    """Bidirectional embedding, override and isolate controls (the Trojan Source characters)."""
    out: list[Hidden] = []
    for i, ch in enumerate(text):
        if ch in BIDI:
            out.append(Hidden("bidi", i, i + 1, unicodedata.name(ch, f"U+{ord(ch):04X}")))
    return out


def find_variation_encodings(text: str) -> list[Hidden]:
    """Variation selectors that carry data rather than choose a glyph.

    One selector after an emoji or an ideograph is normal. Reported: any run of two or more, and
    any supplementary selector (VS17-VS256) after a character that is not an ideograph. The
    run is decoded as bytes (VS1-16 = 0-15, VS17-256 = 16-255) and shown as text.
    """
    out: list[Hidden] = []
    i = 0
    n = len(text)
    while i < n:
        if not _is_vs(text[i]):
            i += 1
            continue
        j = i
        while j < n and _is_vs(text[j]):
            j += 1
        base = text[i - 1] if i else ""
        run = text[i:j]
        supplementary = any(ord(c) >= _VS_SUPP[0] for c in run)
        ideograph = bool(base) and unicodedata.name(base, "").startswith("CJK")
        if (
            len(run) >= 2
            or (supplementary and not ideograph)
            or (not supplementary and base and not _is_emoji_base(base) and not ideograph)
        ):
            data = bytes(_vs_byte(c) for c in run)
            decoded = data.decode("utf-8", errors="replace") if len(run) >= 2 else ""
            out.append(Hidden("variation-selector", i, j, decoded))
        i = j
    return out


def find_blank_letters(text: str) -> list[Hidden]:
    """Characters classed as letters that render as blank space (Hangul fillers, braille blank)."""
    return [
        Hidden("blank-letter", i, i + 1, f"U+{ord(ch):04X}")
        for i, ch in enumerate(text)
        if ch in BLANK_LETTERS
    ]


_WORD = re.compile(r"[^\W\d_]{2,}")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN"
    name = unicodedata.name(ch, "")
    for script in _SCRIPTS:
        if name.startswith(script):
            return script
    return "OTHER"


def find_homoglyph_words(text: str) -> list[Hidden]:
    """Words that mix Latin with Cyrillic, Greek, Armenian or Cherokee letters (`pаypal`)."""
    out: list[Hidden] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        scripts = {_script(c) for c in word} - {"OTHER"}
        if "LATIN" in scripts and len(scripts) >= 2:
            out.append(Hidden("homoglyph", match.start(), match.end(), word))
    return out


def find_all(text: str) -> list[Hidden]:
    """Every hidden or deceptive span in `text`, in order."""
    spans = [
        *find_tags(text),
        *find_zero_width(text),
        *find_bidi(text),
        *find_variation_encodings(text),
        *find_blank_letters(text),
        *find_homoglyph_words(text),
    ]
    return sorted(spans, key=lambda h: (h.start, h.kind))


def _visible_name(ch: str) -> str:
    return f"<U+{ord(ch):04X}>"


def reviewer_view(line: str) -> str:
    """The line as a reviewer sees it: invisible characters simply vanish."""
    return "".join(c for c in line if not (_is_tag(c) or c in ZERO_WIDTH or c in BIDI or _is_vs(c)))


def model_view(line: str) -> str:
    """The line as the model reads it: tag text decoded, every invisible character named."""
    out: list[str] = []
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if _is_tag(ch):
            j = i
            while j < n and _is_tag(line[j]):
                j += 1
            hidden = "".join(chr(ord(c) - 0xE0000) for c in line[i:j] if ord(c) < 0xE007F)
            out.append(f"⟦tags:{hidden}⟧")
            i = j
            continue
        if (
            ch in ZERO_WIDTH
            or ch in BIDI
            or ch in BLANK_LETTERS
            or (_is_vs(ch) and ord(ch) >= _VS_SUPP[0])
        ):
            out.append(_visible_name(ch))
        elif _is_vs(ch):
            out.append(_visible_name(ch) if ord(ch) != 0xFE0F else ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def strip_hidden(text: str) -> str:
    """Remove tag characters (keeping emoji subdivision flags), zero-width characters inside
    words, bidi controls and data-carrying variation selectors. Used by `--fix`.
    """
    drop: set[int] = set()
    for span in find_all(text):
        if span.kind in ("tag", "zero-width", "bidi", "variation-selector"):
            drop.update(range(span.start, span.end))
    return "".join(c for i, c in enumerate(text) if i not in drop)
