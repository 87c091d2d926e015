"""Record parsing never raises; models round-trip through YAML; schemas are up to date."""

from __future__ import annotations

import json
from datetime import date

import yaml
from hypothesis import given
from hypothesis import strategies as st

from aims.records.io import parse_record
from aims.records.model import (
    KINDS,
    Affected,
    AISystem,
    Answers,
    Change,
    ImpactAssessment,
    Risk,
    SignOff,
    SoA,
    SoAEntry,
    Treatment,
)
from aims.records.schemas import schema_text, shipped_schema

ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}", fullmatch=True)
text = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=40)


@given(st.text(max_size=300))
def test_parse_never_raises_on_arbitrary_text(source: str) -> None:
    loaded, messages = parse_record(source, "x.yaml", "risk")
    assert loaded is not None or messages


risks = st.builds(
    Risk,
    id=ids,
    title=text,
    owner=ids,
    likelihood=st.integers(1, 5),
    impact=st.integers(1, 5),
    systems=st.lists(ids, max_size=3),
    controls=st.lists(st.sampled_from(["A.5.2", "6.1.2", "A.10.3"]), max_size=3),
    treatment=st.none()
    | st.builds(Treatment, option=st.sampled_from(["mitigate", "accept"]), plan=text),
    review_date=st.none() | st.dates(date(2020, 1, 1), date(2040, 1, 1)),
)


@given(risks)
def test_risk_round_trips_through_yaml(risk: Risk) -> None:
    dumped = yaml.safe_dump(risk.model_dump(mode="json", exclude_none=True), allow_unicode=True)
    loaded, messages = parse_record(dumped, "risks/x.yaml", "risk")
    assert messages == []
    assert loaded is not None and loaded.record == risk


@given(
    st.lists(
        st.builds(
            SoAEntry,
            id=st.sampled_from(["A.2.2", "A.9.4"]),
            owner=st.none() | ids,
            justification=st.none() | text,
        ),
        max_size=4,
    )
)
def test_soa_round_trips(entries: list[SoAEntry]) -> None:
    soa = SoA(controls=entries)
    dumped = yaml.safe_dump(soa.model_dump(mode="json"), allow_unicode=True)
    loaded, _ = parse_record(dumped, "soa.yaml", None)
    assert loaded is not None and loaded.record == soa


def test_committed_schemas_are_current() -> None:
    for kind in KINDS:
        assert shipped_schema(kind) == schema_text(kind), (
            f"schemas/{kind}.json is stale: run `python -m aims.records.schemas`"
        )
        assert json.loads(shipped_schema(kind))["$id"].endswith(f"/{kind}.json")


def test_kind_from_folder_and_unknown_kind() -> None:
    loaded, _ = parse_record("id: s1\n", ".aims/systems/s1.yaml", "ai-system")
    assert loaded is not None and loaded.kind == "ai-system"
    _, messages = parse_record("kind: ai-sytem\nid: s1\n", "x.yaml", None)
    assert [m.render() for m in messages] == [
        "x.yaml:1: error[AIM801]: unknown record kind 'ai-sytem' (did you mean 'ai-system'?)"
    ]


systems = st.builds(
    AISystem,
    id=ids,
    name=st.none() | text,
    owner=st.none() | ids,
    purpose=st.none() | text,
    foreseeable_misuse=st.lists(text, max_size=2),
    components=st.lists(st.sampled_from(["sdk:openai", "model:gpt-4o*"]), max_size=2),
    changes=st.lists(
        st.builds(Change, changed_on=st.dates(date(2020, 1, 1), date(2030, 1, 1)), summary=text),
        max_size=2,
    ),
    eu_ai_act=st.none()
    | st.builds(
        Answers,
        annex_iii=st.none() | st.lists(st.sampled_from(["4(a)", "5(b)"]), max_size=2),
        profiling=st.none() | st.booleans(),
    ),
    monitoring=st.none()
    | st.dictionaries(st.sampled_from(["psi", "ks"]), st.floats(0, 1), max_size=2),
)
assessments = st.builds(
    ImpactAssessment,
    id=ids,
    system=ids,
    assessed_on=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    assessor=ids,
    individuals=st.lists(st.builds(Affected, who=text, impact=text), max_size=2),
    signoff=st.none()
    | st.builds(SignOff, by=ids, signed_on=st.dates(date(2020, 1, 1), date(2030, 1, 1))),
)


@given(st.one_of(systems, assessments))
def test_more_kinds_round_trip(record: AISystem | ImpactAssessment) -> None:
    dumped = yaml.safe_dump(record.model_dump(mode="json", exclude_none=True), allow_unicode=True)
    loaded, messages = parse_record(dumped, "x.yaml", None)
    assert messages == []
    assert loaded is not None and loaded.record == record
