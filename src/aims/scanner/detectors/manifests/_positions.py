"""Line numbers for TOML and JSON documents, whose standard parsers do not report positions.

Each locator walks the text once, in linear time, and maps every key path (and every array
element, by index) to the 1-based line where it starts. Values themselves still come from
`tomllib` / `json`, so a locator only has to be right about positions in text that already
parsed; on anything odd it stops and returns what it has.
"""

from __future__ import annotations

import json
import re

PathKey = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]\}\n#]")
_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\s+')


class _TomlScanner:
    """A forgiving single-pass TOML reader that records positions, not values."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.positions: dict[PathKey, int] = {}
        self.aot_index: dict[PathKey, int] = {}

    # -- low-level helpers -------------------------------------------------------------
    def _advance_to(self, end: int) -> None:
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def _skip_ws(self, *, newlines: bool) -> None:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t\r":
                self.pos += 1
            elif ch == "\n" and newlines:
                self.pos += 1
                self.line += 1
            elif ch == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def _string(self) -> str:
        text = self.text
        if text.startswith('"""', self.pos) or text.startswith("'''", self.pos):
            quote = text[self.pos : self.pos + 3]
            start = self.pos + 3
            end = start
            while True:
                end = text.find(quote, end)
                if end < 0:
                    raise ValueError("unterminated string")
                if quote == '"""' and _escaped(text, end):
                    end += 1
                    continue
                break
            # A closing run may hold up to two extra quotes that belong to the content.
            while text.startswith(quote[0], end + 3) and end + 3 < len(text):
                end += 1
            value = text[start:end]
            self._advance_to(end + 3)
            return value
        quote = text[self.pos]
        end = self.pos + 1
        while True:
            end_q = text.find(quote, end)
            end_nl = text.find("\n", end)
            if end_q < 0 or (0 <= end_nl < end_q):
                raise ValueError("unterminated string")
            if quote == '"' and _escaped(text, end_q):
                end = end_q + 1
                continue
            break
        value = text[self.pos + 1 : end_q]
        self.pos = end_q + 1
        return value

    def _key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self._skip_ws(newlines=False)
            ch = self.text[self.pos : self.pos + 1]
            if ch in ('"', "'"):
                parts.append(self._string())
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise ValueError("bad key")
                parts.append(match.group())
                self.pos = match.end()
            self._skip_ws(newlines=False)
            if self.text.startswith(".", self.pos):
                self.pos += 1
                continue
            return parts

    def _resolve(self, keys: list[str]) -> PathKey:
        """Resolve a header path, stepping into the latest table of each array of tables."""
        path: PathKey = ()
        for key in keys:
            path = (*path, key)
            if path in self.aot_index:
                path = (*path, self.aot_index[path])
        return path

    # -- values ------------------------------------------------------------------------
    def _value(self, path: PathKey) -> None:
        text = self.text
        ch = text[self.pos : self.pos + 1]
        if ch in ('"', "'"):
            self._string()
        elif ch == "[":
            self.pos += 1
            index = 0
            while True:
                self._skip_ws(newlines=True)
                if text.startswith("]", self.pos):
                    self.pos += 1
                    return
                if text.startswith(",", self.pos):
                    self.pos += 1
                    continue
                element = (*path, index)
                self.positions.setdefault(element, self.line)
                self._value(element)
                index += 1
        elif ch == "{":
            self.pos += 1
            while True:
                self._skip_ws(newlines=True)
                if text.startswith("}", self.pos):
                    self.pos += 1
                    return
                if text.startswith(",", self.pos):
                    self.pos += 1
                    continue
                line = self.line
                keys = self._key()
                full = (*path, *keys)
                self.positions.setdefault(full, line)
                if not text.startswith("=", self.pos):
                    raise ValueError("expected =")
                self.pos += 1
                self._skip_ws(newlines=False)
                self._value(full)
        elif ch == "":
            raise ValueError("unexpected end")
        else:
            match = _SCALAR_END.search(text, self.pos)
            end = len(text) if match is None else match.start()
            if end == self.pos:
                # NOTE: a value must consume something, or the array/table loops never end.
                raise ValueError("expected a value")
            self.pos = end

    # -- documents ---------------------------------------------------------------------
    def run(self) -> dict[PathKey, int]:
        text = self.text
        current: PathKey = ()
        try:
            while True:
                self._skip_ws(newlines=True)
                if self.pos >= len(text):
                    break
                line = self.line
                if text.startswith("[[", self.pos):
                    self.pos += 2
                    keys = self._key()
                    base = self._resolve(keys[:-1]) + (keys[-1],)
                    index = self.aot_index.get(base, -1) + 1
                    self.aot_index[base] = index
                    current = (*base, index)
                    self.positions.setdefault(base, line)
                    self.positions[current] = line
                    self.pos = text.index("]]", self.pos) + 2
                elif text.startswith("[", self.pos):
                    self.pos += 1
                    keys = self._key()
                    current = self._resolve(keys)
                    self.positions.setdefault(current, line)
                    self.pos = text.index("]", self.pos) + 1
                else:
                    keys = self._key()
                    full = (*current, *keys)
                    self.positions.setdefault(full, line)
                    if not text.startswith("=", self.pos):
                        raise ValueError("expected =")
                    self.pos += 1
                    self._skip_ws(newlines=False)
                    self._value(full)
        except (ValueError, IndexError):
            pass
        return self.positions


