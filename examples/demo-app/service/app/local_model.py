"""Offline fallback: a small local GGUF model (the one in models/ is a synthetic stand-in)."""

from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "tiny-demo.gguf"


def model_path() -> Path:
    return MODEL_PATH
