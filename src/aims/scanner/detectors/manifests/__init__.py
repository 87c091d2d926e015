"""The manifest detector: AI packages declared in dependency manifests and lock files.

One module per ecosystem family parses its formats into `Dep` records; this module routes a
file to its parser by name, keeps only packages the catalog knows, and turns parse failures
into scan warnings (it never raises).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile
from aims.scanner.detectors.manifests import cargo, golang, maven, npm, nuget, python
from aims.scanner.detectors.manifests._common import (
    DETECTOR_NAME,
    Keep,
    ManifestError,
    Parsed,
    lookup,
    to_components,
    warning,
)

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

__all__ = ["ManifestDetector"]

Parser = Callable[[ScanFile, "Catalog"], list[tuple[str, Parsed]]]
"""A parser returns (ecosystem, what it parsed) pairs: conda files give conda and PyPI."""


def _text(file: ScanFile) -> str:
    """The file's text without a byte order mark (editors on Windows add one; JSON forbids it)."""
    text = file.text
    return text[1:] if text.startswith("\ufeff") else text


def _keep(catalog: Catalog, ecosystem: str) -> Keep:
    """Only catalog packages matter, so big lock files skip everything else early."""
    return lambda name: lookup(catalog, ecosystem, name) is not None


def _one(ecosystem: str, parse: Callable[[ScanFile, Keep], Parsed]) -> Parser:
    return lambda file, catalog: [(ecosystem, parse(file, _keep(catalog, ecosystem)))]


def _conda(file: ScanFile, catalog: Catalog) -> list[tuple[str, Parsed]]:
    conda, pip = python.parse_conda_env(_text(file))
    return [("conda", conda), ("pypi", pip)]


_BY_NAME: dict[str, Parser] = {
    "pyproject.toml": _one(
        "pypi", lambda f, k: python.parse_pyproject(_text(f), abspath=f.abspath)
    ),
    "setup.cfg": _one("pypi", lambda f, k: python.parse_setup_cfg(_text(f))),
    "setup.py": _one("pypi", lambda f, k: python.parse_setup_py(_text(f))),
    "Pipfile": _one("pypi", lambda f, k: python.parse_pipfile(_text(f), abspath=f.abspath)),
    "Pipfile.lock": _one(
        "pypi", lambda f, k: python.parse_pipfile_lock(_text(f), abspath=f.abspath, keep=k)
    ),
    "poetry.lock": _one(
        "pypi", lambda f, k: python.parse_poetry_or_pdm_lock(_text(f), abspath=f.abspath, keep=k)
    ),
    "pdm.lock": _one(
        "pypi", lambda f, k: python.parse_poetry_or_pdm_lock(_text(f), abspath=f.abspath, keep=k)
    ),
    "uv.lock": _one("pypi", lambda f, k: python.parse_uv_lock(_text(f), keep=k)),
    "package.json": _one("npm", lambda f, k: npm.parse_package_json(_text(f), abspath=f.abspath)),
    "package-lock.json": _one(
        "npm", lambda f, k: npm.parse_package_lock(_text(f), abspath=f.abspath, keep=k)
    ),
    "npm-shrinkwrap.json": _one(
        "npm", lambda f, k: npm.parse_package_lock(_text(f), abspath=f.abspath, keep=k)
    ),
    "yarn.lock": _one("npm", lambda f, k: npm.parse_yarn_lock(_text(f), abspath=f.abspath, keep=k)),
    "pnpm-lock.yaml": _one("npm", lambda f, k: npm.parse_pnpm_lock(_text(f), keep=k)),
    "bun.lock": _one("npm", lambda f, k: npm.parse_bun_lock(_text(f), keep=k)),
    "deno.json": _one("npm", lambda f, k: npm.parse_deno_json(_text(f))),
    "deno.jsonc": _one("npm", lambda f, k: npm.parse_deno_json(_text(f))),
    "go.mod": _one("golang", lambda f, k: golang.parse_go_mod(_text(f))),
    "pom.xml": _one("maven", lambda f, k: maven.parse_pom(_text(f))),
    "build.gradle": _one("maven", lambda f, k: maven.parse_gradle(_text(f), abspath=f.abspath)),
    "build.gradle.kts": _one("maven", lambda f, k: maven.parse_gradle(_text(f), abspath=f.abspath)),
    "libs.versions.toml": _one("maven", lambda f, k: maven.parse_version_catalog(_text(f))),
    "gradle.lockfile": _one(
        "maven", lambda f, k: maven.parse_gradle_lockfile(_text(f), abspath=f.abspath)
    ),
    "Cargo.toml": _one("cargo", lambda f, k: cargo.parse_cargo_toml(_text(f), abspath=f.abspath)),
    "Cargo.lock": _one("cargo", lambda f, k: cargo.parse_cargo_lock(_text(f), keep=k)),
    "Directory.Packages.props": _one("nuget", lambda f, k: nuget.parse_central_props(_text(f))),
    "packages.config": _one("nuget", lambda f, k: nuget.parse_packages_config(_text(f))),
    "packages.lock.json": _one("nuget", lambda f, k: nuget.parse_packages_lock(_text(f), keep=k)),
}


