"""LLM-as-judge scoring with DeepEval, judged by Claude."""

from deepeval.metrics import GEval
from deepeval.test_case import LLMTestCaseParams
from langchain_anthropic import ChatAnthropic

judge_llm = ChatAnthropic(model="claude-3-7-sonnet-20250219", temperature=0)

faithfulness = GEval(
    name="faithfulness",
    criteria="Is every statement in the summary supported by the source text?",
    evaluation_params=[LLMTestCaseParams.INPUT, LLMTestCaseParams.ACTUAL_OUTPUT],
)
