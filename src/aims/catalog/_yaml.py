"""One safe YAML loader for the packaged data files: libyaml's when PyYAML has it."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """Parse YAML with the safe loader, the C one when available (about ten times faster).

    Raises `yaml.YAMLError` like `yaml.safe_load`.
    """
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader either way
