"""The Hugging Face Hub is a provider of the models and datasets fetched from it."""

from __future__ import annotations

from aims.inventory import Component, ComponentType, Evidence, ScanStats
from aims.scanner.assemble import assemble, derive_providers


def _model(name: str, via: str, line: int) -> Component:
    return Component(
        type=ComponentType.MODEL,
        name=name,
        ecosystem="huggingface",
        properties={"via": via},
        evidence=[Evidence(path="train.py", line=line, detector="model-refs")],
    )


def _providers(components: list[Component]) -> dict[str, list[int | None]]:
    return {
        c.name: [e.line for e in c.evidence]
        for c in derive_providers(components)
        if c.type is ComponentType.PROVIDER
    }


def test_models_and_datasets_from_the_hub_name_the_hub() -> None:
    dataset = Component(
        type=ComponentType.DATASET,
        name="HuggingFaceH4/ultrachat_200k",
        ecosystem="huggingface",
        evidence=[Evidence(path="train.py", line=30, detector="datasets")],
    )
    components = [_model("allenai/scibert_scivocab_uncased", "from_pretrained", 12), dataset]
    assert _providers(components) == {"huggingface": [12, 30]}


def test_repo_shaped_ids_without_a_download_do_not() -> None:
    routed = _model("google/gemini-flash-1.5", "known-org", 9)
    routed.provider = "google-gemini"
    assert _providers([routed]) == {"google-gemini": [9]}
    assert _providers([_model("acme/tuned", "repo-id", 3)]) == {}


def test_hub_evidence_joins_a_detected_huggingface_provider() -> None:
    detected = Component(
        type=ComponentType.PROVIDER,
        name="huggingface",
        provider="huggingface",
        evidence=[Evidence(path=".env.example", line=1, detector="provider-refs")],
    )
    model = _model("BAAI/bge-small-en-v1.5", "from_pretrained", 5)
    model.provider = "baai"
    inventory = assemble(
        roots=["."],
        components=[detected, model],
        findings=[],
        warnings=[],
        stats=ScanStats(),
        reproducible=True,
    )
    providers = {
        c.name: [(e.path, e.line) for e in c.evidence]
        for c in inventory.components
        if c.type is ComponentType.PROVIDER
    }
    assert providers == {
        "baai": [("train.py", 5)],
        "huggingface": [(".env.example", 1), ("train.py", 5)],
    }
