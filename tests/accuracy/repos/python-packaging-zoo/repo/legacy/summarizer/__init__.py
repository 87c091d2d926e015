"""Legacy summarizer on Cohere."""
