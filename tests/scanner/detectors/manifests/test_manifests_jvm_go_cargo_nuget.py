"""Go, Maven/Gradle, Cargo and NuGet manifests and lock files."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims.catalog.model import Catalog

from .conftest import FIXTURES, Row, rows, scan_file

CASES: list[tuple[str, list[Row]]] = [
    (
        "go/go.mod",
        [
            (
                "github.com/anthropics/anthropic-sdk-go",
                "v0.2.0-alpha.4",
                8,
                True,
                "pkg:golang/github.com/anthropics/anthropic-sdk-go@v0.2.0-alpha.4",
            ),
            (
                "github.com/openai/openai-go/v2",
                "v2.1.0",
                9,
                True,
                "pkg:golang/github.com/openai/openai-go/v2@v2.1.0",
            ),
            (
                "github.com/sashabaranov/go-openai",
                "v1.28.2",
                13,
                False,
                "pkg:golang/github.com/sashabaranov/go-openai@v1.28.2",
            ),
        ],
    ),
    (
        "jvm/maven/pom.xml",
        [
            (
                "dev.langchain4j:langchain4j-open-ai",
                "0.33.0",
                45,
                True,
                "pkg:maven/dev.langchain4j/langchain4j-open-ai@0.33.0",
            ),
            (
                "com.azure:azure-ai-openai",
                "1.0.0-beta.10",
                50,
                True,
                "pkg:maven/com.azure/azure-ai-openai@1.0.0-beta.10",
            ),
            (
                "com.theokanning.openai-gpt3-java:service",
                "0.18.2",
                55,
                True,
                "pkg:maven/com.theokanning.openai-gpt3-java/service@0.18.2",
            ),
        ],
    ),
    (
        "jvm/gradle-groovy/build.gradle",
        [
            (
                "dev.langchain4j:langchain4j-open-ai",
                "0.33.0",
                18,
                True,
                "pkg:maven/dev.langchain4j/langchain4j-open-ai@0.33.0",
            ),
            (
                "com.azure:azure-ai-openai",
                "1.0.0-beta.10",
                19,
                True,
                "pkg:maven/com.azure/azure-ai-openai@1.0.0-beta.10",
            ),
            (
                "com.theokanning.openai-gpt3-java:service",
                "0.18.2",
                21,
                True,
                "pkg:maven/com.theokanning.openai-gpt3-java/service@0.18.2",
            ),
        ],
    ),
    (
        "jvm/gradle-groovy/gradle.lockfile",
        [
            (
                "com.azure:azure-ai-openai",
                "1.0.0-beta.10",
                4,
                True,
                "pkg:maven/com.azure/azure-ai-openai@1.0.0-beta.10",
            ),
            (
                "com.theokanning.openai-gpt3-java:service",
                "0.18.2",
                7,
                True,
                "pkg:maven/com.theokanning.openai-gpt3-java/service@0.18.2",
            ),
            (
                "dev.langchain4j:langchain4j-open-ai",
                "0.33.0",
                9,
                True,
                "pkg:maven/dev.langchain4j/langchain4j-open-ai@0.33.0",
            ),
        ],
    ),
    (
        "jvm/gradle-kts/gradle/libs.versions.toml",
        [
            (
                "dev.langchain4j:langchain4j-open-ai",
                "0.33.0",
                7,
                True,
                "pkg:maven/dev.langchain4j/langchain4j-open-ai@0.33.0",
            ),
            (
                "com.azure:azure-ai-openai",
                "1.0.0-beta.10",
                8,
                True,
                "pkg:maven/com.azure/azure-ai-openai@1.0.0-beta.10",
            ),
            (
                "com.theokanning.openai-gpt3-java:service",
                "0.18.2",
                9,
                True,
                "pkg:maven/com.theokanning.openai-gpt3-java/service@0.18.2",
            ),
        ],
    ),
    (
        "jvm/gradle-kts/app/build.gradle.kts",
        [
            (
                "dev.langchain4j:langchain4j-open-ai",
                "0.33.0",
                10,
                True,
                "pkg:maven/dev.langchain4j/langchain4j-open-ai@0.33.0",
            ),
            (
                "com.azure:azure-ai-openai",
                "1.0.0-beta.10",
                10,
                True,
                "pkg:maven/com.azure/azure-ai-openai@1.0.0-beta.10",
            ),
            (
                "com.theokanning.openai-gpt3-java:service",
                "0.18.2",
                11,
                True,
                "pkg:maven/com.theokanning.openai-gpt3-java/service@0.18.2",
            ),
            (
                "com.azure:azure-ai-openai",
                "1.0.0-beta.10",
                13,
                True,
                "pkg:maven/com.azure/azure-ai-openai@1.0.0-beta.10",
            ),
            (
                "dev.langchain4j:langchain4j-open-ai",
                "0.33.0",
                15,
                True,
                "pkg:maven/dev.langchain4j/langchain4j-open-ai@0.33.0",
            ),
        ],
    ),
    (
        "cargo/Cargo.toml",
        [
            ("async-openai", "0.23.4", 6, True, "pkg:cargo/async-openai@0.23.4"),
        ],
    ),
    (
        "cargo/crates/bot/Cargo.toml",
        [
            ("async-openai", "0.23.4", 7, True, "pkg:cargo/async-openai@0.23.4"),
            ("async-openai", "0.23.4", 12, True, "pkg:cargo/async-openai@0.23.4"),
            ("tiktoken-rs", "0.5.9", 17, True, "pkg:cargo/tiktoken-rs@0.5.9"),
            ("candle-nn", "0.6.0", 15, True, "pkg:cargo/candle-nn@0.6.0"),
        ],
    ),
    (
        "cargo/Cargo.lock",
        [
            ("async-openai", "0.23.4", 6, True, "pkg:cargo/async-openai@0.23.4"),
            ("candle-core", "0.6.0", 27, False, "pkg:cargo/candle-core@0.6.0"),
            ("candle-nn", "0.6.0", 33, True, "pkg:cargo/candle-nn@0.6.0"),
            ("tiktoken-rs", "0.5.9", 47, True, "pkg:cargo/tiktoken-rs@0.5.9"),
        ],
    ),
    (
        "nuget/Directory.Packages.props",
        [
            ("Azure.AI.OpenAI", "2.0.0-beta.2", 7, None, "pkg:nuget/Azure.AI.OpenAI@2.0.0-beta.2"),
            (
                "Microsoft.SemanticKernel",
                "1.17.1",
                8,
                None,
                "pkg:nuget/Microsoft.SemanticKernel@1.17.1",
            ),
        ],
    ),
    (
        "nuget/src/Chat/Chat.csproj",
        [
            ("Azure.AI.OpenAI", "2.0.0-beta.2", 9, True, "pkg:nuget/Azure.AI.OpenAI@2.0.0-beta.2"),
            (
                "Microsoft.SemanticKernel",
                "1.18.0-rc",
                10,
                True,
                "pkg:nuget/Microsoft.SemanticKernel@1.18.0-rc",
            ),
            ("OpenAI", "2.0.0-beta.7", 12, True, "pkg:nuget/OpenAI@2.0.0-beta.7"),
        ],
    ),
    (
        "nuget/src/Chat/packages.lock.json",
        [
            ("Azure.AI.OpenAI", "2.0.0-beta.2", 5, True, "pkg:nuget/Azure.AI.OpenAI@2.0.0-beta.2"),
            (
                "Microsoft.SemanticKernel",
                "1.18.0-rc",
                14,
                True,
                "pkg:nuget/Microsoft.SemanticKernel@1.18.0-rc",
            ),
            ("OpenAI", "2.0.0-beta.7", 20, True, "pkg:nuget/OpenAI@2.0.0-beta.7"),
            (
                "Microsoft.SemanticKernel.Connectors.OpenAI",
                "1.18.0-rc",
                26,
                False,
                "pkg:nuget/Microsoft.SemanticKernel.Connectors.OpenAI@1.18.0-rc",
            ),
        ],
    ),
    (
        "nuget/src/Legacy/packages.config",
        [
            (
                "Azure.AI.OpenAI",
                "1.0.0-beta.17",
                4,
                None,
                "pkg:nuget/Azure.AI.OpenAI@1.0.0-beta.17",
            ),
            ("OpenAI", "1.11.0", 5, None, "pkg:nuget/OpenAI@1.11.0"),
        ],
    ),
    (
        "nuget/src/Api/Api.fsproj",
        [
            ("OpenAI", "2.0.0-beta.7", 10, True, "pkg:nuget/OpenAI@2.0.0-beta.7"),
            ("Microsoft.SemanticKernel", None, 11, True, "pkg:nuget/Microsoft.SemanticKernel"),
        ],
    ),
]


@pytest.mark.parametrize(("relpath", "expected"), CASES, ids=[c[0] for c in CASES])
def test_components_lines_versions_and_direct_flags(
    relpath: str, expected: list[Row], catalog: Catalog
) -> None:
    result = scan_file(FIXTURES, relpath, catalog)
    assert result.warnings == []
    assert rows(result.components) == expected


def test_go_replace_directives_are_attached(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "go/go.mod", catalog)
    replaced = {c.name: c.properties.get("replaced_by") for c in result.components}
    assert replaced == {
        "github.com/anthropics/anthropic-sdk-go": None,
        "github.com/openai/openai-go/v2": "../forks/openai-go",
        "github.com/sashabaranov/go-openai": "github.com/acme/go-openai v1.28.3-patched",
    }


def test_pom_properties_and_managed_versions(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "jvm/maven/pom.xml", catalog)
    by_line = {c.evidence[0].line: c for c in result.components}
    assert by_line[45].properties["specifier"] == "${langchain4j.version}"
    assert by_line[55].properties["scope"] == "test"
    assert "specifier" not in by_line[55].properties  # the version came from management
    assert by_line[55].version == "0.18.2"
    assert by_line[55].properties["version_from"] == "dependencyManagement"
    # The BOM import (line 25) and the version pin (line 32) are not dependencies.
    assert sorted(by_line) == [45, 50, 55]


def test_a_bom_pom_declares_no_dependencies(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "jvm/vendored-bom/pom.xml", catalog)
    assert result.components == []


def test_pom_managed_versions_reach_only_versionless_dependencies(
    tmp_path: Path, catalog: Catalog
) -> None:
    (tmp_path / "pom.xml").write_text(
        "<project>\n"
        "  <dependencyManagement><dependencies>\n"
        "    <dependency><groupId>dev.langchain4j</groupId>\n"
        "      <artifactId>langchain4j-bom</artifactId><version>0.33.0</version>\n"
        "      <type>pom</type><scope>import</scope></dependency>\n"
        "    <dependency><groupId>com.azure</groupId>\n"
        "      <artifactId>azure-ai-openai</artifactId><version>1.0.0-beta.10</version>\n"
        "    </dependency>\n"
        "  </dependencies></dependencyManagement>\n"
        "  <dependencies>\n"
        "    <dependency><groupId>dev.langchain4j</groupId>\n"
        "      <artifactId>langchain4j-open-ai</artifactId></dependency>\n"
        "    <dependency><groupId>com.azure</groupId>\n"
        "      <artifactId>azure-ai-openai</artifactId><version>1.0.0-beta.9</version>\n"
        "    </dependency>\n"
        "  </dependencies>\n"
        "</project>\n"
    )
    result = scan_file(tmp_path, "pom.xml", catalog)
    # The BOM's own version is not the version of what it manages (it is not fetched), and an
    # explicit <version> wins over management.
    assert rows(result.components) == [
        (
            "dev.langchain4j:langchain4j-open-ai",
            None,
            12,
            True,
            "pkg:maven/dev.langchain4j/langchain4j-open-ai",
        ),
        (
            "com.azure:azure-ai-openai",
            "1.0.0-beta.9",
            14,
            True,
            "pkg:maven/com.azure/azure-ai-openai@1.0.0-beta.9",
        ),
    ]


def test_gradle_catalog_references_name_their_alias(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "jvm/gradle-kts/app/build.gradle.kts", catalog)
    aliases = [c.properties.get("catalog_alias") for c in result.components]
    assert aliases == [
        "langchain4j-openai",
        "azure-ai-openai",
        None,
        None,
        None,
    ]
    # A declaration spread over several lines is reported at the line of its coordinates.
    assert result.components[-1].properties["scope"] == "testImplementation"


def test_gradle_platform_and_lockfile_versions(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "jvm/gradle-groovy/build.gradle", catalog)
    # `platform(...)` imports a BOM: it is not a library, so it is not a component.
    assert "dev.langchain4j:langchain4j-bom" not in [c.name for c in result.components]
    # No version in the build file: gradle.lockfile next to it has the resolved one.
    assert (result.components[0].version, result.components[0].properties.get("specifier")) == (
        "0.33.0",
        None,
    )


def test_cargo_renames_and_target_tables(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "cargo/crates/bot/Cargo.toml", catalog)
    assert [(c.properties["scope"], c.properties.get("rename")) for c in result.components] == [
        ("dependencies", None),
        ("dev-dependencies", "openai"),
        ("build-dependencies", None),
        ('dependencies (cfg(target_os = "linux"))', None),
    ]
    assert result.components[0].properties["specifier"] == "0.23"  # from the workspace root


def test_nuget_central_management_and_override(catalog: Catalog) -> None:
    result = scan_file(FIXTURES, "nuget/src/Chat/Chat.csproj", catalog)
    sources = [(c.name, c.properties.get("version_source")) for c in result.components]
    assert sources == [
        ("Azure.AI.OpenAI", "central"),
        ("Microsoft.SemanticKernel", "override"),
        ("OpenAI", None),
    ]


def test_gradle_constraints_pin_without_declaring(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "build.gradle.kts").write_text(
        "dependencies {\n"
        "    constraints {\n"
        '        implementation("com.azure:azure-ai-openai:1.0.0-beta.10")\n'
        "    }\n"
        '    implementation("dev.langchain4j:langchain4j-open-ai:0.33.0") // the AI client\n'
        "}\n"
        '// implementation("com.theokanning.openai-gpt3-java:service:0.18.2")\n'
    )
    result = scan_file(tmp_path, "build.gradle.kts", catalog)
    assert [(c.name, c.evidence[0].line, c.direct) for c in result.components] == [
        ("com.azure:azure-ai-openai", 3, None),
        ("dev.langchain4j:langchain4j-open-ai", 5, True),
    ]
    assert result.components[0].properties["constraint"] is True


def test_nuget_references_in_conditional_groups(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Bot.vbproj").write_text(
        '<Project Sdk="Microsoft.NET.Sdk">\n'
        "  <Choose>\n"
        "    <When Condition=\"'$(TargetFramework)' == 'net8.0'\">\n"
        "      <ItemGroup>\n"
        '        <PackageReference Include="Azure.AI.OpenAI" Version="[2.0.0]" />\n'
        "      </ItemGroup>\n"
        "    </When>\n"
        "  </Choose>\n"
        "  <ItemGroup>\n"
        '    <PackageReference Update="OpenAI" Version="2.0.0" />\n'
        '    <PackageReference Include="OpenAI" Version="2.*" />\n'
        "  </ItemGroup>\n"
        "</Project>\n"
    )
    result = scan_file(tmp_path, "Bot.vbproj", catalog)
    assert rows(result.components) == [
        ("Azure.AI.OpenAI", "2.0.0", 5, True, "pkg:nuget/Azure.AI.OpenAI@2.0.0"),
        ("OpenAI", None, 11, True, "pkg:nuget/OpenAI"),
    ]
    assert result.components[1].properties["specifier"] == "2.*"
