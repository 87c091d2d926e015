"""Match a scanner's components against the truth and score precision and recall per type.

The rule, in full (also in `docs/accuracy.md`):

* A found component *matches* an expected one when the type is equal, the normalised name is
  the expected name or one of its aliases, the ecosystem is equal when the truth gives one, and at least one of the found
  evidence paths is among the expected evidence paths when the truth gives any.
* A model reported as name + version also matches the expected `name:version` (Ollama tags
  such as `llama3.2:3b`).
* File-backed types (model-file, agent-config, ai-workflow) are identified by their file: the
  name check is replaced by "one of the found evidence paths is one of the expected ones"
  (names such as a GGUF's metadata name or `workflow.yml#job/tool` vary between detectors).
* An expected component is *found* (a hit) when a matching component also carries the expected
  version, if the truth gives one. Otherwise it is a *miss*.
* A found component is a *false positive* when it matches nothing in the truth, or states a
  version other than the expected one. A component without a version that otherwise matches is
  not a false positive: it claims nothing wrong. Evidence in a forbidden path (vendored or
  git-ignored code) is a false positive of its own. False positives are counted once per
  distinct (type, ecosystem, name, version).
* Optional expected components (borderline cases) are neither hits, misses nor false positives.
* Provider, direct/transitive and line are checked on hits and reported as attribute
  mismatches; they do not change precision or recall. Hits that the inventory lists more than
  once (typically an import without a version beside the manifest entry) are reported as
  duplicates, also without changing the scores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pathspec

from aims.accuracy.corpus import ExpectedComponent, ExpectedRepo
from aims.catalog.model import normalise_package_name
from aims.inventory import Component, ComponentType

FILE_BACKED_TYPES = frozenset(
    {ComponentType.MODEL_FILE, ComponentType.AGENT_CONFIG, ComponentType.AI_WORKFLOW}
)
"""Types whose component *is* a file: the file identifies them, whatever the detector calls them
(a GGUF's metadata name, a workflow `path#job/tool`, an agent file's client)."""

_VERSION_V = re.compile(r"^v(?=\d)")


def normalise_path(path: str) -> str:
    """Return a POSIX repository-relative path without a leading `./`."""
    path = path.replace("\\", "/").strip()
    while path.startswith("./"):
        path = path[2:]
    return path


def normalise_name(kind: ComponentType, ecosystem: str | None, name: str) -> str:
    """Fold a component name the way its type and ecosystem compare names."""
    name = name.strip()
    if kind is ComponentType.SDK and ecosystem:
        return normalise_package_name(ecosystem.lower(), name).lower()
    if kind in FILE_BACKED_TYPES:
        return normalise_path(name.split("#", 1)[0]).lower()
    return name.lower()


def normalise_version(version: str | None) -> str | None:
    """Fold a version for comparison (`v1.2.0` equals `1.2.0`); None stays None."""
    if version is None:
        return None
    version = version.strip()
    return _VERSION_V.sub("", version).lower() or None


@dataclass(frozen=True, slots=True)
class Miss:
    """An expected component the scanner did not report (correctly)."""

    repo: str
    type: ComponentType
    name: str
    version: str | None
    ecosystem: str | None
    paths: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class FalsePositive:
    """A reported component that the truth does not contain (or contains differently)."""

    repo: str
    type: ComponentType
    name: str
    version: str | None
    ecosystem: str | None
    paths: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class AttributeMismatch:
    """A hit whose provider, direct flag or line differs from the truth."""

    repo: str
    type: ComponentType
    name: str
    attribute: str
    expected: str
    found: str


@dataclass(slots=True)
class RepoResult:
    """Everything the comparison of one repository produced."""

    repo: str
    hits: list[tuple[ExpectedComponent, Component]] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    false_positives: list[FalsePositive] = field(default_factory=list)
    mismatches: list[AttributeMismatch] = field(default_factory=list)
    expected_counts: dict[ComponentType, int] = field(default_factory=dict)
    """Required expected components per type."""
    duplicates: list[tuple[ExpectedComponent, int]] = field(default_factory=list)
    """Hits that the inventory lists more than once (e.g. with and without a version)."""
    found: list[Component] = field(default_factory=list)
    """Everything the scanner reported, as given (for `--show-found`)."""


@dataclass(frozen=True, slots=True)
class TypeScore:
    """Counts and ratios for one component type (or `overall`)."""

    type: str
    expected: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float | None:
        """Hits over hits plus false positives; None when nothing was found or expected."""
        total = self.true_positives + self.false_positives
        return self.true_positives / total if total else None

    @property
    def recall(self) -> float | None:
        """Hits over expected; None when nothing of this type is expected."""
        total = self.true_positives + self.false_negatives
        return self.true_positives / total if total else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall, when both are defined."""
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def passes(self, threshold: float) -> bool:
        """True when neither precision nor recall is below `threshold` (undefined counts as pass)."""
        return all(v is None or v >= threshold for v in (self.precision, self.recall))


