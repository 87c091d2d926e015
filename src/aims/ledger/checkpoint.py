"""Signed checkpoints in the C2SP tlog-checkpoint format, wrapped in a C2SP signed note (Ed25519).

A checkpoint commits to a log's size and root hash. The body is
`<origin>\\n<size>\\n<base64 root>\\n[extension lines]`, followed by a blank line and one signature
line per signer: `— <key name> <base64(4-byte key ID || signature)>`. Keys use the signed-note
text encodings: verifier `name+hexID+base64(0x01||public key)`, signer
`PRIVATE+KEY+name+hexID+base64(0x01||seed)`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_ALG_ED25519 = b"\x01"
_SIG_PREFIX = "\u2014 "  # an em dash and a space starts every signature line


class CheckpointError(ValueError):
    """A checkpoint or signed note is malformed, or no trusted signature verifies."""


def key_id(name: str, public_key: bytes) -> bytes:
    """Return the 4-byte key ID: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + _ALG_ED25519 + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise CheckpointError(f"invalid key name {name!r}: no spaces or '+' allowed")


@dataclass(frozen=True)
class Verifier:
    """A public key that can check checkpoint signatures."""

    name: str
    public_key: bytes

    @property
    def id(self) -> bytes:
        """The 4-byte key ID."""
        return key_id(self.name, self.public_key)

    def encode(self) -> str:
        """Return the verifier key text `name+hexID+base64(0x01||key)`."""
        raw = base64.b64encode(_ALG_ED25519 + self.public_key).decode()
        return f"{self.name}+{self.id.hex()}+{raw}"

    @classmethod
    def decode(cls, text: str) -> Verifier:
        """Parse a verifier key text; raises `CheckpointError` when it is malformed."""
        parts = text.strip().split("+", 2)  # base64 may itself contain '+'
        if len(parts) != 3:
            raise CheckpointError("verifier key must look like name+hexid+base64key")
        name, hex_id, b64 = parts
        try:
            raw = base64.b64decode(b64, validate=True)
        except binascii.Error as exc:
            raise CheckpointError("verifier key is not valid base64") from exc
        if len(raw) != 33 or raw[:1] != _ALG_ED25519:
            raise CheckpointError("verifier key is not an Ed25519 key")
        verifier = cls(name=name, public_key=raw[1:])
        if verifier.id.hex() != hex_id.lower():
            raise CheckpointError("verifier key ID does not match its name and key")
        return verifier

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True when `signature` is this key's Ed25519 signature of `message`."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A private key that signs checkpoints."""

    name: str
    seed: bytes = field(repr=False)

    @classmethod
    def generate(cls, name: str) -> Signer:
        """Create a new random Ed25519 signer."""
        _check_name(name)
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        key = Ed25519PrivateKey.generate()
        seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return cls(name=name, seed=seed)

    @property
    def verifier(self) -> Verifier:
        """The matching public verifier."""
        public = (
            Ed25519PrivateKey.from_private_bytes(self.seed)
            .public_key()
            .public_bytes(Encoding.Raw, PublicFormat.Raw)
        )
        return Verifier(name=self.name, public_key=public)

    def encode(self) -> str:
        """Return the signer key text `PRIVATE+KEY+name+hexID+base64(0x01||seed)` (secret!)."""
        raw = base64.b64encode(_ALG_ED25519 + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+{raw}"

    @classmethod
    def decode(cls, text: str) -> Signer:
        """Parse a signer key text; raises `CheckpointError` when it is malformed."""
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise CheckpointError("signer key must look like PRIVATE+KEY+name+hexid+base64key")
        try:
            raw = base64.b64decode(parts[4], validate=True)
        except binascii.Error as exc:
            raise CheckpointError("signer key is not valid base64") from exc
        if len(raw) != 33 or raw[:1] != _ALG_ED25519:
            raise CheckpointError("signer key is not an Ed25519 key")
        signer = cls(name=parts[2], seed=raw[1:])
        if signer.verifier.id.hex() != parts[3].lower():
            raise CheckpointError("signer key ID does not match its name and key")
        return signer

    def sign(self, message: bytes) -> bytes:
        """Return the Ed25519 signature of `message`."""
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


@dataclass(frozen=True)
class Checkpoint:
    """A log's size and root hash under an origin name, with optional extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """Return the checkpoint text that is signed."""
        if not self.origin or "\n" in self.origin:
            raise CheckpointError("checkpoint origin must be one non-empty line")
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode()]
        lines += list(self.extensions)
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        """Parse a checkpoint body; raises `CheckpointError` when malformed."""
        if not body.endswith("\n"):
            raise CheckpointError("checkpoint body must end with a newline")
        lines = body[:-1].split("\n")
        if len(lines) < 3:
            raise CheckpointError("checkpoint needs origin, size and root hash lines")
        origin, size_text, root_text, *extensions = lines
        if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
            raise CheckpointError(f"checkpoint size is not a decimal number: {size_text!r}")
        try:
            root = base64.b64decode(root_text, validate=True)
        except binascii.Error as exc:
            raise CheckpointError("checkpoint root hash is not valid base64") from exc
        if len(root) != 32:
            raise CheckpointError("checkpoint root hash must be 32 bytes")
        if any(not e for e in extensions):
            raise CheckpointError("checkpoint extension lines must not be empty")
        return cls(origin=origin, size=int(size_text), root_hash=root, extensions=tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """Return the signed note text of a checkpoint."""
    body = checkpoint.body()
    sig = signer.sign(body.encode())
    encoded = base64.b64encode(signer.verifier.id + sig).decode()
    return f"{body}\n{_SIG_PREFIX}{signer.name} {encoded}\n"


def open_checkpoint(note: str, verifiers: list[Verifier]) -> tuple[Checkpoint, list[str]]:
    """Verify a signed checkpoint note and return it with the names of the keys that signed it.

    Signatures by unknown keys are ignored; raises `CheckpointError` unless at least one trusted
    verifier's signature is valid, or when any signature claiming a trusted key ID is invalid.
    """
    if not note.endswith("\n"):
        raise CheckpointError("signed note must end with a newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise CheckpointError("signed note has no signature block")
    body, sig_block = note[: split + 1], note[split + 2 :]
    by_id = {(v.name, v.id): v for v in verifiers}
    signed_by: list[str] = []
    for line in sig_block.splitlines():
        if not line.startswith(_SIG_PREFIX):
            raise CheckpointError(f"malformed signature line: {line[:40]!r}")
        try:
            name, encoded = line[len(_SIG_PREFIX) :].split(" ")
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error) as exc:
            raise CheckpointError(f"malformed signature line: {line[:40]!r}") from exc
        if len(raw) < 5:
            raise CheckpointError("signature is too short")
        verifier = by_id.get((name, raw[:4]))
        if verifier is None:
            continue
        if not verifier.verify(body.encode(), raw[4:]):
            raise CheckpointError(
                f"signature by {name} does not verify: the checkpoint was altered"
            )
        signed_by.append(name)
    if not signed_by:
        raise CheckpointError("no signature by a trusted key")
    return Checkpoint.parse(body), signed_by
