"""`aims init`: write a commented starter set of records with one example AI system."""

from __future__ import annotations

from datetime import date
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from aims.errors import UsageError
from aims.standards import iso42001


def soa_text(today: date) -> str:
    """A Statement of Applicability listing all 38 Annex A controls, commented by area."""
    data = iso42001()
    lines = [
        "# Statement of Applicability (6.1.3): every Annex A control, applicable or excluded with a",
        "# justification, its implementation status (implemented, partial, planned, not-started),",
        "# owner and evidence (paths, links, record IDs). `aims validate` fails if one is missing.",
        "kind: soa",
        "approved_by: cto",
        f'approved_on: "{today.isoformat()}"',
        "controls:",
    ]
    for area in data.areas:
        lines.append(f"  # {area.id} {area.label}")
        lines.extend(
            f'  - {{id: "{control.id}", applicable: true, status: not-started, '
            f"owner: compliance-lead, evidence: []}}  # {control.label}"
            for control in data.controls
            if control.area == area.id
        )
    return "\n".join(lines) + "\n"


def _files(folder: Traversable, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            out += _files(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".yaml"):
            out.append((f"{prefix}{entry.name}", entry.read_text("utf-8")))
    return out


def starter_files(today: date) -> dict[str, str]:
    """Relative path -> text of every starter record, dated from `today`."""
    try:
        next_year = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        next_year = today.replace(year=today.year + 1, day=28)
    files = {
        rel: text.replace("{today}", today.isoformat()).replace(
            "{next_year}", next_year.isoformat()
        )
        for rel, text in _files(resources.files("aims.records").joinpath("starter"))
    }
    files["soa.yaml"] = soa_text(today)
    return files


def write_starter(target: Path, today: date, *, force: bool = False) -> list[Path]:
    """Write the starter set into `target/.aims`; refuses to overwrite unless `force`."""
    root = target / ".aims"
    files = starter_files(today)
    existing = [rel for rel in files if (root / rel).exists()]
    if existing and not force:
        raise UsageError(
            f"{root} already has records ({', '.join(existing[:3])}...)",
            hint="pass --force to overwrite the starter files",
        )
    written = []
    for rel, text in sorted(files.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(path)
    return written