def _evidence_paths(component: Component) -> list[str]:
    return [normalise_path(e.path) for e in component.evidence]


def _names_of(expected: ExpectedComponent) -> set[str]:
    names = {normalise_name(expected.type, expected.ecosystem, expected.name)}
    names.update(normalise_name(expected.type, expected.ecosystem, a) for a in expected.aliases)
    if expected.type in FILE_BACKED_TYPES:
        names.update(normalise_path(e.path).lower() for e in expected.evidence)
    return names


def _identity_matches(expected: ExpectedComponent, found: Component) -> bool:
    if found.type is not expected.type:
        return False
    if expected.ecosystem and (found.ecosystem or "").lower() != expected.ecosystem:
        return False
    eco = expected.ecosystem or found.ecosystem
    names = _names_of(expected)
    if normalise_name(found.type, eco, found.name) in names:
        return True
    if found.type is ComponentType.MODEL and found.version:
        # An Ollama-style `name:tag` may be reported as name + version.
        if normalise_name(found.type, eco, f"{found.name}:{found.version}") in names:
            return True
    if found.type in FILE_BACKED_TYPES and expected.evidence:
        return bool(
            set(_evidence_paths(found)) & {normalise_path(e.path) for e in expected.evidence}
        )
    return False


def _evidence_matches(expected: ExpectedComponent, paths: Sequence[str]) -> bool:
    if not expected.evidence:
        return True
    wanted = {normalise_path(e.path) for e in expected.evidence}
    return any(p in wanted for p in paths)


def _version_equal(expected: ExpectedComponent, found: Component) -> bool:
    return expected.version is None or normalise_version(found.version) == normalise_version(
        expected.version
    )


def _version_compatible(expected: ExpectedComponent, found: Component) -> bool:
    return found.version is None or _version_equal(expected, found)


def _describe(found: Component, paths: Sequence[str]) -> str:
    parts = [f"{found.ecosystem}:" if found.ecosystem else "", found.name]
    if found.version:
        parts.append(f"@{found.version}")
    where = ", ".join(dict.fromkeys(paths)) if paths else "no evidence"
    return "".join(parts) + f" at {where}"


def _why_not(expected: ExpectedComponent, found: Component, paths: Sequence[str]) -> str:
    if expected.ecosystem and (found.ecosystem or "").lower() != expected.ecosystem:
        return f"ecosystem {found.ecosystem!r}, expected {expected.ecosystem!r}"
    if not _evidence_matches(expected, paths):
        wanted = ", ".join(e.path for e in expected.evidence)
        got = ", ".join(dict.fromkeys(paths)) or "nothing"
        return f"evidence at {got}, expected one of {wanted}"
    if not _version_equal(expected, found):
        return f"version {found.version!r}, expected {expected.version!r}"
    return "differs"


def _attribute_mismatches(
    repo: str, expected: ExpectedComponent, found: Component
) -> Iterable[AttributeMismatch]:
    def mismatch(attribute: str, want: object, got: object) -> AttributeMismatch:
        return AttributeMismatch(
            repo=repo,
            type=expected.type,
            name=expected.name,
            attribute=attribute,
            expected=str(want),
            found=str(got),
        )

    if expected.provider and (found.provider or "").lower() != expected.provider:
        yield mismatch("provider", expected.provider, found.provider)
    if expected.direct is not None and found.direct is not expected.direct:
        yield mismatch("direct", expected.direct, found.direct)
    for ev in expected.evidence:
        if ev.line is None:
            continue
        lines = [e.line for e in found.evidence if normalise_path(e.path) == ev.path]
        if lines and ev.line not in lines:
            yield mismatch(f"line in {ev.path}", ev.line, sorted(x or 0 for x in lines))


def _best(expected: ExpectedComponent, candidates: list[Component]) -> Component:
    def score(c: Component) -> tuple[int, int, int]:
        return (
            int(expected.provider is None or (c.provider or "").lower() == expected.provider),
            int(expected.direct is None or c.direct is expected.direct),
            len(c.evidence),
        )

    return max(candidates, key=score)


