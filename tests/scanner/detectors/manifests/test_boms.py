"""Maven BOMs (pom `<scope>import</scope>`, Gradle `platform()`, `enforcedPlatform()` and
`mavenBom`, version catalog `-bom` libraries): never components themselves; the artifacts they
manage are, with the BOM's version when the catalog knows the BOM pins its whole group."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.catalog import load_catalog
from aims.catalog.model import Catalog

from .conftest import scan_file


@pytest.fixture(scope="module")
def real_catalog() -> Catalog:
    return load_catalog()


def _write(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _summary(root: Path, relpath: str, catalog: Catalog) -> list[tuple[str, str | None, object]]:
    result = scan_file(root, relpath, catalog)
    assert result.warnings == []
    return [(c.name, c.version, c.properties.get("version_from")) for c in result.components]


POM = """<project>
  <properties><spring-ai.version>1.0.1</spring-ai.version></properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework.ai</groupId><artifactId>spring-ai-bom</artifactId>
        <version>${spring-ai.version}</version><type>pom</type><scope>import</scope>
      </dependency>
      <dependency>
        <groupId>dev.langchain4j</groupId><artifactId>langchain4j-bom</artifactId>
        <version>1.3.0</version><type>pom</type><scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework.ai</groupId>
      <artifactId>spring-ai-starter-model-openai</artifactId>
    </dependency>
    <dependency>
      <groupId>dev.langchain4j</groupId><artifactId>langchain4j-open-ai</artifactId>
    </dependency>
  </dependencies>
</project>
"""


def test_pom_import_boms_give_the_release_train_version(
    tmp_path: Path, real_catalog: Catalog
) -> None:
    _write(tmp_path, {"pom.xml": POM})
    result = scan_file(tmp_path, "pom.xml", real_catalog)
    by_name = {c.name: c for c in result.components}
    assert sorted(by_name) == [
        "dev.langchain4j:langchain4j-open-ai",
        "org.springframework.ai:spring-ai-starter-model-openai",
    ]
    starter = by_name["org.springframework.ai:spring-ai-starter-model-openai"]
    # Spring AI releases every module together: its BOM's version is the starter's.
    assert (starter.version, starter.properties["version_from"]) == ("1.0.1", "bom")
    assert starter.purl == "pkg:maven/org.springframework.ai/spring-ai-starter-model-openai@1.0.1"
    # LangChain4j's BOM pins some modules at other (beta) versions: not guessed, but noted.
    openai = by_name["dev.langchain4j:langchain4j-open-ai"]
    assert openai.version is None
    assert openai.properties["managed_by"] == [
        "org.springframework.ai:spring-ai-bom:1.0.1",
        "dev.langchain4j:langchain4j-bom:1.3.0",
    ]


def test_gradle_platforms_and_maven_bom_are_not_dependencies(
    tmp_path: Path, real_catalog: Catalog
) -> None:
    _write(
        tmp_path,
        {
            "build.gradle": (
                "ext.springAiVersion = '1.0.0-M6'\n"
                "dependencies {\n"
                "  implementation 'org.springframework.ai:spring-ai-starter-model-ollama'\n"
                "  implementation enforcedPlatform('dev.langchain4j:langchain4j-bom:1.3.0')\n"
                "  implementation 'dev.langchain4j:langchain4j-anthropic'\n"
                "}\n"
                "dependencyManagement {\n"
                "  imports {\n"
                '    mavenBom "org.springframework.ai:spring-ai-bom:${springAiVersion}"\n'
                "  }\n"
                "}\n"
            )
        },
    )
    assert _summary(tmp_path, "build.gradle", real_catalog) == [
        ("org.springframework.ai:spring-ai-starter-model-ollama", "1.0.0-M6", "bom"),
        ("dev.langchain4j:langchain4j-anthropic", None, None),
    ]


def test_version_catalog_platform_references(tmp_path: Path, real_catalog: Catalog) -> None:
    _write(
        tmp_path,
        {
            "gradle/libs.versions.toml": (
                "[versions]\nspring-ai = '1.1.0'\n\n[libraries]\n"
                "spring-ai-bom = { module = 'org.springframework.ai:spring-ai-bom', "
                "version.ref = 'spring-ai' }\n"
                "spring-ai-openai = { module = 'org.springframework.ai:spring-ai-openai' }\n"
                "[bundles]\nai = ['spring-ai-openai']\n"
            ),
            "app/build.gradle.kts": (
                "dependencies {\n"
                "    implementation(platform(libs.spring.ai.bom))\n"
                "    implementation(libs.bundles.ai)\n"
                "}\n"
            ),
        },
    )
    assert _summary(tmp_path, "app/build.gradle.kts", real_catalog) == [
        ("org.springframework.ai:spring-ai-openai", "1.1.0", "bom"),
    ]
    # The catalog file itself lists the BOM as a library; it is still not a dependency.
    assert _summary(tmp_path, "gradle/libs.versions.toml", real_catalog) == [
        ("org.springframework.ai:spring-ai-openai", None, None),
    ]


def test_a_nested_go_module_belongs_to_its_ai_repository(
    tmp_path: Path, real_catalog: Catalog
) -> None:
    # Multi-module repositories publish one module per component; a module below an AI
    # package's import path is that package's, the most specific entry first.
    _write(
        tmp_path,
        {
            "go.mod": (
                "module example.com/assistant\n\ngo 1.23\n\nrequire (\n"
                "\tgithub.com/cloudwego/eino-ext/components/model/claude v0.1.2\n"
                "\tgithub.com/cloudwego/eino-ext/components/retriever/es8 v0.0.4\n"
                "\tgithub.com/cloudwego/eino-extras v1.0.0\n"
                ")\n"
            )
        },
    )
    result = scan_file(tmp_path, "go.mod", real_catalog)
    assert [(c.name, c.provider) for c in result.components] == [
        ("github.com/cloudwego/eino-ext/components/model/claude", "anthropic"),
        ("github.com/cloudwego/eino-ext/components/retriever/es8", None),
    ]
