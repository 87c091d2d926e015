"""Air-quality dashboard backend."""
