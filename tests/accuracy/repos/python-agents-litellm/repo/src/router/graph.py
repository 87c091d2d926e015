"""Review loop as a LangGraph state machine."""

from typing import TypedDict

from langgraph.graph import END, StateGraph

from router.routes import complete


class State(TypedDict):
    draft: str
    approved: bool


def review(state: State) -> State:
    verdict = complete("strong", f"Reply APPROVE or REVISE:\n{state['draft']}")
    return {"draft": state["draft"], "approved": verdict.strip().startswith("APPROVE")}


graph = StateGraph(State)
graph.add_node("review", review)
graph.set_entry_point("review")
graph.add_edge("review", END)
app = graph.compile()
