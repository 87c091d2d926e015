"""The labelled corpus: one directory per repository, each with its `expected.yaml` truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from aims.errors import ConfigError, InputError
from aims.inventory import ComponentType

EXPECTED_FILE = "expected.yaml"
"""Name of the golden file beside each fixture repository."""
REPO_DIR = "repo"
"""The scanned tree sits in this sub-directory, so the golden file is never scanned itself."""


class ExpectedEvidence(BaseModel):
    """A place where a careful auditor would point to show the component."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    """Repository-relative POSIX path."""
    line: int | None = Field(default=None, ge=1)
    """1-based line, given only where it is unambiguous."""


class ExpectedComponent(BaseModel):
    """One component the scanner must report (or, with `optional`, may report)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ComponentType
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    """Other spellings that name the same component (e.g. a file path for an agent file)."""
    ecosystem: str | None = None
    version: str | None = None
    provider: str | None = None
    direct: bool | None = None
    evidence: list[ExpectedEvidence] = Field(default_factory=list)
    """A found component matches only if one of its evidence paths is among these."""
    optional: bool = False
    """Borderline: reporting it is neither a hit nor a false positive; missing it is no miss."""
    note: str | None = None

    @field_validator("ecosystem", "provider")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class ExpectedRepo(BaseModel):
    """The contents of one `expected.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    root: str | None = None
    """Directory to scan, relative to the golden file's directory; default `repo/`."""
    forbidden_paths: list[str] = Field(default_factory=list)
    """Globs (`vendor/**`) under which no evidence may be reported (ignored or vendored code)."""
    components: list[ExpectedComponent] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CorpusRepo:
    """A fixture repository and its truth."""

    name: str
    root: Path
    """The directory that is scanned."""
    expected: ExpectedRepo


def load_expected(path: Path) -> ExpectedRepo:
    """Parse and validate one golden file.

    Raises `ConfigError` when the file is not valid YAML or does not have the expected shape.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read golden file: {exc}", path=str(path)) from exc
    try:
        return ExpectedRepo.model_validate(raw or {})
    except ValidationError as exc:
        raise ConfigError(f"invalid golden file: {exc}", path=str(path)) from exc


def load_corpus(corpus_dir: Path, *, only: list[str] | None = None) -> list[CorpusRepo]:
    """Return every `<name>/expected.yaml` + `<name>/repo/` pair under `corpus_dir`, by name.

    A golden file may point elsewhere with `root:` (the bundled demo app does).

    Raises `InputError` when the directory is missing, holds no repository, or `only` names a
    repository that does not exist.
    """
    if not corpus_dir.is_dir():
        raise InputError(
            f"corpus directory not found: {corpus_dir}",
            hint="Run from the project root or pass --corpus tests/accuracy/repos.",
        )
    repos: list[CorpusRepo] = []
    for child in sorted(corpus_dir.iterdir()):
        golden = child / EXPECTED_FILE
        if not golden.is_file():
            continue
        if only and child.name not in only:
            continue
        expected = load_expected(golden)
        root = (child / (expected.root or REPO_DIR)).resolve()
        if not root.is_dir():
            raise InputError(f"{child}: the repository to scan is missing: {root}")
        repos.append(CorpusRepo(name=child.name, root=root, expected=expected))
    if only:
        missing = sorted(set(only) - {r.name for r in repos})
        if missing:
            raise InputError(f"no such corpus repository: {', '.join(missing)}")
    if not repos:
        raise InputError(f"no repository with {EXPECTED_FILE} under {corpus_dir}")
    return repos
