"""Offline evaluation of the summarizer."""
