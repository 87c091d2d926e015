"""The detector contract: file selection, warnings for malformed input, never raising."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aims.catalog.model import Catalog
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.manifests import ManifestDetector
from aims.scanner.detectors.manifests._positions import json_positions, toml_positions

from .conftest import fake_catalog, rows, scan_file

MANIFEST_NAMES = [
    "requirements.txt",
    "requirements-dev.txt",
    "dev-requirements.txt",
    "requirements/prod.txt",
    "requirements.in",
    "requirements-dev.lock",
    "constraints.txt",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "Pipfile",
    "Pipfile.lock",
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "environment.yml",
    "environment.yaml",
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "deno.json",
    "deno.jsonc",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "gradle/libs.versions.toml",
    "gradle.lockfile",
    "Cargo.toml",
    "Cargo.lock",
    "src/App/App.csproj",
    "src/App/App.fsproj",
    "src/App/App.vbproj",
    "Directory.Packages.props",
    "Directory.Build.props",
    "packages.config",
    "packages.lock.json",
]


@pytest.mark.parametrize("relpath", MANIFEST_NAMES)
def test_wants_every_manifest_name(relpath: str) -> None:
    assert ManifestDetector().wants(relpath, relpath.rsplit("/", 1)[-1])


@pytest.mark.parametrize(
    "relpath",
    ["MANIFEST.in", "Makefile.in", "README.txt", "go.sum", "notes.toml", "app.py", "x.json"],
)
def test_ignores_other_files(relpath: str) -> None:
    assert not ManifestDetector().wants(relpath, relpath)


def test_protocol_attributes() -> None:
    detector = ManifestDetector()
    assert detector.name == "manifest"
    assert detector.version
    assert detector.keywords(fake_catalog()) is None


MALFORMED = [
    ("pyproject.toml", '[project]\ndependencies = ["openai"\nname = 1\n', 3, "malformed TOML"),
    ("package-lock.json", '{\n  "packages": {\n    "": {}\n  ,}\n}\n', 4, "JSON"),
    (
        "pom.xml",
        "<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n",
        4,
        "XML",
    ),
    ("pnpm-lock.yaml", "importers:\n  .:\n    dependencies: [\n", 4, "YAML"),
    ("Cargo.lock", "[[package]]\nname = \n", 2, "TOML"),
    ("setup.py", "from setuptools import setup\nsetup(install_requires=[\n", 2, "not valid Python"),
    ("packages.lock.json", "{\n\n\n  nope\n}", 4, "JSON"),
    ("App.csproj", "<Project>\n<ItemGroup>\n</Project>", 3, "XML"),
]


@pytest.mark.parametrize(("name", "content", "line", "what"), MALFORMED)
def test_malformed_files_give_a_warning_with_the_line(
    tmp_path: Path, name: str, content: str, line: int, what: str, catalog: Catalog
) -> None:
    (tmp_path / name).write_text(content)
    result = scan_file(tmp_path, name, catalog)
    assert result.components == []
    (warning,) = result.warnings
    assert warning.path == name
    assert warning.message.startswith("manifest: ")
    assert what in warning.message
    assert f"line {line}" in warning.message


def test_malformed_package_json_is_salvaged_line_by_line(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "package.json").write_text(
        '{\n  "name": "demo",\n  "dependencies": {\n    "openai": "4.52.7",\n  },\n'
        '  "devDependencies": {\n    "@anthropic-ai/sdk": "^0.24.3"\n  }\n}\n'
    )
    result = scan_file(tmp_path, "package.json", catalog)
    assert rows(result.components) == [
        ("openai", "4.52.7", 4, True, "pkg:npm/openai@4.52.7"),
        ("@anthropic-ai/sdk", None, 7, True, "pkg:npm/%40anthropic-ai/sdk"),
    ]
    (warning,) = result.warnings
    assert "malformed JSON" in warning.message
    assert "line 5" in warning.message


def test_malformed_toml_keeps_the_tables_before_the_error(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "Cargo.lock").write_text(
        'version = 3\n\n[[package]]\nname = "async-openai"\nversion = "0.23.4"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n\n'
        '[[package]]\nname = "candle-core"\nversion = = "0.6.0"\n'
    )
    result = scan_file(tmp_path, "Cargo.lock", catalog)
    assert rows(result.components) == [
        ("async-openai", "0.23.4", 4, None, "pkg:cargo/async-openai@0.23.4")
    ]
    (warning,) = result.warnings
    assert "malformed TOML" in warning.message
    assert "line 10" in warning.message


def test_dtds_are_refused_before_any_entity_is_expanded(tmp_path: Path, catalog: Catalog) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE project [\n'
        '  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
        '  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        '  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n'
        "]>\n<project><groupId>&c;</groupId></project>\n"
    )
    (tmp_path / "pom.xml").write_text(bomb)
    result = scan_file(tmp_path, "pom.xml", catalog)
    assert result.components == []
    assert [w.message for w in result.warnings] == [
        "manifest: document type declarations are not allowed in a manifest (line 2)"
    ]


def test_external_entities_are_not_read(tmp_path: Path, catalog: Catalog) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("dev.langchain4j")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        "<project><dependencies><dependency><groupId>&x;</groupId>"
        "<artifactId>langchain4j-open-ai</artifactId><version>1</version>"
        "</dependency></dependencies></project>\n"
    )
    (tmp_path / "pom.xml").write_text(xxe)
    result = scan_file(tmp_path, "pom.xml", catalog)
    assert result.components == []
    assert len(result.warnings) == 1


def test_invalid_utf8_is_read_with_replacement(tmp_path: Path, catalog: Catalog) -> None:
    data = b"# caf\xe9 \xff\xfe\nopenai==1.40.6\n"
    (tmp_path / "requirements.txt").write_bytes(data)
    result = scan_file(tmp_path, "requirements.txt", catalog)
    assert rows(result.components) == [("openai", "1.40.6", 2, True, "pkg:pypi/openai@1.40.6")]


def test_non_ai_packages_are_ignored(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\nopenapi-core==0.19.2\n")
    assert scan_file(tmp_path, "requirements.txt", catalog).components == []


def test_unexpected_shapes_do_not_raise(tmp_path: Path, catalog: Catalog) -> None:
    cases = {
        "package.json": '["not", "an", "object"]',
        "pyproject.toml": 'project = "x"\n[tool]\npoetry = 1\n',
        "Cargo.toml": "dependencies = 3\n",
        "package-lock.json": '{"packages": {"node_modules/openai": 7}, "dependencies": 3}',
        "pnpm-lock.yaml": "- a\n- b\n",
        "environment.yml": "dependencies: {pip: 1}\n",
        "uv.lock": 'package = "x"\n',
        "Pipfile.lock": "[]",
        "libs.versions.toml": "libraries = 1\n",
    }
    for name, content in cases.items():
        folder = tmp_path / name.replace(".", "_")
        folder.mkdir()
        target = folder / ("gradle" if name.endswith("versions.toml") else "")
        target.mkdir(exist_ok=True)
        (target / name).write_text(content)
        rel = str((target / name).relative_to(tmp_path))
        result = scan_file(tmp_path, rel, catalog)
        assert result.components == [], name


_DETECTOR = ManifestDetector()
_CATALOG = fake_catalog()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(MANIFEST_NAMES), data=st.binary(max_size=600))
def test_never_raises_on_arbitrary_bytes(name: str, data: bytes) -> None:
    file = ScanFile(relpath=name, abspath=f"/nonexistent/{name}", data=data, size=len(data))
    result = _DETECTOR.detect(file, DetectContext(catalog=_CATALOG))
    assert isinstance(result.components, list)
    # Parse errors are reported as such; the catch-all for internal errors must stay unused.
    assert not [w for w in result.warnings if "could not be parsed" in w.message]


_MANIFESTISH = st.text(
    alphabet=st.sampled_from(list("{}[]\":,=\n #<>/@^~.-_'abcdefgnopqrstuv0123456789\\")),
    max_size=300,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(MANIFEST_NAMES), text=_MANIFESTISH)
def test_never_raises_on_syntax_heavy_text(name: str, text: str) -> None:
    data = text.encode()
    file = ScanFile(relpath=name, abspath=f"/nonexistent/{name}", data=data, size=len(data))
    result = _DETECTOR.detect(file, DetectContext(catalog=_CATALOG))
    assert not [w for w in result.warnings if "could not be parsed" in w.message]


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300))
def test_position_locators_never_raise(text: str) -> None:
    toml_positions(text)
    json_positions(text)


def test_json_positions_tell_duplicates_apart() -> None:
    text = (
        '{\n  "dependencies": {"openai": "1"},\n  "devDependencies": {\n    "openai": "2"\n  }\n}'
    )
    positions = json_positions(text)
    assert positions[("dependencies", "openai")] == 2
    assert positions[("devDependencies", "openai")] == 4


def test_toml_positions_cover_dotted_tables_and_arrays_of_tables() -> None:
    text = (
        '[package]\nname = "x"\n\n[dependencies.openai]\nversion = "1"\n'
        '[[bin]]\nname = "a"\n[[bin]]\nname = "b"\n'
        'deps = [\n  \'x\', # c\n  """y\n""",\n  \'z\',\n]\n'
    )
    positions = toml_positions(text)
    assert positions[("dependencies", "openai")] == 4
    assert positions[("dependencies", "openai", "version")] == 5
    assert positions[("bin", 1, "name")] == 9
    assert positions[("bin", 1, "deps", 2)] == 14


_KEYS = st.sampled_from(
    [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "packages",
        "",
        "node_modules/openai",
        "node_modules/@anthropic-ai/sdk",
        "openai",
        "OpenAI",
        "version",
        "name",
        "link",
        "type",
        "resolved",
        "requested",
        "net8.0",
        "default",
        "develop",
        "workspaces",
        "lockfileVersion",
        "workspaces",
        "imports",
        "npm:openai@4.52.7",
        "openai@4.52.7",
    ]
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | _KEYS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(
        [
            "package.json",
            "package-lock.json",
            "Pipfile.lock",
            "packages.lock.json",
            "bun.lock",
            "deno.json",
        ]
    ),
    document=_JSON,
)
def test_well_formed_json_of_any_shape_never_breaks_a_parser(name: str, document: object) -> None:
    import json

    data = json.dumps(document, indent=1).encode()
    file = ScanFile(relpath=name, abspath=f"/nonexistent/{name}", data=data, size=len(data))
    result = _DETECTOR.detect(file, DetectContext(catalog=_CATALOG))
    assert not [w for w in result.warnings if "could not be parsed" in w.message]


_YAML_KEYS = st.sampled_from(
    ["importers", ".", "packages", "dependencies", "specifier", "version", "pip", "openai"]
    + ["/openai@4.52.7", "openai@4.52.7", "specifiers", "dev", "link:../x", "4.52.7"]
)
_YAML = st.recursive(
    st.none() | st.booleans() | st.integers() | _YAML_KEYS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(_YAML_KEYS, children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["pnpm-lock.yaml", "environment.yml"]), document=_YAML)
def test_well_formed_yaml_of_any_shape_never_breaks_a_parser(name: str, document: object) -> None:
    import yaml

    data = yaml.safe_dump(document).encode()
    file = ScanFile(relpath=name, abspath=f"/nonexistent/{name}", data=data, size=len(data))
    result = _DETECTOR.detect(file, DetectContext(catalog=_CATALOG))
    assert not [w for w in result.warnings if "could not be parsed" in w.message]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("package.json", '{\n  "dependencies": {\n    "openai": "4.52.7"\n  }\n}\n'),
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["openai==4.52.7"]\n'),
        (
            "App.csproj",
            '<Project>\n<ItemGroup>\n<PackageReference Include="OpenAI" Version="4.52.7" />\n</ItemGroup>\n</Project>\n',
        ),
    ],
)
def test_a_byte_order_mark_is_ignored(
    tmp_path: Path, name: str, content: str, catalog: Catalog
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + content.encode())
    result = scan_file(tmp_path, name, catalog)
    assert result.warnings == []
    assert [(c.name, c.version, c.evidence[0].line) for c in result.components] == [
        ("openai" if name != "App.csproj" else "OpenAI", "4.52.7", 3)
    ]


def test_toml_locator_stops_on_a_value_it_cannot_read() -> None:
    # Regression: a stray `}` inside an array used to make the locator loop forever.
    positions = toml_positions('name = "x"\ndeps = [ } ]\nlater = 1\n')
    assert positions[("name",)] == 1
    assert ("later",) not in positions


_TOMLISH = st.text(alphabet=st.sampled_from(list("[]{}=,.\"'\n #abc12-_")), max_size=200)


@settings(max_examples=500, deadline=None)
@given(text=_TOMLISH)
def test_toml_locator_always_terminates_on_toml_like_text(text: str) -> None:
    toml_positions(text)


def test_property_expansion_is_bounded(tmp_path: Path, catalog: Catalog) -> None:
    levels = "".join(
        f"    <p{i}>{'${p' + str(i + 1) + '}' * 1}{('${p' + str(i + 1) + '}') * 9}</p{i}>\n"
        for i in range(12)
    )
    (tmp_path / "pom.xml").write_text(
        "<project>\n  <properties>\n"
        f"{levels}    <p12>xxxxxxxxxx</p12>\n"
        "  </properties>\n  <dependencies>\n    <dependency>\n"
        "      <groupId>com.azure</groupId>\n      <artifactId>azure-ai-openai</artifactId>\n"
        "      <version>${p0}</version>\n    </dependency>\n  </dependencies>\n</project>\n"
    )
    result = scan_file(tmp_path, "pom.xml", catalog)
    (component,) = result.components
    assert component.version is None
    assert component.properties["specifier"] == "${p0}"


def test_yaml_aliases_are_not_walked_again(tmp_path: Path, catalog: Catalog) -> None:
    shared = "".join(f"      pkg{i}: 1.0.{i}\n" for i in range(200))
    aliases = "".join(f"  app{i}:\n    dependencies: *deps\n" for i in range(2000))
    (tmp_path / "pnpm-lock.yaml").write_text(
        "lockfileVersion: '6.0'\nimporters:\n  .:\n    dependencies: &deps\n"
        f"      openai: 4.52.7\n{shared}{aliases}"
    )
    result = scan_file(tmp_path, "pnpm-lock.yaml", catalog)
    assert rows(result.components) == [("openai", "4.52.7", 5, True, "pkg:npm/openai@4.52.7")]


def test_deep_nesting_is_a_warning(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "package.json").write_text("[" * 100_000 + "]" * 100_000)
    result = scan_file(tmp_path, "package.json", catalog)
    assert result.components == []
    assert [w.message for w in result.warnings] == ["manifest: nested too deeply to be parsed"]


def test_many_ai_packages_in_a_lock_keep_exact_lines(tmp_path: Path, catalog: Catalog) -> None:
    names = ["openai", "@anthropic-ai/sdk", "@langchain/openai", "ai"]
    entries = [
        f'    "{prefix}node_modules/{name}": {{"version": "1.0.{i}"}}'
        for i in range(10)
        for name in names
        for prefix in [f"packages/p{i}/"]
    ]
    (tmp_path / "package-lock.json").write_text(
        '{\n  "lockfileVersion": 3,\n  "packages": {\n' + ",\n".join(entries) + "\n  }\n}\n"
    )
    result = scan_file(tmp_path, "package-lock.json", catalog)
    assert [c.evidence[0].line for c in result.components] == list(range(4, 44))
