"""AI container images run outside CI: Compose files, Kubernetes manifests, Helm values and
Dockerfiles."""

from __future__ import annotations

import pytest

from aims.catalog import load_catalog
from aims.catalog.match import normalise_image
from aims.inventory import Component
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.container_images import (
    ContainerImageDetector,
    container_file_kind,
    image_purl,
    split_image,
)


def _detect(relpath: str, text: str) -> list[Component]:
    file = ScanFile(relpath=relpath, abspath=relpath, data=text.encode(), size=len(text))
    return ContainerImageDetector().detect(file, DetectContext(catalog=load_catalog())).components


COMPOSE = """\
services:
  db:
    image: postgres:16            # not AI
  embeddings:
    platform: linux/x86_64
    image: ghcr.io/huggingface/text-embeddings-inference:${TEI_TAG:-cpu-latest}
    command: --model-id BAAI/bge-small-en-v1.5
  llm:
    image: "ollama/ollama:0.5.7"
  vectors:
    image: qdrant/qdrant@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  cache:
    image: redis/redis-stack:latest
"""


def test_compose_services_are_reported_with_line_version_and_purl() -> None:
    found = {c.name: c for c in _detect("deploy/docker-compose.yml", COMPOSE)}
    assert sorted(found) == [
        "ghcr.io/huggingface/text-embeddings-inference",
        "ollama/ollama",
        "qdrant/qdrant",
    ]
    tei = found["ghcr.io/huggingface/text-embeddings-inference"]
    assert tei.version is None  # a variable tag is not a version
    assert tei.provider == "huggingface"
    assert tei.category == "inference-server"
    assert tei.ecosystem == "docker"
    assert tei.purl == "pkg:docker/huggingface/text-embeddings-inference?repository_url=ghcr.io"
    assert [e.line for e in tei.evidence] == [6]
    assert tei.properties["deployment"] == "compose"
    ollama = found["ollama/ollama"]
    assert (ollama.version, ollama.provider, ollama.purl) == (
        "0.5.7",
        "ollama",
        "pkg:docker/ollama/ollama@0.5.7",
    )
    assert found["qdrant/qdrant"].category == "vector-db"
    assert found["qdrant/qdrant"].version is None


def test_kubernetes_manifest_and_helm_values() -> None:
    deployment = """\
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: llm
          image: nvcr.io/nim/meta/llama-3.1-8b-instruct:1.1.0
        - name: sidecar
          image: nvcr.io/nvidia/cuda:12.4.0-base-ubuntu22.04
"""
    (nim,) = _detect("k8s/llm.yaml", deployment)
    assert (nim.name, nim.version, nim.provider) == (
        "nvcr.io/nim/meta/llama-3.1-8b-instruct",
        "1.1.0",
        "nvidia",
    )
    assert nim.properties["deployment"] == "kubernetes"
    values = "image:\n  repository: vllm/vllm-openai\n  tag: v0.6.4\n"
    (vllm,) = _detect("charts/llm/values.yaml", values)
    assert (vllm.name, vllm.version, vllm.provider) == ("vllm/vllm-openai", None, None)


def test_dockerfile_from_lines() -> None:
    dockerfile = """\
FROM python:3.12-slim AS build
RUN pip install -r requirements.txt
FROM --platform=linux/amd64 vllm/vllm-openai:v0.6.4 AS serve
COPY --from=build /app /app
"""
    (vllm,) = _detect("Dockerfile", dockerfile)
    assert (vllm.name, vllm.version, [e.line for e in vllm.evidence]) == (
        "vllm/vllm-openai",
        "v0.6.4",
        [3],
    )
    assert vllm.properties["deployment"] == "dockerfile"


def test_images_named_in_prose_or_other_keys_are_not_reported() -> None:
    text = "description: run ollama/ollama locally\nnotes:\n  - pull qdrant/qdrant first\n"
    assert _detect("docs/setup.yaml", text) == []
    assert _detect("Dockerfile", "# FROM ollama/ollama\nFROM debian:12\n") == []


@pytest.mark.parametrize(
    ("relpath", "kind"),
    [
        ("Dockerfile", "dockerfile"),
        ("svc/Dockerfile.gpu", "dockerfile"),
        ("svc/api.dockerfile", "dockerfile"),
        ("Containerfile", "dockerfile"),
        ("docker-compose.yml", "yaml"),
        ("deploy/k8s/llm.yaml", "yaml"),
        (".github/workflows/ci.yml", None),  # CI images are the CI detector's
        (".gitlab-ci.yml", None),
        ("src/app.py", None),
    ],
)
def test_which_files_are_read(relpath: str, kind: str | None) -> None:
    assert container_file_kind(relpath) == kind


def test_image_reference_parts() -> None:
    assert split_image("localhost:5000/ollama/ollama:0.5") == (
        "localhost:5000/ollama/ollama",
        "0.5",
    )
    assert split_image("ollama/ollama@sha256:abc") == ("ollama/ollama", None)
    assert split_image("ollama/ollama:{{ .Values.tag }}") == ("ollama/ollama", None)
    assert normalise_image("ghcr.io/huggingface/text-embeddings-inference:${T:-cpu}") == (
        "ghcr.io/huggingface/text-embeddings-inference"
    )
    assert normalise_image("localhost:5000/ollama/ollama:0.5") == "localhost:5000/ollama/ollama"
    assert image_purl("docker.io/ollama/ollama", "0.5") == "pkg:docker/ollama/ollama@0.5"
    assert image_purl("localhost:5000/team/llm", None) == (
        "pkg:docker/team/llm?repository_url=localhost:5000"
    )


def test_keywords_cover_every_catalogued_image() -> None:
    catalog = load_catalog()
    words = list(ContainerImageDetector().keywords(catalog) or [])
    for tool in catalog.ci_tools_of("image"):
        for value in tool.match:
            example = value.replace("*", "x/y").encode()
            assert any(w in example.lower() for w in words), value
