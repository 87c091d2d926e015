"""Supervised fine-tuning of a small support model."""
