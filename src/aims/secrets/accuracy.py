"""Recall and false positives of the key detector on the labelled corpus.

Run `python -m aims.secrets.accuracy` from the repository root (`make accuracy` calls it). It
builds the corpus in a temporary directory (planted keys generated from the catalog, decoys from
`tests/secrets/corpus/decoys.yaml`), scans every file with the same matcher the scanner uses and
prints per-provider recall, the false positives, and the totals. Exit status 1 when recall is
below 1.0 or any decoy is reported.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from aims.secrets.corpus import Corpus, build_corpus
from aims.secrets.matcher import default_matcher

DEFAULT_DECOYS = Path("tests/secrets/corpus/decoys.yaml")


@dataclass(frozen=True, slots=True)
class Hit:
    """One reported key: corpus-relative path, line and format (no value)."""

    path: str
    line: int
    format_id: str


@dataclass(slots=True)
class AccuracyReport:
    """What the detector found against the answer key."""

    planted: int = 0
    found: int = 0
    decoys: int = 0
    false_positives: list[Hit] = field(default_factory=list)
    missed: list[tuple[str, int, str]] = field(default_factory=list)
    per_provider: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    """provider -> [found, planted]."""
    file_types: int = 0

    @property
    def recall(self) -> float:
        """Found planted keys over planted keys (1.0 for an empty corpus)."""
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        """True reports over all reports."""
        reported = self.found + len(self.false_positives)
        return self.found / reported if reported else 1.0


def scan_corpus(corpus: Corpus) -> list[Hit]:
    """Run the matcher over every corpus file; return what it reports."""
    matcher = default_matcher()
    hits: list[Hit] = []
    for path in sorted(corpus.root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(corpus.root).as_posix()
        text = path.read_bytes().decode("utf-8", errors="replace")
        hits.extend(Hit(rel, m.line, m.format.id) for m in matcher.find(text).matches)
    return hits


def evaluate(corpus: Corpus, hits: list[Hit]) -> AccuracyReport:
    """Compare reported keys with the answer key: a hit must have the right file, line, format."""
    report = AccuracyReport(planted=len(corpus.planted), decoys=corpus.decoy_count)
    expected = {(p.path, p.line, p.format_id): p for p in corpus.planted}
    report.file_types = len({p.path.split("/")[1] for p in corpus.planted})
    seen: set[tuple[str, int, str]] = set()
    for hit in hits:
        key = (hit.path, hit.line, hit.format_id)
        if key in expected and key not in seen:
            seen.add(key)
        else:
            report.false_positives.append(hit)
    for key, planted in expected.items():
        counts = report.per_provider[planted.provider]
        counts[1] += 1
        if key in seen:
            counts[0] += 1
        else:
            report.missed.append(key)
    report.found = len(seen)
    return report


def run(decoys: Path, workdir: Path) -> AccuracyReport:
    """Build the corpus in `workdir`, scan it and return the report."""
    corpus = build_corpus(workdir, decoys)
    return evaluate(corpus, scan_corpus(corpus))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m aims.secrets.accuracy", description=__doc__)
    parser.add_argument("--decoys", type=Path, default=DEFAULT_DECOYS, help="decoys.yaml path")
    args = parser.parse_args(argv)
    if not args.decoys.is_file():
        sys.stderr.write(f"decoy file not found: {args.decoys} (run from the repository root)\n")
        return 2
    with tempfile.TemporaryDirectory(prefix="aims-secrets-corpus-") as tmp:
        report = run(args.decoys, Path(tmp))
    out = sys.stdout
    out.write("provider                 found/planted\n")
    for provider, (found, planted) in sorted(report.per_provider.items()):
        out.write(f"{provider:<24} {found}/{planted}\n")
    for path, line, format_id in report.missed:
        out.write(f"MISSED  {format_id} at {path}:{line}\n")
    for hit in report.false_positives:
        out.write(f"FALSE POSITIVE  {hit.format_id} at {hit.path}:{hit.line}\n")
    out.write(
        f"\nproviders {len(report.per_provider)}  planted keys {report.planted} in "
        f"{report.file_types} file types  decoys {report.decoys}\n"
        f"recall {report.recall:.3f}  precision {report.precision:.3f}  "
        f"false positives {len(report.false_positives)}\n"
    )
    return 0 if report.recall == 1.0 and not report.false_positives else 1


if __name__ == "__main__":
    sys.exit(main())
