"""Known-answer and property tests for the RFC 6962 Merkle tree."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.ledger.tree import (
    EMPTY_ROOT,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_from_leaf_hashes,
    subtree_hasher,
    verify_consistency,
    verify_inclusion,
)

# The eight leaves used by the RFC 6962 reference test vectors (certificate-transparency).
VECTOR_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
VECTOR_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_empty_root() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_from_leaf_hashes([]) == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_rfc6962_reference_roots(size: int) -> None:
    leaves = [leaf_hash(d) for d in VECTOR_LEAVES[:size]]
    assert root_from_leaf_hashes(leaves).hex() == VECTOR_ROOTS[size - 1]


def test_reference_inclusion_proof_shape() -> None:
    leaves = [leaf_hash(d) for d in VECTOR_LEAVES]
    proof = inclusion_proof(0, 8, subtree_hasher(leaves))
    assert len(proof) == 3
    assert proof[0] == leaves[1]
    verify_inclusion(0, 8, leaves[0], proof, bytes.fromhex(VECTOR_ROOTS[7]))


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


@given(st.integers(min_value=1, max_value=300), st.data())
def test_every_inclusion_proof_verifies(size: int, data: st.DataObject) -> None:
    leaves = _leaves(size)
    root = root_from_leaf_hashes(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = inclusion_proof(index, size, subtree_hasher(leaves))
    verify_inclusion(index, size, leaves[index], proof, root)
    # The wrong leaf, the wrong index or a flipped proof byte never verifies.
    with pytest.raises(ProofError):
        verify_inclusion(index, size, leaf_hash(b"other"), proof, root)
    if proof:
        bad = [bytearray(p) for p in proof]
        bad[data.draw(st.integers(0, len(bad) - 1))][0] ^= 1
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaves[index], [bytes(p) for p in bad], root)
    if size > 1:
        other = (index + 1) % size
        with pytest.raises(ProofError):
            verify_inclusion(other, size, leaves[index], proof, root)


@given(st.integers(min_value=1, max_value=300), st.data())
def test_every_consistency_proof_verifies(new_size: int, data: st.DataObject) -> None:
    old_size = data.draw(st.integers(min_value=0, max_value=new_size))
    leaves = _leaves(new_size)
    old_root = root_from_leaf_hashes(leaves[:old_size])
    new_root = root_from_leaf_hashes(leaves)
    proof = consistency_proof(old_size, new_size, subtree_hasher(leaves))
    verify_consistency(old_size, new_size, old_root, new_root, proof)
    if 0 < old_size < new_size:
        # A rewritten history (one changed old leaf) breaks consistency.
        forged = list(leaves)
        forged[data.draw(st.integers(0, old_size - 1))] = leaf_hash(b"forged")
        forged_root = root_from_leaf_hashes(forged)
        with pytest.raises(ProofError):
            verify_consistency(old_size, new_size, old_root, forged_root, proof)


def test_rollback_is_rejected() -> None:
    leaves = _leaves(10)
    with pytest.raises(ProofError, match="rollback"):
        verify_consistency(
            10, 5, root_from_leaf_hashes(leaves), root_from_leaf_hashes(leaves[:5]), []
        )
