"""AI API keys: the key-format catalog, matching, decoy filters, redaction and history scanning.

The public entry points are `find_keys()` (text in, redaction-safe matches out), `redact()` and
`keyed_fingerprint()` (what output may show about a key) and `aims.secrets.history.scan_history()`
(every unique blob reachable in a git repository). A raw key never leaves this package except
inside a `KeyMatch`, whose `repr()` hides it.
"""

from aims.secrets.fingerprint import keyed_fingerprint, redact
from aims.secrets.formats import KeyFormat, load_key_formats
from aims.secrets.matcher import KeyMatch, KeyMatcher, find_keys

__all__ = [
    "KeyFormat",
    "KeyMatch",
    "KeyMatcher",
    "find_keys",
    "keyed_fingerprint",
    "load_key_formats",
    "redact",
]
