"""Vendored copy of a client library (git-ignored, never shipped)."""

from cohere.client import Client  # noqa: F401

DEFAULT_MODEL = "command-r-plus"
API_URL = "https://api.cohere.com/v1"
