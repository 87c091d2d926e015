"""Sensor gateway disk layout checks."""

GPT = "gpt"  # GUID partition table
MBR = "msdos"


def needs_gpt(size_bytes: int) -> bool:
    return size_bytes > 2 * 1024**4
