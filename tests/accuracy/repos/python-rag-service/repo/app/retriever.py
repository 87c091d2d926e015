"""Retrieval: Chroma vector store, OpenAI embeddings, local cross-encoder re-ranking."""

import chromadb
from langchain_chroma import Chroma
from langchain_openai import OpenAIEmbeddings
from sentence_transformers import CrossEncoder

from app.settings import settings

_client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port)
_store = Chroma(
    client=_client,
    collection_name="handbook",
    embedding_function=OpenAIEmbeddings(model=settings.embedding_model),
)
_reranker = CrossEncoder(settings.reranker)


def retrieve(question: str) -> list[str]:
    docs = _store.similarity_search(question, k=settings.top_k * 2)
    scores = _reranker.predict([(question, d.page_content) for d in docs])
    ranked = sorted(zip(scores, docs, strict=True), key=lambda pair: -pair[0])
    return [d.page_content for _, d in ranked[: settings.top_k]]
