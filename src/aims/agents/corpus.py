"""The labelled accuracy corpus of agent and MCP attack techniques and benign look-alikes.

The corpus is data (`tests/agents/corpus/corpus.yaml`): per technique, the rules that must fire,
malicious samples and benign look-alikes. `build_corpus` writes every sample into its own small
repository under a directory, in a rotating set of real client files (Markdown and plain-text
instruction files; MCP servers rendered into the JSON, VS Code, TOML and YAML dialects), so each
technique is exercised across file types. Samples carry placeholders instead of invisible
characters and key-shaped strings (see `expand`).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROSE_FILES = (
    "CLAUDE.md",
    ".cursorrules",
    ".github/instructions/team.instructions.md",
    "GEMINI.md",
    ".windsurf/rules/team.md",
    "AGENTS.md",
)
MCP_FILES = (
    ".mcp.json",
    ".vscode/mcp.json",
    ".codex/config.toml",
    ".continue/mcpServers/s.yaml",
    ".cursor/mcp.json",
)
_PLACEHOLDER = re.compile(
    r"\{\{(U\+[0-9A-Fa-f]{4,6}|TAGS:[^}]*|VS:[^}]*|KEY:[\w-]+|REPEAT:\d+:[^}]*)\}\}"
)


def _vs(byte: int) -> str:
    return chr(0xFE00 + byte) if byte < 16 else chr(0xE0100 + byte - 16)


def expand(text: str, rng: random.Random) -> str:
    """Replace placeholders: `{{U+XXXX}}` a code point, `{{TAGS:t}}` tag characters,
    `{{VS:t}}` variation selectors, `{{KEY:format}}` a random fake key of a catalog format,
    `{{REPEAT:n:t}}` repetition."""
    from aims.secrets.formats import load_key_formats

    formats = {f.id: f for f in load_key_formats()}

    def sub(m: re.Match[str]) -> str:
        token = m.group(1)
        if token.startswith("U+"):
            return chr(int(token[2:], 16))
        if token.startswith("TAGS:"):
            return "".join(chr(0xE0000 + ord(c)) for c in token[5:]) + chr(0xE007F)
        if token.startswith("VS:"):
            return "".join(_vs(b) for b in token[3:].encode())
        if token.startswith("KEY:"):
            return formats[token[4:]].generate_key(rng)
        _, count, body = token.split(":", 2)
        return body.replace("\\n", "\n") * int(count)

    return _PLACEHOLDER.sub(sub, text)


@dataclass(slots=True)
class Sample:
    """One written sample: its repository directory, file and whether it is malicious."""

    technique: str
    rules: tuple[str, ...]
    directory: str
    path: str
    malicious: bool


@dataclass(slots=True)
class Corpus:
    """The built corpus: where it is and what every sample is."""

    root: Path
    samples: list[Sample] = field(default_factory=list)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ "
            + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
            + " }"
        )
    return json.dumps(str(value))


def render_servers(servers: dict[str, dict[str, Any]], path: str) -> str:
    """Render MCP server definitions in the dialect of `path`."""
    if path.endswith(".toml"):
        out: list[str] = []
        for name, spec in servers.items():
            out.append(f"[mcp_servers.{name}]")
            for key, value in spec.items():
                out.append(f"{'http_headers' if key == 'headers' else key} = {_toml_value(value)}")
            out.append("")
        return "\n".join(out)
    if path.endswith((".yaml", ".yml")):
        items = [{"name": name, **spec} for name, spec in servers.items()]
        return yaml.safe_dump(
            {"name": "s", "version": "0.0.1", "schema": "v1", "mcpServers": items}, sort_keys=False
        )
    key = "servers" if path.startswith(".vscode/") else "mcpServers"
    return json.dumps({key: servers}, indent=2, ensure_ascii=False) + "\n"


def load_spec(path: Path) -> list[dict[str, Any]]:
    """Read the corpus YAML."""
    data = yaml.safe_load(path.read_text("utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: the corpus must be a YAML list of techniques")
    return data


def build_corpus(spec_path: Path, dest: Path, *, seed: int = 11) -> Corpus:
    """Write every sample of the corpus under `dest`, each in its own repository."""
    rng = random.Random(seed)
    corpus = Corpus(root=dest)
    for entry in load_spec(spec_path):
        technique = str(entry["technique"])
        rules = tuple(entry["rules"])
        kind = entry.get("kind", "prose")
        files = tuple(
            entry.get("files") or (MCP_FILES if kind in ("mcp", "mcp-set") else PROSE_FILES)
        )
        for malicious, key in ((True, "positive"), (False, "benign")):
            for i, sample in enumerate(entry.get(key) or []):
                path = files[i % len(files)]
                directory = f"{technique}/{'pos' if malicious else 'neg'}-{i + 1}"
                if kind == "mcp":
                    text = render_servers({"s": sample}, path)
                elif kind == "mcp-set":
                    text = render_servers(sample, path)
                else:
                    text = str(sample)
                if isinstance(sample, dict) and kind == "files":
                    for rel, body in sample.items():
                        _write(dest / directory / rel, expand(str(body), rng))
                    path = next(iter(sample))
                else:
                    _write(dest / directory / path, expand(text, rng))
                (dest / directory / ".git").mkdir(parents=True, exist_ok=True)
                corpus.samples.append(
                    Sample(technique, rules, directory, f"{directory}/{path}", malicious)
                )
    return corpus


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
