"""Provider evidence from model routes: `bedrock/<model>`, `openai:<model>` and the like."""

from __future__ import annotations

import pytest

from aims.catalog import load_catalog
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.provider_refs import ProviderRefDetector, _routes, find_provider_refs

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"model": "bedrock/anthropic.claude-3-haiku-20240307-v1:0"', ["aws-bedrock"]),
        ("agent = Agent('openai:gpt-4o-mini')", ["openai"]),
        ("llm = 'gemini/gemini-1.5-pro-002'", ["google-gemini"]),
        ('model="vertex_ai/claude-3-5-sonnet@20240620"', ["google-vertex"]),
        ("completion(model='ollama/llama3.1')", ["ollama"]),
        # Not routes: the part after the prefix is no known model ID, or it is not quoted.
        ('"azure/templates"', []),
        ("see bedrock/anthropic.claude-3-haiku-20240307-v1:0 in the docs", []),
        ('"openai:my-fine-tune"', []),
    ],
)
def test_routes(text: str, expected: list[str]) -> None:
    assert [r.provider for r in find_provider_refs(text, CATALOG) if r.route] == expected


def test_every_route_names_a_catalog_provider() -> None:
    table, _ = _routes()
    assert set(table.values()) <= {p.id for p in CATALOG.providers}


def test_detector_reports_the_route_line() -> None:
    text = 'ROUTES = [\n    {"model": "bedrock/anthropic.claude-3-haiku-20240307-v1:0"},\n]\n'
    file = ScanFile(
        relpath="src/routes.py", abspath="src/routes.py", data=text.encode(), size=len(text)
    )
    result = ProviderRefDetector().detect(file, DetectContext(catalog=CATALOG))
    [component] = result.components
    assert component.name == "aws-bedrock" and [e.line for e in component.evidence] == [2]
    assert component.properties["routes"] == ["bedrock/anthropic.claude-3-haiku-20240307-v1:0"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('runtime = boto3.client("bedrock-runtime", region_name="eu-west-1")', ["aws-bedrock"]),
        ("sm = session.client(service_name='sagemaker-runtime')", ["aws-sagemaker"]),
        ('s3 = boto3.client("s3")', []),
        ('print("bedrock-runtime")', []),
    ],
)
def test_cloud_sdk_clients_by_service_name(text: str, expected: list[str]) -> None:
    assert [r.provider for r in find_provider_refs(text, CATALOG) if r.client] == expected
