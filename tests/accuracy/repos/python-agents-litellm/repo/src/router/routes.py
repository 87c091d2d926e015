"""LiteLLM router: cheap model first, strong model on escalation, Bedrock for EU data."""

from litellm import Router

MODEL_LIST = [
    {
        "model_name": "cheap",
        "litellm_params": {"model": "groq/llama-3.1-8b-instant"},
    },
    {
        "model_name": "strong",
        "litellm_params": {"model": "gemini/gemini-1.5-pro-002"},
    },
    {
        "model_name": "eu",
        "litellm_params": {
            "model": "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
            "aws_region_name": "eu-central-1",
        },
    },
]

router = Router(model_list=MODEL_LIST, num_retries=2)


def complete(tier: str, prompt: str) -> str:
    response = router.completion(model=tier, messages=[{"role": "user", "content": prompt}])
    return response.choices[0].message.content
