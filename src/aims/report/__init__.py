"""Readiness report, evidence pack, OSCAL and ticket exports built from `.aims/` records."""
