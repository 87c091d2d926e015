"""Evidence snippets: key-like tokens are masked, names made of words are not."""

from __future__ import annotations

import random
import string

import pytest

from aims.scanner.detectors._source import redact


@pytest.mark.parametrize(
    "line",
    [
        'ModelNameLlama2_13BChat = "Llama-2-13b-chat"',
        'label: "Claude-Sonnet-4-5-20250929"',
        'model = "Meta-Llama-3.1-8B-Instruct-Turbo"',
    ],
)
def test_names_made_of_words_are_kept(line: str) -> None:
    assert redact(line) == line


def test_random_key_material_is_always_masked() -> None:
    rng = random.Random(20261129)
    alphabets = [
        string.ascii_letters + string.digits + "-_",
        string.ascii_letters + string.digits + "+/",
        string.ascii_letters + string.digits,
    ]
    for n in range(30_000):
        token = "".join(rng.choice(alphabets[n % 3]) for _ in range(rng.randint(20, 80)))
        if not any(c.isdigit() for c in token) or token.lower() == token or token.upper() == token:
            continue  # not key-shaped by the redactor's definition (letters, digits, two cases)
        masked = redact(f"key = {token}")
        assert token not in masked, token
