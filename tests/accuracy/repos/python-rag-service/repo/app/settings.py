"""Service settings, read from the environment."""

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    chat_model: str = "gpt-4o-mini"
    embedding_model: str = "text-embedding-3-small"
    fallback_model: str = "claude-3-5-haiku-20241022"
    local_embedder: str = "sentence-transformers/all-MiniLM-L6-v2"
    reranker: str = "cross-encoder/ms-marco-MiniLM-L-6-v2"
    chroma_host: str = "localhost"
    chroma_port: int = 8000
    top_k: int = 6


settings = Settings()
