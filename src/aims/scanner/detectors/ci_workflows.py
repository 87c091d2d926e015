"""Finds AI steps in CI pipelines: AI actions, AI CLIs run unattended, provider API calls and keys.

Supported: GitHub Actions (`.github/workflows/*.yml`), GitLab CI (`.gitlab-ci.yml`, files under
`.gitlab/ci/` and local `include:` files), Azure Pipelines, CircleCI, Bitbucket Pipelines and
Jenkinsfiles. YAML is read with `yaml.compose` (no object construction, so custom tags such as
GitLab's `!reference` are harmless) to keep exact line numbers. What counts as an AI action, CLI
or container image comes from the catalog (`catalog/data/ci.yaml`).

Findings (AIM6xx): an AI agent reachable from untrusted triggers with a writable token, an AI
action not pinned to a commit, an agent run with its permission checks switched off, and
untrusted event text interpolated into an AI prompt or command.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from aims.findings import Confidence, Finding, Location, make_finding
from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

NAME = "ci-workflows"

_MAX_NODES = 200_000
_MAX_INCLUDE_BYTES = 2 * 1024 * 1024

_PURPOSE_CATEGORY = {
    "coding-agent": "coding-agent",
    "code-review": "ai-review",
    "pr-summary": "ai-review",
    "chat-cli": "ai-cli",
    "inference-server": "inference",
    "vector-db": "vector-db",
    "model-download": "model-download",
    "eval": "ai-eval",
    "ai-ops": "ai-cli",
}
_AGENT_PURPOSES = frozenset({"coding-agent", "code-review", "pr-summary"})

# GitHub events whose payload (titles, bodies, comments, branch names) any outside user controls.
_UNTRUSTED_EVENTS = frozenset(
    {
        "pull_request_target",
        "issue_comment",
        "issues",
        "pull_request_review",
        "pull_request_review_comment",
        "discussion",
        "discussion_comment",
    }
)
_WRITE_SCOPES = frozenset(
    {"contents", "pull-requests", "issues", "actions", "packages", "deployments", "id-token"}
)
_UNTRUSTED_EXPR = re.compile(
    r"\$\{\{\s*(?P<expr>github\.(?:head_ref|event\.(?:issue|pull_request|comment|review|"
    r"review_comment|discussion|head_commit|commits\[?\*?\]?|pages\[?\*?\]?|workflow_run)"
    r"(?:\.[\w\[\]*]+)*\.(?:title|body|head_ref|ref|label|name|message|email|page_name|"
    r"default_branch)))\s*\}\}"
)
_SECRET_EXPR = re.compile(r"\$\{\{\s*secrets\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_VAR_REF = re.compile(
    r"\$(?:\{(?P<a>[A-Z][A-Z0-9_]*)\}|\((?P<b>[A-Z][A-Z0-9_]*)\)|(?P<c>[A-Z][A-Z0-9_]*))"
)
_URL = re.compile(r"https?://[^\s\"'()<>`|;]+")
_SHA = re.compile(r"[0-9a-f]{40}")
_BYPASS_FLAGS = (
    re.compile(r"(?:^|\s)--dangerously-skip-permissions\b"),
    re.compile(r"(?:^|\s)--dangerously-bypass-approvals-and-sandbox\b"),
    re.compile(r"(?:^|\s)--dangerously-allow-all\b"),
    re.compile(r"(?:^|\s)--permission-mode[=\s]+[\"']?bypassPermissions\b"),
    re.compile(r"(?:^|\s)--approval-mode[=\s]+[\"']?yolo\b"),
    re.compile(r"(?:^|\s)--sandbox[=\s]+[\"']?danger-full-access\b"),
    re.compile(r"(?:^|\s)--yolo\b"),
    re.compile(r"(?:^|\s)--allow-all-tools\b"),
    re.compile(r"(?:^|\s)--yes-always\b"),
)
_PROVIDER_SECRETISH = re.compile(r"(?:API_?KEY|TOKEN|SECRET|ENDPOINT|BASE_URL)", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# A CI-neutral view of a pipeline


@dataclass(slots=True)
class ScriptLine:
    """One line of a shell script with its 1-based line number in the workflow file."""

    line: int
    text: str


@dataclass(slots=True)
class Value:
    """A configuration value with the line it is on."""

    name: str
    value: str
    line: int


@dataclass(slots=True)
class Step:
    """One step (or job script) of a pipeline, reduced to what AI detection needs."""

    job: str
    line: int
    label: str | None = None
    uses: Value | None = None
    scripts: list[list[ScriptLine]] = field(default_factory=list)
    env: list[Value] = field(default_factory=list)
    """Variables the step itself sets."""
    inherited_env: list[Value] = field(default_factory=list)
    """Variables set for the whole job or pipeline (reported once, on their own pseudo-step)."""
    inputs: list[Value] = field(default_factory=list)
    images: list[Value] = field(default_factory=list)
    condition: str = ""


@dataclass(slots=True)
class Pipeline:
    """A parsed pipeline file: its CI system, triggers, token permissions and steps."""

    ci: str
    steps: list[Step] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    permissions: dict[str, Any] = field(default_factory=dict)
    """GitHub only: `workflow` and per-job (`job:<id>`) permissions as written (None = absent)."""


# --------------------------------------------------------------------------------------------
# YAML node helpers (compose only: no constructors run)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (about ten times faster), else pure Python."""


