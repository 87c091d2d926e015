"""Lenient readers for agent configuration files: JSON with comments, TOML and YAML.

`load_structured` never raises: it returns the parsed value or the parse error message.
`key_line` finds the line a key is written on, for findings in structured files.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import yaml


def strip_jsonc(text: str) -> str:
    """Remove `//` and `/* */` comments and trailing commas, leaving strings intact."""
    out: list[str] = []
    i = 0
    n = len(text)
    in_str = False
    while i < n:
        ch = text[i]
        if in_str:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_str = False
            i += 1
            continue
        if ch == '"':
            in_str = True
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            chunk = text[i : n if end < 0 else end + 2]
            out.append("\n" * chunk.count("\n"))
            i = n if end < 0 else end + 2
        else:
            out.append(ch)
            i += 1
    return _drop_trailing_commas("".join(out))


def _drop_trailing_commas(text: str) -> str:
    """Remove commas that directly precede `}` or `]`, outside strings."""
    out: list[str] = []
    in_str = False
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if in_str:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            in_str = ch != '"'
        elif ch == '"':
            in_str = True
            out.append(ch)
        elif ch == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j >= n or text[j] not in "}]":
                out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def load_structured(text: str, fmt: str) -> tuple[Any, str | None]:
    """Parse `text` as `fmt` (`json`, `jsonc`, `toml`, `yaml`); return (value, error)."""
    try:
        if fmt in ("json", "jsonc"):
            try:
                return json.loads(text), None
            except json.JSONDecodeError:
                return json.loads(strip_jsonc(text)), None
        if fmt == "toml":
            return tomllib.loads(text), None
        if fmt == "yaml":
            return yaml.safe_load(text), None
    except (ValueError, yaml.YAMLError, RecursionError) as exc:
        return None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None, None


def key_line(text: str, key: str, *, after: int = 0) -> tuple[int, int]:
    """(line, offset) of the first place `key` is written as a key at or after offset `after`.

    Understands `"key":` (JSON), `key:` (YAML), `key =` and `[table.key]` (TOML). Falls back to
    the first occurrence of the bare text, then to `after`'s own line.
    """
    k = re.escape(key)
    pattern = re.compile(
        rf"""["']{k}["']\s*[:=]|(?m:^\s*-?\s*{k}\s*[:=])|\[[\w.\-"']*\.?["']?{k}["']?\]"""
    )
    m = pattern.search(text, after)
    if m is None:
        pos = text.find(key, after)
        if pos < 0:
            pos = after
    else:
        pos = m.start()
    return text.count("\n", 0, pos) + 1, pos


def value_line(text: str, value: str, *, after: int = 0) -> int:
    """Line of the first occurrence of `value` (as written, JSON-escaped or raw) after `after`."""
    for needle in (value, json.dumps(value)[1:-1]):
        pos = text.find(needle, after) if needle else -1
        if pos >= 0:
            return text.count("\n", 0, pos) + 1
    return text.count("\n", 0, after) + 1
