"""Research crew."""
