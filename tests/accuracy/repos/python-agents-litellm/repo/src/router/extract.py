"""Structured extraction of facts with pydantic-ai and instructor."""

import instructor
from openai import OpenAI
from pydantic import BaseModel
from pydantic_ai import Agent


class Fact(BaseModel):
    claim: str
    source_url: str


fact_agent = Agent("openai:gpt-4o-mini", result_type=Fact)

_client = instructor.from_openai(OpenAI())


def extract(text: str) -> Fact:
    return _client.chat.completions.create(
        model="o3-mini", response_model=Fact, messages=[{"role": "user", "content": text}]
    )
