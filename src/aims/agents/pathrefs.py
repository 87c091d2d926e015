"""AIM552: references in instruction files to paths that do not exist.

Checked: backticked relative paths with a directory part, relative Markdown link targets and
Claude Code `@path` imports, outside fenced code blocks. A path counts as existing when it
resolves from the file's directory or from any ancestor up to the repository root (the nearest
directory holding `.git`), since instructions name paths relative to either.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from aims.agents.hits import Hit
from aims.agents.textchecks import split_lines

_BACKTICK = re.compile(r"`((?:\.{1,2}/)?[\w.@-]+(?:/[\w.@-]+)+/?)`")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?((?!\w+:|#|/|~)[^)\s>#?]+)")
_IMPORT = re.compile(r"(?:^|\s)@((?:\.{1,2}/)?[\w.-]+(?:/[\w.-]+)*\.\w+)\b")
_MAX_UP = 8


def _roots(abspath: str) -> list[str]:
    out: list[str] = []
    current = os.path.dirname(os.path.abspath(abspath))
    for _ in range(_MAX_UP):
        out.append(current)
        if os.path.isdir(os.path.join(current, ".git")):
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return out


def _plausible(ref: str) -> bool:
    if any(c in ref for c in "*?{}<>$|") or ref.startswith(("-", "@")) or "://" in ref:
        return False
    last = ref.rstrip("/").rsplit("/", 1)[-1]
    return bool(last) and not re.fullmatch(r"[\d.]+", last) and not re.search(r"\w@\d", ref)


def stale_path_hits(text: str, abspath: str) -> Iterator[Hit]:
    """Yield one AIM552 hit per reference whose target exists nowhere it could mean."""
    if not abspath or not os.path.exists(abspath):
        return
    roots = _roots(abspath)
    for line in split_lines(text):
        if line.in_code:
            continue
        refs: list[tuple[int, str]] = []
        for pattern in (_BACKTICK, _LINK, _IMPORT):
            refs += [(m.start(1), m.group(1)) for m in pattern.finditer(line.text)]
        for col, ref in refs:
            if not _plausible(ref):
                continue
            if any(os.path.exists(os.path.join(root, ref)) for root in roots):
                continue
            yield Hit(
                "AIM552",
                line.number,
                f"refers to {ref!r}, which does not exist",
                match=ref,
                column=col + 1,
                evidence=ref,
            )
