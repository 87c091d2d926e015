"""Shipped JSON Schemas of the native output formats (data files only)."""
