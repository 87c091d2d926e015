"""The secrets detector: findings, components, severity by path, fingerprints without keys."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from aims.catalog import load_catalog
from aims.findings import Confidence, Finding, Severity
from aims.inventory import Component, ComponentType
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.secrets import SecretDetector
from aims.secrets.fingerprint import keyed_hash


def _scan(relpath: str, text: str | bytes) -> tuple[list[Finding], list[Component]]:
    data = text if isinstance(text, bytes) else text.encode()
    result = SecretDetector().detect(
        ScanFile(relpath=relpath, abspath="/x/" + relpath, data=data, size=len(data)),
        DetectContext(catalog=load_catalog()),
    )
    return result.findings, result.components


def test_finding_for_a_distinctive_key(make_key: Callable[[str], str]) -> None:
    secret = make_key("anthropic-api-key")
    findings, components = _scan("src/app/llm.py", f'import anthropic\nKEY = "{secret}"\n')
    (finding,) = findings
    assert finding.rule_id == "AIM201"
    assert finding.rule_name == "hardcoded-ai-provider-key"
    assert finding.severity is Severity.CRITICAL
    assert finding.confidence is Confidence.HIGH
    assert (finding.primary.path, finding.primary.line, finding.primary.column) == (
        "src/app/llm.py",
        2,
        8,
    )
    assert finding.evidence.startswith("sk-ant-api…" + secret[-4:] + " (fp ")
    assert finding.properties["family"] == "secret"
    assert finding.properties["provider"] == "anthropic"
    (component,) = components
    assert component.type is ComponentType.SECRET
    assert component.provider == "anthropic"
    assert component.evidence[0].line == 2


def test_nothing_about_the_finding_contains_the_key(make_key: Callable[[str], str]) -> None:
    secret = make_key("openai-project-key")
    findings, components = _scan(".env", f"OPENAI_API_KEY={secret}\n")
    dumped = json.dumps(
        [dataclasses.asdict(f) for f in findings] + [dataclasses.asdict(c) for c in components],
        default=str,
    )
    body = secret[len("sk-proj-") :]
    for i in range(0, len(body) - 8):
        assert body[i : i + 8] not in dumped
    assert findings[0].fingerprint not in (secret, keyed_hash(secret))


def test_fingerprint_survives_moving_lines_and_differs_per_key(
    make_key: Callable[[str], str],
) -> None:
    a, b = make_key("groq-api-key"), make_key("groq-api-key")
    (first,), _ = _scan("app.py", f'K = "{a}"\n')
    (moved,), _ = _scan("app.py", f'\n\n# moved\nK = "{a}"\n')
    (other,), _ = _scan("app.py", f'K = "{b}"\n')
    assert first.fingerprint == moved.fingerprint
    assert first.fingerprint != other.fingerprint


def test_severity_is_lower_in_tests_and_docs(make_key: Callable[[str], str]) -> None:
    line = f"XAI_API_KEY={make_key('xai-api-key')}\n"
    assert _scan("tests/test_client.py", line)[0][0].severity is Severity.MEDIUM
    assert _scan("docs/setup.md", line)[0][0].severity is Severity.LOW
    assert _scan("deploy/Dockerfile", line)[0][0].severity is Severity.CRITICAL


def test_contextual_key_is_aim202_with_medium_confidence(make_key: Callable[[str], str]) -> None:
    (finding,), _ = _scan(
        "config.yaml", f"deepgram:\n  DEEPGRAM_API_KEY: {make_key('deepgram-api-key')}\n"
    )
    assert (finding.rule_id, finding.confidence, finding.primary.line) == (
        "AIM202",
        Confidence.MEDIUM,
        2,
    )


def test_wants_skips_lock_files_and_keywords_include_prefixes() -> None:
    detector = SecretDetector()
    assert detector.wants("package-lock.json", "package-lock.json") is False
    assert detector.wants("poetry.lock", "poetry.lock") is False
    assert detector.wants(".env.local", ".env.local") is True
    assert detector.wants("notebooks/a.ipynb", "a.ipynb") is True
    keywords = set(detector.keywords(load_catalog()) or [])
    assert {b"sk-", b"aiza", b"hf_", b"mistral"} <= keywords


def test_bad_input_never_raises() -> None:
    findings, components = _scan("x.bin", b"\xff\xfe\x00sk-ant-api03-\xc3" * 10)
    assert findings == [] and components == []


def test_notebook_findings_name_the_cell_and_part(make_key: Callable[[str], str]) -> None:
    secret = make_key("anthropic-api-key")
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# demo"]},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": [f"{secret}\n"]}],
            "source": ["print(client.api_key)"],
        },
    ]
    text = json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
        indent=1,
        sort_keys=True,
    )
    (finding,), _ = _scan("analysis.ipynb", text)
    assert finding.properties["notebook_cell"] == 2
    assert finding.properties["notebook_part"] == "output"
    assert "analysis.ipynb (cell 2 output)" in finding.message
    assert secret in text.splitlines()[finding.primary.line - 1]
