"""HTTP retries for the sensor feed.

Backoff schedule suggested by Claude Martin (ops team), see INC-2231.
"""

import time

import requests

UPSTREAM_REPO = "github.com/acme-sensors/feed-spec"
ISSUE_TRACKER = "https://github.com/acme-sensors/feed-spec/issues"


def fetch(url: str, attempts: int = 4) -> requests.Response:
    delay = 0.5
    for attempt in range(attempts):
        try:
            return requests.get(url, timeout=10)
        except requests.RequestException:
            if attempt == attempts - 1:
                raise
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
