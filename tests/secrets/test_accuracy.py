"""The accuracy corpus: recall 1.0 and zero false positives, with the coverage the issue asks for."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from aims.secrets.accuracy import main, run

DECOYS = Path(__file__).parent / "corpus" / "decoys.yaml"


def test_recall_is_one_and_no_decoy_is_reported(tmp_path: Path) -> None:
    report = run(DECOYS, tmp_path)
    assert report.missed == []
    assert report.false_positives == []
    assert report.recall == 1.0
    assert report.precision == 1.0


def test_corpus_coverage(tmp_path: Path) -> None:
    report = run(DECOYS, tmp_path)
    assert len(report.per_provider) >= 30
    assert all(planted >= 3 for _found, planted in report.per_provider.values())
    assert report.file_types >= 5
    assert report.decoys >= 100
    types_per_provider: dict[str, set[str]] = defaultdict(set)
    for path in tmp_path.joinpath("planted").rglob("*"):
        if path.is_file():
            kind = path.relative_to(tmp_path / "planted").parts[0]
            types_per_provider[path.parent.name.rsplit("-", 1)[0]].add(kind)
    assert all(len(kinds) >= 3 for kinds in types_per_provider.values())


def test_module_entry_point_exit_status(capsys: object) -> None:
    assert main(["--decoys", str(DECOYS)]) == 0
    assert main(["--decoys", "/nonexistent/decoys.yaml"]) == 2