def match_repo(repo: str, truth: ExpectedRepo, found: Sequence[Component]) -> RepoResult:
    """Compare one repository's found components with its truth (see the module docstring)."""
    result = RepoResult(repo=repo, found=list(found))
    required = [e for e in truth.components if not e.optional]
    for e in required:
        result.expected_counts[e.type] = result.expected_counts.get(e.type, 0) + 1
    forbidden = pathspec.GitIgnoreSpec.from_lines(truth.forbidden_paths)

    allowed_paths: list[list[str]] = []
    fp_seen: set[tuple[str, ...]] = set()

    def add_fp(component: Component, paths: Sequence[str], reason: str) -> None:
        key = (
            component.type.value,
            (component.ecosystem or "").lower(),
            normalise_name(component.type, component.ecosystem, component.name),
            normalise_version(component.version) or "",
            "forbidden" if reason.startswith("evidence in") else "",
        )
        if key in fp_seen:
            return
        fp_seen.add(key)
        result.false_positives.append(
            FalsePositive(
                repo=repo,
                type=component.type,
                name=component.name,
                version=component.version,
                ecosystem=component.ecosystem,
                paths=tuple(paths),
                reason=reason,
            )
        )

    for component in found:
        paths = _evidence_paths(component)
        bad = [p for p in paths if forbidden.match_file(p)]
        if bad:
            add_fp(component, bad, "evidence in a path that must be ignored (vendored/ignored)")
        allowed_paths.append([p for p in paths if p not in bad])

    # Expected side: hits and misses.
    for e in required:
        candidates = [
            c
            for c, paths in zip(found, allowed_paths, strict=True)
            if _identity_matches(e, c) and _evidence_matches(e, paths) and _version_equal(e, c)
        ]
        if candidates:
            best = _best(e, candidates)
            result.hits.append((e, best))
            if e.type not in FILE_BACKED_TYPES:
                entries = [
                    c
                    for c, paths in zip(found, allowed_paths, strict=True)
                    if _identity_matches(e, c) and _evidence_matches(e, paths)
                ]
                if len(entries) > 1:
                    result.duplicates.append((e, len(entries)))
            result.mismatches.extend(_attribute_mismatches(repo, e, best))
            continue
        near = [
            (c, paths)
            for c, paths in zip(found, allowed_paths, strict=True)
            if _identity_matches(e, c) or (c.type is e.type and _loose_name(c) == _loose_name_e(e))
        ]
        reason = (
            "reported differently: "
            + "; ".join(f"{_describe(c, p)} ({_why_not(e, c, p)})" for c, p in near)
            if near
            else "not reported"
        )
        result.misses.append(
            Miss(
                repo=repo,
                type=e.type,
                name=e.name,
                version=e.version,
                ecosystem=e.ecosystem,
                paths=tuple(ev.path for ev in e.evidence),
                reason=reason,
            )
        )

    # Found side: false positives.
    for component, paths in zip(found, allowed_paths, strict=True):
        if component.evidence and not paths:
            continue  # already counted as evidence in a forbidden path
        accepted = any(
            _identity_matches(e, component)
            and _evidence_matches(e, paths)
            and _version_compatible(e, component)
            for e in truth.components
        )
        if accepted:
            continue
        same_name = [e for e in truth.components if _same_name(e, component)]
        if same_name:
            reason = "; ".join(_why_not(e, component, paths) for e in same_name)
        else:
            reason = "not in the truth"
        add_fp(component, paths, reason)
    return result


def _same_name(expected: ExpectedComponent, found: Component) -> bool:
    if found.type is not expected.type:
        return False
    eco = expected.ecosystem or found.ecosystem
    return normalise_name(found.type, eco, found.name) in _names_of(expected)


def _loose_name(component: Component) -> str:
    return re.sub(r"[^a-z0-9]+", "", component.name.lower().rsplit("/", 1)[-1])


def _loose_name_e(expected: ExpectedComponent) -> str:
    return re.sub(r"[^a-z0-9]+", "", expected.name.lower().rsplit("/", 1)[-1])


def score(results: Sequence[RepoResult]) -> dict[str, TypeScore]:
    """Aggregate per-type scores over repositories, plus an `overall` entry.

    Every component type appears, even with zero counts, so a report always shows all rows.
    """
    scores: dict[str, TypeScore] = {}
    totals = [0, 0, 0, 0]
    for kind in ComponentType:
        expected = sum(r.expected_counts.get(kind, 0) for r in results)
        tp = sum(1 for r in results for e, _ in r.hits if e.type is kind)
        fp = sum(1 for r in results for f in r.false_positives if f.type is kind)
        fn = sum(1 for r in results for m in r.misses if m.type is kind)
        scores[kind.value] = TypeScore(kind.value, expected, tp, fp, fn)
        for i, v in enumerate((expected, tp, fp, fn)):
            totals[i] += v
    scores["overall"] = TypeScore("overall", *totals)
    return scores
