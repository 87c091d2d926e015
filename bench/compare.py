"""Run aims and other AI-inventory / AIBOM tools on the same tree and compare what they find.

Each tool runs once on the tree, writing its own report into a temporary folder; its wall time
is measured around the whole command (interpreter or Node start-up included), and so is its CPU
time (user + system, child processes included), which depends less on what else the machine
runs. The reports are
read into one set of component kinds (provider, sdk, model, model-file, dataset, mcp-server,
agent-config, ai-workflow, secret) by a small reader per tool, and printed side by side with
the time and, for CycloneDX reports, whether the BOM is valid against the official schema
(the strict validator of cyclonedx-python-lib, as aims's own tests use).

    python bench/compare.py /path/to/tree
    python bench/compare.py /path/to/tree --bin ai-bom=/opt/ai-bom/bin/ai-bom --show model
    python bench/compare.py /path/to/tree --json results.json --keep reports/

Tools are found on PATH, through `--bin NAME=PATH`, or through `AIMS_COMPARE_<NAME>` (upper
case, `-` as `_`); a tool that is not installed is skipped with a message. aims itself runs
from the interpreter running this script (`python -m aims`) unless `--bin aims=...` is given.
No tool is installed or updated by this script, and every tool is run in its offline mode.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = (
    "provider",
    "sdk",
    "model",
    "model-file",
    "dataset",
    "mcp-server",
    "agent-config",
    "ai-workflow",
    "secret",
)
"""Component kinds compared, in aims's names. Anything else a tool reports is `other`."""

Found = dict[str, set[str]]


@dataclass
class Tool:
    """How to run one tool and read its report."""

    name: str
    exe_names: tuple[str, ...]
    command: Callable[[list[str], Path, Path], list[str]]
    """(executable argv, tree, output file) -> full argv."""
    read: Callable[[Path], Found]
    cyclonedx: bool
    """Whether the report is a CycloneDX BOM (then its validity is checked)."""
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class Result:
    """One tool's run on one tree."""

    tool: str
    version: str = ""
    seconds: float | None = None
    cpu: float | None = None
    """User + system CPU seconds of the tool and its child processes."""
    found: Found = field(default_factory=dict)
    bom: str = "n/a"
    error: str = ""


# ---- readers: each tool's report -> kind -> set of names


def _empty() -> Found:
    return {kind: set() for kind in (*KINDS, "other")}


