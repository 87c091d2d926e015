"""HTTP API of the handbook service."""

from fastapi import FastAPI
from pydantic import BaseModel

from app.llm import answer
from app.retriever import retrieve

api = FastAPI(title="Handbook Q&A")


class Question(BaseModel):
    text: str


@api.post("/ask")
def ask(question: Question) -> dict[str, str]:
    context = retrieve(question.text)
    return {"answer": answer(question.text, context)}
