from crewai import Task


class TripTasks:
    def gather(self, agent, city: str) -> Task:
        return Task(description=f"Gather information about {city}", agent=agent, expected_output="A guide")
