"""Read a policy file and report errors with the file, line and nearest valid key."""

from __future__ import annotations

import difflib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from aims.errors import ConfigError
from aims.policy.model import Policy

DEFAULT_POLICY_FILE = "aims-policy.yaml"


def _node_at(node: yaml.Node, path: tuple[Any, ...]) -> yaml.Node:
    """Walk a composed YAML node tree along a pydantic error location."""
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(key.value) == str(part):
                    node = value
                    break
            else:
                return node
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            return node
    return node


def _key_node(node: yaml.Node, path: tuple[Any, ...]) -> yaml.Node | None:
    """The key node of the last path element in its mapping (for unknown-key errors)."""
    parent = _node_at(node, path[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key, _value in parent.value:
            if str(key.value) == str(path[-1]):
                found: yaml.Node = key
                return found
    return None


def _fields_at(path: tuple[Any, ...]) -> list[str]:
    """Valid field names of the model at a location (for did-you-mean hints)."""
    model: type[BaseModel] = Policy
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            break
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        for candidate in candidates:
            inner = [candidate, *getattr(candidate, "__args__", ())]
            found = [c for c in inner if isinstance(c, type) and issubclass(c, BaseModel)]
            if found:
                model = found[0]
                break
        else:
            return []
    return list(model.model_fields)


def parse_policy(text: str, path: str) -> Policy:
    """Parse and validate policy text; raises `ConfigError` pointing at the offending line."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            path=path,
            line=mark.line + 1 if mark else None,
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("a policy file must be a mapping (key: value)", path=path, line=1)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        line = None
        hint = None
        if root is not None:
            node = _key_node(root, loc) if error["type"] == "extra_forbidden" else None
            node = node or _node_at(root, loc)
            line = node.start_mark.line + 1
        where = ".".join(str(p) for p in loc) or "(top level)"
        message = f"{where}: {error['msg']}"
        if error["type"] == "extra_forbidden" and loc:
            close = difflib.get_close_matches(str(loc[-1]), _fields_at(loc[:-1]), n=1)
            hint = f"did you mean {close[0]!r}?" if close else None
            message = f"{where}: unknown key"
        raise ConfigError(message, path=path, line=line, hint=hint) from exc


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(
            "no policy file", path=str(path), hint="create one with `aims policy init`"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read policy file: {exc}", path=str(path)) from exc
    return parse_policy(text, str(path))


def starter_policy() -> str:
    """The commented starter policy that `aims policy init` writes."""
    return resources.files("aims.policy").joinpath("data/starter-policy.yaml").read_text("utf-8")


def policy_schema() -> dict[str, Any]:
    """The JSON Schema of the policy file, generated from the model."""
    schema = Policy.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://aims.dev/schemas/policy-1.schema.json"
    schema["title"] = "aims policy file, version 1"
    return schema


def policy_schema_text() -> str:
    """The JSON Schema as committed in `src/aims/policy/schemas/policy-1.schema.json`."""
    return json.dumps(policy_schema(), indent=2, sort_keys=True) + "\n"