def _is_conda_env(name: str) -> bool:
    lower = name.lower()
    return (
        lower.endswith((".yml", ".yaml"))
        and lower.rsplit(".", 1)[0]
        in (
            "environment",
            "env",
            "conda",
        )
        or (
            lower.startswith(("environment-", "environment_", "environment."))
            and lower.endswith((".yml", ".yaml"))
        )
    )


def _parser_for(relpath: str, name: str) -> Parser | None:
    """Choose a parser by file name (and, for pip files, the parent folder)."""
    parser = _BY_NAME.get(name)
    if parser is not None:
        return parser
    if nuget.is_project_file(name):
        return _one("nuget", lambda f, k: nuget.parse_project_file(_text(f), abspath=f.abspath))
    parent = posixpath.basename(posixpath.dirname(relpath)).lower()
    if python.is_requirements_name(name, parent):
        constraint = name.lower().startswith("constraints")
        return _one(
            "pypi",
            lambda f, k: python.parse_requirements(
                _text(f),
                relpath=f.relpath,
                abspath=f.abspath,
                engine_scans=lambda n: n in _BY_NAME,
                constraint_file=constraint,
                keep=k,
            ),
        )
    if _is_conda_env(name):
        return _conda
    if name.endswith(".versions.toml") and parent == "gradle":
        return _one("maven", lambda f, k: maven.parse_version_catalog(_text(f)))
    return None


class ManifestDetector:
    """Reads dependency manifests and lock files of PyPI, npm, Go, Maven/Gradle, Cargo, NuGet."""

    name = DETECTOR_NAME
    version = "2"

    def wants(self, relpath: str, name: str) -> bool:
        """True for every manifest or lock file name this detector understands."""
        return _parser_for(relpath, name) is not None

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """No content prefilter: the file name decides, and lock files are read whole."""
        return None

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Parse one manifest or lock file and return its AI packages (never raises)."""
        result = DetectResult()
        parser = _parser_for(file.relpath, file.name)
        if parser is None:
            return result
        try:
            outputs = parser(file, ctx.catalog)
        except ManifestError as exc:
            result.warnings.append(warning(file.relpath, str(exc)))
            return result
        except RecursionError:
            result.warnings.append(warning(file.relpath, "nested too deeply to be parsed"))
            return result
        except Exception as exc:  # NOTE: a detector must never fail the scan
            result.warnings.append(
                warning(file.relpath, f"could not be parsed ({type(exc).__name__}: {exc})")
            )
            return result
        for ecosystem, parsed in outputs:
            catalog_ecosystem = "pypi" if ecosystem == "conda" else None
            result.components.extend(
                to_components(
                    parsed.deps,
                    ecosystem=ecosystem,
                    relpath=file.relpath,
                    text=file.text,
                    catalog=ctx.catalog,
                    catalog_ecosystem=catalog_ecosystem,
                )
            )
            for relpath, deps, text in parsed.extra_files:
                result.components.extend(
                    to_components(
                        deps, ecosystem=ecosystem, relpath=relpath, text=text, catalog=ctx.catalog
                    )
                )
            result.warnings.extend(warning(file.relpath, msg) for msg in parsed.warnings)
        return result
