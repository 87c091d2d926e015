"""Render accuracy results as a plain-text table or as JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aims.accuracy.matching import RepoResult, TypeScore


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _status(
    name: str, score: TypeScore, *, threshold: float, measured: set[str] | None, below: str
) -> str:
    """A type's verdict: no detector yet, nothing to measure, ok, or `below` the threshold."""
    if measured is not None and name != "overall" and name not in measured:
        return "no detector"
    if score.expected == 0 and score.false_positives == 0 and score.true_positives == 0:
        return "n/a"
    return "ok" if score.passes(threshold) else below


def render_table(
    scores: Mapping[str, TypeScore], *, threshold: float, measured: set[str] | None = None
) -> str:
    """Return the per-type table; a row under `threshold` is marked FAIL.

    Types not in `measured` (no detector registered yet) are marked `no detector` and never
    FAIL.
    """
    header = f"{'type':<14}{'expected':>9}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}"
    header += f"{'recall':>9}{'f1':>8}  status"
    lines = [header, "-" * len(header)]
    for name, s in scores.items():
        status = _status(name, s, threshold=threshold, measured=measured, below="FAIL")
        lines.append(
            f"{name:<14}{s.expected:>9}{s.true_positives:>6}{s.false_positives:>6}"
            f"{s.false_negatives:>6}{_ratio(s.precision):>11}{_ratio(s.recall):>9}"
            f"{_ratio(s.f1):>8}  {status}"
        )
    return "\n".join(lines)


def render_markdown(
    results: Sequence[RepoResult],
    scores: Mapping[str, TypeScore],
    *,
    threshold: float,
    measured: set[str] | None = None,
) -> str:
    """Return the table and the per-type misses and false positives as Markdown (for docs)."""
    lines = [
        "| type | expected | tp | fp | fn | precision | recall | F1 | status |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, s in scores.items():
        status = _status(name, s, threshold=threshold, measured=measured, below="**below**")
        lines.append(
            f"| {name} | {s.expected} | {s.true_positives} | {s.false_positives} | "
            f"{s.false_negatives} | {_ratio(s.precision)} | {_ratio(s.recall)} | "
            f"{_ratio(s.f1)} | {status} |"
        )
    for title, items in (
        (
            "Misses",
            [
                (m.type, m.repo, m.name, m.version, m.paths, m.reason)
                for r in results
                for m in r.misses
            ],
        ),
        (
            "False positives",
            [
                (f.type, f.repo, f.name, f.version, f.paths, f.reason)
                for r in results
                for f in r.false_positives
            ],
        ),
    ):
        lines.append(f"\n### {title} ({len(items)})\n")
        if not items:
            lines.append("None.")
        for kind, repo, name, version, paths, reason in sorted(items, key=lambda i: (i[0], i[1])):
            label = f"{name}@{version}" if version else name
            where = f" ({', '.join(sorted(set(paths)))})" if paths else ""
            lines.append(f"- **{kind}** `{repo}`: `{label}`{where}: {reason}")
    return "\n".join(lines)


def render_found(results: Sequence[RepoResult]) -> str:
    """Return every reported component per repository: type, name, version, evidence."""
    out: list[str] = []
    for r in results:
        out.append(f"\n{r.repo}: {len(r.found)} components reported")
        for c in sorted(r.found, key=lambda c: (c.type.value, c.name.lower(), c.version or "")):
            label = f"{c.ecosystem}:{c.name}" if c.ecosystem else c.name
            label += f"@{c.version}" if c.version else ""
            where = ", ".join(
                dict.fromkeys(f"{e.path}:{e.line}" if e.line else e.path for e in c.evidence)
            )
            out.append(f"  {c.type:<13} {label} [{where}]")
    return "\n".join(out)


def render_details(results: Sequence[RepoResult]) -> str:
    """Return the misses, false positives, attribute mismatches and duplicates, by type."""
    out: list[str] = []
    misses = sorted((m for r in results for m in r.misses), key=lambda m: (m.type, m.repo))
    fps = sorted((f for r in results for f in r.false_positives), key=lambda f: (f.type, f.repo))
    mism = sorted((m for r in results for m in r.mismatches), key=lambda m: (m.type, m.repo))
    if misses:
        out.append(f"\nMisses ({len(misses)}):")
        for m in misses:
            name = f"{m.ecosystem}:{m.name}" if m.ecosystem else m.name
            name += f"@{m.version}" if m.version else ""
            where = f" [{', '.join(m.paths)}]" if m.paths else ""
            out.append(f"  {m.type:<13} {m.repo}: {name}{where} - {m.reason}")
    if fps:
        out.append(f"\nFalse positives ({len(fps)}):")
        for f in fps:
            name = f"{f.ecosystem}:{f.name}" if f.ecosystem else f.name
            name += f"@{f.version}" if f.version else ""
            where = f" [{', '.join(f.paths)}]" if f.paths else ""
            out.append(f"  {f.type:<13} {f.repo}: {name}{where} - {f.reason}")
    if mism:
        out.append(f"\nAttribute mismatches on hits ({len(mism)}):")
        out.extend(
            f"  {a.type:<13} {a.repo}: {a.name}: {a.attribute} "
            f"expected {a.expected}, found {a.found}"
            for a in mism
        )
    dups = sorted(
        ((r.repo, e, n) for r in results for e, n in r.duplicates), key=lambda d: (d[1].type, d[0])
    )
    if dups:
        out.append(f"\nDuplicates: hits listed more than once in the inventory ({len(dups)}):")
        out.extend(f"  {e.type:<13} {repo}: {e.name} x{n}" for repo, e, n in dups)
    return "\n".join(out)


def to_json(
    results: Sequence[RepoResult],
    scores: Mapping[str, TypeScore],
    *,
    threshold: float,
    measured: set[str] | None = None,
) -> dict[str, Any]:
    """Return a JSON-ready dict of scores and every miss, false positive and mismatch."""

    def score_dict(s: TypeScore) -> dict[str, Any]:
        return {
            "expected": s.expected,
            "true_positives": s.true_positives,
            "false_positives": s.false_positives,
            "false_negatives": s.false_negatives,
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
            "measured": measured is None or s.type == "overall" or s.type in measured,
            "passes": s.passes(threshold),
        }

    return {
        "schema": "aims-accuracy/1",
        "threshold": threshold,
        "repos": [r.repo for r in results],
        "scores": {k: score_dict(v) for k, v in scores.items()},
        "misses": [
            {
                "repo": m.repo,
                "type": str(m.type),
                "name": m.name,
                "ecosystem": m.ecosystem,
                "version": m.version,
                "paths": list(m.paths),
                "reason": m.reason,
            }
            for r in results
            for m in r.misses
        ],
        "false_positives": [
            {
                "repo": f.repo,
                "type": str(f.type),
                "name": f.name,
                "ecosystem": f.ecosystem,
                "version": f.version,
                "paths": list(f.paths),
                "reason": f.reason,
            }
            for r in results
            for f in r.false_positives
        ],
        "duplicates": [
            {"repo": r.repo, "type": str(e.type), "name": e.name, "entries": n}
            for r in results
            for e, n in r.duplicates
        ],
        "attribute_mismatches": [
            {
                "repo": a.repo,
                "type": str(a.type),
                "name": a.name,
                "attribute": a.attribute,
                "expected": a.expected,
                "found": a.found,
            }
            for r in results
            for a in r.mismatches
        ],
    }
