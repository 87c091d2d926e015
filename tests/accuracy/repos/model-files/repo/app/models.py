"""Load the local model files shipped with the service."""

from pathlib import Path

import joblib
import onnxruntime as ort
from llama_cpp import Llama
from safetensors.numpy import load_file

MODELS = Path(__file__).resolve().parent.parent / "models"


def chat_model() -> Llama:
    return Llama(model_path=str(MODELS / "tiny-chat.Q4_K_M.gguf"), n_ctx=2048)


def intent_session() -> ort.InferenceSession:
    return ort.InferenceSession(str(MODELS / "intent.onnx"))


def churn_model():
    return joblib.load(MODELS / "churn-logreg.pkl")


def classifier_weights() -> dict:
    return load_file(str(MODELS / "classifier" / "model.safetensors"))
