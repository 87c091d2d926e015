"""Write classification results back into a system record, keeping its other lines and comments.

Only the top-level keys being replaced are rewritten (`eu_ai_act_tier`, `classification`, and
`eu_ai_act` when answers were asked); every other line, comments included, stays byte for byte.
"""

from __future__ import annotations

from typing import Any

import yaml


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """[start, end) of a top-level key's block, or None."""
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or lines[end][0] in (" ", "\t") or lines[end].startswith("- ")
    ):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def set_top_level(text: str, values: dict[str, Any], comment: str) -> str:
    """Replace (or append) top-level keys with new values, leaving other lines untouched."""
    lines = text.splitlines()
    appended: list[str] = []
    for key, value in values.items():
        dumped = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100)
        new = dumped.rstrip("\n").splitlines()
        span = _block(lines, key)
        if span is None:
            appended += new
        else:
            lines[span[0] : span[1]] = new
    if appended:
        if lines and lines[-1].strip():
            lines.append("")
        lines.append(f"# {comment}")
        lines += appended
    return "\n".join(lines) + "\n"
