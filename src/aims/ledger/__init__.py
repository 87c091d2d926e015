"""A tamper-evident, append-only log: RFC 6962/9162 Merkle tree, signed checkpoints, proofs."""
