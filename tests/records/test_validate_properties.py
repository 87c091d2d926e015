"""Property test: cross-reference validation never raises, whatever valid records it is given."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aims.records.io import Loaded, Records
from aims.records.model import (
    AISystem,
    Exceptions,
    ImpactAssessment,
    Incident,
    Nonconformity,
    Person,
    Risk,
    Roles,
    SoA,
    SoAEntry,
)
from aims.records.validate import validate

ids = st.sampled_from(["a", "b", "ml-lead", "cto", "A.5.2", "A.5.9", "6.1.2", "x.y"])
dates = st.dates(date(2024, 1, 1), date(2028, 1, 1))

systems = st.builds(
    AISystem,
    id=ids,
    owner=st.none() | ids,
    suppliers=st.lists(ids, max_size=2),
    eu_ai_act_tier=st.sampled_from(["high-risk", "minimal", "unclassified"]),
    review_date=st.none() | dates,
    components=st.lists(
        st.sampled_from(["sdk:*", "openai", "model:gpt-*", "[", "*:*:*"]), max_size=2
    ),
)
risks = st.builds(
    Risk,
    id=ids,
    title=st.just("t"),
    owner=ids,
    likelihood=st.integers(1, 9),
    impact=st.integers(1, 9),
    systems=st.lists(ids, max_size=2),
    controls=st.lists(ids, max_size=3),
    due_date=st.none() | dates,
)
roles = st.builds(
    Roles,
    people=st.lists(st.builds(Person, id=ids, name=st.just("n")), max_size=3),
    approvers=st.lists(ids, max_size=2),
)
soas = st.builds(
    SoA,
    controls=st.lists(
        st.builds(SoAEntry, id=ids, applicable=st.booleans(), owner=st.none() | ids), max_size=4
    ),
)
incidents = st.builds(
    Incident,
    id=ids,
    title=st.just("i"),
    detected_at=dates,
    system=st.none() | ids,
    controls=st.lists(ids, max_size=2),
)
assessments = st.builds(
    ImpactAssessment,
    id=ids,
    system=ids,
    assessed_on=dates,
    assessor=ids,
    risks=st.lists(ids, max_size=2),
)
ncs = st.builds(Nonconformity, id=ids, title=st.just("n"), found_on=dates, incident=st.none() | ids)
records = st.lists(
    st.one_of(systems, risks, roles, soas, incidents, assessments, ncs, st.builds(Exceptions)),
    max_size=8,
)


@settings(max_examples=60)
@given(records, dates)
def test_validate_never_raises(items: list[object], today: date) -> None:
    loaded = [
        Loaded(f"r{n}.yaml", str(item.kind), item, None)  # type: ignore[attr-defined, arg-type]
        for n, item in enumerate(items)
    ]
    messages = validate(Records(root=Path("/nonexistent/.aims"), loaded=loaded), today=today)
    assert all(m.level in ("error", "warning") for m in messages)
    assert any("no Statement of Applicability" in m.text for m in messages) == (
        not any(isinstance(i, SoA) for i in items)
    )
