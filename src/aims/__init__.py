"""aims: an offline-first toolkit that turns ISO/IEC 42001 into engineering controls."""

__version__ = "0.1.0"
