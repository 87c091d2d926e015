"""Local embeddings for air-gapped deployments."""

from sentence_transformers import SentenceTransformer

from app.settings import settings

_model = SentenceTransformer(settings.local_embedder)


def embed(texts: list[str]) -> list[list[float]]:
    return _model.encode(texts, normalize_embeddings=True).tolist()
