"""Tests for the CI workflow detector: AI steps with exact lines, and the AIM6xx findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog.model import Catalog, CiTool, Provider
from aims.inventory import ComponentType
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.ci_workflows import (
    CIWorkflowDetector,
    ci_kind,
    compose_yaml,
    parse_pipeline,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ci"
EX = {"positive": ["x"], "negative": ["y"]}


def tool(**kw: object) -> CiTool:
    return CiTool.model_validate({"examples": EX} | kw)


def fake_catalog() -> Catalog:
    """Providers and CI entries shaped like the real catalog's, fixed for these tests."""
    providers = [
        Provider(
            id="openai",
            name="OpenAI",
            hosts=["api.openai.com"],
            env_vars=["OPENAI_API_KEY", "OPENAI_BASE_URL"],
            examples=EX,
        ),
        Provider(
            id="anthropic",
            name="Anthropic",
            hosts=["api.anthropic.com"],
            env_vars=["ANTHROPIC_API_KEY"],
            examples=EX,
        ),
        Provider(
            id="google",
            name="Google",
            hosts=["generativelanguage.googleapis.com"],
            env_vars=["GEMINI_API_KEY"],
            examples=EX,
        ),
    ]
    tools = [
        tool(id="claude-code-action", kind="action", name="Claude Code Action",
             purpose="coding-agent", provider="anthropic", match=["anthropics/claude-code-action"]),
        tool(id="codex-action", kind="action", name="Codex Action", purpose="coding-agent",
             provider="openai", match=["openai/codex-action"]),
        tool(id="claude-code", kind="cli", name="Claude Code", purpose="coding-agent",
             provider="anthropic", match=["claude", "@anthropic-ai/claude-code"],
             noninteractive_flags=["-p", "--print"]),
        tool(id="codex-cli", kind="cli", name="Codex CLI", purpose="coding-agent",
             provider="openai", match=["codex", "@openai/codex"], noninteractive_flags=["exec"]),
        tool(id="gemini-cli", kind="cli", name="Gemini CLI", purpose="coding-agent",
             provider="google", match=["gemini", "@google/gemini-cli"],
             noninteractive_flags=["-p", "--prompt"]),
        tool(id="aider", kind="cli", name="Aider", purpose="coding-agent", match=["aider"],
             noninteractive_flags=["--yes", "--message"]),
        tool(id="llm-cli", kind="cli", name="llm", purpose="chat-cli", match=["llm"]),
        tool(id="ollama-image", kind="image", name="Ollama", purpose="inference-server",
             match=["ollama/ollama"]),
        tool(id="vllm-image", kind="image", name="vLLM", purpose="inference-server",
             match=["vllm/vllm-openai"]),
        tool(id="tgi-image", kind="image", name="TGI", purpose="inference-server",
             match=["ghcr.io/huggingface/text-generation-inference"]),
        tool(id="llama-cpp-image", kind="image", name="llama.cpp", purpose="inference-server",
             match=["ghcr.io/ggml-org/llama.cpp"]),
    ]  # fmt: skip
    return Catalog(providers=providers, packages=[], model_families=[], ci_tools=tools)


CATALOG = fake_catalog()
DETECTOR = CIWorkflowDetector()


def detect(relpath: str, text: str | None = None, catalog: Catalog = CATALOG) -> DetectResult:
    path = FIXTURES / relpath
    data = path.read_bytes() if text is None else text.encode()
    file = ScanFile(relpath=relpath, abspath=str(path), data=data, size=len(data))
    return DETECTOR.detect(file, DetectContext(catalog=catalog))


def pairs(result: DetectResult) -> list[tuple[str, int | None]]:
    return [(c.name, c.evidence[0].line) for c in result.components]


def rules(result: DetectResult) -> list[tuple[str, str, int | None]]:
    return [(f.rule_id, f.primary.path, f.primary.line) for f in result.findings]


