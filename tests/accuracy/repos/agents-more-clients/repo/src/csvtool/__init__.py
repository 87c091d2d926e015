"""Command-line helpers for large CSV files."""
