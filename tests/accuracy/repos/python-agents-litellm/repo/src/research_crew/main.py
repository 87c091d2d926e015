"""Entry point."""

import sys

from dotenv import load_dotenv

from research_crew.crew import ResearchCrew


def run() -> None:
    load_dotenv()
    ResearchCrew().crew().kickoff(inputs={"topic": " ".join(sys.argv[1:]) or "heat pumps"})
