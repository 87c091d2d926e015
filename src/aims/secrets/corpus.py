"""Builds the labelled secrets corpus: planted keys generated from the catalog, plus decoys.

Planted keys are random, format-valid strings produced from each format's `generate` spec at
build time, so the repository never holds a key-shaped secret. Each format gets
`KEYS_PER_FORMAT` keys, each in a different file type (env, Python, YAML, JSON, TOML,
Dockerfile, shell, notebook code cell, notebook output, JavaScript). Decoys come from
`decoys.yaml` in the corpus directory (hand-written placeholders, documented examples,
near misses) plus generated hashes, UUIDs and base64 images; every decoy file must produce no
finding at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from aims.secrets.formats import KeyFormat, load_key_formats

KEYS_PER_FORMAT = 5
SEED = 42


@dataclass(frozen=True, slots=True)
class Entry:
    """One line to render: a setting name and its value, or a raw line of a given file type."""

    name: str
    value: str
    raw: str | None = None


@dataclass(frozen=True, slots=True)
class Planted:
    """Where a planted key is: corpus-relative path, 1-based line and its format."""

    path: str
    line: int
    format_id: str
    provider: str
    secret: str = field(repr=False)


@dataclass(slots=True)
class Corpus:
    """A built corpus: planted keys (the answers) and how many decoys each decoy file holds."""

    root: Path
    planted: list[Planted] = field(default_factory=list)
    decoy_files: dict[str, int] = field(default_factory=dict)
    """Corpus-relative path of every decoy file -> number of decoys in it."""

    @property
    def decoy_count(self) -> int:
        """Distinct decoys rendered (each file type instance counts once)."""
        return sum(self.decoy_files.values())


def _env(entries: list[Entry]) -> str:
    lines = ["# service settings", ""]
    lines += [e.raw if e.raw is not None else f"{e.name}={e.value}" for e in entries]
    return "\n".join(lines) + "\n"


def _python(entries: list[Entry]) -> str:
    lines = ['"""Application settings."""', "import os", ""]
    lines += [e.raw if e.raw is not None else f'{e.name} = "{e.value}"' for e in entries]
    return "\n".join(lines) + "\n"


def _yaml(entries: list[Entry]) -> str:
    lines = ["service:", "  name: demo", "  env:"]
    lines += [
        f"    {e.raw}" if e.raw is not None else f"    {e.name}: {json.dumps(e.value)}"
        for e in entries
    ]
    return "\n".join(lines) + "\n"


def _json(entries: list[Entry]) -> str:
    body = ",\n".join(
        f"    {json.dumps(e.name)}: {json.dumps(e.raw if e.raw is not None else e.value)}"
        for e in entries
    )
    return '{\n  "name": "demo",\n  "env": {\n' + body + "\n  }\n}\n"


def _toml(entries: list[Entry]) -> str:
    lines = ["[tool.demo]", 'name = "demo"', "", "[tool.demo.env]"]
    lines += [e.raw if e.raw is not None else f"{e.name} = {json.dumps(e.value)}" for e in entries]
    return "\n".join(lines) + "\n"


def _dockerfile(entries: list[Entry]) -> str:
    lines = ["FROM python:3.12-slim", "WORKDIR /app"]
    lines += [e.raw if e.raw is not None else f"ENV {e.name}={e.value}" for e in entries]
    lines += ['CMD ["python", "-m", "app"]']
    return "\n".join(lines) + "\n"


def _shell(entries: list[Entry]) -> str:
    lines = ["#!/bin/sh", "set -eu"]
    lines += [e.raw if e.raw is not None else f'export {e.name}="{e.value}"' for e in entries]
    lines += ['exec python -m app "$@"']
    return "\n".join(lines) + "\n"


def _javascript(entries: list[Entry]) -> str:
    lines = ["// client configuration"]
    lines += [e.raw if e.raw is not None else f'const {e.name} = "{e.value}";' for e in entries]
    return "\n".join(lines) + "\n"


def _notebook(entries: list[Entry], *, outputs: bool) -> str:
    cells = []
    for e in entries:
        line = e.raw if e.raw is not None else f'os.environ["{e.name}"] = "{e.value}"'
        if outputs:
            text = e.raw if e.raw is not None else f"{e.name}={e.value}"
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": 1,
                    "metadata": {},
                    "source": ["print_settings()"],
                    "outputs": [{"name": "stdout", "output_type": "stream", "text": [text + "\n"]}],
                }
            )
        else:
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "source": ["import os\n", line + "\n"],
                    "outputs": [],
                }
            )
    notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1) + "\n"


Renderer = Callable[[list[Entry]], str]

FILE_TYPES: dict[str, tuple[str, Renderer]] = {
    "env": (".env", _env),
    "python": ("settings.py", _python),
    "yaml": ("config.yaml", _yaml),
    "json": ("config.json", _json),
    "toml": ("pyproject.toml", _toml),
    "dockerfile": ("Dockerfile", _dockerfile),
    "shell": ("run.sh", _shell),
    "notebook-code": ("analysis.ipynb", lambda e: _notebook(e, outputs=False)),
    "notebook-output": ("report.ipynb", lambda e: _notebook(e, outputs=True)),
    "javascript": ("client.js", _javascript),
}
"""File type -> (file name, renderer). Every type renders one setting per line."""


def setting_name(fmt: KeyFormat) -> str:
    """The variable a planted key is assigned to: the format's env name or `<PROVIDER>_API_KEY`."""
    if fmt.context is not None:
        return fmt.context.env[0]
    return fmt.provider.upper().replace("-", "_") + "_API_KEY"


