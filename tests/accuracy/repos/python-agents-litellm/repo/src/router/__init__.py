"""Model routing."""
