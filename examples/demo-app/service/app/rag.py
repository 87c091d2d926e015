"""Retrieval-augmented answers over the help-centre articles, stored in Qdrant."""

import os

from langchain.chains import create_retrieval_chain
from langchain.chains.combine_documents import create_stuff_documents_chain
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from langchain_qdrant import QdrantVectorStore
from qdrant_client import QdrantClient

EMBEDDING_MODEL = "text-embedding-3-small"

_store = QdrantVectorStore(
    client=QdrantClient(url=os.environ.get("QDRANT_URL", "http://localhost:6333")),
    collection_name="help-centre",
    embedding=OpenAIEmbeddings(model=EMBEDDING_MODEL),
)
_prompt = ChatPromptTemplate.from_messages(
    [("system", "Answer from the context only.\n\n{context}"), ("human", "{input}")]
)
_chain = create_retrieval_chain(
    _store.as_retriever(search_kwargs={"k": 4}),
    create_stuff_documents_chain(ChatOpenAI(model="gpt-4o-mini", temperature=0), _prompt),
)


def answer_from_docs(question: str) -> str:
    return str(_chain.invoke({"input": question})["answer"])
