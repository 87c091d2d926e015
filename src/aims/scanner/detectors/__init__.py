"""The registry of detectors: one explicit list, in the order they run."""

from __future__ import annotations

import importlib

from aims.scanner.detectors.base import Detector

# `module:Class` of every built-in detector. One explicit list; no auto-discovery.
DETECTORS: tuple[str, ...] = (
    "aims.scanner.detectors.manifests:ManifestDetector",
    "aims.scanner.detectors.imports:ImportDetector",
    "aims.scanner.detectors.notebooks:NotebookDetector",
    "aims.scanner.detectors.model_refs:ModelRefDetector",
    "aims.scanner.detectors.model_loaders:ModelLoaderDetector",
    "aims.scanner.detectors.model_files:ModelFileDetector",
    "aims.scanner.detectors.provider_refs:ProviderRefDetector",
    "aims.scanner.detectors.iac:IaCDetector",
    "aims.scanner.detectors.ci_workflows:CIWorkflowDetector",
    "aims.scanner.detectors.container_images:ContainerImageDetector",
    "aims.scanner.detectors.datasets:DatasetDetector",
    "aims.scanner.detectors.dataset_files:DatasetFileDetector",
    "aims.scanner.detectors.secrets:SecretDetector",
    "aims.scanner.detectors.agent_configs:AgentConfigDetector",
    "aims.scanner.detectors.mcp_configs:MCPConfigDetector",
    "aims.scanner.detectors.mcp_code:MCPCodeDetector",
    "aims.scanner.detectors.n8n:N8nDetector",
)


def all_detectors() -> list[Detector]:
    """Return one instance of every built-in detector, in registry order."""
    detectors: list[Detector] = []
    for spec in DETECTORS:
        module_name, class_name = spec.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # NOTE: detectors still being built are simply absent.
            raise
        detectors.append(getattr(module, class_name)())
    return detectors
