"""Quick probe of embedding quality on the research GPU box."""

import torch
from langchain_community.embeddings import OpenAIEmbeddings

emb = OpenAIEmbeddings(model="text-embedding-ada-002")


def cosine(a: str, b: str) -> float:
    va, vb = (torch.tensor(emb.embed_query(t)) for t in (a, b))
    return float(torch.nn.functional.cosine_similarity(va, vb, dim=0))
