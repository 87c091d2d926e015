"""Answer generation with the OpenAI chat API, falling back to Anthropic."""

from openai import OpenAI

from app.fallback import answer_with_claude
from app.settings import settings

client = OpenAI()

SYSTEM_PROMPT = "Answer only from the handbook excerpts. Say so when they do not cover it."


def answer(question: str, context: list[str]) -> str:
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n\n".join(context) + "\n\nQuestion: " + question},
    ]
    try:
        response = client.chat.completions.create(
            model=settings.chat_model, messages=messages, temperature=0
        )
    except Exception:
        return answer_with_claude(SYSTEM_PROMPT, messages[1]["content"])
    return response.choices[0].message.content or ""
