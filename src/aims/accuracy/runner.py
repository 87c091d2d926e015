"""Run the real scanner on each corpus repository, with the cache off, and match the results."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from aims.accuracy.corpus import CorpusRepo
from aims.accuracy.matching import RepoResult, match_repo
from aims.errors import AimsError
from aims.inventory import ComponentType, Inventory

ENGINE_MODULE = "aims.scanner.engine"

# Which registry modules must be present before a type's accuracy is meaningful.
DETECTORS_FOR_TYPE: dict[ComponentType, frozenset[str]] = {
    ComponentType.PROVIDER: frozenset({"provider_refs"}),
    ComponentType.SDK: frozenset({"manifests", "imports", "notebooks"}),
    ComponentType.MODEL: frozenset({"model_refs"}),
    ComponentType.MODEL_FILE: frozenset({"model_files"}),
    ComponentType.MCP_SERVER: frozenset({"mcp_configs"}),
    ComponentType.AGENT_CONFIG: frozenset({"agent_configs"}),
    ComponentType.AI_WORKFLOW: frozenset({"ci_workflows"}),
    ComponentType.DATASET: frozenset({"datasets"}),
    ComponentType.SECRET: frozenset({"secrets"}),
}

# Option names the engine may use for its content cache (turned off) and its worker count (one
# process: the corpus repositories are tiny, a pool would cost more than it saves).
_CACHE_OFF: dict[str, object] = {
    "jobs": 1,
    "cache": False,
    "use_cache": False,
    "no_cache": True,
    "cache_enabled": False,
    "cache_dir": None,
    "progress": False,
}


class EngineMissingError(AimsError):
    """The scan engine is not installed yet, so nothing can be measured."""


class ScanFailedError(AimsError):
    """The engine raised while scanning a corpus repository (a scanner bug)."""


ScanFunction = Callable[[Sequence[Path]], Inventory]


def _field_names(cls: type) -> set[str]:
    if dataclasses.is_dataclass(cls):
        return {f.name for f in dataclasses.fields(cls)}
    model_fields = getattr(cls, "model_fields", None)
    if isinstance(model_fields, dict):
        return set(model_fields)
    return set()


def engine_scan_function() -> ScanFunction:
    """Return a function that scans paths with the real engine and its cache turned off.

    Raises `EngineMissingError` when `aims.scanner.engine` (with `scan` and `ScanOptions`) does
    not exist yet.
    """
    try:
        engine = importlib.import_module(ENGINE_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != ENGINE_MODULE:
            raise
        raise EngineMissingError(
            f"{ENGINE_MODULE} is not available, so there is no scanner to measure",
            hint="The accuracy harness runs aims.scanner.engine.scan(paths, ScanOptions); "
            "it will work as soon as the engine lands.",
        ) from exc
    scan = getattr(engine, "scan", None)
    options_cls = getattr(engine, "ScanOptions", None)
    if scan is None or options_cls is None:
        raise EngineMissingError(f"{ENGINE_MODULE} lacks scan() or ScanOptions")
    names = _field_names(options_cls)
    kwargs: dict[str, Any] = {k: v for k, v in _CACHE_OFF.items() if k in names}
    options = options_cls(**kwargs)

    def run(paths: Sequence[Path]) -> Inventory:
        inventory: Inventory = scan(list(paths), options)
        return inventory

    return run


def present_detector_modules() -> set[str]:
    """Return the module names (`manifests`, `imports`, ...) of registered detectors that exist."""
    from aims.scanner.detectors import all_detectors

    return {type(d).__module__.rsplit(".", 1)[-1] for d in all_detectors()}


def measurable_types(modules: set[str]) -> list[ComponentType]:
    """Return the types whose detectors are all present, in enum order."""
    return [t for t, need in DETECTORS_FOR_TYPE.items() if need <= modules]


def evaluate(repos: Sequence[CorpusRepo], scan: ScanFunction | None = None) -> list[RepoResult]:
    """Scan each repository and compare with its truth; `scan` defaults to the real engine.

    Raises `EngineMissingError` without an engine and `ScanFailedError` when a scan crashes.
    """
    run = scan or engine_scan_function()
    results: list[RepoResult] = []
    for repo in repos:
        try:
            inventory = run([repo.root])
        except AimsError:
            raise
        except Exception as exc:  # NOTE: name the repository instead of a bare traceback.
            raise ScanFailedError(
                f"scanning corpus repository {repo.name!r} failed: {type(exc).__name__}: {exc}",
                hint=f"Reproduce with: aims scan {repo.root}",
            ) from exc
        results.append(match_repo(repo.name, repo.expected, inventory.components))
    return results
