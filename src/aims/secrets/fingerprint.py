"""Redaction and keyed fingerprints: all that output may ever show of a secret.

A key is shown as its format's literal prefix, an ellipsis, its last 4 characters and a keyed
fingerprint: `sk-ant-api…Q2AA (fp 3f9a0c1d2e4b)`. The fingerprint is an HMAC-SHA256 of the key
under a per-installation secret, so it identifies the same key across scans and baselines without
letting anyone who reads a report test guesses against it (a plain hash of a key could be
brute-forced offline for short keys, or matched against a leaked key list).

The installation secret is 32 random bytes, created on first use at
`$XDG_CONFIG_HOME/aims/fingerprint.key` (default `~/.config/aims/`, `%APPDATA%\\aims\\` on
Windows) with mode 0600. Teams that share baselines set the same value in `AIMS_FINGERPRINT_KEY`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import lru_cache
from pathlib import Path

ENV_KEY = "AIMS_FINGERPRINT_KEY"
"""Environment variable that overrides the per-installation fingerprint secret."""

KEY_FILE_NAME = "fingerprint.key"

SHOWN_SUFFIX = 4
"""How many trailing characters of a key output may show."""

MAX_SHOWN_PREFIX = 24
"""Upper bound on the literal prefix shown (the longest catalog prefix fits)."""


def config_dir() -> Path:
    """Return the user's aims configuration directory (not created)."""
    xdg = os.environ.get("XDG_CONFIG_HOME")
    if xdg:
        return Path(xdg) / "aims"
    appdata = os.environ.get("APPDATA")
    if os.name == "nt" and appdata:
        return Path(appdata) / "aims"
    return Path.home() / ".config" / "aims"


def _read_or_create(path: Path) -> bytes:
    try:
        return bytes.fromhex(path.read_text("ascii").strip())
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        # NOTE: an unreadable or corrupt key file must not stop a scan; fingerprints then
        # depend on the fallback below and change once the file is fixed.
        return _fallback_secret()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = os.urandom(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return _read_or_create(path)
    except OSError:
        return _fallback_secret()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value.hex() + "\n")
    return value


def _fallback_secret() -> bytes:
    # A per-process secret: fingerprints stay keyed (never a bare hash) but are not stable.
    return _PROCESS_SECRET


_PROCESS_SECRET = os.urandom(32)


@lru_cache(maxsize=8)
def _secret_for(env_value: str | None, path: str) -> bytes:
    if env_value:
        return env_value.encode("utf-8")
    return _read_or_create(Path(path))


def installation_secret() -> bytes:
    """Return the HMAC secret: `AIMS_FINGERPRINT_KEY` if set, else the installation key file.

    The file is created (mode 0600) on first use. This never raises: if the configuration
    directory is not writable, a per-process secret is used and fingerprints are not stable.
    """
    return _secret_for(os.environ.get(ENV_KEY), str(config_dir() / KEY_FILE_NAME))


def keyed_hash(secret: str) -> str:
    """Return the full hex HMAC-SHA256 of a secret under the installation secret."""
    return hmac.new(installation_secret(), secret.encode("utf-8"), hashlib.sha256).hexdigest()


def keyed_fingerprint(secret: str) -> str:
    """Return the short (12 hex) keyed fingerprint that output shows next to a redacted key."""
    return keyed_hash(secret)[:12]


def redact(secret: str, prefix: str = "") -> str:
    """Return a display form: the known literal `prefix`, an ellipsis and the last 4 characters.

    `prefix` must be the format's literal prefix (never part of the random body). When the key
    is too short for that to hide most of it, only the ellipsis and fewer characters are shown.
    """
    prefix = prefix[:MAX_SHOWN_PREFIX] if secret.startswith(prefix) else ""
    body = secret[len(prefix) :]
    shown = SHOWN_SUFFIX if len(body) >= 4 * SHOWN_SUFFIX else 0
    return f"{prefix}…{body[len(body) - shown :] if shown else ''}"


def describe(secret: str, prefix: str = "") -> str:
    """Return the redacted key followed by its keyed fingerprint, as evidence strings show it."""
    return f"{redact(secret, prefix)} (fp {keyed_fingerprint(secret)})"
