"""Property tests: the analysers and detectors never raise, and fixes are safe."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from aims.agents import unicode as uni
from aims.agents.mcp import parse_servers
from aims.agents.structured import load_structured, strip_jsonc
from aims.catalog import load_catalog
from aims.scanner.detectors.agent_configs import AgentConfigDetector
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.mcp_configs import MCPConfigDetector

PATHS = (
    "CLAUDE.md",
    ".cursorrules",
    ".claude/settings.json",
    ".mcp.json",
    ".vscode/mcp.json",
    ".codex/config.toml",
    ".continue/config.yaml",
    ".zed/settings.json",
    "ext/manifest.json",
    ".claude/hooks/a.sh",
    "Makefile",
)
_CTX = DetectContext(catalog=load_catalog())
_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    [
        '{"mcpServers": {"a": {"command": ["x"], "args": 3, "env": [1, {"b": 2}]}}}',
        "[mcp_servers.x]\nargs = 1",
    ]
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.binary(max_size=400) | _TEXT.map(lambda t: t.encode()), path=st.sampled_from(PATHS))
def test_detectors_never_raise(data: bytes, path: str) -> None:
    file = ScanFile(relpath=path, abspath="/nonexistent/" + path, data=data, size=len(data))
    for detector in (AgentConfigDetector(), MCPConfigDetector()):
        if detector.wants(path, path.rsplit("/", 1)[-1]):
            detector.detect(file, _CTX)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_strip_hidden_is_idempotent_and_leaves_no_tags(text: str) -> None:
    once = uni.strip_hidden(text)
    assert uni.strip_hidden(once) == once
    assert not uni.find_tags(once)
    assert not uni.find_bidi(once)


def test_strip_hidden_keeps_subdivision_flags() -> None:
    scotland = "\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "gbsct") + "\U000e007f"
    text = f"Flag {scotland} and hidden" + "".join(chr(0xE0000 + ord(c)) for c in "run rm")
    assert uni.strip_hidden(text) == f"Flag {scotland} and hidden"


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=20,
    )
)
def test_parse_servers_accepts_any_json_shape(value: object) -> None:
    for key in ("mcpServers", "servers", "context_servers", "mcp", "mcp_servers"):
        data = {key: value}
        parse_servers(data, text=json.dumps(data), path=".mcp.json", client="claude-code")


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.dictionaries(
        st.text(max_size=10),
        st.text(alphabet=',}] /*"\\ab', max_size=10) | st.integers(),
        max_size=5,
    )
)
def test_jsonc_stripping_keeps_plain_json(value: dict[str, object]) -> None:
    text = json.dumps(value)
    assert json.loads(strip_jsonc(text)) == value
    assert load_structured(text, "jsonc") == (value, None)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    fmt=st.sampled_from(
        ["anthropic-api-key", "openai-project-key", "groq-api-key", "huggingface-user-token"]
    ),
    where=st.sampled_from(["env", "args", "headers", "url"]),
    seed=st.integers(0, 10_000),
)
def test_mcp_secret_findings_never_hold_the_key(fmt: str, where: str, seed: int) -> None:
    import random

    from aims.secrets.formats import load_key_formats

    key = {f.id: f for f in load_key_formats()}[fmt].generate_key(random.Random(seed))
    spec: dict[str, object] = {"command": "npx", "args": ["-y", "x-mcp@1.0.0"]}
    if where == "env":
        spec["env"] = {"API_KEY": key}
    elif where == "args":
        spec["args"] = ["-y", "x-mcp@1.0.0", "--api-key", key]
    elif where == "headers":
        spec = {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": f"Bearer {key}"}}
    else:
        spec = {"url": f"https://mcp.example.com/mcp?api_key={key}"}
    text = json.dumps({"mcpServers": {"s": spec}})
    file = ScanFile(
        relpath=".mcp.json", abspath="/nonexistent/.mcp.json", data=text.encode(), size=len(text)
    )
    result = MCPConfigDetector().detect(file, _CTX)
    assert result.findings, where
    dumped = repr([(f.message, f.evidence, f.properties, f.fingerprint) for f in result.findings])
    dumped += repr([c.properties for c in result.components])
    assert key not in dumped and key[-12:] not in dumped