def _line_of(text: str, needle: str) -> int:
    offset = text.find(needle)
    if offset < 0:
        raise ValueError("rendered value not found in its file")
    return text.count("\n", 0, offset) + 1


def build_corpus(
    root: Path,
    decoys_file: Path | None,
    *,
    formats: tuple[KeyFormat, ...] | None = None,
    keys_per_format: int = KEYS_PER_FORMAT,
    seed: int = SEED,
) -> Corpus:
    """Write the corpus under `root` (created) and return its answer key.

    Planted keys go to `root/planted/<file type>/<format id>/<file>`; decoys to
    `root/decoys/<file type>/<file>`.
    """
    formats = formats if formats is not None else load_key_formats()
    rng = random.Random(seed)
    corpus = Corpus(root=root)
    types = list(FILE_TYPES)
    for index, fmt in enumerate(formats):
        for n in range(keys_per_format):
            kind = types[(index + n * 3) % len(types)]
            file_name, render = FILE_TYPES[kind]
            secret = fmt.generate_key(rng)
            entries = [Entry("APP_NAME", "demo"), Entry(setting_name(fmt), secret)]
            text = render(entries)
            rel = f"planted/{kind}/{fmt.id}-{n}/{file_name}"
            _write(root / rel, text)
            corpus.planted.append(
                Planted(rel, _line_of(text, secret), fmt.id, fmt.provider, secret)
            )
    entries_by_type = _decoy_entries(decoys_file, rng)
    for kind, entries in entries_by_type.items():
        if not entries:
            continue
        file_name, render = FILE_TYPES[kind]
        rel = f"decoys/{kind}/{file_name}"
        _write(root / rel, render(entries))
        corpus.decoy_files[rel] = len(entries)
    return corpus


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _decoy_entries(decoys_file: Path | None, rng: random.Random) -> dict[str, list[Entry]]:
    """Spread the decoys over the file types: each decoy lands in two of them."""
    out: dict[str, list[Entry]] = {kind: [] for kind in FILE_TYPES}
    types = list(FILE_TYPES)
    items: list[dict[str, object]] = []
    if decoys_file is not None:
        items = yaml.safe_load(decoys_file.read_text("utf-8")) or []
    items += generated_decoys(rng)
    for index, item in enumerate(items):
        raw = item.get("raw")
        kinds = item.get("types")
        targets = (
            list(kinds)
            if isinstance(kinds, list)
            else [types[index % len(types)], types[(index + 5) % len(types)]]
        )
        entry = Entry(
            str(item.get("name", "SETTING")),
            str(item.get("value", "")),
            str(raw) if raw is not None else None,
        )
        for kind in targets:
            out[str(kind)].append(entry)
    return out


def generated_decoys(rng: random.Random) -> list[dict[str, object]]:
    """Hashes, UUIDs, commit IDs and base64 images, built fresh (random but deterministic)."""
    items: list[dict[str, object]] = []
    for _ in range(8):
        data = rng.randbytes(32)
        items.append({"name": "ARTIFACT_SHA256", "value": hashlib.sha256(data).hexdigest()})
        items.append({"name": "CACHE_MD5", "value": hashlib.md5(data).hexdigest()})
        items.append({"name": "GIT_COMMIT", "value": hashlib.sha1(data).hexdigest()})
        items.append({"name": "REQUEST_ID", "value": str(uuid.UUID(bytes=rng.randbytes(16)))})
        image = base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(600)).decode()
        items.append({"name": "LOGO", "value": f"data:image/png;base64,{image}"})
        # Hashes right next to a provider's name: the context check must still say no.
        items.append(
            {
                "raw": f"deepgram-sdk==3.2.0 --hash=sha256:{hashlib.sha256(data).hexdigest()}",
                "types": ["env", "shell"],
            }
        )
    return items
