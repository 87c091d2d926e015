"""Translate the UI strings with Mistral's HTTP API (no SDK)."""

import json
import os
import sys

import requests

API = "https://api.mistral.ai/v1/chat/completions"


def translate(text: str, language: str) -> str:
    response = requests.post(
        API,
        headers={"Authorization": f"Bearer {os.environ['MISTRAL_API_KEY']}"},
        json={
            "model": "mistral-large-2411",
            "messages": [{"role": "user", "content": f"Translate to {language}: {text}"}],
        },
        timeout=60,
    )
    response.raise_for_status()
    return response.json()["choices"][0]["message"]["content"]


if __name__ == "__main__":
    strings = json.load(open(sys.argv[1], encoding="utf-8"))
    json.dump({k: translate(v, sys.argv[2]) for k, v in strings.items()}, sys.stdout)
