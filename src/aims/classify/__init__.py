"""EU AI Act tier of an AI system from its facts: prohibited, high-risk, transparency, minimal."""
