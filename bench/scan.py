"""Benchmark `aims scan` against ripgrep searching the same keywords over the same tree.

Usage: python bench/scan.py [PATH] [--files N] [--size-mb M] [--jobs J] [--repeat R]

Without PATH it builds (or reuses) a deterministic synthetic tree under /tmp: by default 100,000
files, about 1 GB, a realistic mix of Python, JavaScript, Go, Java, JSON, YAML, Markdown and
package manifests, with a sprinkle of AI use. Then, in the same run, it times:

1. ripgrep: `rg -i -l -F -f keywords.txt` (the union of every detector's keywords), honouring
   .gitignore, skipping binaries and files over the same size limit;
2. aims cold: `aims scan --no-cache` (everything read, prefiltered and examined);
3. aims warm: `aims scan` again with a populated cache (an unchanged tree).

and prints files/s, MB/s and the ratios aims/rg. Timings are wall clock, best of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GENERATOR_VERSION = "1"
ROOT = Path(__file__).resolve().parent.parent
# NOTE: `python bench/scan.py` puts bench/ first on sys.path, where sibling benchmarks (such
# named like a module) would shadow standard-library modules of the same name.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

# -- synthetic tree ---------------------------------------------------------------------------

_WORDS = (
    "alpha beta gamma delta value result config handler request response user account order "
    "item price total count index buffer stream record table query cache session token parse "
    "render build update delete create fetch load save check apply merge split filter reduce"
).split()

_AI_SNIPPETS = {
    "py": [
        "from openai import OpenAI\nclient = OpenAI()\nreply = client.chat.completions.create("
        'model="gpt-4o-mini", messages=[])\n',
        'import anthropic\nclient = anthropic.Anthropic()\nmodel = "claude-3-5-sonnet-20241022"\n',
        "from transformers import AutoModel\n"
        'model = AutoModel.from_pretrained("meta-llama/Llama-3.2-1B-Instruct")\n',
        "from langchain_openai import ChatOpenAI\nllm = ChatOpenAI()\n",
    ],
    "js": [
        'import OpenAI from "openai";\nconst client = new OpenAI();\n',
        'import Anthropic from "@anthropic-ai/sdk";\nconst anthropic = new Anthropic();\n',
    ],
    "go": ['import "github.com/sashabaranov/go-openai"\n'],
    "java": ["import com.openai.client.OpenAIClient;\n"],
    "md": ["We call the OpenAI API (api.openai.com) with OPENAI_API_KEY from the environment.\n"],
    "yaml": ["env:\n  ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}\n"],
    "json": ['{"model": "gpt-4o", "provider": "openai"}\n'],
}


def _ident(rng: random.Random) -> str:
    return "_".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 3)))


def _chunk(kind: str, rng: random.Random) -> str:
    a, b, c = _ident(rng), _ident(rng), _ident(rng)
    n = rng.randint(0, 10_000)
    if kind == "py":
        return (
            f'def {a}({b}, {c}=None):\n    """Return the {b} of {c}."""\n'
            f"    if {c} is None:\n        {c} = {n}\n    return [{b}[i] * {c} for i in range(len({b}))]\n\n"
        )
    if kind == "js":
        return (
            f"export function {a}({b}, {c}) {{\n  const out = [];\n  for (const x of {b}) {{\n"
            f"    if (x > {n}) out.push(x + {c});\n  }}\n  return out;\n}}\n\n"
        )
    if kind == "go":
        return (
            f"func {a.title().replace('_', '')}({b} []int, {c} int) int {{\n\ttotal := {n}\n"
            f"\tfor _, v := range {b} {{\n\t\ttotal += v * {c}\n\t}}\n\treturn total\n}}\n\n"
        )
    if kind == "java":
        return (
            f"    public int {a.replace('_', '')}(int[] {b}, int {c}) {{\n        int total = {n};\n"
            f"        for (int v : {b}) {{ total += v * {c}; }}\n        return total;\n    }}\n\n"
        )
    if kind == "json":
        return f'  "{a}": {{"{b}": {n}, "{c}": "{_ident(rng)}", "enabled": true}},\n'
    if kind == "yaml":
        return f"{a}:\n  {b}: {n}\n  {c}: {_ident(rng)}\n  enabled: true\n"
    return f"## {a.title()}\n\nThe {b} step reads the {c} and writes {n} records to the {_ident(rng)}.\n\n"


_KINDS = [("py", 30), ("js", 20), ("go", 10), ("java", 10), ("json", 10), ("yaml", 8), ("md", 12)]
_EXT = {"py": ".py", "js": ".js", "go": ".go", "java": ".java", "json": ".json", "yaml": ".yaml"}


def _manifest(kind: str, rng: random.Random, ai: bool) -> tuple[str, str]:
    if kind == "requirements.txt":
        deps = ["requests==2.32.3", "flask==3.0.3", "pydantic==2.8.2"]
        if ai:
            deps.append("openai==1.51.0")
        return kind, "\n".join(deps) + "\n"
    if kind == "package.json":
        deps = {"express": "^4.19.2", "lodash": "^4.17.21"}
        if ai:
            deps["@anthropic-ai/sdk"] = "^0.27.0"
        return kind, json.dumps({"name": _ident(rng), "dependencies": deps}, indent=2) + "\n"
    deps_go = ["github.com/gorilla/mux v1.8.1"]
    if ai:
        deps_go.append("github.com/sashabaranov/go-openai v1.32.0")
    body = "module example.com/" + _ident(rng) + "\n\ngo 1.22\n\nrequire (\n"
    return "go.mod", body + "".join(f"\t{d}\n" for d in deps_go) + ")\n"


def build_tree(path: Path, files: int, size_mb: int, seed: int = 42) -> dict[str, int]:
    """Create the synthetic tree at `path` (idempotent: reused when the stamp matches)."""
    stamp = path / ".bench-stamp.json"
    wanted = {"version": GENERATOR_VERSION, "files": files, "size_mb": size_mb, "seed": seed}
    if stamp.exists():
        try:
            known = json.loads(stamp.read_text())
            if known.get("params") == wanted:
                return dict(known["totals"])
        except (ValueError, KeyError):
            pass
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pools = {kind: [_chunk(kind, rng) for _ in range(400)] for kind, _ in _KINDS}
    kinds = [k for k, w in _KINDS for _ in range(w)]
    mean = size_mb * 1024 * 1024 / files
    total_bytes = 0
    (path / ".gitignore").write_text("*.log\nnode_modules/\ncoverage/\n")
    total_files = 1
    per_dir = 40
    for index in range(files - 1):
        service = f"services/svc{index // 4000:03d}"
        folder = path / service / f"pkg{(index // per_dir) % 100:02d}"
        if index % per_dir == 0:
            folder.mkdir(parents=True, exist_ok=True)
        ai = rng.random() < 0.02
        if index % 500 == 0:
            name, text = _manifest(
                rng.choice(["requirements.txt", "package.json", "go.mod"]), rng, ai
            )
            target = folder / name
        else:
            kind = rng.choice(kinds)
            target_size = min(int(rng.lognormvariate(0, 0.9) * mean / 1.5), 1_500_000)
            parts: list[str] = []
            size = 0
            if ai and kind in _AI_SNIPPETS:
                snippet = rng.choice(_AI_SNIPPETS[kind])
                parts.append(snippet)
                size += len(snippet)
            pool = pools[kind]
            while size < target_size:
                piece = pool[rng.randrange(len(pool))]
                parts.append(piece)
                size += len(piece)
            text = "".join(parts)
            target = folder / f"{_ident(rng)}_{index}{_EXT.get(kind, '.md')}"
        data = text.encode()
        target.write_bytes(data)
        total_bytes += len(data)
        total_files += 1
    totals = {"files": total_files, "bytes": total_bytes}
    stamp.write_text(json.dumps({"params": wanted, "totals": totals}))
    return totals


def tree_totals(path: Path, max_size: int) -> dict[str, int]:
    """Count files and bytes of an existing tree (for a user-supplied PATH)."""
    files = 0
    size = 0
    for folder, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            if st.st_size <= max_size:
                files += 1
                size += st.st_size
    return {"files": files, "bytes": size}


# -- measurement ------------------------------------------------------------------------------


def keywords_file(folder: Path) -> tuple[Path, int]:
    """Write the union of every registered detector's keywords, one per line."""
    sys.path.insert(0, str(ROOT / "src"))
    from aims.catalog import load_catalog
    from aims.scanner.detectors import all_detectors

    catalog = load_catalog()
    words: set[bytes] = set()
    for detector in all_detectors():
        found = detector.keywords(catalog)
        if found is not None:
            words.update(k.lower() for k in found)
    path = folder / "keywords.txt"
    lines = sorted(w for w in words if b"\n" not in w and w.strip())
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, len(lines)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    command: list[str], repeat: int, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Run `command` `repeat` times; return the best wall time and the CPU time of that run.

    CPU time (user + system, the command and all its processes) is reported beside wall
    time because a shared machine makes wall time noisy.
    """
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, check=False)
        elapsed = time.perf_counter() - start
        used = _children_cpu() - cpu
        if done.returncode not in (0, 1):  # rg exits 1 when nothing matched
            sys.stderr.write(done.stderr.decode(errors="replace"))
            raise SystemExit(f"command failed ({done.returncode}): {' '.join(command)}")
        if elapsed < best[0]:
            best = (elapsed, used)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="tree to scan (default: a synthetic tree)")
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--size-mb", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-file-size", default="2M")
    parser.add_argument(
        "--detector", action="append", help="run only this aims detector (repeatable)"
    )
    args = parser.parse_args()

    rg = shutil.which("rg")
    if rg is None:
        raise SystemExit("ripgrep (rg) is not on PATH: apt-get install ripgrep")
    if args.path:
        tree = Path(args.path).resolve()
        totals = tree_totals(tree, 2 * 1024 * 1024)
    else:
        tree = Path(tempfile.gettempdir()) / f"aims-bench-{args.files}-{args.size_mb}mb"
        start = time.perf_counter()
        totals = build_tree(tree, args.files, args.size_mb)
        print(f"tree: {tree} ({time.perf_counter() - start:.1f} s to build or check)")
    work = Path(tempfile.mkdtemp(prefix="aims-bench-"))
    keywords, count = keywords_file(work)
    mb = totals["bytes"] / 1e6
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    print(f"tree: {totals['files']} files, {mb:.0f} MB; {count} keywords; jobs={args.jobs}")

    rg_cmd = [
        rg,
        "-i",
        "-l",
        "-F",
        "-f",
        str(keywords),
        "--hidden",
        "--no-require-git",
        "-g",
        "!.git",
        "--max-filesize",
        args.max_file_size,
        "-j",
        str(args.jobs),
        str(tree),
    ]
    aims = [sys.executable, "-m", "aims", "scan", str(tree), "--format", "json"]
    aims += ["--output", os.devnull, "--no-progress", "-q", "--jobs", str(args.jobs)]
    aims += ["--max-file-size", args.max_file_size]
    for name in args.detector or []:
        aims += ["--detector", name]
    # NOTE: run a snapshot of the sources, so edits made to the work tree while the benchmark
    # runs (a changed catalog file changes the cache key) cannot skew the warm rescan.
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    # Byte-compile the snapshot as an installed package is: with PYTHONDONTWRITEBYTECODE set
    # (common in containers), every run would otherwise recompile aims's modules from source.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(work / "src")], check=True)
    env = {**os.environ, "PYTHONPATH": str(work / "src")}
    cache = work / "cache"

    timed(rg_cmd, 1)  # warm the page cache
    results: dict[str, tuple[float, float]] = {}
    results["rg"] = timed(rg_cmd, args.repeat)
    results["aims cold"] = timed([*aims, "--no-cache"], args.repeat, env)
    results["aims fill"] = timed([*aims, "--cache-dir", str(cache)], 1, env)  # cold + cache
    results["aims warm"] = timed([*aims, "--cache-dir", str(cache)], args.repeat, env)

    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"{'run':<10} {'wall s':>7} {'cpu s':>7} {'files/s':>9} {'MB/s':>7} "
        f"{'wall vs rg':>10} {'cpu vs rg':>9}"
    )
    rg_wall, rg_cpu = results["rg"]
    for name, (wall, cpu) in results.items():
        print(
            f"{name:<10} {wall:7.2f} {cpu:7.2f} {totals['files'] / wall:9.0f} "
            f"{mb / wall:7.1f} {wall / rg_wall:9.1f}x {cpu / max(rg_cpu, 1e-9):8.1f}x"
        )
    cold, warm = results["aims cold"][0], results["aims warm"][0]
    print(f"warm rescan is {cold / warm:.1f}x faster than cold")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
