"""Plan a trip with a crew of two agents; a local `agents.py` defines them."""

import aisuite as ai
from crewai import Crew
from dotenv import load_dotenv

from agents import TripAgents
from tasks import TripTasks

load_dotenv()


def run(city: str) -> str:
    agents = TripAgents()
    tasks = TripTasks()
    guide = agents.local_guide()
    crew = Crew(agents=[guide], tasks=[tasks.gather(guide, city)])
    return str(crew.kickoff())


def summarise(text: str, model: str) -> str:
    client = ai.Client()
    reply = client.chat.completions.create(model=model, messages=[{"role": "user", "content": text}])
    return reply.choices[0].message.content
