"""Fallback answers from Claude when the primary provider fails."""

from anthropic import Anthropic

from app.settings import settings


def answer_with_claude(system: str, prompt: str) -> str:
    client = Anthropic()
    message = client.messages.create(
        model=settings.fallback_model,
        max_tokens=1024,
        system=system,
        messages=[{"role": "user", "content": prompt}],
    )
    return message.content[0].text
