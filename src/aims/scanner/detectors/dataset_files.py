"""Training and evaluation data committed as JSON Lines: fine-tuning conversations, preference
pairs, instruction sets and question/answer gold sets, recognised by the shape of their records."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aims.inventory import Component, ComponentType, Evidence
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "dataset-files"
_SUFFIXES = (".jsonl", ".ndjson")
_SAMPLE = 5
"""Records read from the top of a file; every one of them must have the same shape."""

_QUESTION_KEYS = frozenset({"question", "query", "turns"})
_ANSWER_KEYS = frozenset(
    {
        "answer",
        "answers",
        "expected",
        "expected_answer",
        "expected_output",
        "ground_truth",
        "gold_answer",
        "reference",
        "reference_answer",
        "truth",
        "ideal",
    }
)
_INSTRUCTION_OUTPUT_KEYS = frozenset({"output", "response"})


def _turns(value: Any, text_key: str) -> bool:
    """A list of turns, each a dict with a `role` and a `text_key` (`content`, `parts`)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(t, dict) and "role" in t and text_key in t for t in value)
    )


def record_shape(record: Any) -> str | None:
    """The kind of training or evaluation record a parsed JSON value is, or None.

    - `chat`: `messages` as role/content turns (OpenAI, Azure, Bedrock, Mistral fine-tuning) or
      `contents` as role/parts turns (Gemini and Vertex AI tuning);
    - `preference`: `chosen` and `rejected` (DPO, reward modelling);
    - `completion`: `prompt` and `completion`;
    - `instruction`: `instruction` with `output` or `response` (Alpaca-style);
    - `qa`: `question`, `query` or `turns` with an expected answer (`answer`, `expected`,
      `ground_truth`, `truth`, `ideal`, ...): evaluation gold sets, OpenAI evals (`input` and
      `ideal`).
    """
    if not isinstance(record, dict):
        return None
    keys = set(record)
    if _turns(record.get("messages"), "content") or _turns(record.get("contents"), "parts"):
        return "chat"
    if {"chosen", "rejected"} <= keys:
        return "preference"
    if {"prompt", "completion"} <= keys:
        return "completion"
    if "instruction" in keys and keys & _INSTRUCTION_OUTPUT_KEYS:
        return "instruction"
    if (keys & _QUESTION_KEYS and keys & _ANSWER_KEYS) or {"input", "ideal"} <= keys:
        return "qa"
    return None


def file_shape(text: str) -> tuple[str, list[str]] | None:
    """The shape shared by the first records of a JSON Lines text, and the first record's keys."""
    shapes: set[str | None] = set()
    keys: list[str] = []
    count = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            if count == 0:
                return None
            break  # NOTE: a line cut by the size limit ends the sample early
        shapes.add(record_shape(record))
        if count == 0 and isinstance(record, dict):
            keys = sorted(str(k) for k in record)
        count += 1
        if count >= _SAMPLE or len(shapes) > 1:
            break
    if count == 0 or len(shapes) != 1:
        return None
    shape = next(iter(shapes))
    return (shape, keys) if shape is not None else None


class DatasetFileDetector:
    """Reports JSON Lines files whose records are training or evaluation examples."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """JSON Lines files."""
        return name.lower().endswith(_SUFFIXES)

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """The record keys of every recognised shape (quoted, as JSON writes them)."""
        keys = {"messages", "contents", "chosen", "prompt", "instruction", "question", "query",
                "turns", "ideal"}  # fmt: skip
        return sorted(f'"{k}"'.encode() for k in keys)

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """One `dataset` component (ecosystem `file`) for a file of training or eval records."""
        result = DetectResult()
        head = file.text[:65536]
        if "\n" in head and len(file.text) > len(head):
            head = head[: head.rfind("\n")]
        found = file_shape(head)
        if found is None:
            return result
        shape, keys = found
        first = next((i for i, line in enumerate(head.splitlines(), 1) if line.strip()), 1)
        # NOTE: the evidence shows the record's keys, never its content (data may be personal).
        shown = ", ".join(keys[:8]) + (", ..." if len(keys) > 8 else "")
        result.components.append(
            Component(
                type=ComponentType.DATASET,
                name=file.relpath,
                ecosystem="file",
                category="dataset",
                evidence=[
                    Evidence(
                        path=file.relpath,
                        line=first,
                        detector=DETECTOR_NAME,
                        snippet=f"{{{shown}}}",
                    )
                ],
                properties={
                    "format": "jsonl",
                    "shape": shape,
                    "size": file.size,
                    "source": "file",
                },  # fmt: skip
            )
        )
        return result
