"""FastAPI endpoints: summarise a ticket (OpenAI), route it (Anthropic), answer from docs (RAG)."""

from anthropic import Anthropic
from fastapi import FastAPI
from openai import OpenAI
from pydantic import BaseModel

from app.rag import answer_from_docs

SUMMARY_MODEL = "gpt-4o-mini"
ROUTING_MODEL = "claude-3-5-haiku-20241022"

api = FastAPI(title="support-desk assistant")
openai_client = OpenAI()
anthropic_client = Anthropic()


class Ticket(BaseModel):
    text: str


@api.post("/summarise")
def summarise(ticket: Ticket) -> dict[str, str]:
    response = openai_client.chat.completions.create(
        model=SUMMARY_MODEL,
        messages=[{"role": "user", "content": f"Summarise in one sentence:\n{ticket.text}"}],
    )
    return {"summary": response.choices[0].message.content or ""}


@api.post("/route")
def route(ticket: Ticket) -> dict[str, str]:
    message = anthropic_client.messages.create(
        model=ROUTING_MODEL,
        max_tokens=20,
        messages=[
            {
                "role": "user",
                "content": f"Team for this ticket (billing/tech/other):\n{ticket.text}",
            }
        ],
    )
    return {"team": message.content[0].text.strip()}


@api.post("/answer")
def answer(ticket: Ticket) -> dict[str, str]:
    return {"answer": answer_from_docs(ticket.text)}