def _props(item: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for prop in item.get("properties", []) or []:
        out.setdefault(str(prop.get("name")), []).append(str(prop.get("value")))
    return out


def _first(props: dict[str, list[str]], name: str) -> str:
    return props.get(name, [""])[0]


def read_aims(path: Path) -> Found:
    """aims CycloneDX: the `aims:type` property names the kind; secrets are only counted."""
    bom = json.loads(path.read_text())
    found = _empty()
    for item in [*bom.get("components", []), *bom.get("services", [])]:
        props = _props(item)
        kind = _first(props, "aims:type")
        name = _first(props, "aims:provider") if kind == "provider" else item.get("name", "")
        found[kind if kind in found else "other"].add(str(name))
    secrets = int(_first(_props(bom.get("metadata", {})), "aims:secrets") or 0)
    found["secret"] |= {f"secret #{i + 1}" for i in range(secrets)}
    return found


def read_ai_bom(path: Path) -> Found:
    """Trusera ai-bom CycloneDX: frameworks are SDKs; endpoints and `completion` models name a
    provider; containers are images; `… API Key` entries are key references."""
    bom = json.loads(path.read_text())
    found = _empty()
    for item in bom.get("components", []):
        props = _props(item)
        name = str(item.get("name", ""))
        kind, usage = item.get("type"), _first(props, "trusera:usage_type")
        provider = _first(props, "trusera:provider")
        if "mcp" in usage.lower() or "mcp" in kind.lower():
            found["mcp-server"].add(name)
        elif name.endswith(("API Key", "Key")):
            found["secret"].add(name)
        elif kind in ("framework", "library", "container") or ":" in name:
            found["sdk"].add(name)
        elif kind == "service" or usage == "completion":
            found["provider"].add(provider or name)
        elif kind == "machine-learning-model":
            found["model"].add(_first(props, "trusera:model_name") or name)
        else:
            found["other"].add(f"{kind}:{name}")
    return found


def read_aibom_scanner(path: Path) -> Found:
    """aibom-scanner JSON (not a BOM): detections, dependencies, MCP servers, hard-coded keys."""
    report = json.loads(path.read_text())
    found = _empty()
    for hit in report.get("detections", []):
        if hit.get("provider"):
            found["provider"].add(str(hit["provider"]))
        if hit.get("sdk_name"):
            found["sdk"].add(str(hit["sdk_name"]))
        if hit.get("model_name"):
            found["model"].add(str(hit["model_name"]))
    for dep in report.get("dependencies", []):
        found["sdk"].add(str(dep.get("package")))
    for server in report.get("mcp_servers", []):
        found["mcp-server"].add(str(server.get("name") or server))
    for secret in report.get("secrets", []):
        if secret.get("evidence_type") == "hardcoded_key":
            found["secret"].add(f"{secret.get('file_path')}:{secret.get('redacted_value')}")
    for tool in report.get("dev_tools", []):
        found["other"].add(f"dev-tool:{tool.get('name') if isinstance(tool, dict) else tool}")
    return found


def read_aibomstd(path: Path) -> Found:
    """aibomstd JSON (its own schema, not CycloneDX): frameworks and API clients are SDKs."""
    doc = json.loads(path.read_text()).get("aibomstd", {})
    found = _empty()
    for item in doc.get("components", []):
        kind, name = item.get("type"), str(item.get("name"))
        if kind in ("framework", "api-client"):
            found["sdk"].add(name)
            if kind == "api-client" and item.get("provider"):
                found["provider"].add(str(item["provider"]))
        elif kind == "model":
            found["model-file" if "." in name else "model"].add(name)
        elif kind == "dataset":
            found["dataset"].add(name)
        else:
            found["other"].add(f"{kind}:{name}")
    return found


def read_cdxgen(path: Path) -> Found:
    """cdxgen `aibom` CycloneDX: models, data, AI services; MCP and AI instruction files by
    their `cdx:*:kind` property; prompt files are `other`."""
    bom = json.loads(path.read_text())
    found = _empty()
    for item in bom.get("components", []):
        props = _props(item)
        kind = (_first(props, "cdx:ai:kind") or _first(props, "cdx:file:kind")).lower()
        name = str(item.get("name", ""))
        if "mcp" in kind or any(k.startswith("cdx:mcp") for k in props):
            found["mcp-server"].add(name)
        elif "skill" in kind or "instruction" in kind or "agent" in kind:
            found["agent-config"].add(name)
        elif item.get("type") == "machine-learning-model":
            found["model"].add(name)
        elif item.get("type") == "data":
            found["dataset"].add(name)
        elif item.get("type") in ("library", "framework"):
            found["sdk"].add(name)
        else:
            found["other"].add(f"{kind or item.get('type')}:{name}")
    for service in bom.get("services", []):
        found["provider"].add(str(service.get("group") or service.get("name")))
    return found


def read_cdxgen_mcp(path: Path) -> Found:
    """cdxgen `-t mcp` CycloneDX: MCP servers (services, from code or configuration files) and
    MCP SDK packages."""
    bom = json.loads(path.read_text())
    found = _empty()
    for service in bom.get("services", []):
        found["mcp-server"].add(str(service.get("name")))
    for item in bom.get("components", []):
        props = _props(item)
        if _first(props, "cdx:mcp:role") == "sdk" and item.get("type") == "library":
            found["sdk"].add(_first(props, "cdx:mcp:packageName") or str(item.get("name")))
        elif item.get("type") == "file":
            found["agent-config"].add(str(item.get("name")))
        else:
            found["other"].add(f"{item.get('type')}:{item.get('name')}")
    return found


def read_agent_bom(path: Path) -> Found:
    """agent-bom CycloneDX: an SBOM of every dependency, not filtered to AI (counted as
    `other`); MCP servers read from client configuration files."""
    bom = json.loads(path.read_text())
    found = _empty()
    for item in bom.get("components", []):
        props = _props(item)
        kind = _first(props, "agent-bom:type")
        if kind == "mcp-server" and _first(props, "agent-bom:config-path"):
            found["mcp-server"].add(str(item.get("name")))
        elif item.get("type") == "library":
            found["other"].add(f"package:{item.get('name')}")
    return found


# ---- the tools


def _aims_cmd(exe: list[str], tree: Path, out: Path) -> list[str]:
    return [
        *exe,
        "scan",
        str(tree),
        "--format",
        "cyclonedx",
        "--no-cache",
        "--no-progress",
        "-q",
        "-o",
        str(out),
    ]


TOOLS: tuple[Tool, ...] = (
    Tool("aims", ("aims",), _aims_cmd, read_aims, cyclonedx=True),
    Tool(
        "ai-bom",
        ("ai-bom",),
        lambda exe, tree, out: [
            *exe,
            "scan",
            str(tree),
            "-f",
            "cyclonedx",
            "-o",
            str(out),
            "--no-telemetry",
            "-q",
        ],
        read_ai_bom,
        cyclonedx=True,
        env={"AI_BOM_TELEMETRY": "0"},
        note="Trusera ai-bom (PyPI `ai-bom`)",
    ),
    Tool(
        "aibom-scanner",
        ("aibom-scanner",),
        lambda exe, tree, out: [*exe, "scan", "-p", str(tree), "-f", "json", "-o", str(out)],
        read_aibom_scanner,
        cyclonedx=False,
        note="PyPI `aibom-scanner`; JSON report, no BOM",
    ),
    Tool(
        "aibomstd",
        ("aibomstd",),
        lambda exe, tree, out: [*exe, "scan", str(tree), "-o", str(out), "--no-interactive", "-q"],
        read_aibomstd,
        cyclonedx=False,
        note="PyPI `aibomstd`; its own JSON schema",
    ),
    Tool(
        "cdxgen",
        ("aibom",),
        lambda exe, tree, out: [
            *exe,
            str(tree),
            "-o",
            str(out),
            "--no-install-deps",
            "--spec-version",
            "1.6",
        ],
        read_cdxgen,
        cyclonedx=True,
        env={"FETCH_LICENSE": "false"},
        note="npm `@cyclonedx/cdxgen`, its `aibom` command",
    ),
    Tool(
        "cdxgen-mcp",
        ("cdxgen",),
        lambda exe, tree, out: [
            *exe,
            "-t",
            "mcp",
            str(tree),
            "-o",
            str(out),
            "--no-install-deps",
            "--spec-version",
            "1.6",
        ],
        read_cdxgen_mcp,
        cyclonedx=True,
        env={"FETCH_LICENSE": "false"},
        note="npm `@cyclonedx/cdxgen`, `-t mcp`",
    ),
    Tool(
        "agent-bom",
        ("agent-bom",),
        lambda exe, tree, out: [
            *exe,
            "scan",
            "-p",
            str(tree),
            "--no-discover",
            "--offline",
            "--no-scan",
            "-f",
            "cyclonedx",
            "-o",
            str(out),
        ],
        read_agent_bom,
        cyclonedx=True,
        note="PyPI `agent-bom`; inventory only (--no-scan --offline)",
    ),
)

NOT_RUN = {
    "cisco-aibom": "needs an LLM at run time (`--llm-model` is required), so it cannot run offline",
}


def find_executable(tool: Tool, overrides: dict[str, str]) -> list[str] | None:
    """Return the argv prefix that runs a tool, or None when it is not installed."""
    given = overrides.get(tool.name) or os.environ.get(
        "AIMS_COMPARE_" + tool.name.upper().replace("-", "_")
    )
    if given:
        return [given] if Path(given).exists() or shutil.which(given) else None
    if tool.name == "aims":
        return [sys.executable, "-m", "aims"]
    for exe in tool.exe_names:
        path = shutil.which(exe)
        if path:
            return [path]
    return None


def tool_version(tool: Tool, exe: list[str]) -> str:
    """Best-effort version string: the first line of `--version`, else of `version`."""
    for flag in ("--version", "version"):
        try:
            proc = subprocess.run(
                [*exe, flag], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return "?"
        if proc.returncode != 0:
            continue
        for line in (proc.stdout or proc.stderr).strip().splitlines():
            cleaned = line.replace("\x1b[1m", "").replace("\x1b[0m", "").strip()
            if cleaned:
                return cleaned[:60]
    return "?"


def count(names: set[str]) -> int:
    """Distinct names, ignoring case (`LangChain` and `langchain` are one)."""
    return len({n.lower() for n in names})


def validate_bom(path: Path) -> str:
    """`valid`, `INVALID: …` or why it was not checked, with cyclonedx-python-lib."""
    try:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
    except ImportError:
        return "not checked (cyclonedx-python-lib missing)"
    text = path.read_text()
    spec = str(json.loads(text).get("specVersion", ""))
    versions = {"1.4": "V1_4", "1.5": "V1_5", "1.6": "V1_6", "1.7": "V1_7"}
    attr = versions.get(spec)
    if attr is None or not hasattr(SchemaVersion, attr):
        return f"not checked (spec {spec})"
    error = JsonStrictValidator(getattr(SchemaVersion, attr)).validate_str(text)
    if error is None:
        return f"valid {spec}"
    return f"INVALID {spec}: {str(error).splitlines()[0][:80]}"


def run_tool(tool: Tool, exe: list[str], tree: Path, workdir: Path, timeout: int) -> Result:
    """Run one tool on the tree, time it, read and validate its report."""
    result = Result(tool=tool.name, version=tool_version(tool, exe))
    out = workdir / f"{tool.name}.json"
    env = {**os.environ, **tool.env}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            tool.command(exe, tree, out),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=workdir,
            check=False,
        )
    except subprocess.TimeoutExpired:
        result.error = f"timed out after {timeout} s"
        return result
    result.seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        result.error = f"exit {proc.returncode}, no report: {tail[0][:100]}"
        return result
    try:
        result.found = tool.read(out)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        result.error = f"cannot read its report: {exc}"
        return result
    if tool.cyclonedx:
        result.bom = validate_bom(out)
    return result


def print_table(results: Sequence[Result]) -> None:
    """Per-kind counts, time and BOM validity, one row per tool."""
    short = {
        "model-file": "mfile",
        "mcp-server": "mcp",
        "agent-config": "agent",
        "ai-workflow": "ci",
        "provider": "prov",
    }
    headers = ["tool", *(short.get(k, k) for k in KINDS), "other", "wall", "cpu", "BOM"]
    rows = []
    for r in results:
        if r.error:
            rows.append([r.tool, *(["-"] * (len(KINDS) + 3)), r.error])
            continue
        counts = [str(count(r.found.get(k, set()))) for k in (*KINDS, "other")]
        wall = f"{r.seconds:.1f} s" if r.seconds is not None else "-"
        cpu = f"{r.cpu:.1f} s" if r.cpu is not None else "-"
        rows.append([r.tool, *counts, wall, cpu, r.bom])
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run every installed tool, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path, help="the directory every tool scans")
    parser.add_argument("--tool", action="append", help="run only these tools (repeatable)")
    parser.add_argument(
        "--bin",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="executable of a tool (repeatable)",
    )
    parser.add_argument(
        "--show",
        action="append",
        default=[],
        metavar="KIND",
        help="also list the names each tool found for a kind",
    )
    parser.add_argument("--json", type=Path, help="write every tool's names per kind here")
    parser.add_argument("--keep", type=Path, help="keep the reports in this folder")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per tool")
    args = parser.parse_args(argv)

    tree = args.tree.resolve()
    if not tree.is_dir():
        parser.error(f"not a directory: {args.tree}")
    overrides = dict(b.split("=", 1) for b in args.bin if "=" in b)
    wanted = set(args.tool or [t.name for t in TOOLS])
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="aims-compare-") as tmp:
        for tool in TOOLS:
            if tool.name not in wanted:
                continue
            exe = find_executable(tool, overrides)
            if exe is None:
                print(
                    f"skipped {tool.name}: not installed ({tool.note or 'see --bin'})",
                    file=sys.stderr,
                )
                continue
            workdir = Path(tmp) / tool.name
            workdir.mkdir()
            print(f"running {tool.name} ...", file=sys.stderr)
            results.append(run_tool(tool, exe, tree, workdir, args.timeout))
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                for report in workdir.glob("*.json"):
                    shutil.copy(report, args.keep / f"{tree.name}.{report.name}")
    for name, why in NOT_RUN.items():
        print(f"not run {name}: {why}", file=sys.stderr)

    print(f"tree: {tree}  (load average {os.getloadavg()[0]:.1f} at the end)")
    for r in results:
        print(f"  {r.tool}: {r.version}")
    print_table(results)
    for kind in args.show:
        print(f"\n{kind}:")
        for r in results:
            print(f"  {r.tool}: {', '.join(sorted(r.found.get(kind, ()))) or '-'}")
    if args.json:
        payload = {
            "tree": str(tree),
            "results": [
                {
                    "tool": r.tool,
                    "version": r.version,
                    "seconds": r.seconds,
                    "cpu": r.cpu,
                    "bom": r.bom,
                    "error": r.error,
                    "found": {k: sorted(v) for k, v in r.found.items()},
                }
                for r in results
            ],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
