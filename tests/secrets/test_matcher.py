"""Matching keys in realistic text: lines, columns, notebooks, JSON escapes, context, decoys."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from aims.secrets.matcher import default_matcher, find_keys


def test_line_and_column_of_each_key(make_key: Callable[[str], str]) -> None:
    groq = make_key("groq-api-key")
    hf = make_key("huggingface-user-token")
    text = f"# settings\nGROQ_API_KEY={groq}\n\n    token = '{hf}'  # used by login\n"
    found = find_keys(text)
    assert [(m.format.id, m.line, m.column) for m in found] == [
        ("groq-api-key", 2, 14),
        ("huggingface-user-token", 4, 14),
    ]


def test_repr_and_str_never_show_the_key(make_key: Callable[[str], str]) -> None:
    secret = make_key("anthropic-api-key")
    (match,) = find_keys(f"ANTHROPIC_API_KEY={secret}")
    assert secret[-20:] not in repr(match)
    assert secret[-20:] not in str(match)
    assert match.redacted == "sk-ant-api…" + secret[-4:]
    assert secret[-20:] not in match.evidence


def test_notebook_code_cell_and_saved_output_lines(make_key: Callable[[str], str]) -> None:
    in_code = make_key("anthropic-api-key")
    in_output = make_key("anthropic-api-key")
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "source": [
                    "import anthropic\n",
                    f'client = anthropic.Anthropic(api_key="{in_code}")\n',
                ],
                "outputs": [],
                "metadata": {},
                "execution_count": 1,
            },
            {
                "cell_type": "code",
                "source": ["print(client.api_key)"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": [f"{in_output}\n"]}
                ],
                "metadata": {},
                "execution_count": 2,
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(notebook, indent=1)
    lines = text.splitlines()
    found = find_keys(text)
    assert [m.secret for m in found] == [in_code, in_output]
    assert in_code in lines[found[0].line - 1]
    assert in_output in lines[found[1].line - 1]


def test_json_escapes_are_token_boundaries(make_key: Callable[[str], str]) -> None:
    secret = make_key("openai-project-key")
    text = json.dumps({"text": f"line one\n{secret}\tend", "q": f'say "{secret}"'})
    assert [m.secret for m in find_keys(text)] == [secret, secret]


def test_key_inside_a_longer_token_is_not_a_key(make_key: Callable[[str], str]) -> None:
    secret = make_key("replicate-api-token")
    assert find_keys(f"x{secret}") == []
    assert find_keys(f"{secret}Z") == []
    assert find_keys(f"/{secret}/") == []  # a path or base64 run


def test_base64_images_are_not_keys() -> None:
    rng = random.Random(5)
    encoded = base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(3000)).decode()
    # Splice key-shaped runs into the encoded stream: they sit inside one long base64 token.
    for prefix in ("AIza", "hf_", "gsk_", "sk-proj-"):
        cut = rng.randrange(100, len(encoded) - 200)
        encoded = encoded[:cut] + prefix + encoded[cut : cut + 120] + encoded[cut:]
    text = f'<img src="data:image/png;base64,{encoded}">\n"image/png": "{encoded}",\n'
    assert find_keys(text) == []


def test_placeholders_and_env_reads_are_not_keys() -> None:
    text = "\n".join(
        [
            'api_key = os.environ["OPENAI_API_KEY"]',
            "const k = process.env.ANTHROPIC_API_KEY;",
            "OPENAI_API_KEY=${OPENAI_API_KEY}",
            "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ANTHROPIC_API_KEY=<api-key>",
            "GEMINI_API_KEY=YOUR_API_KEY",
            "HF_TOKEN=hf_" + "EXAMPLE" * 5,
            "HF_TOKEN=hf_" + "aq" * 17,
        ]
    )
    result = default_matcher().find(text)
    assert result.matches == []
    assert {r.reason for r in result.rejected} >= {"entropy", "word"}


def test_contextual_key_by_host_within_five_lines(make_key: Callable[[str], str]) -> None:
    secret = make_key("mistral-api-key")
    near = f'BASE = "https://api.mistral.ai/v1"\n\n\n\nheaders = {{"Authorization": "Bearer {secret}"}}\n'
    far = 'BASE = "https://api.mistral.ai/v1"\n' + "\n" * 8 + f'api_key = "{secret}"\n'
    assert [m.format.id for m in find_keys(near)] == ["mistral-api-key"]
    assert find_keys(far) == []


def test_contextual_needs_a_key_like_name(make_key: Callable[[str], str]) -> None:
    secret = make_key("cohere-api-key")
    # A provider word nearby, but the value is assigned to something that is not a credential.
    assert find_keys(f'import cohere\nSESSION_ID = "{secret}"\n') == []
    assert find_keys(f'import cohere\nSESSION_SECRET = "{secret}"\n') == []
    assert [
        m.format.id for m in find_keys(f'import cohere\nco = cohere.ClientV2(api_key="{secret}")\n')
    ] == ["cohere-api-key"]


def test_distinctive_prefix_wins_over_context(make_key: Callable[[str], str]) -> None:
    legacy = make_key("openai-user-key")  # 48 characters after sk-, like a Stability key
    found = find_keys(f"STABILITY_API_KEY={legacy}\n")
    assert [m.format.id for m in found] == ["openai-user-key"]


def test_every_key_in_a_line_is_found(make_key: Callable[[str], str]) -> None:
    keys = [make_key("groq-api-key"), make_key("xai-api-key"), make_key("tavily-api-key")]
    found = find_keys(" ".join(f'"{k}"' for k in keys))
    assert [m.secret for m in found] == keys


@settings(max_examples=300)
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    default_matcher().find(text)


@settings(max_examples=200)
@given(st.binary())
def test_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    default_matcher().find(data.decode("utf-8", errors="replace"))


@settings(max_examples=100)
@given(prefix=st.text(alphabet=" \n=:\"'", max_size=5), noise=st.text(max_size=200))
def test_a_planted_key_is_found_after_any_separator(prefix: str, noise: str) -> None:
    rng = random.Random(len(noise))
    secret = "gsk_" + "".join(
        rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789") for _ in range(52)
    )
    text = noise + "\n" + prefix + secret + "\n"
    assert secret in [m.secret for m in find_keys(text)]


def test_env_name_must_be_the_name_the_value_is_assigned_to(make_key: Callable[[str], str]) -> None:
    secret = make_key("deepseek-api-key")
    # The provider's variable is on the line, but the value belongs to `ref`.
    assert find_keys(f"examples: ['DEEPSEEK_API_KEY=sk-xxx', 'ref = \"{secret}\"']\n") == []
    assert [m.format.id for m in find_keys(f'os.environ["DEEPSEEK_API_KEY"] = "{secret}"\n')] == [
        "deepseek-api-key"
    ]


def test_context_windows_follow_keyword_occurrences(make_key: Callable[[str], str]) -> None:
    secret = make_key("wandb-api-key")
    filler = "\n".join(f"line {i}" for i in range(200))
    text = f'{filler}\nimport wandb\nwandb.login(key="{secret}")\n{filler}\n'
    (match,) = find_keys(text)
    assert match.line == 202