def compose_yaml(text: str) -> yaml.Node | None:
    """Compose a YAML document into nodes, or None when it is empty or not YAML.

    Never raises; multi-document files yield their first document.
    """
    try:
        for node in yaml.compose_all(text, Loader=_LOADER):
            return node
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    return None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return None


def _items(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        return [(k, v) for k, v in node.value if isinstance(k, yaml.Node)]
    return []


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    for k, v in _items(node):
        if _scalar(k) == key:
            return v
    return None


def _seq(node: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _script_lines(node: yaml.Node, raw: list[str]) -> list[ScriptLine]:
    """Map a scalar's lines to file lines, searching the raw text so block scalars are exact."""
    value = _scalar(node)
    if value is None:
        return []
    first = int(node.start_mark.line)
    last = min(int(node.end_mark.line), len(raw) - 1)
    parts = value.splitlines() or [value]
    block = getattr(node, "style", None) in ("|", ">")
    if len(parts) == 1 and not block:
        return [ScriptLine(first + 1, parts[0])]
    out: list[ScriptLine] = []
    pointer = first + 1 if block else first
    for part in parts:
        needle = part.strip()[:60]
        found = None
        if needle:
            for idx in range(pointer, last + 1):
                if needle in raw[idx]:
                    found = idx
                    break
        if found is None:
            out.append(ScriptLine(min(pointer + 1, last + 1), part))
        else:
            out.append(ScriptLine(found + 1, part))
            pointer = found + 1
    return out


def _scripts(node: yaml.Node | None, raw: list[str]) -> list[list[ScriptLine]]:
    """A script key's value: one scalar or a list of scalars (GitLab, Bitbucket)."""
    if node is None:
        return []
    if isinstance(node, yaml.ScalarNode):
        return [_script_lines(node, raw)]
    out: list[list[ScriptLine]] = []
    for item in _seq(node):
        if isinstance(item, yaml.ScalarNode):
            out.append(_script_lines(item, raw))
        elif isinstance(item, yaml.SequenceNode):  # GitLab `!reference` or nested lists
            out += _scripts(item, raw)
    return out


def _values(node: yaml.Node | None) -> list[Value]:
    """`key: value` pairs of a mapping (env, with, variables) with their lines."""
    out: list[Value] = []
    for k, v in _items(node):
        key = _scalar(k)
        if key is None:
            continue
        value = _scalar(v)
        if value is None:
            inner = _scalar(_get(v, "value"))  # GitLab `VAR: {value: ..., description: ...}`
            value = inner if inner is not None else ""
        out.append(Value(key, value, _line(v)))
    return out


def _count_nodes(node: yaml.Node, limit: int = _MAX_NODES) -> int:
    """Count distinct nodes (aliases shared), stopping at `limit` to defuse alias bombs."""
    seen: set[int] = set()
    stack = [node]
    while stack and len(seen) < limit:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack += [k, v]
        elif isinstance(current, yaml.SequenceNode):
            stack += list(current.value)
    return len(seen)


# --------------------------------------------------------------------------------------------
# Per-CI parsers


def _image_value(node: yaml.Node | None) -> Value | None:
    text = _scalar(node)
    if text is not None and node is not None:
        return Value("image", text, _line(node))
    for key in ("name", "image"):
        inner = _get(node, key)
        if inner is not None and _scalar(inner) is not None:
            return Value("image", str(_scalar(inner)), _line(inner))
    return None


def parse_github(root: yaml.Node, raw: list[str]) -> Pipeline:
    """Read a GitHub Actions workflow: triggers, permissions, jobs and their steps."""
    pipe = Pipeline("github")
    on = _get(root, "on")  # NOTE: compose keeps `on` a string; `safe_load` would make it True
    if isinstance(on, yaml.ScalarNode):
        pipe.triggers = [str(on.value)]
    elif isinstance(on, yaml.SequenceNode):
        pipe.triggers = [s for s in (_scalar(n) for n in on.value) if s]
    else:
        pipe.triggers = [s for s in (_scalar(k) for k, _ in _items(on)) if s]
    pipe.permissions["workflow"] = _permissions(_get(root, "permissions"))
    workflow_env = _values(_get(root, "env"))
    if workflow_env:
        pipe.steps.append(Step(job="(workflow)", line=workflow_env[0].line, env=workflow_env))
    for job_key, job in _items(_get(root, "jobs")):
        job_id = _scalar(job_key) or "?"
        pipe.permissions[f"job:{job_id}"] = _permissions(_get(job, "permissions"))
        own_job_env = _values(_get(job, "env"))
        job_env = workflow_env + own_job_env
        if own_job_env:
            pipe.steps.append(Step(job=job_id, line=own_job_env[0].line, env=own_job_env))
        job_if = _scalar(_get(job, "if")) or ""
        images = [
            img
            for img in [_image_value(_get(job, "container"))]
            + [_image_value(_get(svc, "image")) for _, svc in _items(_get(job, "services"))]
            if img is not None
        ]
        uses = _get(job, "uses")
        if _scalar(uses) is not None and uses is not None:  # reusable workflow call
            pipe.steps.append(
                Step(
                    job=job_id,
                    line=_line(uses),
                    uses=Value("uses", str(_scalar(uses)), _line(uses)),
                    inherited_env=job_env,
                    inputs=_values(_get(job, "with")) + _values(_get(job, "secrets")),
                    condition=job_if,
                )
            )
        if images:
            pipe.steps.append(
                Step(job=job_id, line=images[0].line, images=images, inherited_env=job_env)
            )
        pipe.steps += _github_steps(_get(job, "steps"), job_id, job_env, job_if, raw)
    return pipe


def _github_steps(
    node: yaml.Node | None, job_id: str, job_env: list[Value], job_if: str, raw: list[str]
) -> list[Step]:
    """The `steps:` of a GitHub job or composite action."""
    out: list[Step] = []
    for index, step in enumerate(_seq(node)):
        label = _scalar(_get(step, "name")) or _scalar(_get(step, "id")) or f"step {index + 1}"
        st = Step(
            job=job_id,
            line=_line(step),
            label=label,
            env=_values(_get(step, "env")),
            inherited_env=job_env,
            inputs=_values(_get(step, "with")),
            condition=" ".join(filter(None, [job_if, _scalar(_get(step, "if")) or ""])),
        )
        step_uses = _get(step, "uses")
        if _scalar(step_uses) is not None and step_uses is not None:
            text = str(_scalar(step_uses))
            st.uses = Value("uses", text, _line(step_uses))
            if text.startswith("docker://"):
                st.images.append(Value("image", text[len("docker://") :], _line(step_uses)))
        run = _get(step, "run")
        if run is not None:
            st.scripts += _scripts(run, raw)
        out.append(st)
    return out


def parse_github_action(root: yaml.Node, raw: list[str]) -> Pipeline:
    """Read a composite action (`action.yml` with `runs.using: composite`) as one job.

    JavaScript and Docker actions have no steps to read and give an empty pipeline; a Docker
    action's `runs.image` is still checked against the catalog's images.
    """
    pipe = Pipeline("github")
    runs = _get(root, "runs")
    using = (_scalar(_get(runs, "using")) or "").strip().lower()
    if using == "composite":
        pipe.steps = _github_steps(_get(runs, "steps"), "(composite)", [], "", raw)
    elif using == "docker":
        image = _scalar(_get(runs, "image")) or ""
        node = _get(runs, "image")
        if image.startswith("docker://") and node is not None:
            value = Value("image", image[len("docker://") :], _line(node))
            pipe.steps.append(Step(job="(docker)", line=value.line, images=[value]))
    return pipe


def _permissions(node: yaml.Node | None) -> Any:
    if node is None:
        return None
    text = _scalar(node)
    if text is not None:
        return text
    return {k.name: k.value for k in _values(node)}


_GITLAB_RESERVED = frozenset(
    {
        "stages",
        "variables",
        "include",
        "default",
        "workflow",
        "image",
        "services",
        "before_script",
        "after_script",
        "cache",
        "types",
        "spec",
    }
)
_PIPELINE_SOURCE = re.compile(r"CI_PIPELINE_SOURCE\s*==\s*[\"'](?P<src>[\w-]+)[\"']")
_GITLAB_SCRIPT_KEYS = ("before_script", "script", "after_script")


def parse_gitlab(root: yaml.Node, raw: list[str]) -> Pipeline:
    """Read a GitLab CI file: jobs (top-level mappings that are not keywords) and their scripts."""
    pipe = Pipeline("gitlab")
    text = "\n".join(raw)
    pipe.triggers = sorted({m.group("src") for m in _PIPELINE_SOURCE.finditer(text)})
    global_vars = _values(_get(root, "variables"))
    defaults = _get(root, "default")
    global_images = [
        img
        for img in (
            [_image_value(_get(root, "image")), _image_value(_get(defaults, "image"))]
            + [_image_value(s) for s in _seq(_get(root, "services"))]
        )
        if img is not None
    ]
    if global_images:
        pipe.steps.append(Step(job="(default)", line=global_images[0].line, images=global_images))
    if global_vars:
        pipe.steps.append(Step(job="(variables)", line=global_vars[0].line, env=global_vars))
    for key, job in _items(root):
        name = _scalar(key)
        if not name or name in _GITLAB_RESERVED or not isinstance(job, yaml.MappingNode):
            continue
        step = Step(
            job=name,
            line=_line(key),
            env=_values(_get(job, "variables")),
            inherited_env=global_vars,
        )
        for script_key in _GITLAB_SCRIPT_KEYS:
            step.scripts += _scripts(_get(job, script_key), raw)
        images = [_image_value(_get(job, "image"))]
        images += [_image_value(s) for s in _seq(_get(job, "services"))]
        step.images = [img for img in images if img is not None]
        pipe.steps.append(step)
    return pipe


def gitlab_local_includes(root: yaml.Node) -> list[str]:
    """Return the repository paths of a GitLab file's `include:` entries that are local files."""
    node = _get(root, "include")
    entries = _seq(node) if isinstance(node, yaml.SequenceNode) else [node] if node else []
    out: list[str] = []
    for entry in entries:
        text = _scalar(entry)
        if text is None:
            text = _scalar(_get(entry, "local"))
        elif "://" in text:
            continue
        if text and not text.startswith(("http://", "https://")) and "*" not in text:
            out.append(text.lstrip("/"))
    return out


def _collect_azure_steps(
    node: yaml.Node | None, job: str, raw: list[str], out: list[Step], depth: int = 0
) -> None:
    if node is None or depth > 8:
        return
    for step in _seq(_get(node, "steps")):
        label = _scalar(_get(step, "displayName")) or _scalar(_get(step, "name"))
        st = Step(job=job, line=_line(step), label=label, env=_values(_get(step, "env")))
        for key in ("script", "bash", "pwsh", "powershell"):
            st.scripts += _scripts(_get(step, key), raw)
        task = _get(step, "task")
        if _scalar(task) is not None and task is not None:
            st.uses = Value("task", str(_scalar(task)), _line(task))
            inputs = _get(step, "inputs")
            st.inputs = _values(inputs)
            for script_key in ("inlineScript", "script"):
                st.scripts += _scripts(_get(inputs, script_key), raw)
        out.append(st)
    for key in ("stages", "jobs"):
        for child in _seq(_get(node, key)):
            name = (
                _scalar(_get(child, "job"))
                or _scalar(_get(child, "deployment"))
                or _scalar(_get(child, "stage"))
                or job
            )
            _collect_azure_steps(child, name, raw, out, depth + 1)
            strategy = _get(child, "strategy")
            for _, body in _items(strategy):
                for _, phase in _items(body):
                    _collect_azure_steps(phase, name, raw, out, depth + 1)


def parse_azure(root: yaml.Node, raw: list[str]) -> Pipeline:
    """Read an Azure Pipelines file: stages, jobs, deployment strategies and their steps."""
    pipe = Pipeline("azure")
    pipe.triggers = [k for k in ("trigger", "pr", "schedules") if _get(root, k) is not None]
    steps: list[Step] = []
    _collect_azure_steps(root, "(pipeline)", raw, steps)
    containers = _seq(_get(_get(root, "resources"), "containers"))
    images = [img for img in (_image_value(_get(c, "image")) for c in containers) if img]
    if images:
        steps.append(Step(job="(resources)", line=images[0].line, images=images))
    pipe.steps = steps
    return pipe


def parse_circleci(root: yaml.Node, raw: list[str]) -> Pipeline:
    """Read a CircleCI config: jobs, their Docker executors, environment and `run` steps."""
    pipe = Pipeline("circleci")
    for key, job in _items(_get(root, "jobs")):
        job_id = _scalar(key) or "?"
        env = _values(_get(job, "environment"))
        images = [
            img
            for img in (_image_value(_get(d, "image")) for d in _seq(_get(job, "docker")))
            if img
        ]
        if images or env:
            line = images[0].line if images else env[0].line
            pipe.steps.append(Step(job=job_id, line=line, images=images, env=env))
        for step in _seq(_get(job, "steps")):
            run = _get(step, "run")
            if run is None:
                continue
            st = Step(job=job_id, line=_line(step), inherited_env=env)
            if isinstance(run, yaml.ScalarNode):
                st.scripts += _scripts(run, raw)
            else:
                st.label = _scalar(_get(run, "name"))
                st.scripts += _scripts(_get(run, "command"), raw)
                st.env = _values(_get(run, "environment"))
            pipe.steps.append(st)
    return pipe


def _bitbucket_steps(node: yaml.Node | None, section: str, raw: list[str], out: list[Step]) -> None:
    stack: list[tuple[yaml.Node, int]] = [(node, 0)] if node is not None else []
    seen: set[int] = set()
    while stack:
        current, depth = stack.pop()
        if depth > 12 or id(current) in seen:
            continue
        seen.add(id(current))  # NOTE: aliased nodes are visited once (no alias-bomb blow-up)
        step = _get(current, "step")
        if isinstance(step, yaml.MappingNode):
            st = Step(job=section, line=_line(step), label=_scalar(_get(step, "name")))
            st.scripts = _scripts(_get(step, "script"), raw)
            st.scripts += _scripts(_get(step, "after-script"), raw)
            img = _image_value(_get(step, "image"))
            if img is not None:
                st.images.append(img)
            out.append(st)
            continue
        if isinstance(current, yaml.MappingNode):
            stack += [(v, depth + 1) for _, v in reversed(current.value)]
        elif isinstance(current, yaml.SequenceNode):
            stack += [(v, depth + 1) for v in reversed(current.value)]


def parse_bitbucket(root: yaml.Node, raw: list[str]) -> Pipeline:
    """Read a Bitbucket Pipelines file: every `step` under `pipelines`, with its section."""
    pipe = Pipeline("bitbucket")
    pipelines = _get(root, "pipelines")
    for key, body in _items(pipelines):
        section = _scalar(key) or "?"
        if section in ("pull-requests",):
            pipe.triggers.append("pull_request")
        elif section not in pipe.triggers:
            pipe.triggers.append(section)
        _bitbucket_steps(body, section, raw, pipe.steps)
    images = [_image_value(_get(root, "image"))]
    for _, svc in _items(_get(_get(root, "definitions"), "services")):
        images.append(_image_value(_get(svc, "image")))
    found = [img for img in images if img is not None]
    if found:
        pipe.steps.append(Step(job="(definitions)", line=found[0].line, images=found))
    return pipe


_JENKINS_STAGE = re.compile(r"""\bstage\s*\(\s*(?P<q>['"])(?P<name>[^'"\n]{1,200})(?P=q)""")
_JENKINS_SH = re.compile(
    r"""\b(?:sh|bat|powershell|pwsh)\s*(?:\(\s*(?:script\s*:\s*)?)?"""
    r"""(?P<q>'''|\"\"\"|'|")(?P<body>.*?)(?P=q)""",
    re.DOTALL,
)
_JENKINS_IMAGE = re.compile(
    r"""(?:docker\.image\s*\(\s*|\bimage\s+)(?P<q>['"])(?P<image>[^'"\s]{1,300})(?P=q)"""
)
_JENKINS_CRED_VAR = re.compile(r"""\bvariable\s*:\s*['"](?P<name>[A-Za-z_][A-Za-z0-9_]*)['"]""")
_JENKINS_ENV = re.compile(r"""^\s*(?P<name>[A-Z][A-Z0-9_]*)\s*=\s*(?P<value>.+)$""", re.MULTILINE)


def parse_jenkinsfile(text: str) -> Pipeline:
    """Read a Jenkinsfile (Groovy) with regular expressions: stages, shell steps and images."""
    pipe = Pipeline("jenkins")
    stages = [(m.start(), m.group("name")) for m in _JENKINS_STAGE.finditer(text)]

    def stage_at(offset: int) -> str:
        name = "(pipeline)"
        for start, stage in stages:
            if start > offset:
                break
            name = stage
        return name

    def line_at(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    text_offsets = [0, 0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    env = [
        Value(m.group("name"), m.group("value"), line_at(m.start()))
        for m in _JENKINS_ENV.finditer(text)
    ]
    env += [
        Value(m.group("name"), "credentials", line_at(m.start()))
        for m in _JENKINS_CRED_VAR.finditer(text)
    ]
    for value in env:
        pipe.steps.append(
            Step(job=stage_at(text_offsets[value.line]), line=value.line, env=[value])
        )
    for found in _JENKINS_SH.finditer(text):
        first = line_at(found.start("body"))
        lines = [
            ScriptLine(first + i, part) for i, part in enumerate(found.group("body").split("\n"))
        ]
        pipe.steps.append(
            Step(
                job=stage_at(found.start()),
                line=line_at(found.start()),
                scripts=[lines],
                inherited_env=env,
            )
        )
    for found in _JENKINS_IMAGE.finditer(text):
        line = line_at(found.start("image"))
        pipe.steps.append(
            Step(
                job=stage_at(found.start()),
                line=line,
                images=[Value("image", found.group("image"), line)],
            )
        )
    return pipe


# --------------------------------------------------------------------------------------------
# Which files, and which CI


def ci_kind(relpath: str) -> str | None:
    """Return the CI system a path belongs to (`github`, `gitlab`, ...), or None."""
    lower = relpath.lower()
    name = lower.rsplit("/", 1)[-1]
    parent = lower.rsplit("/", 1)[0] if "/" in lower else ""
    is_yaml = name.endswith((".yml", ".yaml"))
    if is_yaml and (parent.endswith(".github/workflows") or parent == ".github/workflows"):
        return "github"
    if name == ".gitlab-ci.yml" or name.endswith(".gitlab-ci.yml"):
        return "gitlab"
    if is_yaml and (parent.endswith(".gitlab/ci") or "/.gitlab/ci/" in f"/{lower}"):
        return "gitlab"
    if name in ("azure-pipelines.yml", "azure-pipelines.yaml") or (
        is_yaml and parent.rsplit("/", 1)[-1] in (".azure-pipelines", "azure-pipelines")
    ):
        return "azure"
    if name in ("config.yml", "config.yaml") and parent.rsplit("/", 1)[-1] == ".circleci":
        return "circleci"
    if name in ("bitbucket-pipelines.yml", "bitbucket-pipelines.yaml"):
        return "bitbucket"
    if name == "jenkinsfile" or name.startswith("jenkinsfile.") or name.endswith(".jenkinsfile"):
        return "jenkins"
    if name in ("action.yml", "action.yaml"):
        return "github-action"
    return None


_PARSERS = {
    "github": parse_github,
    "github-action": parse_github_action,
    "gitlab": parse_gitlab,
    "azure": parse_azure,
    "circleci": parse_circleci,
    "bitbucket": parse_bitbucket,
}


def parse_pipeline(kind: str, text: str) -> Pipeline | None:
    """Parse a pipeline file of a known CI system; None when it is not valid YAML / empty.

    Never raises on arbitrary text.
    """
    if kind == "jenkins":
        return parse_jenkinsfile(text)
    root = compose_yaml(text)
    if root is None or not isinstance(root, yaml.MappingNode):
        return None
    if _count_nodes(root) >= _MAX_NODES:
        return None
    return _PARSERS[kind](root, text.splitlines())


# --------------------------------------------------------------------------------------------
# Analysis


@dataclass(slots=True)
class _Hit:
    """An AI use inside one step."""

    line: int
    what: str
    """Name part after `<file>#<job>/`."""
    category: str
    provider: str | None
    snippet: str
    properties: dict[str, Any]
    agent: bool = False


_CREDENTIAL_AFTER = re.compile(
    r"(?i)(bearer\s+|x-api-key:\s*|api[_-]?key[=:]\s*)(?![\"']?\$)[^\s\"']+"
)
_PREFIXED_KEY = re.compile(r"\b(?:sk|pk|key|xai|gsk|hf|r8|pplx|AIza)[-_]?[A-Za-z0-9_\-]{16,}")
_URL_USERINFO = re.compile(r"(://)[^/@\s\"']+@")
_MIXED_TOKEN = re.compile(
    r"(?<![\w/+=-])(?=[\w+/=-]*\d)(?=[\w+/=-]*[a-z])(?=[\w+/=-]*[A-Z])[\w+/=-]{24,}"
)


def _redact(text: str) -> str:
    """Remove credentials from a pipeline line; `${{ secrets.X }}` and commit SHAs stay readable."""
    text = _CREDENTIAL_AFTER.sub(r"\1<redacted>", text)
    text = _PREFIXED_KEY.sub("<redacted>", text)
    text = _URL_USERINFO.sub(r"\1<redacted>@", text)
    text = _MIXED_TOKEN.sub("<redacted>", text)
    return text.strip()[:240]


def _provider_id(catalog: Catalog, provider: str | None) -> str | None:
    if provider is None:
        return None
    return provider if catalog.provider(provider) is not None or not catalog.providers else None


def _env_providers(catalog: Catalog, values: Iterable[Value]) -> dict[str, tuple[str, Value]]:
    """Map provider ID -> the env entry that passes its key or endpoint to the step."""
    out: dict[str, tuple[str, Value]] = {}
    for value in values:
        names = [value.name] + [m.group("name") for m in _SECRET_EXPR.finditer(value.value)]
        for name in names:
            provider = catalog.provider_for_env(name)
            if provider is not None and _PROVIDER_SECRETISH.search(name):
                out.setdefault(provider.id, (name, value))
                break
    return out


def analyse_step(step: Step, *, catalog: Catalog, ci: str) -> list[_Hit]:
    """Return every AI use in one step: action, CLI commands, API calls, images, provider keys."""
    hits: list[_Hit] = []
    if step.uses is not None and ci == "github":
        tool = catalog.ci_action(step.uses.value)
        if tool is not None:
            ref = step.uses.value.split("@", 1)[1] if "@" in step.uses.value else ""
            hits.append(
                _Hit(
                    line=step.uses.line,
                    what=step.uses.value.split("@", 1)[0],
                    category=_PURPOSE_CATEGORY.get(tool.purpose, "ai-cli"),
                    provider=_provider_id(catalog, tool.provider),
                    snippet=f"uses: {step.uses.value}",
                    properties={"action": step.uses.value, "ref": ref, "tool": tool.id},
                    agent=tool.purpose in _AGENT_PURPOSES,
                )
            )
    for script in step.scripts:
        hits += _script_hits(script, catalog=catalog)
    for image in step.images:
        tool = catalog.ci_image(image.value)
        if tool is not None:
            hits.append(
                _Hit(
                    line=image.line,
                    what=image.value.split("@", 1)[0],
                    category=_PURPOSE_CATEGORY.get(tool.purpose, "inference"),
                    provider=_provider_id(catalog, tool.provider),
                    snippet=f"image: {image.value}",
                    properties={"image": image.value, "tool": tool.id},
                )
            )
    keyed = _env_providers(catalog, step.env + step.inputs)
    context = _env_providers(catalog, step.env + step.inputs + step.inherited_env)
    for hit in hits:
        if hit.provider is None and len(context) == 1:
            hit.provider = next(iter(context))
    if not hits and keyed:
        for provider, (name, value) in sorted(keyed.items()):
            hits.append(
                _Hit(
                    line=value.line,
                    what=step.label or "env",
                    category="ai-api",
                    provider=provider,
                    snippet=_redact(f"{value.name}: {value.value}"),
                    properties={"env": name},
                )
            )
    return hits


def _script_hits(script: list[ScriptLine], *, catalog: Catalog) -> list[_Hit]:
    if not script:
        return []
    # Join continuation lines so a command's flags stay in one segment; keep offsets aligned.
    text = "\n".join(s.text for s in script).replace("\\\n", "  ")
    starts: list[int] = []
    pos = 0
    for s in script:
        starts.append(pos)
        pos += len(s.text) + 1

    def line_of(offset: int) -> int:
        index = 0
        for i, start in enumerate(starts):
            if start > offset:
                break
            index = i
        return script[index].line

    hits: list[_Hit] = []
    for match in catalog.find_ci_commands(text):
        tool = match.tool
        hits.append(
            _Hit(
                line=line_of(match.start),
                what=tool.id,
                category=_PURPOSE_CATEGORY.get(tool.purpose, "ai-cli"),
                provider=_provider_id(catalog, tool.provider),
                snippet=_redact(match.command),
                properties={
                    "command": _redact(match.command),
                    "tool": tool.id,
                    "noninteractive": match.noninteractive,
                },
                agent=tool.purpose in _AGENT_PURPOSES,
            )
        )
    for url in _URL.finditer(text):
        provider = catalog.provider_for_host(url.group())
        if provider is None:
            continue
        hits.append(
            _Hit(
                line=line_of(url.start()),
                what=f"api:{provider.id}",
                category="inference",
                provider=provider.id,
                snippet=_redact(text[text.rfind("\n", 0, url.start()) + 1 : url.end()]),
                properties={"url": _redact(url.group())[:200]},
            )
        )
    for found in re.finditer(r"\bdocker\s+run\b[^\n]*", text):
        for token in found.group().split()[2:]:
            if token.startswith("-") or "=" in token:
                continue
            image_tool = catalog.ci_image(token)
            if image_tool is not None:
                hits.append(
                    _Hit(
                        line=line_of(found.start()),
                        what=token.split("@", 1)[0],
                        category=_PURPOSE_CATEGORY.get(image_tool.purpose, "inference"),
                        provider=_provider_id(catalog, image_tool.provider),
                        snippet=_redact(found.group()),
                        properties={"image": token, "tool": image_tool.id},
                    )
                )
                break
    return hits


def writable_scopes(permissions: Any) -> list[str] | None:
    """Return the write scopes a `permissions:` value grants (`["*"]` for `write-all`).

    An empty list means read-only; None means there is no `permissions:` block, so the
    repository's default token permissions apply.
    """
    if permissions is None:
        return None
    if isinstance(permissions, str):
        return ["*"] if permissions.strip() == "write-all" else []
    if isinstance(permissions, dict):
        return sorted(
            str(scope)
            for scope, level in permissions.items()
            if str(level).strip() == "write" and (scope in _WRITE_SCOPES or scope == "checks")
        )
    return []


def _project_root(file: ScanFile) -> tuple[str, str] | None:
    """Return (directory, relpath prefix) of the project a GitLab file's `include:` is relative to.

    GitLab resolves `include: local:` from the project root: the folder of `.gitlab-ci.yml`, or
    else the nearest folder above the file that holds `.git`.
    """
    if not file.abspath:
        return None
    folder = os.path.dirname(file.abspath)
    parts = file.relpath.split("/")[:-1]
    if file.name != ".gitlab-ci.yml":
        while parts and not os.path.isdir(os.path.join(folder, ".git")):
            folder = os.path.dirname(folder)
            parts.pop()
        if not os.path.isdir(os.path.join(folder, ".git")):
            return None
    return folder, "".join(f"{part}/" for part in parts)


class CIWorkflowDetector:
    """Reports AI steps in CI pipelines, with their exact lines, and the risky ways they run."""

    name = NAME
    version = "2"

    def wants(self, relpath: str, name: str) -> bool:
        """Pipeline files of GitHub, GitLab, Azure, CircleCI, Bitbucket and Jenkins."""
        return ci_kind(relpath) is not None

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Every pipeline file is examined: there are few and AI steps have many spellings."""
        return None

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Parse the pipeline and report its AI steps and risky patterns; never raises."""
        result = DetectResult()
        kind = ci_kind(file.relpath)
        if kind is None:
            return result
        try:
            self._detect_text(file.relpath, file.text, kind, ctx.catalog, result)
            if kind == "gitlab":
                self._follow_includes(file, ctx.catalog, result)
        except (ValueError, TypeError, AttributeError, IndexError, RecursionError) as exc:
            result.warnings.append(ScanWarning(file.relpath, f"cannot analyse pipeline: {exc}"))
        return result

    def _follow_includes(self, file: ScanFile, catalog: Catalog, result: DetectResult) -> None:
        root = compose_yaml(file.text)
        found = _project_root(file)
        if root is None or found is None:
            return
        base, prefix = found
        for include in gitlab_local_includes(root)[:50]:
            if ci_kind(include) is not None or ".." in include.split("/"):
                continue  # NOTE: files the walker already hands us are not scanned twice
            path = os.path.join(base, *include.split("/"))
            try:
                if os.path.getsize(path) > _MAX_INCLUDE_BYTES:
                    continue
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            except OSError:
                result.warnings.append(
                    ScanWarning(file.relpath, f"GitLab include not found: {include}")
                )
                continue
            self._detect_text(prefix + include, text, "gitlab", catalog, result)

    def _detect_text(
        self, relpath: str, text: str, kind: str, catalog: Catalog, result: DetectResult
    ) -> None:
        pipe = parse_pipeline(kind, text)
        if pipe is None:
            if text.strip():
                result.warnings.append(ScanWarning(relpath, f"not a valid {kind} pipeline file"))
            return
        raw = text.splitlines()
        for step in pipe.steps:
            hits = analyse_step(step, catalog=catalog, ci=pipe.ci)
            for hit in hits:
                properties = {
                    "ci": pipe.ci,
                    "job": step.job,
                    **({"step": step.label} if step.label else {}),
                    **hit.properties,
                    "triggers": list(pipe.triggers),
                }
                result.components.append(
                    Component(
                        type=ComponentType.AI_WORKFLOW,
                        name=f"{relpath}#{step.job}/{hit.what}",
                        provider=hit.provider,
                        category=hit.category,
                        evidence=[Evidence(relpath, hit.line, NAME, _evidence_line(raw, hit))],
                        properties=properties,
                    )
                )
            result.findings += _step_findings(relpath, pipe, step, hits, raw)


def _evidence_line(raw: list[str], hit: _Hit) -> str:
    if 0 < hit.line <= len(raw):
        return _redact(raw[hit.line - 1])
    return hit.snippet


# --------------------------------------------------------------------------------------------
# Findings


def _step_findings(
    relpath: str, pipe: Pipeline, step: Step, hits: list[_Hit], raw: list[str]
) -> list[Finding]:
    from aims.catalog.rules import load_rules

    if not hits:
        return []
    rules = load_rules()
    out: list[Finding] = []

    def emit(rule_id: str, line: int, message: str, match: str, **extra: Any) -> None:
        rule = rules.require(rule_id)
        confidence = extra.pop("confidence", rule.confidence)
        evidence = _redact(raw[line - 1]) if 0 < line <= len(raw) else ""
        out.append(
            make_finding(
                rule_id=rule.id,
                rule_name=rule.name,
                message=message,
                severity=rule.severity,
                confidence=confidence,
                primary=Location(relpath, line),
                match=match,
                evidence=evidence,
                properties={"ci": pipe.ci, "job": step.job, **extra},
            )
        )

    agent_hits = [h for h in hits if h.agent]
    # AIM601: an agent on untrusted triggers with a writable token.
    if pipe.ci == "github" and agent_hits:
        untrusted = sorted(set(pipe.triggers) & _UNTRUSTED_EVENTS)
        gated = "author_association" in step.condition
        if untrusted and not gated:
            job_perms = pipe.permissions.get(f"job:{step.job}")
            perms = job_perms if job_perms is not None else pipe.permissions.get("workflow")
            scopes = writable_scopes(perms)
            if scopes is None or scopes:
                hit = agent_hits[0]
                if scopes is None:
                    token = "the default GITHUB_TOKEN (no `permissions:` block, often read/write)"
                elif scopes == ["*"]:
                    token = "a token with write permissions (`write-all`)"
                else:
                    token = f"a token with write permissions ({', '.join(scopes)})"
                emit(
                    "AIM601",
                    hit.line,
                    f"AI agent `{hit.what}` runs on {', '.join(untrusted)} with {token}: anyone "
                    "who can open an issue, comment or pull request can put instructions in its "
                    "input (prompt injection) and have it push code, merge or leak secrets. "
                    "Set `permissions:` to read-only for this job, or only run it for trusted "
                    "authors (`if:` on `author_association`).",
                    f"{step.job}/{hit.what}/{','.join(untrusted)}",
                    triggers=untrusted,
                    write_scopes=scopes,
                    confidence=Confidence.MEDIUM if scopes is None else Confidence.HIGH,
                )
    # AIM602: AI action not pinned to a commit.
    for hit in hits:
        ref = hit.properties.get("ref")
        if "action" in hit.properties and not _SHA.fullmatch(str(ref or "")):
            action = hit.properties["action"]
            emit(
                "AIM602",
                hit.line,
                f"AI action `{action}` is referenced by "
                f"{'tag or branch `' + str(ref) + '`' if ref else 'no ref at all'}, which its "
                "owner (or anyone who compromises it) can move to new code that then runs with "
                "this job's secrets and token. Pin it to a full 40-character commit SHA and let "
                "Dependabot or Renovate update it.",
                str(action).split("@", 1)[0],
                action=action,
            )
    # AIM603: agent permission checks switched off.
    for hit in hits:
        texts = [hit.properties.get("command", "")]
        if "action" in hit.properties:
            texts += [v.value for v in step.inputs]
        for text in texts:
            flag = next((p.search(str(text)) for p in _BYPASS_FLAGS if p.search(str(text))), None)
            if flag is not None:
                used = flag.group().strip()
                emit(
                    "AIM603",
                    hit.line,
                    f"`{hit.what}` runs with `{used}`, which turns off the agent's own "
                    "confirmation and sandbox checks: any instruction that reaches it (from "
                    "repository files, issues or fetched pages) can run arbitrary commands on "
                    "the runner with its secrets. Remove the flag and allow only the tools the "
                    "job needs (for example `--allowedTools`).",
                    f"{step.job}/{hit.what}/{used}",
                    flag=used,
                )
                break
    # AIM604: untrusted event text interpolated into an AI prompt or command.
    if pipe.ci == "github":
        values = [(v.line, v.value) for v in step.inputs] if agent_hits or hits else []
        for script in step.scripts:
            values += [(s.line, s.text) for s in script]
        for line, value in values:
            found = _UNTRUSTED_EXPR.search(value)
            if found is not None:
                expr = found.group("expr")
                for index in range(max(line - 1, 0), min(len(raw), line + 500)):
                    if found.group() in raw[index]:
                        line = index + 1  # the exact line inside a multi-line value
                        break
                emit(
                    "AIM604",
                    line,
                    f"`${{{{ {expr} }}}}` is pasted into an AI step's prompt or command: whoever "
                    "writes that text controls what the model is told (prompt injection), and in "
                    "a `run:` script it is also shell injection. Pass it through an environment "
                    "variable and tell the agent to treat it as untrusted data.",
                    f"{step.job}/{expr}",
                    expression=expr,
                )
                break
    return out
