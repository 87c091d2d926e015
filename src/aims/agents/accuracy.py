"""Per-technique precision and recall of `aims lint` on the labelled agent/MCP corpus.

Run `python -m aims.agents.accuracy` from the repository root. It builds the corpus
(`tests/agents/corpus/corpus.yaml`) in a temporary directory, lints each sample's repository
and prints, per technique, how many malicious samples were caught (recall) and how many benign
look-alikes were reported (false positives, precision). Exit status 1 when any recall is below
1.0 or any benign sample is reported.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from aims.agents.corpus import build_corpus

DEFAULT_SPEC = Path("tests/agents/corpus/corpus.yaml")


@dataclass(slots=True)
class TechniqueScore:
    """Counts for one technique."""

    samples: int = 0
    caught: int = 0
    benign: int = 0
    false_positives: int = 0
    files: set[str] = field(default_factory=set)
    missed: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Caught malicious samples over all malicious samples."""
        return self.caught / self.samples if self.samples else 1.0

    @property
    def precision(self) -> float:
        """True positives over everything reported for this technique."""
        reported = self.caught + self.false_positives
        return self.caught / reported if reported else 1.0


def evaluate(spec: Path, workdir: Path) -> dict[str, TechniqueScore]:
    """Build the corpus under `workdir`, lint it and score every technique."""
    from aims.agents.lint import LintOptions, run_lint

    corpus = build_corpus(spec, workdir)
    result = run_lint([str(corpus.root)], LintOptions())
    by_file: dict[str, set[str]] = defaultdict(set)
    for finding in result.inventory.findings:
        by_file[finding.primary.path].add(finding.rule_id)
    scores: dict[str, TechniqueScore] = defaultdict(TechniqueScore)
    for sample in corpus.samples:
        score = scores[sample.technique]
        rules_here = {
            r
            for path, rules in by_file.items()
            if path.startswith(sample.directory + "/")
            for r in rules
        }
        hit = bool(rules_here & set(sample.rules))
        if sample.malicious:
            score.samples += 1
            score.files.add(sample.path.split("/", 2)[2])
            if hit:
                score.caught += 1
            else:
                score.missed.append(sample.path)
        else:
            score.benign += 1
            if hit:
                score.false_positives += 1
                score.flagged.append(sample.path)
    return dict(scores)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    """Print the per-technique table; return 1 when recall < 1.0 or any false positive."""
    parser = argparse.ArgumentParser(prog="python -m aims.agents.accuracy", description=__doc__)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="corpus YAML")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aims-agents-corpus-") as tmp:
        scores = evaluate(args.spec, Path(tmp))
    width = max(len(t) for t in scores)
    _say(f"{'technique':{width}}  samples  types  recall  benign  FP  precision")
    for technique, s in sorted(scores.items()):
        _say(
            f"{technique:{width}}  {s.samples:7}  {len(s.files):5}  {s.recall:6.2f}  {s.benign:6}  "
            f"{s.false_positives:2}  {s.precision:9.2f}"
        )
        for path in s.missed:
            _say(f"    missed: {path}")
        for path in s.flagged:
            _say(f"    false positive: {path}")
    total = sum(s.samples for s in scores.values())
    caught = sum(s.caught for s in scores.values())
    benign = sum(s.benign for s in scores.values())
    fps = sum(s.false_positives for s in scores.values())
    _say(
        f"total: {len(scores)} techniques, {caught}/{total} malicious samples caught, {fps}/{benign} benign samples reported"
    )
    return 0 if caught == total and fps == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
