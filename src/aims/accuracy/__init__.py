"""Accuracy harness: scan labelled repositories and measure precision and recall per type."""
