"""Checkpoint signing keys: generation, files on disk, and the trusted verifier list.

A signer key file holds one `PRIVATE+KEY+...` line and is written with mode 0600. The public
verifier file (`<name>.pub`) holds one verifier key per line; on rotation the new key is appended,
so checkpoints signed by an old key keep verifying.
"""

from __future__ import annotations

import os
from pathlib import Path

from aims.errors import ConfigError, InputError
from aims.ledger.checkpoint import CheckpointError, Signer, Verifier


def default_key_dir() -> Path:
    """`$AIMS_LOG_KEY_DIR`, else `$XDG_CONFIG_HOME/aims/log-keys`, else `~/.config/aims/log-keys`."""
    explicit = os.environ.get("AIMS_LOG_KEY_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "aims" / "log-keys"


def write_signer(signer: Signer, path: Path) -> Path:
    """Write a signer key file with mode 0600 and append its verifier to `<path>.pub`.

    Returns the path of the public verifier file. Refuses to overwrite an existing key.
    """
    if path.exists():
        raise InputError(f"{path} already exists; refusing to overwrite a signing key")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(signer.encode() + "\n")
    pub = public_path(path)
    existing = pub.read_text("utf-8") if pub.exists() else ""
    if signer.verifier.encode() not in existing.split():
        with pub.open("a", encoding="utf-8") as handle:
            handle.write(signer.verifier.encode() + "\n")
    return pub


def public_path(key_path: Path) -> Path:
    """Return the verifier file that belongs to a signer key file."""
    return key_path.with_name(key_path.name + ".pub")


def read_signer(path: Path) -> Signer:
    """Read a signer key file; raises `ConfigError` with what is wrong."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read signing key: {exc.strerror}", path=str(path)) from exc
    try:
        return Signer.decode(text.strip())
    except CheckpointError as exc:
        raise ConfigError(str(exc), path=str(path)) from exc


def read_verifiers(path: Path) -> list[Verifier]:
    """Read a verifier file (one key per line, `#` comments allowed)."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read public keys: {exc.strerror}", path=str(path)) from exc
    verifiers = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            verifiers.append(Verifier.decode(line))
        except CheckpointError as exc:
            raise ConfigError(str(exc), path=str(path), line=number) from exc
    if not verifiers:
        raise ConfigError("no public key in file", path=str(path))
    return verifiers
