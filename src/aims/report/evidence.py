"""Evidence lookup: what in the records, scans and project tree backs each requirement.

An evidence token is either a record kind (`risks`), a record field (`risks.treatment`: some
record of that kind fills the field), or one of the project-level sources in `SOURCES`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aims.inventory import Inventory
from aims.records.io import Records

KIND_TOKENS: dict[str, str] = {
    "context": "context",
    "policy": "policy",
    "roles": "roles",
    "objectives": "objectives",
    "risk-criteria": "risk-criteria",
    "soa": "soa",
    "exceptions": "exceptions",
    "systems": "ai-system",
    "risks": "risk",
    "impact-assessments": "impact-assessment",
    "suppliers": "supplier",
    "datasets": "dataset",
    "incidents": "incident",
    "nonconformities": "nonconformity",
    "audits": "internal-audit",
    "management-reviews": "management-review",
}
"""Evidence token prefix -> record kind."""

SOURCES: dict[str, str] = {
    "scans": "scan results given with --inventory",
    "policy-gate": "an aims-policy.yaml policy file",
    "ci-gate": "a CI workflow that runs `aims check`",
    "oversight-log": "the oversight decision log (.aims/log/decisions.db)",
    "monitoring": "monitoring history (.aims/monitor/history.db)",
    "records-in-git": "records tracked in git (reviewed changes, history)",
}
"""Project-level evidence sources and what each means."""

CI_FILES = (".github/workflows/*.yml", ".github/workflows/*.yaml", ".gitlab-ci.yml", "Jenkinsfile")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Whether one evidence token was found, and where."""

    token: str
    found: bool
    detail: str


@dataclass(slots=True)
class Project:
    """Everything the report may look at."""

    root: Path
    records: Records
    inventories: list[Inventory] = field(default_factory=list)
    _git: bool | None = None

    def in_git(self) -> bool:
        """Whether the records folder has files tracked in git."""
        if self._git is None:
            try:
                done = subprocess.run(
                    ["git", "ls-files", "--", str(self.records.root)],
                    cwd=self.root,
                    capture_output=True,
                    text=True,
                    timeout=20,
                    check=False,
                )
                self._git = done.returncode == 0 and bool(done.stdout.strip())
            except (OSError, subprocess.SubprocessError):
                self._git = False
        return self._git


def known_token(token: str) -> bool:
    """Whether a token can be resolved (used by the tests to guard the standards data)."""
    if token in SOURCES:
        return True
    kind_token, _, attr = token.partition(".")
    kind = KIND_TOKENS.get(kind_token)
    if kind is None:
        return False
    if not attr:
        return True
    from aims.records.model import KINDS

    return _has_field(KINDS[kind], attr)


def _has_field(model: Any, attr: str) -> bool:
    if attr in model.model_fields:
        return True
    # Fields of list items (roles.competence -> Person.competence, objectives.metrics).
    for info in model.model_fields.values():
        for arg in getattr(info.annotation, "__args__", ()):
            if hasattr(arg, "model_fields") and attr in arg.model_fields:
                return True
    return False


def _values(record: Any, attr: str) -> list[Any]:
    if hasattr(record, attr):
        return [getattr(record, attr)]
    out = []
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, list):
            out += [getattr(item, attr) for item in value if hasattr(item, attr)]
    return out


def resolve(project: Project, token: str) -> Evidence:
    """Look one evidence token up in the project."""
    if token in SOURCES:
        return _source(project, token)
    kind_token, _, attr = token.partition(".")
    kind = KIND_TOKENS.get(kind_token)
    if kind is None:
        return Evidence(token, False, f"unknown evidence token {token!r}")
    loaded = project.records.of(kind)
    if not loaded:
        return Evidence(token, False, f"no {kind} record")
    if not attr:
        paths = ", ".join(r.path for r in loaded[:3]) + (" ..." if len(loaded) > 3 else "")
        return Evidence(token, True, f"{len(loaded)} {kind} record(s): {paths}")
    filled = [
        r for r in loaded if any(v not in (None, [], "", {}) for v in _values(r.record, attr))
    ]
    if not filled:
        return Evidence(token, False, f"no {kind} record fills `{attr}`")
    return Evidence(
        token,
        True,
        f"`{attr}` in {len(filled)} of {len(loaded)} {kind} record(s): {filled[0].path}",
    )


def _source(project: Project, token: str) -> Evidence:
    root = project.root
    if token == "scans":
        if not project.inventories:
            return Evidence(token, False, "no scan results given (--inventory)")
        count = sum(len(i.components) for i in project.inventories)
        return Evidence(
            token, True, f"{len(project.inventories)} scan result(s), {count} AI component(s)"
        )
    if token == "policy-gate":
        path = root / "aims-policy.yaml"
        return Evidence(
            token, path.is_file(), "aims-policy.yaml" if path.is_file() else "no aims-policy.yaml"
        )
    if token == "ci-gate":
        for pattern in CI_FILES:
            for path in sorted(root.glob(pattern)):
                try:
                    if "aims check" in path.read_text("utf-8", errors="replace"):
                        return Evidence(token, True, path.relative_to(root).as_posix())
                except OSError:
                    continue
        return Evidence(token, False, "no CI workflow runs `aims check`")
    if token == "oversight-log":
        path = project.records.root / "log" / "decisions.db"
        return Evidence(
            token,
            path.is_file(),
            ".aims/log/decisions.db" if path.is_file() else "no oversight decision log",
        )
    if token == "monitoring":
        path = project.records.root / "monitor" / "history.db"
        return Evidence(
            token,
            path.is_file(),
            ".aims/monitor/history.db" if path.is_file() else "no monitoring history",
        )
    # records-in-git
    tracked = project.in_git()
    return Evidence(
        token, tracked, "records tracked in git" if tracked else "records not tracked in git"
    )
