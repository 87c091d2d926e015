"""The matching and scoring rules of the accuracy harness, on hand-built inventories."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aims.accuracy import main as harness_main
from aims.accuracy import runner
from aims.accuracy.corpus import ExpectedRepo, load_corpus, load_expected
from aims.accuracy.matching import match_repo, normalise_version, score
from aims.accuracy.report import render_details, render_markdown, render_table, to_json
from aims.errors import ConfigError, InputError
from aims.inventory import Component, ComponentType, Evidence, Inventory


def truth(*components: dict[str, object], forbidden: list[str] | None = None) -> ExpectedRepo:
    return ExpectedRepo.model_validate(
        {"components": list(components), "forbidden_paths": forbidden or []}
    )


def sdk(
    name: str,
    *paths: str,
    version: str | None = None,
    ecosystem: str = "pypi",
    provider: str | None = None,
    direct: bool | None = None,
    line: int | None = None,
) -> Component:
    return Component(
        type=ComponentType.SDK,
        name=name,
        version=version,
        ecosystem=ecosystem,
        provider=provider,
        direct=direct,
        evidence=[Evidence(path=p, line=line, detector="manifest") for p in paths],
    )


OPENAI = {
    "type": "sdk",
    "ecosystem": "pypi",
    "name": "openai",
    "version": "1.51.2",
    "provider": "openai",
    "direct": True,
    "evidence": [{"path": "requirements.txt", "line": 4}, {"path": "app/llm.py"}],
}


def test_exact_hit_counts_one_true_positive() -> None:
    found = [
        sdk("openai", "requirements.txt", version="1.51.2", provider="openai", direct=True, line=4)
    ]
    result = match_repo("r", truth(OPENAI), found)
    assert [e.name for e, _ in result.hits] == ["openai"]
    assert result.misses == [] and result.false_positives == [] and result.mismatches == []


def test_pypi_names_fold_case_and_separators_and_versions_drop_v() -> None:
    expected = {**OPENAI, "name": "Sentence_Transformers", "version": "v3.2.1"}
    found = [
        sdk("sentence-transformers", "app/llm.py", version="3.2.1", provider="openai", direct=True)
    ]
    result = match_repo("r", truth(expected), found)
    assert len(result.hits) == 1
    assert normalise_version("v1.36.0") == "1.36.0"
    assert normalise_version("version-2") == "version-2"


def test_wrong_version_is_a_miss_and_a_false_positive() -> None:
    found = [sdk("openai", "requirements.txt", version="1.40.0")]
    result = match_repo("r", truth(OPENAI), found)
    assert result.hits == []
    assert len(result.misses) == 1
    assert "version '1.40.0', expected '1.51.2'" in result.misses[0].reason
    assert [(f.name, f.version) for f in result.false_positives] == [("openai", "1.40.0")]


def test_component_without_version_is_a_miss_but_not_a_false_positive() -> None:
    result = match_repo("r", truth(OPENAI), [sdk("openai", "app/llm.py")])
    assert len(result.misses) == 1
    assert result.false_positives == []


def test_a_hit_listed_twice_is_reported_as_a_duplicate() -> None:
    found = [sdk("openai", "requirements.txt", version="1.51.2"), sdk("openai", "app/llm.py")]
    result = match_repo("r", truth(OPENAI), found)
    assert len(result.hits) == 1 and result.false_positives == []
    assert [(e.name, n) for e, n in result.duplicates] == [("openai", 2)]
    assert "Duplicates: hits listed more than once in the inventory (1):" in render_details(
        [result]
    )
    assert "sdk           r: openai x2" in render_details([result])


def test_evidence_outside_the_expected_paths_does_not_match() -> None:
    found = [sdk("openai", "docs/notes.md", version="1.51.2")]
    result = match_repo("r", truth(OPENAI), found)
    assert len(result.misses) == 1
    assert "evidence at docs/notes.md" in result.misses[0].reason
    assert len(result.false_positives) == 1


def test_other_ecosystem_is_not_the_same_component() -> None:
    found = [sdk("openai", "requirements.txt", version="1.51.2", ecosystem="npm")]
    result = match_repo("r", truth(OPENAI), found)
    assert len(result.misses) == 1
    assert result.false_positives[0].reason == "ecosystem 'npm', expected 'pypi'"


def test_unexpected_component_is_a_false_positive_counted_once() -> None:
    found = [sdk("openapi-core", "requirements.txt"), sdk("openapi-core", "setup.py")]
    result = match_repo("r", truth(), found)
    assert [(f.name, f.reason) for f in result.false_positives] == [
        ("openapi-core", "not in the truth")
    ]


def test_evidence_in_a_forbidden_path_is_a_false_positive() -> None:
    found = [
        sdk("cohere", "packages/ml/third_party/cohere/pyproject.toml"),
        sdk("openai", "requirements.txt", "node_modules/openai/package.json", version="1.51.2"),
    ]
    result = match_repo(
        "r", truth(OPENAI, forbidden=["node_modules/**", "**/third_party/**"]), found
    )
    assert len(result.hits) == 1  # openai still matches through its allowed evidence
    reasons = {f.name: f.reason for f in result.false_positives}
    assert set(reasons) == {"cohere", "openai"}
    assert all("must be ignored" in r for r in reasons.values())


def test_optional_components_are_neither_hits_misses_nor_false_positives() -> None:
    optional = {"type": "sdk", "ecosystem": "pypi", "name": "tiktoken", "optional": True}
    result = match_repo("r", truth(optional), [sdk("tiktoken", "requirements.txt")])
    assert (result.hits, result.misses, result.false_positives) == ([], [], [])
    assert match_repo("r", truth(optional), []).misses == []


def test_file_backed_types_match_on_alias_or_evidence_path() -> None:
    expected = {
        "type": "mcp-server",
        "name": "github",
        "aliases": ["@modelcontextprotocol/server-github"],
        "evidence": [{"path": ".mcp.json", "line": 3}],
    }
    by_alias = Component(
        type=ComponentType.MCP_SERVER,
        name="@modelcontextprotocol/server-github",
        evidence=[Evidence(path=".mcp.json", line=3)],
    )
    assert len(match_repo("r", truth(expected), [by_alias]).hits) == 1
    agent = {"type": "agent-config", "name": "CLAUDE.md", "evidence": [{"path": "CLAUDE.md"}]}
    by_path = Component(
        type=ComponentType.AGENT_CONFIG, name="./CLAUDE.md", evidence=[Evidence(path="CLAUDE.md")]
    )
    assert len(match_repo("r", truth(agent), [by_path]).hits) == 1
    wrong = Component(
        type=ComponentType.AGENT_CONFIG, name="AGENTS.md", evidence=[Evidence(path="AGENTS.md")]
    )
    assert len(match_repo("r", truth(agent), [wrong]).misses) == 1


def test_an_ollama_tag_may_be_reported_as_a_version() -> None:
    expected = {"type": "model", "name": "llama3.2:3b", "evidence": [{"path": "Makefile"}]}
    as_version = Component(
        type=ComponentType.MODEL, name="llama3.2", version="3b", evidence=[Evidence("Makefile")]
    )
    assert len(match_repo("r", truth(expected), [as_version]).hits) == 1
    other_tag = Component(
        type=ComponentType.MODEL, name="llama3.2", version="1b", evidence=[Evidence("Makefile")]
    )
    assert len(match_repo("r", truth(expected), [other_tag]).misses) == 1


def test_attribute_mismatches_are_reported_on_hits() -> None:
    found = [
        sdk("openai", "requirements.txt", version="1.51.2", provider="azure", direct=False, line=9)
    ]
    result = match_repo("r", truth(OPENAI), found)
    assert len(result.hits) == 1
    got = {(m.attribute, m.expected, m.found) for m in result.mismatches}
    assert got == {
        ("provider", "openai", "azure"),
        ("direct", "True", "False"),
        ("line in requirements.txt", "4", "[9]"),
    }


def test_scores_per_type_and_overall() -> None:
    model = {"type": "model", "name": "gpt-4o", "evidence": [{"path": "a.py"}]}
    results = [
        match_repo(
            "r",
            truth(OPENAI, model, {**model, "name": "o3-mini"}),
            [
                sdk("openai", "requirements.txt", version="1.51.2"),
                Component(type=ComponentType.MODEL, name="GPT-4o", evidence=[Evidence("a.py")]),
                Component(type=ComponentType.MODEL, name="o1", evidence=[Evidence("a.py")]),
            ],
        )
    ]
    scores = score(results)
    assert (scores["sdk"].precision, scores["sdk"].recall) == (1.0, 1.0)
    m = scores["model"]
    assert (m.true_positives, m.false_positives, m.false_negatives) == (1, 1, 1)
    assert (m.precision, m.recall, m.f1) == (0.5, 0.5, 0.5)
    assert not m.passes(0.95)
    assert scores["dataset"].precision is None and scores["dataset"].passes(0.95)
    overall = scores["overall"]
    assert (overall.true_positives, overall.false_positives, overall.false_negatives) == (2, 1, 1)
    table = render_table(scores, threshold=0.95)
    assert "model" in table and "FAIL" in table
    details = render_details(results)
    assert "model         r: o3-mini [a.py] - not reported" in details
    assert "model         r: o1 [a.py] - not in the truth" in details
    markdown = render_markdown(results, scores, threshold=0.95, measured={"sdk"})
    assert "| sdk | 1 | 1 | 0 | 0 | 1.000 | 1.000 | 1.000 | ok |" in markdown
    assert "| model | 2 | 1 | 1 | 1 | 0.500 | 0.500 | 0.500 | no detector |" in markdown
    assert "- **model** `r`: `o3-mini` (a.py): not reported" in markdown
    payload = to_json(results, scores, threshold=0.95)
    assert payload["scores"]["model"]["precision"] == 0.5
    assert payload["misses"][0]["name"] == "o3-mini"


def test_false_positive_on_an_empty_truth_gives_zero_precision() -> None:
    found = [
        Component(type=ComponentType.SECRET, name="openai-key", evidence=[Evidence(".env.example")])
    ]
    scores = score([match_repo("r", truth(), found)])
    assert scores["secret"].precision == 0.0
    assert not scores["secret"].passes(0.95)


def write_repo(base: Path, name: str, golden: str) -> None:
    (base / name / "repo").mkdir(parents=True)
    (base / name / "expected.yaml").write_text(golden, encoding="utf-8")


def test_load_corpus_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="corpus directory not found"):
        load_corpus(tmp_path / "missing")
    with pytest.raises(InputError, match="no repository"):
        load_corpus(tmp_path)
    write_repo(tmp_path, "bad", "components: [{type: sdk}]\n")
    with pytest.raises(ConfigError, match="invalid golden file"):
        load_corpus(tmp_path)


def test_load_corpus_selects_and_resolves_roots(tmp_path: Path) -> None:
    write_repo(tmp_path, "a", "components: []\n")
    write_repo(tmp_path, "b", "components: []\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "expected.yaml").write_text("root: ../elsewhere\n", encoding="utf-8")
    repos = load_corpus(tmp_path)
    assert [r.name for r in repos] == ["a", "b", "c"]
    assert repos[2].root == (tmp_path / "elsewhere").resolve()
    assert [r.name for r in load_corpus(tmp_path, only=["b"])] == ["b"]
    with pytest.raises(InputError, match="no such corpus repository: zzz"):
        load_corpus(tmp_path, only=["b", "zzz"])
    (tmp_path / "c" / "expected.yaml").write_text("root: ../gone\n", encoding="utf-8")
    with pytest.raises(InputError, match="the repository to scan is missing"):
        load_corpus(tmp_path)


def test_threshold_outside_0_1_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert harness_main.main(["--threshold", "1.5"]) == 2
    assert capsys.readouterr().err == "error: --threshold must be between 0 and 1\n"


@given(st.binary(max_size=300))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_golden_loader_never_raises_anything_but_config_error(tmp_path: Path, data: bytes) -> None:
    golden = tmp_path / "expected.yaml"
    golden.write_bytes(data)
    try:
        load_expected(golden)
    except ConfigError:
        pass


def test_engine_missing_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "ENGINE_MODULE", "aims.scanner.no_such_engine")
    with pytest.raises(runner.EngineMissingError, match="no_such_engine is not available"):
        runner.engine_scan_function()


def test_main_prints_table_and_gates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_repo(
        tmp_path,
        "one",
        "components:\n  - {type: model, name: gpt-4o, evidence: [{path: a.py, line: 1}]}\n",
    )
    found = [Component(type=ComponentType.MODEL, name="gpt-4o", evidence=[Evidence("a.py", 1)])]

    def fake_evaluate(repos, scan=None):  # type: ignore[no-untyped-def]
        return runner.evaluate(repos, scan=lambda paths: Inventory(components=list(found)))

    monkeypatch.setattr(harness_main, "evaluate", fake_evaluate)
    monkeypatch.setattr(harness_main, "present_detector_modules", lambda: {"model_refs"})
    assert harness_main.main(["--corpus", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "model                 1     1     0     0      1.000    1.000   1.000  ok" in out
    assert (
        "sdk                   0     0     0     0          -        -       -  no detector" in out
    )
    assert out.rstrip().endswith("PASS")
    assert "components reported" not in out

    assert harness_main.main(["--corpus", str(tmp_path), "--show-found"]) == 0
    out = capsys.readouterr().out
    assert "one: 1 components reported\n  model         gpt-4o [a.py:1]" in out

    found.append(Component(type=ComponentType.MODEL, name="o1", evidence=[Evidence("a.py", 2)]))
    assert harness_main.main(["--corpus", str(tmp_path), "--json"]) == 1
    assert '"failed_types": [\n    "model"\n  ]' in capsys.readouterr().out


def test_a_crashing_scan_names_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_repo(tmp_path, "broken", "components: []\n")

    def crash(paths: object) -> Inventory:
        raise KeyError("boom")

    monkeypatch.setattr(harness_main, "evaluate", lambda repos: runner.evaluate(repos, scan=crash))
    assert harness_main.main(["--corpus", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "error: scanning corpus repository 'broken' failed: KeyError: 'boom'" in err
    assert "hint: Reproduce with: aims scan " in err


def test_main_reports_missing_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_repo(tmp_path, "one", "components: []\n")
    monkeypatch.setattr(runner, "ENGINE_MODULE", "aims.scanner.no_such_engine")
    assert harness_main.main(["--corpus", str(tmp_path)]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error: aims.scanner.no_such_engine is not available" in captured.err
