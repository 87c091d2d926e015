"""Datasets that code explicitly loads or downloads, and data tracked by DVC.

Only explicit references count: a dataset ID or name written as a literal in a loader call
(Hugging Face `load_dataset`, `hf_hub_download`/`snapshot_download` with `repo_type="dataset"`,
TFDS, torchvision/torchaudio/torchtext and Keras built-in datasets, scikit-learn `fetch_*` /
`load_*`, OpenML, Kaggle and kagglehub), a dataset URL (`hf://datasets/...`,
`huggingface.co/datasets/...`), a download command (`kaggle datasets download`,
`huggingface-cli download --repo-type dataset`), an `org/name` value of a dataset key in a YAML
or JSON training config (`dataset_name`, `dataset_mixer`, `dataset_mixture`, `datasets`), or an
`outs:` entry of a `*.dvc` file. Data files
lying around the tree are not listed. Python is read through the masker, so calls inside comments
and docstrings are ignored.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aims.inventory import Component, ComponentType, Evidence, ScanWarning
from aims.scanner.detectors import _source
from aims.scanner.detectors.base import DetectContext, DetectResult, ScanFile

if TYPE_CHECKING:
    from aims.catalog.model import Catalog

DETECTOR_NAME = "datasets"


@dataclass(frozen=True, slots=True)
class DatasetRef:
    """One explicit reference to a dataset."""

    offset: int
    """Offset of the reference in the scanned text."""
    name: str
    ecosystem: str
    """`huggingface`, `tfds`, `torchvision`, `torchaudio`, `torchtext`, `keras`, `sklearn`,
    `openml`, `kaggle` or `dvc`."""
    source: str
    """How it is referenced: the loader function, the command, `url` or `dvc`."""
    properties: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


# -- Hugging Face ---------------------------------------------------------------------------------

_HF_ID = re.compile(r"[A-Za-z0-9][\w.-]*(?:/[A-Za-z0-9][\w.-]*)?")
_HF_PACKAGED = frozenset(
    {
        "csv",
        "json",
        "parquet",
        "text",
        "arrow",
        "pandas",
        "sql",
        "xml",
        "generator",
        "spark",
        "webdataset",
        "imagefolder",
        "audiofolder",
        "videofolder",
        "pdffolder",
        "cache",
    }
)
"""`load_dataset` builders that read local or given files rather than a Hub dataset."""
_HF_IMPORT = re.compile(
    r"(?m)^[ \t]*(?:from[ \t]+datasets(?:\.\w+)*[ \t]+import\b|import[ \t]+datasets\b)"
)
_HF_ALIAS = re.compile(r"(?m)^[ \t]*import[ \t]+datasets[ \t]+as[ \t]+(\w+)")
_HF_LOAD = re.compile(
    r"(?<![\w])(?P<qual>(?:[A-Za-z_]\w*\.)*)load_dataset\s*\(\s*(?:path\s*=\s*)?(?=[rRuU]?[\"']|[A-Za-z_])"
)
_HF_HUB_CALL = re.compile(
    r"(?<![\w])(?:[A-Za-z_]\w*\.)*(?P<fn>hf_hub_download|snapshot_download|list_repo_files)"
    r"\s*\("
)
_HF_URL = re.compile(
    r"(?:hf://|https?://(?:www\.)?huggingface\.co/)datasets/"
    r"(?P<id>[A-Za-z0-9][\w.-]*(?:/[A-Za-z0-9][\w.-]*)?)"
)
_KW_STRING = r"\s*=\s*(?=[rRuU]?[\"']|[A-Za-z_])"
_NAME_ARG = re.compile(r"[A-Za-z_]\w*(?=\s*[,)])")


def hf_purl(dataset_id: str) -> str | None:
    """Return the package URL of a Hugging Face dataset (`?repo_type=dataset` tells it apart)."""
    if "/" in dataset_id:
        org, name = dataset_id.split("/", 1)
        return f"pkg:huggingface/{org}/{name}?repo_type=dataset"
    return f"pkg:huggingface/{dataset_id}?repo_type=dataset"


def _string_after(masked: _source.Masked, pos: int) -> str | None:
    """Return the literal at `pos` (a string prefix letter skipped), or the value of a
    module-level string constant named there (`load_dataset(PUBLIC_SFT)`)."""
    value = masked.string_at(pos + 1 if masked.text[pos : pos + 1] in ("r", "R", "u", "U") else pos)
    if value is None:
        name = _NAME_ARG.match(masked.code, pos)
        value = masked.constants.get(name.group(0)) if name else None
    return value.strip() if value is not None else None


def _call_span(code: str, open_paren: int, limit: int = 4000) -> int:
    """Return the offset of the `)` closing the call whose `(` is at `open_paren` (or a bound)."""
    depth = 0
    end = min(len(code), open_paren + limit)
    for m in re.compile(r"[()]").finditer(code, open_paren, end):
        depth += 1 if m.group(0) == "(" else -1
        if depth == 0:
            return m.start()
    return end


def _keyword_string(masked: _source.Masked, name: str, start: int, end: int) -> str | None:
    m = re.compile(rf"(?<![\w]){name}{_KW_STRING}").search(masked.code, start, end)
    return _string_after(masked, m.end()) if m else None


def _first_positional_string(masked: _source.Masked, open_paren: int) -> str | None:
    m = re.compile(r"\(\s*(?=[rRuU]?[\"']|[A-Za-z_])").match(masked.code, open_paren)
    return _string_after(masked, m.end()) if m else None


_DATA_ARG = re.compile(r"(?<![\w])(?:data_files|data_dir)\s*=\s*")
_DATA_PATH = re.compile(r"[^\s*?{}<>|\"']+")


def _local_data_files(masked: _source.Masked, m: re.Match[str], builder: str) -> list[DatasetRef]:
    """`load_dataset("csv", data_files=...)`: the literal paths given, as `file` datasets."""
    open_paren = masked.code.find("(", m.start())
    close = _call_span(masked.code, open_paren)
    arg = _DATA_ARG.search(masked.code, open_paren, close)
    if arg is None:
        return []
    end = close
    if masked.code[arg.end() : arg.end() + 1] not in ("{", "["):
        literal = _string_after(masked, arg.end())
        paths = [literal] if literal else []
    else:
        end = _call_span(masked.code.replace("{", "(").replace("}", ")"), arg.end())
        paths = []
        for start in masked.strings_between(arg.end(), end):
            content_start, content_end = masked.strings[start]
            if re.match(r"[\"']\s*:", masked.code[content_end : content_end + 8]):
                continue  # NOTE: a split name such as "train" in {"train": "a.csv"}
            paths.append(masked.text[content_start:content_end])
    return [
        DatasetRef(m.start(), path, "file", "load_dataset", {"builder": builder})
        for path in paths
        if path and _DATA_PATH.fullmatch(path)
    ]


def _huggingface(masked: _source.Masked, context: str) -> list[DatasetRef]:
    refs: list[DatasetRef] = []
    code = masked.code
    imports_datasets = _HF_IMPORT.search(context) is not None
    aliases = set(_HF_ALIAS.findall(context)) | {"datasets"}
    # NOTE: the patterns open with a look-behind, which defeats the regex engine's literal
    # search; a substring test first keeps files without the call cheap.
    for m in _HF_LOAD.finditer(code) if "load_dataset" in code else ():
        qual = m.group("qual")
        last = qual.rstrip(".").rsplit(".", 1)[-1]
        if not imports_datasets or (qual and last not in aliases):
            continue
        value = _string_after(masked, m.end())
        if value and value.lower() in _HF_PACKAGED:
            refs.extend(_local_data_files(masked, m, value.lower()))
        elif value and _HF_ID.fullmatch(value):
            refs.append(DatasetRef(m.start(), value, "huggingface", "load_dataset"))
    hub = "_download" in code or "list_repo_files" in code
    for m in _HF_HUB_CALL.finditer(code) if hub else ():
        open_paren = m.end() - 1
        close = _call_span(code, open_paren)
        repo_type = _keyword_string(masked, "repo_type", open_paren, close)
        if repo_type not in ("dataset", "datasets"):
            continue
        repo_id = _keyword_string(masked, "repo_id", open_paren, close)
        if repo_id is None:
            repo_id = _first_positional_string(masked, open_paren)
        if repo_id and _HF_ID.fullmatch(repo_id):
            refs.append(DatasetRef(m.start("fn"), repo_id, "huggingface", m.group("fn")))
    if "datasets/" in masked.text:
        refs.extend(
            DatasetRef(u.start(), u.group("id"), "huggingface", "url")
            for content_start, content_end in masked.strings.values()
            for u in _HF_URL.finditer(masked.text, content_start, content_end)
        )
    return refs


# -- TFDS, torchvision & co, Keras, scikit-learn, OpenML ------------------------------------------

_TFDS = re.compile(
    r"(?<![\w])(?:tfds|tensorflow_datasets)\s*\.\s*(?P<fn>load|builder|data_source)\s*\(\s*"
    r"(?:name\s*=\s*)?(?=[rRuU]?[\"']|[A-Za-z_])"
)
_TORCH_LIBS = ("torchvision", "torchaudio", "torchtext")
_TORCH_QUALIFIED = re.compile(
    r"(?<![\w.])(?P<lib>torchvision|torchaudio|torchtext)\s*\.\s*datasets\s*\.\s*"
    r"(?P<cls>[A-Z]\w*)\s*\("
)
_FROM_IMPORT = (
    r"(?m)^[ \t]*from[ \t]+{module}[ \t]+import[ \t]*(?:\((?P<paren>[^)]*)\)|(?P<names>[^\n;]*))"
)
_TORCH_GENERIC = frozenset(
    {"ImageFolder", "DatasetFolder", "VisionDataset", "FakeData", "Dataset", "IterableDataset"}
)
_KERAS_QUALIFIED = re.compile(
    r"(?<![\w])keras\s*\.\s*datasets\s*\.\s*(?P<name>[a-z]\w*)\s*\.\s*load_data\s*\("
)
_SKLEARN_FN = r"\s*\.\s*(?P<fn>(?:fetch|load)_\w+)\s*\("
_SKLEARN_GENERIC = frozenset(
    {"load_files", "load_svmlight_file", "load_svmlight_files", "fetch_file", "load_sample_image"}
)
_IMPORTED_NAME = re.compile(r"(?P<name>[A-Za-z_]\w*)(?:\s+as\s+(?P<alias>\w+))?")


def _imported_names(code: str, module_pattern: str) -> dict[str, str]:
    """Return alias -> name for `from <module> import a, b as c` statements."""
    names: dict[str, str] = {}
    for m in re.compile(_FROM_IMPORT.format(module=module_pattern)).finditer(code):
        body = m.group("paren") if m.group("paren") is not None else m.group("names") or ""
        for n in _IMPORTED_NAME.finditer(body):
            names[n.group("alias") or n.group("name")] = n.group("name")
    return names


def _calls_of(code: str, aliases: dict[str, str]) -> Iterable[tuple[int, str]]:
    """Yield (offset, imported name) for every bare call of one of the imported names."""
    if not aliases:
        return
    alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    for m in re.compile(rf"(?<![\w.])(?P<a>{alternation})\s*\(").finditer(code):
        yield m.start(), aliases[m.group("a")]


def _frameworks(masked: _source.Masked, context: str) -> list[DatasetRef]:
    code = masked.code
    refs: list[DatasetRef] = []
    for m in _TFDS.finditer(code) if "tfds" in code or "tensorflow_datasets" in code else ():
        value = _string_after(masked, m.end())
        if value:
            name, _, version = value.partition(":")
            base, _, config = name.partition("/")
            props = {k: v for k, v in (("config", config), ("version", version)) if v}
            if base:
                refs.append(DatasetRef(m.start(), base, "tfds", f"tfds.{m.group('fn')}", props))
    for lib in _TORCH_LIBS:
        if lib not in context:
            continue
        refs.extend(
            DatasetRef(m.start(), m.group("cls"), lib, f"{lib}.datasets")
            for m in _TORCH_QUALIFIED.finditer(code)
            if m.group("lib") == lib and m.group("cls") not in _TORCH_GENERIC
        )
        module_aliases = {
            alias
            for alias, name in _imported_names(context, re.escape(lib)).items()
            if name == "datasets"
        }
        for alias in module_aliases:
            pattern = rf"(?<![\w.]){re.escape(alias)}\s*\.\s*(?P<cls>[A-Z]\w*)\s*\("
            refs.extend(
                DatasetRef(m.start(), m.group("cls"), lib, f"{lib}.datasets")
                for m in re.compile(pattern).finditer(code)
                if m.group("cls") not in _TORCH_GENERIC
            )
        classes = _imported_names(context, re.escape(lib) + r"\.datasets")
        for offset, cls in _calls_of(code, classes):
            if cls[:1].isupper() and cls not in _TORCH_GENERIC:
                refs.append(DatasetRef(offset, cls, lib, f"{lib}.datasets"))
    if "keras" in context:
        refs.extend(
            DatasetRef(m.start(), m.group("name"), "keras", "keras.datasets")
            for m in _KERAS_QUALIFIED.finditer(code)
        )
        modules = _imported_names(context, r"(?:tensorflow\.)?keras\.datasets")
        if modules:
            alternation = "|".join(re.escape(a) for a in modules)
            pattern = rf"(?<![\w.])(?P<a>{alternation})\s*\.\s*load_data\s*\("
            refs.extend(
                DatasetRef(m.start(), modules[m.group("a")], "keras", "keras.datasets")
                for m in re.compile(pattern).finditer(code)
            )
    if "sklearn" in context:
        sk_modules = [
            re.escape(alias)
            for alias, name in _imported_names(context, "sklearn").items()
            if name == "datasets"
        ]
        qualifier = "|".join([r"sklearn\s*\.\s*datasets", *sk_modules])
        sk_pattern = re.compile(rf"(?<![\w.])(?:{qualifier}){_SKLEARN_FN}")
        found = [(m.start(), m.group("fn")) for m in sk_pattern.finditer(code)]
        found += list(_calls_of(code, _imported_names(context, r"sklearn\.datasets")))
        for offset, fn in found:
            ref = _sklearn_ref(masked, offset, fn)
            if ref is not None:
                refs.append(ref)
    return refs


def _sklearn_ref(masked: _source.Masked, offset: int, fn: str) -> DatasetRef | None:
    if fn in _SKLEARN_GENERIC or not fn.startswith(("fetch_", "load_")):
        return None
    if fn != "fetch_openml":
        return DatasetRef(offset, fn.split("_", 1)[1], "sklearn", fn)
    open_paren = masked.code.find("(", offset)
    close = _call_span(masked.code, open_paren)
    name = _keyword_string(masked, "name", open_paren, close)
    if name is None:
        name = _first_positional_string(masked, open_paren)
    if name is None:
        m = re.compile(r"(?<![\w])data_id\s*=\s*(?P<id>\d+)").search(masked.code, open_paren, close)
        name = m.group("id") if m else None
    return DatasetRef(offset, name, "openml", fn) if name else None


# -- data files read into data frames ------------------------------------------------------------

_READ_CALL = re.compile(
    r"(?<![\w])(?:[A-Za-z_]\w*\s*\.\s*)+(?P<fn>read_csv|read_table|read_json|read_parquet|"
    r"read_excel|read_feather|read_orc|read_ndjson|scan_csv|scan_parquet|scan_ndjson)\s*\("
)
_FRAME_IMPORT = re.compile(
    r"(?m)^[ \t]*(?:import|from)[ \t]+(?:pandas|polars|dask|modin|cudf|ray)\b"
)
_REMOTE_DATA = re.compile(r"(?i)(?:https?|s3a?|gs|gcs|az|abfss?|wasbs?)://[^\s?#]+")
_DATA_FILE = re.compile(
    r"(?i)\.(?:csv|tsv|json|jsonl|ndjson|parquet|xlsx?|feather|arrow|orc)(?:\.(?:gz|bz2|zip|xz|zst))?$"
)
_REMOTE_DATA_FILE = re.compile(
    r"(?i)https?://[^\s?#'\"{}]+\.(?:csv|tsv|jsonl|ndjson|parquet|arrow|feather)"
    r"(?:\.(?:gz|bz2|zip|xz|zst))?"
)
"""A URL of a data file in a Python string literal: a dataset the code downloads (`.json` is
left out: it is as often an API or a config)."""
_TRAINING = re.compile(
    r"(?<![\w.])(?:train_test_split|cross_val_score|cross_validate|GridSearchCV|"
    r"RandomizedSearchCV)\s*\(|\.fit\s*\(|(?<![\w.])\w*Trainer\s*\("
)
"""Code that trains a model: a local data file it reads is its training data."""
READ_KEYWORDS: tuple[bytes, ...] = (
    b"read_csv",
    b"read_table",
    b"read_json",
    b"read_parquet",
    b"read_excel",
    b"read_feather",
    b"read_orc",
    b"read_ndjson",
    b"scan_csv",
    b"scan_parquet",
)
"""Prefilter words of the data-frame readers (`scan_ndjson` contains none: rare enough)."""
REMOTE_KEYWORDS: tuple[bytes, ...] = (b".csv", b".tsv", b".jsonl", b".ndjson", b".parquet")
"""Prefilter words of data-file URLs (`.arrow` and `.feather` ones are rare enough)."""
_PATH_KEYWORDS = ("filepath_or_buffer", "path_or_buf", "path", "source", "io", "paths")
_PATH_CALL = re.compile(r"(?:pathlib\s*\.\s*)?Path\s*\(\s*")


def _read_path(masked: _source.Masked, open_paren: int) -> str | None:
    """The literal path (or URL) a data-frame reader is given: first argument or path keyword,
    a string constant, or `Path("...")`."""
    close = _call_span(masked.code, open_paren)
    for name in _PATH_KEYWORDS:
        value = _keyword_string(masked, name, open_paren, close)
        if value:
            return value
    value = _first_positional_string(masked, open_paren)
    if value is None:
        m = re.compile(r"\(\s*").match(masked.code, open_paren)
        inner = _PATH_CALL.match(masked.code, m.end()) if m else None
        if inner is not None:
            value = _string_after(masked, inner.end())
    return value


def _frame_reads(masked: _source.Masked, context: str) -> list[DatasetRef]:
    """Data files read into data frames that are datasets: any remote file (a URL or a bucket
    object, usually an evaluation or training set), and a local data file in code that trains
    a model (`train_test_split`, `.fit(`, a `Trainer`). Other local reads are left out: a
    CSV read by an app is not a dataset."""
    code = masked.code
    if "read_" not in code and "scan_" not in code or not _FRAME_IMPORT.search(context):
        return _remote_data_files(masked)
    training = _TRAINING.search(context) is not None
    refs: list[DatasetRef] = []
    for m in _READ_CALL.finditer(code):
        value = _read_path(masked, m.end() - 1)
        if not value or any(c in value for c in "{}*%<>"):
            continue
        remote = _REMOTE_DATA.fullmatch(value.strip())
        if remote is not None:
            url = remote.group(0)
            if "huggingface.co/datasets/" in url or url.startswith("hf://"):
                continue  # NOTE: the Hugging Face URL reader names the repo instead
            refs.append(DatasetRef(m.start("fn"), url, "url", m.group("fn")))
        elif training and _DATA_FILE.search(value.strip()) and "://" not in value:
            path = value.strip().replace("\\", "/")
            refs.append(
                DatasetRef(m.start("fn"), path, "file", m.group("fn"), {"role": "training"})
            )
    read = {r.name for r in refs}
    return refs + [r for r in _remote_data_files(masked) if r.name not in read]


def _remote_data_files(masked: _source.Masked) -> list[DatasetRef]:
    """String literals that are the URL of a data file (`https://.../test_set.csv`)."""
    if "://" not in masked.text:
        return []
    refs = []
    for start, (content_start, content_end) in masked.strings.items():
        value = masked.text[content_start:content_end].strip()
        if "://" in value and _REMOTE_DATA_FILE.fullmatch(value):
            refs.append(DatasetRef(start, value, "url", "url"))
    return refs


# -- Kaggle ---------------------------------------------------------------------------------------

_KAGGLE_ID = re.compile(r"[\w.-]+/[\w.-]+")
_KAGGLE_CALL = re.compile(
    r"(?<![\w])(?:[A-Za-z_]\w*\.)*(?P<fn>dataset_download|dataset_download_files|"
    r"dataset_download_file|dataset_load|competition_download|competition_download_files|"
    r"competition_download_file)\s*\(\s*(?:(?:handle|dataset|competition)\s*=\s*)?"
    r"(?=[rRuU]?[\"']|[A-Za-z_])"
)
_COMMAND = re.compile(
    r"(?<![\w-])(?P<tool>kaggle|huggingface-cli|hf)[ \t]+(?P<args>(?:[^\n\\;&|#]|\\\n|\\(?!\n))*)"
)
_VALUE_OPTIONS = frozenset(
    {
        "-p",
        "--path",
        "-f",
        "--file",
        "--revision",
        "--local-dir",
        "--cache-dir",
        "--include",
        "--exclude",
        "--token",
        "--repo-type",
        "--max-workers",
    }
)


def _kaggle_python(masked: _source.Masked, context: str) -> list[DatasetRef]:
    refs: list[DatasetRef] = []
    if "kaggle" not in context:
        return refs
    for m in _KAGGLE_CALL.finditer(masked.code):
        value = _string_after(masked, m.end())
        if not value:
            continue
        fn = m.group("fn")
        if fn.startswith("competition"):
            refs.append(DatasetRef(m.start("fn"), value, "kaggle", fn, {"kind": "competition"}))
        elif _KAGGLE_ID.match(value):
            handle = "/".join(value.split("/")[:2])
            refs.append(DatasetRef(m.start("fn"), handle, "kaggle", fn))
    return refs


def _split_args(args: str) -> list[str]:
    args = args.replace("\\\n", " ")
    try:
        return shlex.split(args, comments=False, posix=True)
    except ValueError:
        return args.split()


def find_command_datasets(text: str, base: int = 0) -> list[DatasetRef]:
    """Return datasets downloaded by `kaggle` and Hugging Face CLI commands in shell-like text."""
    refs: list[DatasetRef] = []
    if "kaggle" not in text and "download" not in text:
        return refs
    for m in _COMMAND.finditer(text):
        tokens = _split_args(m.group("args"))
        tool = m.group("tool")
        offset = base + m.start()
        if tool == "kaggle" and len(tokens) >= 2 and tokens[1] == "download":
            kind = tokens[0]
            value = _option_or_positional(tokens[2:], ("-d", "--dataset", "-c", "--competition"))
            if kind == "datasets" and value and _KAGGLE_ID.fullmatch(value):
                refs.append(DatasetRef(offset, value, "kaggle", "kaggle datasets download"))
            elif kind == "competitions" and value and re.fullmatch(r"[\w.-]+", value):
                refs.append(
                    DatasetRef(
                        offset,
                        value,
                        "kaggle",
                        "kaggle competitions download",
                        {"kind": "competition"},
                    )
                )
        elif tool in ("huggingface-cli", "hf") and tokens[:1] == ["download"]:
            rest = tokens[1:]
            repo_type = _option_value(rest, "--repo-type")
            value = _option_or_positional(rest, ())
            if repo_type in ("dataset", "datasets") and value and _HF_ID.fullmatch(value):
                refs.append(DatasetRef(offset, value, "huggingface", f"{tool} download"))
    return refs


def _option_value(tokens: list[str], option: str) -> str | None:
    for i, token in enumerate(tokens):
        if token == option and i + 1 < len(tokens):
            return tokens[i + 1]
        if token.startswith(option + "="):
            return token.split("=", 1)[1]
    return None


def _option_or_positional(tokens: list[str], options: tuple[str, ...]) -> str | None:
    """Return the value of the first of `options`, else the first positional argument."""
    for option in options:
        value = _option_value(tokens, option)
        if value:
            return value
    skip = False
    for token in tokens:
        if skip:
            skip = False
            continue
        if token.startswith("-"):
            skip = token in _VALUE_OPTIONS or token in options
            continue
        return token
    return None


_SHELL_CALL = re.compile(
    r"(?<![\w])(?:system|popen|run|call|check_call|check_output|Popen|getoutput|getstatusoutput)"
    r"\s*\(\s*[rRuUfF]?\Z"
)
"""A string literal right after this is a shell command line (`os.system("kaggle ...")`)."""


# -- entry points ---------------------------------------------------------------------------------


def find_python_datasets(masked: _source.Masked, context: str | None = None) -> list[DatasetRef]:
    """Return every explicit dataset reference in masked Python code, in order of offset.

    `context` is masked code whose imports are in scope too (a notebook's other cells); it
    defaults to the code itself. Names bound to string constants are resolved through
    `masked.constants`, filled here from the code when empty.
    """
    if context is None and not masked.constants:
        masked.constants = _source.python_string_constants(masked)
    context = masked.code if context is None else context
    refs = (
        _huggingface(masked, context)
        + _frameworks(masked, context)
        + _kaggle_python(masked, context)
        + _frame_reads(masked, context)
    )
    commands = masked.strings.items() if "download" in masked.text else ()
    for start, (content_start, content_end) in commands:
        content = masked.text[content_start:content_end]
        if "download" in content and _SHELL_CALL.search(masked.code, max(0, start - 80), start):
            refs += find_command_datasets(content, base=content_start)
    refs.sort(key=lambda r: r.offset)
    return refs


def find_text_datasets(text: str) -> list[DatasetRef]:
    """Return dataset URLs and download commands in a non-Python text file (shell, YAML, ...).

    `#` comments are ignored.
    """
    text = _source.mask(text, _source.SHELL).without_comments()
    refs = find_command_datasets(text)
    refs += [
        DatasetRef(u.start(), u.group("id"), "huggingface", "url") for u in _HF_URL.finditer(text)
    ]
    refs.sort(key=lambda r: r.offset)
    return refs


# -- training configs (YAML / JSON) ---------------------------------------------------------------

_DATASET_KEY = re.compile(
    r"(?:[a-z0-9]+_)*datasets?(?:_(?:name|names|id|ids|path|paths|repo|repo_id|mixer|mixture))?"
)
"""Keys that name datasets: `dataset`, `datasets`, `dataset_name`, `train_dataset`,
`pretraining_dataset`, `dataset_mixer`, `dataset_mixture`, ... but not `dataset_text_field`,
`dataset_num_proc` or `dataset_prepared_path`."""
_ITEM_FIELDS = ("path", "id", "repo_id", "repo", "dataset", "dataset_name", "dataset_id", "name")
"""Fields of one entry of a dataset list that hold its ID, in order of preference."""
_REPO_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}")
_LOCAL_FIRST = frozenset(
    {"data", "dataset", "datasets", "output", "outputs", "tmp", "cache", "local", "src", "input"}
)
"""First path segments that mean a local folder rather than a Hub organization."""
_DATA_SUFFIXES = (
    ".json",
    ".jsonl",
    ".csv",
    ".tsv",
    ".txt",
    ".parquet",
    ".arrow",
    ".zip",
    ".gz",
    ".tar",
    ".py",
    ".yaml",
    ".yml",
)
_CONFIG_HINT = re.compile(r"(?i)dataset\w*[\"']?\s*:")
_MAX_CONFIG_SIZE = 2_000_000
_MAX_CONFIG_DEPTH = 40


def _repo_shaped(value: str) -> bool:
    """Whether a config value looks like a Hugging Face `org/name` repo ID, not a local path."""
    if not _REPO_ID.fullmatch(value) or ".." in value:
        return False
    first, name = value.split("/", 1)
    return first.lower() not in _LOCAL_FIRST and not name.lower().endswith(_DATA_SUFFIXES)


def find_config_datasets(text: str) -> list[DatasetRef]:
    """Return Hugging Face dataset IDs named by dataset keys of a YAML or JSON config file.

    Reads TRL / alignment-handbook / axolotl style configs: `dataset_name: org/name`,
    `dataset_mixer: {org/name: 0.5}`, `dataset_mixture: {datasets: [{id: org/name}]}`,
    `datasets: [{path: org/name}]` or `datasets: [org/name]`, at any depth. Only values shaped
    like `org/name` count; local paths and files are left out. Unparsable files give nothing.
    """
    if len(text) > _MAX_CONFIG_SIZE or not _CONFIG_HINT.search(text):
        return []
    import yaml

    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    refs: list[DatasetRef] = []
    visited: set[int] = set()

    def take(node: yaml.Node, key: str) -> None:
        if isinstance(node, yaml.ScalarNode) and _repo_shaped(str(node.value).strip()):
            refs.append(
                DatasetRef(
                    node.start_mark.index,
                    str(node.value).strip(),
                    "huggingface",
                    "config",
                    {"key": key},
                )
            )

    def values(node: yaml.Node, key: str, depth: int) -> None:
        """The value of a dataset key: an ID, a list of entries, an ID -> weight map."""
        if depth > _MAX_CONFIG_DEPTH:
            return
        if isinstance(node, yaml.ScalarNode):
            take(node, key)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.MappingNode):
                    entry(item, key, depth + 1)
                else:
                    values(item, key, depth + 1)
        elif isinstance(node, yaml.MappingNode):
            fields = {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            if any(f in fields for f in _ITEM_FIELDS):
                entry(node, key, depth + 1)
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    continue
                if isinstance(v, yaml.ScalarNode) and _repo_shaped(str(k.value).strip()):
                    take(k, key)  # `dataset_mixer: {org/name: 0.5}`
                elif _DATASET_KEY.fullmatch(str(k.value).lower()):
                    values(v, f"{key}.{k.value}", depth + 1)  # `dataset_mixture: {datasets: ...}`

    def entry(node: yaml.MappingNode, key: str, depth: int) -> None:
        fields = {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        for name in _ITEM_FIELDS:
            if name in fields and isinstance(fields[name], yaml.ScalarNode):
                take(fields[name], f"{key}[].{name}")
                return

    def walk(node: yaml.Node, depth: int) -> None:
        if depth > _MAX_CONFIG_DEPTH or id(node) in visited:
            return
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and _DATASET_KEY.fullmatch(str(k.value).lower()):
                    values(v, str(k.value), depth + 1)
                else:
                    walk(v, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, depth + 1)

    for document in documents:
        if document is not None:
            walk(document, 0)
    return refs


_MODEL_SUFFIXES = (
    ".pt",
    ".pth",
    ".ckpt",
    ".onnx",
    ".safetensors",
    ".gguf",
    ".ggml",
    ".h5",
    ".keras",
    ".pb",
    ".tflite",
    ".mlmodel",
    ".joblib",
    ".pkl",
    ".pickle",
)
"""DVC outputs with these suffixes are models (the model-file detector's concern), not data."""


def find_dvc_datasets(text: str, relpath: str) -> tuple[list[DatasetRef], str | None]:
    """Return the `outs:` of a `.dvc` file as datasets (paths relative to the scan root).

    Returns the references and a warning message (None when the file parsed).
    """
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return [], f"datasets: malformed DVC file: {str(exc).splitlines()[0]}"
    outs = data.get("outs") if isinstance(data, dict) else None
    if not isinstance(outs, list):
        return [], None
    folder = posixpath.dirname(relpath)
    refs: list[DatasetRef] = []
    for out in outs:
        if not isinstance(out, dict) or not isinstance(out.get("path"), str):
            continue
        path = out["path"].strip()
        if not path or path.lower().endswith(_MODEL_SUFFIXES):
            continue
        name = posixpath.normpath(posixpath.join(folder, path))
        m = re.search(rf"(?m)^[ \t-]*path:[ \t]*[\"']?{re.escape(path)}", text)
        props = {k: out[k] for k in ("md5", "size", "nfiles", "hash") if k in out}
        refs.append(DatasetRef(m.start() if m else 0, name, "dvc", "dvc", props))
    return refs, None


_SHELL_NAMES = frozenset({"makefile", "gnumakefile", "dockerfile", "containerfile", "justfile"})
_TEXT_SUFFIXES = (
    ".sh",
    ".bash",
    ".zsh",
    ".mk",
    ".yml",
    ".yaml",
    ".dockerfile",
    ".ps1",
    ".toml",
    ".cfg",
)


def resolve_training_file(
    ref: DatasetRef, relpath: str, abspath: str, *, notebook: bool = False
) -> DatasetRef:
    """A training data file named by its repository path when the file is committed (see
    `_source.repo_path`); other references unchanged."""
    if ref.ecosystem != "file" or ref.properties.get("role") != "training":
        return ref
    name, in_repo = _source.repo_path(ref.name, relpath, abspath, notebook=notebook)
    return dataclasses.replace(ref, name=name, properties={**ref.properties, "in_repo": in_repo})


def to_component(ref: DatasetRef, evidence: Evidence) -> Component:
    """Build the dataset component for one reference."""
    properties: dict[str, Any] = {"source": ref.source, **ref.properties}
    return Component(
        type=ComponentType.DATASET,
        name=ref.name,
        ecosystem=ref.ecosystem,
        purl=hf_purl(ref.name) if ref.ecosystem == "huggingface" else None,
        category="dataset",
        evidence=[evidence],
        properties=properties,
    )


def merge_into(components: dict[tuple[str, str], Component], ref: DatasetRef, ev: Evidence) -> None:
    """Add a reference to `components`, one component per (ecosystem, name)."""
    key = (ref.ecosystem, ref.name)
    existing = components.get(key)
    if existing is None:
        components[key] = to_component(ref, ev)
    elif ev not in existing.evidence:
        existing.evidence.append(ev)


class DatasetDetector:
    """Finds datasets that code, scripts and DVC files explicitly reference."""

    name = DETECTOR_NAME
    version = "2"

    def wants(self, relpath: str, name: str) -> bool:
        """Python, `.dvc` files, shell scripts, Makefiles, Dockerfiles, YAML/TOML and JSON."""
        lower = name.lower()
        return (
            lower.endswith((".py", ".dvc", ".json"))
            or lower.endswith(_TEXT_SUFFIXES)
            or lower in _SHELL_NAMES
            or lower.startswith("dockerfile")
        )

    def keywords(self, catalog: Catalog) -> Iterable[bytes] | None:
        """Every reference this detector knows contains one of these."""
        return [b"dataset", b"tfds", b"kaggle", b"outs", *READ_KEYWORDS, *REMOTE_KEYWORDS]

    def detect(self, file: ScanFile, ctx: DetectContext) -> DetectResult:
        """Report one component per dataset the file references."""
        result = DetectResult()
        text = file.text
        lower = file.name.lower()
        if lower.endswith(".dvc"):
            refs, warning = find_dvc_datasets(text, file.relpath)
            if warning:
                result.warnings.append(ScanWarning(file.relpath, warning))
        elif lower.endswith(".py"):
            refs = find_python_datasets(_source.mask(text, _source.PYTHON))
            refs = [resolve_training_file(r, file.relpath, file.abspath) for r in refs]
        elif lower.endswith(".json"):
            refs = find_config_datasets(text)
        elif lower.endswith((".yml", ".yaml")):
            refs = find_text_datasets(text) + find_config_datasets(text)
            refs.sort(key=lambda r: r.offset)
        else:
            refs = find_text_datasets(text)
        lines = _source.LineIndex(text)
        components: dict[tuple[str, str], Component] = {}
        for ref in refs:
            line = lines.line_of(ref.offset)
            evidence = Evidence(
                path=file.relpath,
                line=line,
                detector=DETECTOR_NAME,
                snippet=_source.snippet(lines.line_text(line)),
            )
            merge_into(components, ref, evidence)
        result.components.extend(components.values())
        return result
