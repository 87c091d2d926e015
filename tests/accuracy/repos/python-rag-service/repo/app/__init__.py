"""Handbook question-answering service."""
