"""The labelled corpus is self-consistent: every golden file points at real files and lines."""

from __future__ import annotations

import re
from pathlib import Path

import pathspec
import pytest

from aims.accuracy.corpus import CorpusRepo, ExpectedComponent, load_corpus
from aims.inventory import ComponentType

from . import model_file_builder

HERE = Path(__file__).resolve().parent
CORPUS = load_corpus(HERE / "repos")
REPOS = {r.name: r for r in CORPUS}
DEMO = HERE.parents[1] / "examples" / "demo-app"


def loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def names(component: ExpectedComponent) -> list[str]:
    out = [component.name, *component.aliases]
    if ":" in component.name and component.ecosystem == "maven":
        out.append(component.name.split(":")[1])
    return out


def test_corpus_covers_the_required_repositories() -> None:
    assert set(REPOS) >= {
        "python-rag-service",
        "ts-nextjs-chat",
        "go-service",
        "java-spring-ai",
        "kotlin-gradle-ai",
        "dotnet-sk",
        "rust-cli",
        "notebook-heavy",
        "lockfile-only",
        "monorepo",
        "model-files",
        "ci-agents",
        "agents-and-mcp",
        "no-ai-control",
        "demo-app",
        "python-packaging-zoo",
        "python-agents-litellm",
        "ml-training-pipeline",
        "infra-self-hosted",
        "infra-terraform",
        "js-runtime-variants",
        "agents-more-clients",
        "classic-ml-zoo",
        "raw-http-clients",
    }
    assert REPOS["no-ai-control"].expected.components == []
    assert REPOS["demo-app"].root == DEMO.resolve()


def test_every_type_except_secret_is_covered() -> None:
    covered = {c.type for r in CORPUS for c in r.expected.components if not c.optional}
    assert covered == set(ComponentType) - {ComponentType.SECRET}


@pytest.mark.parametrize("repo", CORPUS, ids=lambda r: r.name)
def test_evidence_points_at_real_files_and_lines(repo: CorpusRepo) -> None:
    for component in repo.expected.components:
        assert component.evidence, f"{component.name}: give at least one evidence path"
        for ev in component.evidence:
            path = repo.root / ev.path
            assert path.is_file(), f"{repo.name}: {ev.path} does not exist"
            if ev.line is None:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            assert ev.line <= len(lines), f"{repo.name}: {ev.path}:{ev.line} past the end"
            text = loose(lines[ev.line - 1])
            assert any(loose(n) in text for n in names(component)), (
                f"{repo.name}: {ev.path}:{ev.line} does not mention {component.name}: "
                f"{lines[ev.line - 1]!r}"
            )


@pytest.mark.parametrize("repo", CORPUS, ids=lambda r: r.name)
def test_forbidden_paths_hold_files_and_no_expected_evidence(repo: CorpusRepo) -> None:
    if not repo.expected.forbidden_paths:
        return
    spec = pathspec.GitIgnoreSpec.from_lines(repo.expected.forbidden_paths)
    files = [p.relative_to(repo.root).as_posix() for p in repo.root.rglob("*") if p.is_file()]
    hidden = [f for f in files if spec.match_file(f)]
    # The decoys must really be there (a clone without them would make the test vacuous).
    assert len(hidden) >= 3, hidden
    for component in repo.expected.components:
        for ev in component.evidence:
            assert not spec.match_file(ev.path), f"{ev.path} is both expected and forbidden"


def test_committed_model_files_are_the_synthetic_ones() -> None:
    root = REPOS["model-files"].root
    for rel, data in model_file_builder.FILES.items():
        assert (root / rel).read_bytes() == data, rel
    assert (DEMO / "models" / "tiny-demo.gguf").read_bytes() == model_file_builder.gguf_bytes(
        name="aims-demo-synthetic"
    )


def test_model_file_headers_are_valid() -> None:
    gguf = model_file_builder.gguf_bytes()
    assert gguf[:4] == b"GGUF" and int.from_bytes(gguf[4:8], "little") == 3
    st = model_file_builder.safetensors_bytes()
    header_len = int.from_bytes(st[:8], "little")
    assert st[8 + header_len :] == b"\x00" * 16
    assert b'"dtype":"F32"' in st[8 : 8 + header_len]
    assert model_file_builder.sklearn_pickle_bytes().startswith(b"\x80\x02csklearn.")
    assert model_file_builder.onnx_bytes()[:2] == b"\x08\x09"
