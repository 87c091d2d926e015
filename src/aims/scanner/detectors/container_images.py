"""AI container images deployed outside CI: inference servers, vector databases and AI tools
named in Compose files, Kubernetes manifests, Helm values and Dockerfiles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aims.inventory import Component, ComponentType, Evidence
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.ci_workflows import ci_kind

if TYPE_CHECKING:
    from aims.catalog.model import Catalog, CiTool

DETECTOR_NAME = "container-images"

# `image: ollama/ollama:0.5` (Compose, Kubernetes, Helm) and `repository: vllm/vllm-openai`
# (Helm values that split repository and tag).
_YAML_IMAGE = re.compile(
    r"""^[ \t-]*["']?(?P<key>image|repository)["']?[ \t]*:[ \t]*["']?(?P<ref>[A-Za-z0-9$][^\s"'#]*)""",
    re.MULTILINE,
)
# `FROM [--platform=…] ollama/ollama:0.5 [AS name]` in a Dockerfile or Containerfile.
_DOCKERFILE_FROM = re.compile(
    r"^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*(?P<ref>[A-Za-z0-9$][^\s]*)", re.MULTILINE | re.IGNORECASE
)
_HUB_PREFIXES = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")


def container_file_kind(relpath: str) -> str | None:
    """Return `dockerfile` or `yaml` for files that can name images to run, else None.

    CI pipeline files are left to the CI detector, which reports their images as AI steps.
    """
    name = relpath.rsplit("/", 1)[-1].lower()
    if name in ("dockerfile", "containerfile") or name.startswith(
        ("dockerfile.", "containerfile.")
    ):
        return "dockerfile"
    if name.endswith((".dockerfile", ".containerfile")):
        return "dockerfile"
    if name.endswith((".yml", ".yaml")) and ci_kind(relpath) is None:
        return "yaml"
    return None


def split_image(reference: str) -> tuple[str, str | None]:
    """Split an image reference into its repository as written and its literal tag (or None).

    A tag that is a variable (`${TAG:-cpu}`, `{{ .Values.tag }}`) is not a version; a digest
    (`@sha256:…`) is kept out of the tag.
    """
    ref = reference.strip().strip("'\"").split("@", 1)[0]
    slash = ref.rfind("/")
    colon = ref.find(":", slash + 1)
    if colon == -1:
        return ref, None
    repo, tag = ref[:colon], ref[colon + 1 :]
    if not tag or any(ch in tag for ch in "${}"):
        return repo, None
    return repo, tag


def image_purl(repository: str, tag: str | None) -> str | None:
    """Return the `pkg:docker/…` package URL of an image, with `repository_url` for registries
    other than Docker Hub."""
    from packageurl import PackageURL

    repo = repository.lower()
    for hub in _HUB_PREFIXES:
        repo = repo.removeprefix(hub)
    registry: str | None = None
    first, _, rest = repo.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, repo = first, rest
    namespace, _, name = repo.rpartition("/")
    if not name:
        return None
    if registry is None and not namespace:
        namespace = "library"
    qualifiers = {"repository_url": registry} if registry else None
    try:
        purl = PackageURL(
            type="docker",
            namespace=namespace or None,
            name=name,
            version=tag,
            qualifiers=qualifiers,
        )
    except ValueError:
        return None
    return str(purl.to_string())


class ContainerImageDetector:
    """Finds catalogued AI images (`catalog/data/ci.yaml`, kind `image`) run outside CI."""

    name = DETECTOR_NAME
    version = "1"

    def wants(self, relpath: str, name: str) -> bool:
        """Dockerfiles and YAML files that are not CI pipelines."""
        return container_file_kind(relpath) is not None

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """The repository part of every catalogued image: a file naming none is skipped."""
        from aims.catalog.match import normalise_image

        words: set[bytes] = set()
        for tool in catalog.ci_tools_of("image"):
            for value in tool.match:
                words.add(normalise_image(value.removesuffix("*")).encode())
        return sorted(words)

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """One SDK component (ecosystem `docker`) per catalogued image the file runs."""
        result = DetectResult()
        kind = container_file_kind(file.relpath)
        if kind is None:
            return result
        pattern = _DOCKERFILE_FROM if kind == "dockerfile" else _YAML_IMAGE
        text = file.text
        lines = _source.LineIndex(text)
        found: dict[tuple[str, str | None], Component] = {}
        for m in pattern.finditer(text):
            reference = m.group("ref")
            tool = ctx.catalog.ci_image(reference)
            if tool is None:
                continue
            repository, tag = split_image(reference)
            component = found.get((repository.lower(), tag))
            if component is None:
                component = _component(tool, repository, tag, source=_source_kind(kind, text))
                found[(repository.lower(), tag)] = component
            line = lines.line_of(m.start("ref"))
            evidence = Evidence(
                path=file.relpath,
                line=line,
                detector=DETECTOR_NAME,
                snippet=_source.snippet(lines.line_text(line)),
            )
            if evidence not in component.evidence:
                component.evidence.append(evidence)
        result.components.extend(found.values())
        return result


def _source_kind(kind: str, text: str) -> str:
    if kind == "dockerfile":
        return "dockerfile"
    if re.search(r"^services[ \t]*:", text, re.MULTILINE):
        return "compose"
    if re.search(r"^kind[ \t]*:", text, re.MULTILINE):
        return "kubernetes"
    return "yaml"


def _component(tool: CiTool, repository: str, tag: str | None, *, source: str) -> Component:
    from aims.catalog.match import normalise_image

    return Component(
        type=ComponentType.SDK,
        name=normalise_image(repository),
        version=tag,
        ecosystem="docker",
        purl=image_purl(repository, tag),
        provider=tool.provider,
        category=tool.purpose,
        direct=True,
        properties={"image_tool": tool.id, "deployment": source},
    )
