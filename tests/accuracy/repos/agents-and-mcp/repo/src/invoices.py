"""Invoice totals in integer cents."""


def total_cents(lines: list[tuple[int, int]]) -> int:
    """Sum quantity x unit price (cents) over invoice lines."""
    return sum(qty * unit for qty, unit in lines)