GH = ".github/workflows/"
EXPECTED: dict[str, list[tuple[str, int]]] = {
    f"{GH}claude.yml": [(f"{GH}claude.yml#claude/anthropics/claude-code-action", 24)],
    f"{GH}codex-nightly.yml": [
        (f"{GH}codex-nightly.yml#fix/env", 12),
        (f"{GH}codex-nightly.yml#fix/codex-cli", 21),
        (f"{GH}codex-nightly.yml#fix/openai/codex-action", 25),
    ],
    f"{GH}ci.yml": [],
    ".github/actions/ai-review/action.yml": [
        (".github/actions/ai-review/action.yml#(composite)/claude-code", 19),
    ],
    f"{GH}summary.yml": [
        (f"{GH}summary.yml#summarise/ollama/ollama:0.3.12", 10),
        (f"{GH}summary.yml#summarise/Summarise the diff", 17),
        (f"{GH}summary.yml#summarise/api:anthropic", 21),
    ],
    ".gitlab-ci.yml": [
        (".gitlab-ci.yml#local-llm-smoke/ollama/ollama:latest", 22),
        ("ci/ai-review.yml#ai-review/gemini-cli", 9),  # followed through `include: local:`
    ],
    "azure-pipelines.yml": [
        ("azure-pipelines.yml#AIReview/aider", 16),
        ("azure-pipelines.yml#AIReview/llm-cli", 27),
    ],
    ".circleci/config.yml": [
        (".circleci/config.yml#review/env", 7),
        (".circleci/config.yml#review/claude-code", 14),
        (".circleci/config.yml#serve/vllm/vllm-openai:v0.6.3", 18),
    ],
    "Jenkinsfile": [
        ("Jenkinsfile#AI triage/env", 14),
        ("Jenkinsfile#AI triage/llm-cli", 17),
        ("Jenkinsfile#Local model/ghcr.io/ggml-org/llama.cpp:server", 23),
    ],
    "bitbucket-pipelines.yml": [
        ("bitbucket-pipelines.yml#pull-requests/llm-cli", 21),
        (
            "bitbucket-pipelines.yml#(definitions)/ghcr.io/huggingface/text-generation-inference"
            ":2.4.0",
            6,
        ),
    ],
}


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_fixture_ai_steps_exact_names_and_lines(relpath: str) -> None:
    result = detect(relpath)
    assert pairs(result) == EXPECTED[relpath]
    assert result.warnings == []


def test_every_wanted_fixture_is_covered() -> None:
    wanted = {
        p.relative_to(FIXTURES).as_posix()
        for p in FIXTURES.rglob("*")
        if p.is_file() and DETECTOR.wants(p.relative_to(FIXTURES).as_posix(), p.name)
    }
    assert wanted == set(EXPECTED)


def test_findings_on_the_claude_workflow() -> None:
    result = detect(f"{GH}claude.yml")
    assert rules(result) == [
        ("AIM601", f"{GH}claude.yml", 24),
        ("AIM602", f"{GH}claude.yml", 24),
        ("AIM603", f"{GH}claude.yml", 24),
        ("AIM604", f"{GH}claude.yml", 28),
    ]
    by_rule = {f.rule_id: f for f in result.findings}
    takeover = by_rule["AIM601"]
    assert "issue_comment, pull_request_target" in takeover.message
    assert "write permissions (contents, issues, pull-requests)" in takeover.message
    assert takeover.properties["write_scopes"] == ["contents", "issues", "pull-requests"]
    assert str(takeover.confidence) == "high"
    assert takeover.rule_name == "ai-agent-untrusted-trigger"
    assert "`v1`" in by_rule["AIM602"].message
    assert "--dangerously-skip-permissions" in by_rule["AIM603"].message
    assert "github.event.pull_request.title" in by_rule["AIM604"].message
    assert "pull_request.title" in by_rule["AIM604"].evidence


def test_component_shape() -> None:
    [component] = detect(f"{GH}claude.yml").components
    assert component.type is ComponentType.AI_WORKFLOW
    assert component.provider == "anthropic"
    assert component.category == "coding-agent"
    props = component.properties
    assert props["ci"] == "github"
    assert props["job"] == "claude"
    assert props["step"] == "Run Claude Code"
    assert props["action"] == "anthropics/claude-code-action@v1"
    assert props["triggers"] == ["issue_comment", "pull_request_target"]
    evidence = component.evidence[0]
    assert evidence.detector == "ci-workflows"
    assert evidence.snippet == "uses: anthropics/claude-code-action@v1"


