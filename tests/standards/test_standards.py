"""The standards data: exact IDs and counts, dates with status, crosswalk integrity."""

from __future__ import annotations

from collections import Counter

from aims.standards import (
    clause_ids,
    control_ids,
    crosswalk,
    eu_ai_act,
    iso42001,
    nearest,
)

CLAUSES = (
    "4.1 4.2 4.3 4.4 5.1 5.2 5.3 6.1.1 6.1.2 6.1.3 6.1.4 6.2 6.3 7.1 7.2 7.3 7.4 7.5.1 7.5.2 "
    "7.5.3 8.1 8.2 8.3 8.4 9.1 9.2.1 9.2.2 9.3.1 9.3.2 9.3.3 10.1 10.2"
).split()

CONTROLS = (
    "A.2.2 A.2.3 A.2.4 A.3.2 A.3.3 A.4.2 A.4.3 A.4.4 A.4.5 A.4.6 A.5.2 A.5.3 A.5.4 A.5.5 "
    "A.6.1.2 A.6.1.3 A.6.2.2 A.6.2.3 A.6.2.4 A.6.2.5 A.6.2.6 A.6.2.7 A.6.2.8 A.7.2 A.7.3 A.7.4 "
    "A.7.5 A.7.6 A.8.2 A.8.3 A.8.4 A.8.5 A.9.2 A.9.3 A.9.4 A.10.2 A.10.3 A.10.4"
).split()

ANNEX_III = (
    "1(a) 1(b) 1(c) 2(a) 3(a) 3(b) 3(c) 3(d) 4(a) 4(b) 5(a) 5(b) 5(c) 5(d) 6(a) 6(b) 6(c) "
    "6(d) 6(e) 7(a) 7(b) 7(c) 7(d) 8(a) 8(b)"
).split()


def test_clause_ids_exact() -> None:
    assert clause_ids() == CLAUSES
    assert len(clause_ids()) == 32


def test_annex_a_controls_exact_in_nine_areas() -> None:
    assert control_ids() == CONTROLS
    assert len(CONTROLS) == 38
    data = iso42001()
    assert [a.id for a in data.areas] == [f"A.{n}" for n in range(2, 11)]
    per_area = Counter(c.area for c in data.controls)
    assert per_area == {
        "A.2": 3,
        "A.3": 2,
        "A.4": 5,
        "A.5": 4,
        "A.6": 9,
        "A.7": 5,
        "A.8": 4,
        "A.9": 3,
        "A.10": 3,
    }
    for control in data.controls:
        assert control.id.startswith(control.area + ".")
        assert control.evidence, control.id


def test_every_requirement_has_evidence() -> None:
    assert all(c.evidence for c in iso42001().clauses)


def test_eu_ai_act_art5_and_annex_iii() -> None:
    act = eu_ai_act()
    assert [p.id for p in act.prohibited_practices] == [f"5(1)({x})" for x in "abcdefgh"]
    assert [p.id for p in act.omnibus_prohibitions.items] == ["5(1)(ba)", "5(1)(bb)"]
    assert act.omnibus_prohibitions.status == "secondary"
    assert [p.id for p in act.annex_iii_points()] == ANNEX_III
    assert [a.id for a in act.annex_iii] == [str(n) for n in range(1, 9)]
    assert [c.id for c in act.derogation.conditions] == ["6(3)(a)", "6(3)(b)", "6(3)(c)", "6(3)(d)"]
    assert act.annex_i.article == "6(1)"


def test_eu_ai_act_art50_and_gpai() -> None:
    act = eu_ai_act()
    assert [(t.id, t.role) for t in act.transparency] == [
        ("50(1)", "provider"),
        ("50(2)", "provider"),
        ("50(3)", "deployer"),
        ("50(4)", "deployer"),
    ]
    assert [g.id for g in act.gpai] == ["53", "55"]


def test_obligations_per_role() -> None:
    obligations = eu_ai_act().obligations
    provider = [o.article for o in obligations.high_risk["provider"]]
    assert provider[:7] == ["9", "10", "11", "12", "13", "14", "15"]
    assert "73" in provider and "72" in provider
    assert [o.article for o in obligations.high_risk["deployer"]] == ["26", "27", "86"]
    assert set(obligations.high_risk) == {"provider", "deployer", "importer", "distributor"}
    assert [o.article for o in obligations.all] == ["4"]


def test_application_dates_with_status() -> None:
    dates = {d.id: (d.date, d.status) for d in eu_ai_act().dates}
    assert dates["entry-into-force"] == ("2024-08-01", "in-force")
    assert dates["prohibitions"] == ("2025-02-02", "in-force")
    assert dates["gpai"] == ("2025-08-02", "in-force")
    assert dates["general"] == ("2026-08-02", "in-force")
    assert dates["annex-iii"] == ("2027-12-02", "secondary")
    assert dates["annex-i"] == ("2028-08-02", "secondary")
    assert dates["art50-2-grace"] == ("2026-12-02", "secondary")
    assert dates["public-legacy"] == ("2030-08-02", "adopted")


def test_crosswalk_rows_reference_real_ids() -> None:
    cw = crosswalk()
    valid = set(CLAUSES) | set(CONTROLS)
    assert cw.relationships == ["equal", "subset", "superset", "intersects"]
    assert len(cw.rows) >= 20
    for row in cw.rows:
        assert row.iso in valid, row.iso
        assert row.rationale and row.provenance
        for ref in row.nist:
            function, _, number = ref.partition(" ")
            assert function in {"GOVERN", "MAP", "MEASURE", "MANAGE"}, ref
            assert number.count(".") == 1, ref


def test_nearest_id() -> None:
    assert nearest("A.6.2.9", control_ids()) == "A.6.2.8"
    assert nearest("A10.3", control_ids()) == "A.10.3"
    assert nearest("zzz", control_ids()) is None
