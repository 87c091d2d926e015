"""Search API over the policy documents."""

from fastapi import FastAPI
from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

api = FastAPI()
index = VectorStoreIndex.from_documents(SimpleDirectoryReader("policies").load_data())
engine = index.as_query_engine()


@api.get("/search")
def search(q: str) -> dict[str, str]:
    return {"answer": str(engine.query(q))}
