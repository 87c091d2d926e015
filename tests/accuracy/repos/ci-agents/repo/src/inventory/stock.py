"""Stock arithmetic."""


def reorder_needed(on_hand: int, reserved: int, threshold: int) -> bool:
    return on_hand - reserved < threshold
