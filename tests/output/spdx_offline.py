"""Run `spdx3-validate` with no network: its three downloads are served from local copies.

`spdx3_validate.validate` fetches the JSON-LD context, the SHACL model and the JSON Schema
of the document's SPDX version with `urllib`. This module installs a `urllib` opener that
answers exactly those URLs from `tests/output/schemas/spdx-3.0.1/` and refuses every other
http(s) request, so the official validator runs unchanged and provably offline.
"""

from __future__ import annotations

import email.message
import io
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.response import addinfourl

HERE = Path(__file__).parent / "schemas" / "spdx-3.0.1"
LOCAL = {
    "https://spdx.org/rdf/3.0.1/spdx-context.jsonld": HERE / "spdx-context.jsonld",
    "https://spdx.org/rdf/3.0.1/spdx-model.ttl": HERE / "spdx-model.ttl",
    "https://spdx.org/schema/3.0.1/spdx-json-schema.json": HERE / "spdx-json-schema.json",
}
CONTENT_TYPES = {
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle",
    ".json": "application/json",
}


class _LocalOnly(urllib.request.HTTPSHandler, urllib.request.HTTPHandler):
    """Answers the three SPDX URLs from disk; any other http(s) URL is an error."""

    requested: list[str] = []

    def _serve(self, req: urllib.request.Request) -> addinfourl:
        url = req.full_url
        self.requested.append(url)
        path = LOCAL.get(url)
        if path is None:
            raise URLError(f"offline test: refusing network access to {url}")
        headers = email.message.Message()
        headers["Content-Type"] = CONTENT_TYPES[path.suffix]
        response = addinfourl(io.BytesIO(path.read_bytes()), headers, url, 200)
        response.msg = "OK"
        return response

    def https_open(self, req: urllib.request.Request) -> addinfourl:  # type: ignore[override]
        return self._serve(req)

    def http_open(self, req: urllib.request.Request) -> addinfourl:  # type: ignore[override]
        return self._serve(req)


@contextmanager
def offline_spdx() -> Iterator[list[str]]:
    """Install the local-only opener; yields the list of URLs the validator asked for."""
    handler = _LocalOnly()
    handler.requested = []
    previous = urllib.request._opener  # type: ignore[attr-defined]
    urllib.request.install_opener(urllib.request.build_opener(handler))
    try:
        yield handler.requested
    finally:
        urllib.request._opener = previous  # type: ignore[attr-defined]


def validate_spdx_file(path: Path) -> list[str]:
    """Validate one SPDX 3.0.1 file offline; returns the validator's error messages."""
    import spdx3_validate

    with offline_spdx():
        result = spdx3_validate.validate(str(path), version="3.0.1")
    return [str(e) for e in result.errors]


if __name__ == "__main__":
    # Offline validation of any SPDX 3.0.1 file: python -m tests.output.spdx_offline FILE...
    import sys

    failed = False
    for name in sys.argv[1:]:
        problems = validate_spdx_file(Path(name))
        failed = failed or bool(problems)
        print(f"{name}: {'valid' if not problems else f'{len(problems)} error(s)'}")
        for problem in problems:
            print(problem)
    sys.exit(1 if failed else 0)
