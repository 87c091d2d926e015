"""Speech-to-text for uploaded videos, run locally."""

import whisper

_model = whisper.load_model("base")


def transcribe(path: str) -> str:
    return _model.transcribe(path)["text"]
