"""Churn prediction."""
