"""AI services provisioned or granted in infrastructure as code (Terraform, CloudFormation, ARM,
Bicep, IAM policies): provider evidence that no SDK import shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "iac"
_SUFFIXES = (".tf", ".tf.json", ".hcl", ".bicep", ".json", ".yaml", ".yml", ".template")
_SKIP_NAMES = frozenset({"package.json", "package-lock.json", "composer.json", "tsconfig.json"})


class IaCDetector:
    """Finds AI provider services declared or granted in infrastructure code."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """Terraform, Bicep, and JSON/YAML templates and policies."""
        lower = name.lower()
        return lower.endswith(_SUFFIXES) and lower not in _SKIP_NAMES

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Resource type and IAM action prefixes from `catalog/data/iac.yaml`."""
        from aims.catalog.iac import load_iac

        return load_iac().keywords()

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """One provider component per service the file provisions or grants access to."""
        from aims.catalog.iac import load_iac

        result = DetectResult()
        text = file.text
        try:
            matches = load_iac().find(text)
        except (RecursionError, ValueError) as exc:  # NOTE: defensive; the patterns are total.
            result.warnings.append(ScanWarning(file.relpath, f"iac: {exc}"))
            return result
        if not matches:
            return result
        lines = _source.LineIndex(text)
        by_provider: dict[str, Component] = {}
        for match in matches:
            component = by_provider.get(match.provider)
            if component is None:
                component = Component(
                    type=ComponentType.PROVIDER,
                    name=match.provider,
                    provider=match.provider,
                    properties={"iac": []},
                )
                by_provider[match.provider] = component
            line = lines.line_of(match.start)
            evidence = Evidence(
                path=file.relpath,
                line=line,
                detector=DETECTOR_NAME,
                snippet=_source.snippet(lines.line_text(line)),
            )
            if evidence not in component.evidence:
                component.evidence.append(evidence)
            tokens: list[str] = component.properties["iac"]
            if match.token not in tokens:
                tokens.append(match.token)
                tokens.sort()
        result.components.extend(by_provider.values())
        return result