def test_cli_component_records_noninteractive_and_provider() -> None:
    result = detect(".circleci/config.yml")
    claude = next(c for c in result.components if c.name.endswith("/claude-code"))
    assert claude.properties["noninteractive"] is True
    assert claude.properties["ci"] == "circleci"
    assert claude.provider == "anthropic"
    assert claude.properties["command"] == (
        '@anthropic-ai/claude-code@2.0.14 -p "Review the last commit"     --output-format json'
        " > review.json"
    )


def test_pinned_action_and_read_only_schedule_are_quiet_except_bypass() -> None:
    result = detect(f"{GH}codex-nightly.yml")
    assert rules(result) == [("AIM603", f"{GH}codex-nightly.yml", 21)]
    assert "--dangerously-bypass-approvals-and-sandbox" in result.findings[0].message


def test_included_gitlab_file_and_yolo_finding() -> None:
    result = detect(".gitlab-ci.yml")
    assert rules(result) == [("AIM603", "ci/ai-review.yml", 9)]
    gemini = next(c for c in result.components if c.name.startswith("ci/ai-review.yml"))
    assert gemini.properties["triggers"] == ["merge_request_event"]
    assert gemini.evidence[0].path == "ci/ai-review.yml"


def test_gitlab_include_under_a_prefixed_scan_root(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    (project / "ci").mkdir(parents=True)
    (project / "ci" / "ai.yml").write_text(
        "review:\n  script:\n    - codex exec 'review the diff'\n", encoding="utf-8"
    )
    main = project / ".gitlab-ci.yml"
    main.write_text("include:\n  - local: /ci/ai.yml\n", encoding="utf-8")
    data = main.read_bytes()
    file = ScanFile("svc/.gitlab-ci.yml", str(main), data, len(data))
    result = DETECTOR.detect(file, DetectContext(catalog=CATALOG))
    assert pairs(result) == [("svc/ci/ai.yml#review/codex-cli", 3)]


def test_non_ai_workflow_and_prose_mentions_are_quiet() -> None:
    result = detect(f"{GH}ci.yml")
    assert result.components == [] and result.findings == []


def test_untrusted_trigger_gated_on_author_association_is_not_reported() -> None:
    text = (FIXTURES / GH / "claude.yml").read_text()
    gated = text.replace(
        "    if: contains(github.event.comment.body, '@claude') || github.event_name == "
        "'pull_request_target'",
        "    if: github.event.comment.author_association == 'MEMBER'",
    )
    assert gated != text
    assert "AIM601" not in [f.rule_id for f in detect(f"{GH}claude.yml", gated).findings]


def test_default_token_is_reported_with_medium_confidence() -> None:
    text = (
        "on: issues\n"
        "jobs:\n"
        "  triage:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: claude -p 'Label this issue'\n"
    )
    result = detect(f"{GH}triage.yml", text)
    [finding] = result.findings
    assert (finding.rule_id, finding.primary.line) == ("AIM601", 6)
    assert str(finding.confidence) == "medium"
    assert "default GITHUB_TOKEN" in finding.message


def test_read_only_permissions_silence_the_trigger_rule() -> None:
    text = (
        "on: [issue_comment]\n"
        "permissions:\n"
        "  contents: read\n"
        "jobs:\n"
        "  a:\n"
        "    steps:\n"
        "      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567\n"
    )
    assert detect(f"{GH}a.yml", text).findings == []


def test_real_catalog_recognises_the_fixture_steps() -> None:
    from aims.catalog import load_catalog

    real = load_catalog()
    result = detect(f"{GH}claude.yml", catalog=real)
    assert pairs(result) == EXPECTED[f"{GH}claude.yml"]
    assert result.components[0].provider == "anthropic"
    assert [f.rule_id for f in result.findings] == ["AIM601", "AIM602", "AIM603", "AIM604"]
    lines = {line for _, line in pairs(detect(".circleci/config.yml", catalog=real))}
    assert {7, 14, 18} <= lines


def test_evidence_is_redacted_but_keeps_secret_references_and_shas() -> None:
    fake = "FAKE" + "x9Yz" * 8
    text = (
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    steps:\n"
        "      - uses: anthropics/claude-code-action@0123456789abcdef0123456789abcdef01234567\n"
        "      - run: |\n"
        f'          curl https://api.openai.com/v1/models -H "Authorization: Bearer {fake}"\n'
        "      - run: |\n"
        f"          curl https://user:{fake}@api.anthropic.com/v1/messages\n"
    )
    result = detect(f"{GH}r.yml", text)
    snippets = [c.evidence[0].snippet for c in result.components]
    assert snippets[0].endswith("@0123456789abcdef0123456789abcdef01234567")
    assert all(fake not in s and "x9Yz" not in s for s in snippets)
    assert all("x9Yz" not in str(c.properties) for c in result.components)
    assert len(snippets) == 3


def test_composite_action_steps() -> None:
    result = detect(".github/actions/ai-review/action.yml")
    [component] = result.components
    assert component.properties["ci"] == "github"
    assert component.properties["step"] == "Review"
    assert component.provider == "anthropic"
    assert result.findings == []
    javascript = "name: x\nruns:\n  using: node20\n  main: dist/index.js\n"
    assert detect(".github/actions/x/action.yml", javascript).components == []


def test_ci_kind() -> None:
    assert ci_kind(".github/workflows/release.yaml") == "github"
    assert ci_kind("sub/project/.github/workflows/x.yml") == "github"
    assert ci_kind(".github/dependabot.yml") is None
    assert ci_kind("deploy/app.gitlab-ci.yml") == "gitlab"
    assert ci_kind(".gitlab/ci/review.yml") == "gitlab"
    assert ci_kind("azure-pipelines.yml") == "azure"
    assert ci_kind(".circleci/config.yml") == "circleci"
    assert ci_kind("bitbucket-pipelines.yml") == "bitbucket"
    assert ci_kind("Jenkinsfile") == "jenkins"
    assert ci_kind("ci/Jenkinsfile.release") == "jenkins"
    assert ci_kind("docker-compose.yml") is None
    assert ci_kind(".github/actions/review/action.yml") == "github-action"


def test_invalid_yaml_is_a_warning() -> None:
    result = detect(f"{GH}broken.yml", "on: [push\njobs: {")
    assert result.components == []
    assert [w.path for w in result.warnings] == [f"{GH}broken.yml"]


def test_alias_bomb_is_bounded() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    result = detect(f"{GH}bomb.yml", "\n".join(lines) + "\njobs: {}\n")
    assert result.components == []


def test_bitbucket_alias_bomb_is_walked_once() -> None:
    lines = ['a0: &a0 [{step: {name: s, script: ["llm -m gpt-4o hi"]}}, x, x, x]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 11)]
    lines += ["pipelines:", "  default: [*a10]"]
    result = detect("bitbucket-pipelines.yml", "\n".join(lines) + "\n")
    assert pairs(result) == [("bitbucket-pipelines.yml#default/llm-cli", 1)]


@given(st.text(max_size=1500), st.sampled_from(["github", "gitlab", "azure", "circleci",
                                               "bitbucket", "jenkins"]))  # fmt: skip
def test_parsers_never_raise(text: str, kind: str) -> None:
    parse_pipeline(kind, text)
    compose_yaml(text)


@given(st.lists(st.sampled_from([
    "on:", " push", "\n", "jobs:", "  a:", "    steps:", "      - run: ", "claude -p x", "uses: ",
    "anthropics/claude-code-action@v1", "&x ", "*x", "[", "]", "{", "}", ": ", "- ", "'", '"',
    "${{ github.event.issue.body }}", "script:", "image: ollama/ollama", "sh '", "stage('a')",
]), max_size=50))  # fmt: skip
def test_detector_never_raises_on_structured_noise(parts: list[str]) -> None:
    text = "".join(parts)
    for relpath in (f"{GH}x.yml", ".gitlab-ci.yml", "Jenkinsfile", "bitbucket-pipelines.yml"):
        detect(relpath, text)
