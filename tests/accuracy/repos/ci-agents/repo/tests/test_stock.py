from inventory.stock import reorder_needed


def test_reorder_needed() -> None:
    assert reorder_needed(5, 3, 4)
    assert not reorder_needed(10, 1, 4)
