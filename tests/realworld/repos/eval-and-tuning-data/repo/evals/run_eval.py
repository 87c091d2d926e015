"""Score the assistant's answers against the ground truth (run: python evals/run_eval.py)."""

import json
from pathlib import Path

GROUND_TRUTH = Path(__file__).with_name("ground_truth.jsonl")


def cases() -> list[dict[str, str]]:
    return [json.loads(line) for line in GROUND_TRUTH.read_text().splitlines() if line]
