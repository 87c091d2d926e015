from crewai import Agent


class TripAgents:
    def local_guide(self) -> Agent:
        return Agent(
            role="Local expert",
            goal="Give the best insights about the selected city",
            backstory="A knowledgeable local guide.",
        )
