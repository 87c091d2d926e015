"""Hypothesis strategies for inventories: any content the internal classes can hold."""

from __future__ import annotations

from hypothesis import strategies as st

from aims.findings import Confidence, Finding, Location, Severity, Suppression
from aims.inventory import Component, ComponentType, Evidence, Inventory, ScanStats, ScanWarning

_names = st.text(min_size=1, max_size=20)
_opt_text = st.none() | st.text(max_size=12)
_lines = st.none() | st.integers(min_value=1, max_value=10**6)
_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_props = st.dictionaries(st.text(max_size=8), _json_values, max_size=4)

_evidence = st.builds(
    Evidence,
    path=_names,
    line=_lines,
    detector=st.text(max_size=8),
    snippet=st.text(max_size=30),
    commit=st.none() | st.text(min_size=7, max_size=40, alphabet="0123456789abcdef"),
)
_component = st.builds(
    Component,
    type=st.sampled_from(ComponentType),
    name=_names,
    version=_opt_text,
    ecosystem=_opt_text,
    purl=_opt_text,
    provider=_opt_text,
    category=_opt_text,
    direct=st.none() | st.booleans(),
    evidence=st.lists(_evidence, max_size=3),
    properties=_props,
)
_location = st.builds(
    Location,
    path=_names,
    line=_lines,
    column=_lines,
    end_line=_lines,
    end_column=_lines,
    commit=st.none() | st.text(min_size=1, max_size=12),
)
_finding = st.builds(
    Finding,
    rule_id=st.from_regex(r"AIM[0-9]{3}", fullmatch=True),
    rule_name=st.text(max_size=20),
    message=st.text(max_size=40),
    severity=st.sampled_from(Severity),
    confidence=st.sampled_from(Confidence),
    primary=_location,
    fingerprint=st.text(min_size=1, max_size=32, alphabet="0123456789abcdef"),
    evidence=st.text(max_size=30),
    related=st.lists(_location, max_size=2).map(tuple),
    suppression=st.none()
    | st.builds(Suppression, source=st.text(max_size=8), reason=st.text(max_size=20)),
    properties=_props,
)
_stats = st.builds(
    ScanStats,
    files_seen=st.integers(min_value=0, max_value=10**7),
    files_scanned=st.integers(min_value=0, max_value=10**7),
    files_skipped=st.integers(min_value=0, max_value=10**7),
    bytes_scanned=st.integers(min_value=0, max_value=10**12),
    cache_hits=st.integers(min_value=0, max_value=10**7),
    duration_seconds=st.floats(min_value=0, max_value=1e6, allow_nan=False),
)
inventories = st.builds(
    Inventory,
    roots=st.lists(_names, max_size=3),
    components=st.lists(_component, max_size=6),
    findings=st.lists(_finding, max_size=4),
    warnings=st.lists(
        st.builds(ScanWarning, path=_names, message=st.text(max_size=20)), max_size=2
    ),
    stats=_stats,
    tool_version=st.text(max_size=8),
    generated_at=st.none() | st.just("2026-11-29T09:00:00Z"),
)