def _escaped(text: str, index: int) -> bool:
    """Return True when the character at `index` is preceded by an odd run of backslashes."""
    count = 0
    index -= 1
    while index >= 0 and text[index] == "\\":
        count += 1
        index -= 1
    return count % 2 == 1


def toml_positions(text: str) -> dict[PathKey, int]:
    """Map every key path and array element of a TOML document to its 1-based line."""
    return _TomlScanner(text).run()


def json_positions(text: str, *, max_depth: int = 6) -> dict[PathKey, int]:
    """Map key paths (objects by key, arrays by index) of a JSON document to 1-based lines.

    Only paths up to `max_depth` levels deep are recorded, which bounds the map for huge
    lock files while covering every place a dependency can be declared.
    """
    positions: dict[PathKey, int] = {}
    stack: list[list[str | int | None]] = []
    """Each open container: [kind, current key or index]; kind is "o" or "a"."""
    path: list[str | int] = []
    line = 1
    expecting_key = False
    pending_key: str | None = None
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in " \t\r\n":
            line += token.count("\n")
            continue
        if first == "{":
            _enter(stack, path, positions, line, max_depth, pending_key)
            pending_key = None
            stack.append(["o", None])
            expecting_key = True
        elif first == "[":
            _enter(stack, path, positions, line, max_depth, pending_key)
            pending_key = None
            stack.append(["a", 0])
            expecting_key = False
        elif first in "}]":
            if stack:
                stack.pop()
            while len(path) > max(len(stack) - 1, 0):
                path.pop()
            expecting_key = False
        elif first == ",":
            if stack and stack[-1][0] == "a":
                index = stack[-1][1]
                stack[-1][1] = (index if isinstance(index, int) else 0) + 1
            expecting_key = bool(stack) and stack[-1][0] == "o"
        elif first == ":":
            expecting_key = False
        elif first == '"' and expecting_key:
            pending_key = _json_string(token)
            if len(path) < max_depth and len(stack) == len(path) + 1:
                positions.setdefault((*path, pending_key), line)
            expecting_key = False
        else:
            # A scalar value (string, number, literal).
            if stack and stack[-1][0] == "a":
                index = stack[-1][1]
                if isinstance(index, int) and len(path) < max_depth:
                    positions.setdefault((*path, index), line)
            pending_key = None
    return positions


def _enter(
    stack: list[list[str | int | None]],
    path: list[str | int],
    positions: dict[PathKey, int],
    line: int,
    max_depth: int,
    pending_key: str | None,
) -> None:
    """Push the path segment of a container that is about to open."""
    if not stack:
        return
    kind, index = stack[-1]
    if kind == "o":
        path.append(pending_key if pending_key is not None else "")
    else:
        segment = index if isinstance(index, int) else 0
        if len(path) < max_depth:
            positions.setdefault((*path, segment), line)
        path.append(segment)


def _json_string(token: str) -> str:
    """Decode a JSON string token; undecodable escapes are kept as written."""
    try:
        value = json.loads(token)
    except ValueError:
        return token[1:-1]
    return value if isinstance(value, str) else token[1:-1]


def table_array_name_lines(text: str, table: str = "package") -> list[int]:
    """1-based line of `name = ...` in each `[[table]]` block of a lock file, in order.

    Lock files (Cargo.lock, poetry.lock, uv.lock, pdm.lock) are machine-written with one
    header per line, so a line scan is exact and much cheaper than a full TOML walk. A block
    without a `name` key gets its header line.
    """
    header = f"[[{table}]]"
    lines: list[int] = []
    named = True
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("["):
            named = True
            if stripped == header:
                lines.append(number)
                named = False
        elif not named and stripped.startswith("name") and stripped[4:].lstrip().startswith("="):
            lines[-1] = number
            named = True
    return lines


def json_key_line(text: str, key: str) -> int | None:
    """Line of the first object key spelled `key` (a string followed by a colon), or None.

    Only for keys that are unique in their document, such as package-lock.json's
    `node_modules/...` paths.
    """
    match = re.search(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text)
    if match is None and "/" in key:
        escaped = json.dumps(key, ensure_ascii=False).replace("/", "\\/")
        match = re.search(re.escape(escaped) + r"\s*:", text)
    return text.count("\n", 0, match.start()) + 1 if match else None
