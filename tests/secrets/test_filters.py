"""Decoy filters and path classification."""

from __future__ import annotations

import pytest

from aims.secrets import filters


def test_entropy_of_known_strings() -> None:
    assert filters.shannon_entropy("") == 0.0
    assert filters.shannon_entropy("aaaa") == 0.0
    assert filters.shannon_entropy("abab") == pytest.approx(1.0)
    assert filters.shannon_entropy("0123456789abcdef") == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("body", "charset", "reason"),
    [
        ("x" * 40, "b62", "entropy"),
        ("abcdefghijklmnopqrstuvwxyz012345", "b62", "sequence"),
        ("0123456789abcdef0123456789abcdef", "hex", "sequence"),
        ("EXAMPLEEXAMPLEEXAMPLEEXAMPLE", "b62", "word"),
        ("YourMistralApiKeyGoesHere12345678", "b62", "word"),
        ("your-anthropic-api-key-here-and-more", "url", "word"),
        ("system-configuration-guide-for-the-auditorium-a", "url", "words"),
        ("abc", "b62", "short"),
        ("aqaqaqaqaqaqaqaqaqaqaqaqaqaqaqaq", "b62", "entropy"),
    ],
)
def test_decoys_are_rejected_with_their_reason(body: str, charset: str, reason: str) -> None:
    assert filters.is_decoy(body=body, charset=charset, whole=body) == reason


@pytest.mark.parametrize(
    "body",
    [
        "q8ZrT2mVx7LpK4nW9sYb3HcJ6fDg1AeU",  # random-looking base62 (hand-typed, not a key)
        "9f86d081884c7d659a2feaa0c55ad015",  # hex
        "Xk2_pQ9-Lm3vR8tZ4wN7yB1cH6jF5gD0sA",  # url-safe
    ],
)
def test_random_bodies_pass(body: str) -> None:
    assert (
        filters.is_decoy(body=body, charset="b62" if "_" not in body else "url", whole=body) is None
    )


def test_short_decoy_words_need_a_word_boundary() -> None:
    # Inside random text, lower-case runs containing `here` or `your` are not stand-ins.
    assert not filters.has_decoy_word("q8Zwhere2mVx7Lp")
    assert not filters.has_decoy_word("Kq8ZyourstVx")
    assert filters.has_decoy_word("sk-YOUR_KEY")
    assert filters.has_decoy_word("KeyGoesHere1")


@pytest.mark.parametrize(
    ("left", "labelled"),
    [
        ('sha256 = "', True),
        ("commit: ", True),
        ('"integrity": "', True),
        ("--hash=sha256:", True),
        ("MISTRAL_API_KEY=", False),
        ('api_key="', False),
    ],
)
def test_hash_labels(left: str, labelled: bool) -> None:
    assert filters.follows_hash_label(left) is labelled


def test_uuid() -> None:
    assert filters.is_uuid("123e4567-e89b-12d3-a456-426614174000")
    assert not filters.is_uuid("123e4567e89b12d3a456426614174000")


@pytest.mark.parametrize(
    ("path", "test", "docs"),
    [
        ("src/app/settings.py", False, False),
        ("tests/unit/test_client.py", True, False),
        ("app/client.spec.ts", True, False),
        ("pkg/client_test.go", True, False),
        ("testdata/config.yaml", True, False),
        ("docs/quickstart.md", False, True),
        ("README.md", False, True),
        ("docs/conf.py", False, True),
        (".env", False, False),
        ("notebooks/analysis.ipynb", False, False),
    ],
)
def test_path_classes(path: str, test: bool, docs: bool) -> None:
    assert filters.is_test_path(path) is test
    assert filters.is_docs_path(path) is docs
