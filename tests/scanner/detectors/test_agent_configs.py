"""Application agent definitions (crewAI `config/agents.yaml` and `tasks.yaml`)."""

from __future__ import annotations

from aims.catalog import load_catalog
from aims.scanner.detectors.agent_configs import AgentConfigDetector, crewai_definitions
from aims.scanner.detectors.base import DetectContext, ScanFile

AGENTS = """\
researcher:
  role: Senior researcher
  goal: Find the facts about {topic}
  backstory: Careful and thorough.
  llm: openai/gpt-4o-mini
writer:
  role: Writer
  goal: Write the article
"""
TASKS = """\
research:
  description: Research {topic}.
  expected_output: Ten bullet points.
  agent: researcher
"""


def test_crewai_agents_and_tasks_are_recognised_by_their_shape() -> None:
    assert crewai_definitions(AGENTS) == ("agent", ["researcher", "writer"])
    assert crewai_definitions(TASKS) == ("task", ["research"])
    # One entry without the keys, a list, broken YAML or another tool's agents: not crewAI.
    assert crewai_definitions(AGENTS + "helper:\n  role: x\n") is None
    assert crewai_definitions("- role: a\n  goal: b\n") is None
    assert crewai_definitions("goal: [unclosed\n") is None
    assert crewai_definitions("datadog:\n  goal: metrics\n  port: 8126\n") is None


def test_detector_reports_one_component_per_definition_file() -> None:
    detector = AgentConfigDetector()
    assert detector.wants("src/crew/config/agents.yaml", "agents.yaml")
    data = AGENTS.encode()
    file = ScanFile("src/crew/config/agents.yaml", "agents.yaml", data, len(data))
    [component] = detector.detect(file, DetectContext(catalog=load_catalog())).components
    assert (component.type.value, component.name, component.category) == (
        "agent-config",
        "src/crew/config/agents.yaml",
        "agent",
    )
    assert component.properties["client"] == "crewai"
    assert component.properties["agents"] == ["researcher", "writer"]
