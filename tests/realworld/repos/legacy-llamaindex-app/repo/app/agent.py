"""Builds the document agent (llama-index 0.9 layout: one distribution, many modules)."""

from llama_index.agent import OpenAIAgent
from llama_index.llms import OpenAI
from llama_index.multi_modal_llms.openai import OpenAIMultiModal
from llama_hub.tools.arxiv import ArxivToolSpec
from sentence_transformers import CrossEncoder


def build_agent(api_key: str) -> OpenAIAgent:
    llm = OpenAI(model="gpt-4-1106-preview", api_key=api_key)
    tools = ArxivToolSpec().to_tool_list()
    return OpenAIAgent.from_tools(tools, llm=llm)


def build_vision() -> OpenAIMultiModal:
    return OpenAIMultiModal(model="gpt-4o", max_new_tokens=1500)


def build_reranker() -> CrossEncoder:
    return CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2")


SEARCH_MODEL = "llama-3.1-sonar-large-128k-online"  # Perplexity, served at api.perplexity.ai
