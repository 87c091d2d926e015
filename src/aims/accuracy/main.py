"""`python -m aims.accuracy`: scan the labelled corpus and gate on per-type precision/recall."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from aims.accuracy.corpus import load_corpus
from aims.accuracy.matching import score
from aims.accuracy.report import (
    render_details,
    render_found,
    render_markdown,
    render_table,
    to_json,
)
from aims.accuracy.runner import evaluate, measurable_types, present_detector_modules
from aims.errors import AimsError

DEFAULT_CORPUS = Path("tests/accuracy/repos")
DEFAULT_THRESHOLD = 0.95


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the harness."""
    parser = argparse.ArgumentParser(
        prog="python -m aims.accuracy",
        description=(
            "Scan every labelled repository of the accuracy corpus with the real scanner "
            "(cache off), compare with its expected.yaml, and print precision, recall and F1 "
            "per component type. Exit codes: 0 every gated type at or above the threshold, "
            "1 a type is below it, 3 tool error (no engine, bad corpus)."
        ),
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="directory of <name>/expected.yaml + <name>/repo/ (default: %(default)s)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help="minimum precision and recall per type (default: %(default)s)",
    )
    parser.add_argument(
        "--repo", action="append", default=None, help="only this repository (repeatable)"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON instead of the table")
    output.add_argument(
        "--markdown", action="store_true", help="print Markdown (table, misses, false positives)"
    )
    parser.add_argument(
        "--show-found",
        action="store_true",
        help="also list every component the scanner reported (to compare with expected.yaml)",
    )
    parser.add_argument(
        "--all-types",
        action="store_true",
        help="gate every type, also those whose detector is not registered yet",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the harness and return the process exit code."""
    args = build_parser().parse_args(argv)
    if not 0.0 <= args.threshold <= 1.0:
        sys.stderr.write("error: --threshold must be between 0 and 1\n")
        return 2
    try:
        repos = load_corpus(args.corpus, only=args.repo)
        results = evaluate(repos)
        modules = present_detector_modules()
    except AimsError as exc:
        sys.stderr.write(f"error: {exc}\n")
        if exc.diagnostics():
            sys.stderr.write(f"hint: {exc.diagnostics()}\n")
        return 3
    scores = score(results)
    measured = None if args.all_types else {str(t) for t in measurable_types(modules)}
    gated = [
        s
        for name, s in scores.items()
        if name != "overall" and (measured is None or name in measured)
    ]
    failed = [s.type for s in gated if not s.passes(args.threshold)]
    if args.json:
        payload = to_json(results, scores, threshold=args.threshold, measured=measured)
        payload["failed_types"] = failed
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    elif args.markdown:
        text = render_markdown(results, scores, threshold=args.threshold, measured=measured)
        sys.stdout.write(text + "\n")
    else:
        sys.stdout.write(
            f"aims accuracy: {len(repos)} repositories, threshold {args.threshold}\n\n"
        )
        sys.stdout.write(render_table(scores, threshold=args.threshold, measured=measured) + "\n")
        details = render_details(results)
        if details:
            sys.stdout.write(details + "\n")
        if args.show_found:
            sys.stdout.write(render_found(results) + "\n")
        verdict = f"FAIL: {', '.join(failed)} below threshold" if failed else "PASS"
        sys.stdout.write(f"\n{verdict}\n")
    return 1 if failed else 0
