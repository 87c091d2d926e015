"""Thin gateway: chat through the local vLLM server (OpenAI-compatible), embeddings from Ollama."""

import os

import ollama
from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
llm = OpenAI(base_url=os.environ["LLM_BASE_URL"], api_key="not-needed")
embedder = ollama.Client(host=os.environ["EMBED_BASE_URL"])
CHAT_MODEL = "meta-llama/Llama-3.1-8B-Instruct"


@app.post("/chat")
def chat(prompt: str) -> dict[str, str]:
    reply = llm.chat.completions.create(
        model=CHAT_MODEL, messages=[{"role": "user", "content": prompt}]
    )
    return {"reply": reply.choices[0].message.content or ""}


@app.post("/embed")
def embed(text: str) -> dict[str, list[float]]:
    result = embedder.embeddings(
        model=os.environ.get("EMBED_MODEL", "nomic-embed-text"), prompt=text
    )
    return {"embedding": result["embedding"]}
