"""Read `.aims/` records from YAML, keeping the node tree so every message has file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from aims.errors import InputError
from aims.records.model import FOLDERS, KINDS, SINGLETON_FILES, Record

SKIPPED_FOLDERS = frozenset({"log", "monitor", "cache", "evidence"})
"""Folders under `.aims/` that hold tool state, not records."""


@dataclass(frozen=True, slots=True)
class Message:
    """A validation message with where it points."""

    level: str  # "error" | "warning"
    path: str
    line: int | None
    text: str
    hint: str | None = None
    code: str = "AIM801"
    """The rule ID (AIM8xx, see docs/rules/)."""
    suppressed: str | None = None
    """The reason of an inline `aims: ignore[...]` directive that silences this message."""

    def render(self) -> str:
        """`path:line: level[AIM8xx]: text (hint)`."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.level}[{self.code}]: {self.text}{tail}"


@dataclass(slots=True)
class Loaded:
    """One record file: its path (relative to the records folder), kind, model and nodes."""

    path: str
    kind: str
    record: Record
    node: yaml.Node | None

    def line(self, *loc: Any) -> int | None:
        """The 1-based line of a location (`"controls", 2`), or of the nearest parent."""
        return line_of(self.node, loc)


@dataclass(slots=True)
class Records:
    """Every record found under a records folder, plus messages from loading them."""

    root: Path
    loaded: list[Loaded] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    invalid_ids: dict[str, set[str]] = field(default_factory=dict)
    """IDs of records that failed schema validation, per kind (so references to them are not
    reported twice)."""

    def of(self, kind: str) -> list[Loaded]:
        """The loaded records of one kind, in path order."""
        return [r for r in self.loaded if r.kind == kind]

    def one(self, kind: str) -> Loaded | None:
        """The first record of a singleton kind (context, policy, roles, soa, ...)."""
        found = self.of(kind)
        return found[0] if found else None


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Walk a composed node tree along a location; the line of the deepest node reached."""
    if node is None:
        return None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(key.value) == str(part):
                    node = value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
    return int(node.start_mark.line) + 1


def _key_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the last key of `loc` in its mapping (for unknown keys)."""
    if node is None or not loc:
        return None
    parent_line = line_of(node, loc[:-1])
    parent: yaml.Node | None = node
    for part in loc[:-1]:
        if isinstance(parent, yaml.MappingNode):
            parent = next((v for k, v in parent.value if str(k.value) == str(part)), None)
        elif isinstance(parent, yaml.SequenceNode) and isinstance(part, int):
            parent = parent.value[part] if part < len(parent.value) else None
    if isinstance(parent, yaml.MappingNode):
        for key, _value in parent.value:
            if str(key.value) == str(loc[-1]):
                return int(key.start_mark.line) + 1
    return parent_line


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names valid at a location, for did-you-mean hints."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        if info is None:
            return []
        found = None
        for candidate in (info.annotation, *getattr(info.annotation, "__args__", ())):
            for inner in (candidate, *getattr(candidate, "__args__", ())):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    found = inner
        if found is None:
            return []
        model = found
    return list(model.model_fields)


def kind_for(rel: Path, data: dict[str, Any]) -> str | None:
    """The kind of a record file: its `kind:` key, else its folder or file name."""
    declared = data.get("kind")
    if isinstance(declared, str):
        return declared
    if len(rel.parts) == 1:
        return SINGLETON_FILES.get(rel.stem)
    return FOLDERS.get(rel.parts[0])


def parse_record(
    text: str, rel: str, kind_hint: str | None = None
) -> tuple[Loaded | None, list[Message]]:
    """Parse one record file; returns the loaded record or the messages explaining why not."""
    import difflib

    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [
            Message("error", rel, mark.line + 1 if mark else None, f"invalid YAML: {problem}")
        ]
    if data is None:
        return None, [Message("warning", rel, None, "empty file, ignored")]
    if not isinstance(data, dict):
        return None, [Message("error", rel, 1, "a record must be a mapping (key: value)")]
    declared = data.get("kind")
    kind = declared if isinstance(declared, str) else kind_hint
    if kind is None:
        return None, [
            Message(
                "error",
                rel,
                1,
                "cannot tell which record kind this is",
                hint="add `kind:` (one of " + ", ".join(KINDS) + ")",
            )
        ]
    model = KINDS.get(kind)
    if model is None:
        close = difflib.get_close_matches(kind, list(KINDS), n=1)
        return None, [
            Message(
                "error",
                rel,
                line_of(node, ("kind",)),
                f"unknown record kind {kind!r}",
                hint=f"did you mean {close[0]!r}?" if close else None,
            )
        ]
    if "kind" not in data:
        data = {"kind": kind, **data}
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        messages = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(p) for p in loc) or "(top level)"
            hint = None
            if error["type"] == "extra_forbidden":
                line = _key_line(node, loc)
                close = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1)
                hint = f"did you mean {close[0]!r}?" if close else None
                text_ = f"{where}: unknown key"
            else:
                line = line_of(node, loc)
                text_ = f"{where}: {error['msg']}"
            messages.append(Message("error", rel, line, text_, hint=hint))
        return None, messages
    return Loaded(rel, kind, record, node), []


def records_dir(path: Path) -> Path:
    """The records folder for a project path: `PATH/.aims` unless PATH is that folder."""
    if path.name == ".aims" or not (path / ".aims").is_dir() and (path / "soa.yaml").exists():
        return path
    return path / ".aims"


def load_records(path: Path) -> Records:
    """Load every record under `PATH/.aims` (or PATH itself when it is the records folder)."""
    root = records_dir(path)
    if not root.is_dir():
        raise InputError(
            f"no records folder at {root}", hint="create a starter set with `aims init`"
        )
    records = Records(root=root)
    files = sorted(
        p
        for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not (set(p.relative_to(root).parts[:-1]) & SKIPPED_FOLDERS)
    )
    display_base = root.parent
    for file in files:
        rel_to_root = file.relative_to(root)
        shown = file.relative_to(display_base).as_posix()
        try:
            text = file.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            records.messages.append(Message("error", shown, None, f"cannot read: {exc}"))
            continue
        hint = (
            FOLDERS.get(rel_to_root.parts[0])
            if len(rel_to_root.parts) > 1
            else SINGLETON_FILES.get(rel_to_root.stem)
        )
        loaded, messages = parse_record(text, shown, hint)
        records.messages.extend(messages)
        if loaded is None and hint is not None:
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                records.invalid_ids.setdefault(str(data.get("kind", hint)), set()).add(data["id"])
        if loaded is not None:
            records.loaded.append(loaded)
    return records
