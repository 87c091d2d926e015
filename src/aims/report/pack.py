"""The evidence pack: a reproducible zip of records, registers, reports, approval trail and scans.

Reproducible: entries are sorted, carry a fixed timestamp and mode, and every generated file is a
function of the inputs and the `today` date, so packing the same commit twice gives the same
bytes. `manifest.json` lists the SHA-256 of every other entry and a root hash over that list;
`verify` recomputes both.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from aims import __version__
from aims.errors import InputError
from aims.report.evidence import Project

MANIFEST = "manifest.json"
SCHEMA_ID = "aims/evidence-pack/1"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def approval_trail(root: Path, path: Path) -> dict[str, Any]:
    """Who changed a record and who approved it, from git history.

    Every commit that touched the file (following renames) gives author and committer with dates.
    A commit from a branch is approved by the first merge on HEAD's first-parent line that brought
    it in (the pull-request merge); a commit made directly on that line is reported as such.
    """
    rel = path.relative_to(root).as_posix()
    sep = "\x1f"
    log = _git(
        root,
        "log",
        "--follow",
        f"--format=%H{sep}%an{sep}%ae{sep}%aI{sep}%cn{sep}%ce{sep}%cI{sep}%P{sep}%s",
        "--",
        rel,
    )
    if log is None:
        return {"path": rel, "tracked": False, "changes": []}
    mainline = set((_git(root, "rev-list", "--first-parent", "HEAD") or "").split())
    changes = []
    for line in log.splitlines():
        parts = line.split(sep)
        if len(parts) != 9:
            continue
        sha, an, ae, ad, cn, ce, cd, parents, subject = parts
        change: dict[str, Any] = {
            "commit": sha,
            "author": {"name": an, "email": ae, "date": ad},
            "committer": {"name": cn, "email": ce, "date": cd},
            "subject": subject,
            "is_merge": len(parents.split()) > 1,
        }
        if sha in mainline:
            change["approval"] = (
                "merge commit on the main line"
                if change["is_merge"]
                else "committed directly to the main line (no merge)"
            )
        else:
            merge = _git(
                root,
                "log",
                "--ancestry-path",
                "--first-parent",
                "--merges",
                "--reverse",
                f"--format=%H{sep}%cn{sep}%ce{sep}%cI{sep}%s",
                f"{sha}..HEAD",
            )
            first = merge.splitlines()[0].split(sep) if merge and merge.strip() else None
            if first and len(first) == 5:
                change["approval"] = "merged"
                change["approved_by_merge"] = {
                    "commit": first[0],
                    "name": first[1],
                    "email": first[2],
                    "date": first[3],
                    "subject": first[4],
                }
            else:
                change["approval"] = "not merged into the current branch"
        changes.append(change)
    return {"path": rel, "tracked": bool(changes), "changes": changes}


def _entries(project: Project, today: date, scans: list[Path]) -> dict[str, bytes]:
    from aims.report.readiness import build
    from aims.report.render import render

    root = project.records.root
    entries: dict[str, bytes] = {}
    registers: dict[str, list[Any]] = {}
    for loaded in project.records.loaded:
        file = project.root / loaded.path
        entries[f"records/{file.relative_to(root).as_posix()}"] = file.read_bytes()
        registers.setdefault(loaded.kind, []).append(loaded.record.model_dump(mode="json"))
        trail = approval_trail(project.root, file)
        entries[f"approvals/{file.relative_to(root).as_posix()}.json"] = _json(trail)
    for kind, items in sorted(registers.items()):
        entries[f"registers/{kind}.json"] = _json(items)
    report = build(project, today)
    for fmt, suffix in (("json", "json"), ("markdown", "md"), ("html", "html")):
        entries[f"reports/readiness.{suffix}"] = render(report, fmt).encode("utf-8")
    from aims.report.export import export
    from aims.report.review import review_inputs

    entries["reports/management-review-inputs.md"] = review_inputs(project, report).encode("utf-8")
    for fmt in ("oscal-ssp", "oscal-assessment-results"):
        entries[f"oscal/{fmt.removeprefix('oscal-')}.json"] = export(
            project, report, fmt, today
        ).encode("utf-8")
    for n, scan in enumerate(scans, 1):
        entries[f"scans/{n:02d}-{scan.name}"] = scan.read_bytes()
    return entries


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _manifest(entries: dict[str, bytes], today: date) -> dict[str, Any]:
    files = [
        {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in sorted(entries.items())
    ]
    return {
        "schema": SCHEMA_ID,
        "generated_on": today.isoformat(),
        "tool": f"aims {__version__}",
        "files": files,
        "root_sha256": _root_hash(files),
    }


def _root_hash(files: list[dict[str, Any]]) -> str:
    lines = "".join(f"{f['sha256']}  {f['path']}\n" for f in sorted(files, key=lambda f: f["path"]))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def pack(project: Project, output: Path, today: date, scans: list[Path]) -> dict[str, Any]:
    """Write the evidence pack; returns its manifest."""
    entries = _entries(project, today, scans)
    manifest = _manifest(entries, today)
    entries[MANIFEST] = _json(manifest)
    with zipfile.ZipFile(output, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name], compresslevel=9)
    return manifest


@dataclass(frozen=True, slots=True)
class Verification:
    """What `verify` found."""

    root_sha256: str
    files: int
    problems: list[str]


def verify(path: Path) -> Verification:
    """Check every entry of a pack against its manifest, and the manifest's root hash."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: not a readable evidence pack: {exc}") from exc
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise InputError(f"{path}: no {MANIFEST} in the archive")
        try:
            manifest = json.loads(archive.read(MANIFEST))
            files = list(manifest["files"])
            claimed_root = str(manifest["root_sha256"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: unreadable {MANIFEST}: {exc}") from exc
        problems = []
        listed = set()
        for entry in files:
            name = entry["path"]
            listed.add(name)
            if name not in names:
                problems.append(f"{name}: listed in the manifest but missing")
                continue
            digest = hashlib.sha256(archive.read(name)).hexdigest()
            if digest != entry["sha256"]:
                problems.append(f"{name}: SHA-256 differs from the manifest")
        problems += [
            f"{name}: not listed in the manifest" for name in sorted(names - listed - {MANIFEST})
        ]
        if _root_hash(files) != claimed_root:
            problems.append("manifest root_sha256 does not match its file list")
    return Verification(claimed_root, len(files), problems)
