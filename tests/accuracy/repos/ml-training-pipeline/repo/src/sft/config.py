"""Run configuration, read from configs/*.yaml."""

from pathlib import Path

import yaml


def load_dataset(path: str) -> dict:
    """Load a run's dataset *settings* (not data) from a YAML file."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


RUN = load_dataset("configs/run.yaml")
