"""RFC 6962 / RFC 9162 Merkle tree hashing, inclusion and consistency proofs, and their checks.

The functions here are pure: they take leaf hashes (or a way to get subtree hashes) and return
hashes and proofs. Storage lives elsewhere; this module is what both the log and an offline
verifier trust.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root of the empty tree (RFC 6962 section 2.1)."""


class ProofError(ValueError):
    """A proof does not verify, or its parameters are impossible."""


def leaf_hash(data: bytes) -> bytes:
    """Return the hash of a leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """Largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


SubtreeHash = Callable[[int, int], bytes]
"""`f(start, end)` -> the Merkle tree hash of leaves [start, end)."""


def root_from_leaf_hashes(leaves: Sequence[bytes]) -> bytes:
    """Return the Merkle tree hash of a list of leaf hashes (iterative, O(n))."""
    if not leaves:
        return EMPTY_ROOT
    # Fold with a stack of perfect subtrees, as in an append-only compact range.
    stack: list[tuple[int, bytes]] = []  # (height, hash)
    for h in leaves:
        height, node = 0, h
        while stack and stack[-1][0] == height:
            _, left = stack.pop()
            node = node_hash(left, node)
            height += 1
        stack.append((height, node))
    _, root = stack.pop()
    while stack:
        _, left = stack.pop()
        root = node_hash(left, root)
    return root


def subtree_hasher(leaves: Sequence[bytes]) -> SubtreeHash:
    """Return a `SubtreeHash` over an in-memory list of leaf hashes (for tests and small logs)."""

    def hash_range(start: int, end: int) -> bytes:
        return root_from_leaf_hashes(leaves[start:end])

    return hash_range


def inclusion_proof(index: int, size: int, subtree: SubtreeHash) -> list[bytes]:
    """Return the audit path for leaf `index` in the tree of `size` leaves (RFC 6962 2.1.1)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    proof: list[bytes] = []
    start, end = 0, size
    # Walk down from the root, collecting the sibling of each subtree on the path.
    path: list[bytes] = []
    while end - start > 1:
        k = _split(end - start)
        if index - start < k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            start = start + k
    proof = list(reversed(path))
    return proof


def consistency_proof(old_size: int, new_size: int, subtree: SubtreeHash) -> list[bytes]:
    """Return the proof that the tree of `old_size` is a prefix of `new_size` (RFC 6962 2.1.2)."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"cannot prove consistency from size {old_size} to {new_size}")
    if old_size == 0 or old_size == new_size:
        return []

    def subproof(m: int, start: int, end: int, complete: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if complete else [subtree(start, end)]
        k = _split(n)
        if m <= k:
            return subproof(m, start, start + k, complete) + [subtree(start + k, end)]
        return subproof(m - k, start + k, end, False) + [subtree(start, start + k)]

    return subproof(old_size, 0, new_size, True)


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """Return the root implied by an inclusion proof (RFC 9162 2.1.3.2); raises `ProofError`."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    fn, sn = index, size - 1
    result = leaf
    for p in proof:
        if len(p) != HASH_SIZE:
            raise ProofError("proof element has the wrong length")
        if sn == 0:
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            result = node_hash(p, result)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    return result


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that `leaf` is at `index` in the tree of `size` with `root`; raises `ProofError`."""
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise ProofError(f"inclusion proof for leaf {index} does not lead to the expected root")


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> None:
    """Check that tree `old_size`/`old_root` is a prefix of `new_size`/`new_root` (RFC 9162
    2.1.4.2); raises `ProofError` when it is not, which is what a rewritten history looks like."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"size went backwards: {old_size} -> {new_size} (rollback)")
    if old_size == new_size:
        if proof:
            raise ProofError("consistency proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError("same size, different roots: the log was rewritten")
        return
    if old_size == 0:
        if proof:
            raise ProofError("consistency proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("consistency proof is empty")
    if any(len(p) != HASH_SIZE for p in proof):
        raise ProofError("proof element has the wrong length")
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if fr != old_root:
        raise ProofError("consistency proof does not match the old root: history was rewritten")
    if sr != new_root:
        raise ProofError("consistency proof does not match the new root")
