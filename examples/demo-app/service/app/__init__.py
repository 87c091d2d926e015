"""Support-desk assistant: the Python half of the aims demo app."""
