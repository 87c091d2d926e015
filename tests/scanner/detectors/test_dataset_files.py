"""Training and evaluation data committed as JSON Lines, recognised by record shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aims.catalog import load_catalog
from aims.inventory import Component
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.dataset_files import DatasetFileDetector, record_shape


def _jsonl(*records: Any) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def _detect(relpath: str, text: str) -> list[Component]:
    file = ScanFile(relpath=relpath, abspath=relpath, data=text.encode(), size=len(text))
    return DatasetFileDetector().detect(file, DetectContext(catalog=load_catalog())).components


CHAT = {"messages": [{"role": "system", "content": "You are terse."},
                     {"role": "user", "content": "Capital of France?"},
                     {"role": "assistant", "content": "Paris."}]}  # fmt: skip


@pytest.mark.parametrize(
    ("record", "shape"),
    [
        (CHAT, "chat"),
        ({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}, "chat"),
        ({"prompt": "Q: 2+2?", "chosen": "4", "rejected": "5"}, "preference"),
        ({"prompt": "Translate: chat", "completion": " cat"}, "completion"),
        ({"instruction": "Sum", "input": "2 2", "output": "4"}, "instruction"),
        ({"question": "Max upload size?", "truth": "25 MB"}, "qa"),
        ({"query": "Default port?", "expected": ["8080"], "id": "q1"}, "qa"),
        ({"input": [{"role": "user", "content": "2+2"}], "ideal": "4"}, "qa"),
        ({"turns": ["hi", "and then?"], "expected": ["x"]}, "qa"),
        ({"messages": "not turns"}, None),
        ({"question": "no answer here"}, None),
        ({"level": "info", "msg": "started", "ts": 1}, None),  # a log line
        ({"id": 1, "original": "a", "para": "b"}, None),
        (["a", "list"], None),
    ],
)
def test_record_shapes(record: Any, shape: str | None) -> None:
    assert record_shape(record) == shape


def test_fine_tuning_file_is_a_dataset_without_its_content() -> None:
    text = "\n" + _jsonl(CHAT, CHAT, CHAT)
    (dataset,) = _detect("data/finetune/train.jsonl", text)
    assert (dataset.name, dataset.ecosystem) == ("data/finetune/train.jsonl", "file")
    assert dataset.properties["shape"] == "chat"
    assert dataset.properties["size"] == len(text)
    assert dataset.evidence[0].line == 2
    assert dataset.evidence[0].snippet == "{messages}"
    assert "Paris" not in dataset.evidence[0].snippet


def test_mixed_or_unrecognised_files_are_not_datasets() -> None:
    logs = _jsonl({"level": "info", "msg": "a"}, {"level": "warn", "msg": "b"})
    assert _detect("logs/app.jsonl", logs) == []
    mixed = _jsonl(CHAT, {"level": "info"})
    assert _detect("x.jsonl", mixed) == []
    assert _detect("x.jsonl", "{not json\n") == []
    assert _detect("x.jsonl", "") == []


def test_a_file_cut_by_the_size_limit_still_counts() -> None:
    record = {"question": "q" * 30, "answer": "a" * 30}
    text = _jsonl(*[record] * 3) + '{"question": "cut off'
    (dataset,) = _detect("eval/gold.jsonl", text)
    assert dataset.properties["shape"] == "qa"


def test_only_json_lines_files_are_read() -> None:
    detector = DatasetFileDetector()
    assert detector.wants("a/b.jsonl", "b.jsonl") and detector.wants("c.ndjson", "c.ndjson")
    assert not detector.wants("a/b.json", "b.json")
