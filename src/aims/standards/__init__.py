"""Standards as data: ISO/IEC 42001 clauses and Annex A, the EU AI Act, and a crosswalk.

Only IDs and our own short labels are shipped, never the standards' text. Every loader reads a
YAML file under `aims/standards/data/` once and validates it with pydantic, so a malformed data
update fails loudly in the tests.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

Relationship = Literal["equal", "subset", "superset", "intersects"]
DateStatus = Literal["in-force", "adopted", "proposed", "secondary"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Clause(_Strict):
    """A requirement of clauses 4-10."""

    id: str
    label: str
    evidence: list[str]


class Area(_Strict):
    """An Annex A topic area (A.2-A.10)."""

    id: str
    label: str


class Control(_Strict):
    """An Annex A control."""

    id: str
    area: str
    label: str
    evidence: list[str]


class Iso42001(_Strict):
    """ISO/IEC 42001 structure."""

    standard: str
    clauses: list[Clause]
    areas: list[Area]
    controls: list[Control]

    def clause(self, ident: str) -> Clause | None:
        """The clause with this ID, or None."""
        return next((c for c in self.clauses if c.id == ident), None)

    def control(self, ident: str) -> Control | None:
        """The Annex A control with this ID, or None."""
        return next((c for c in self.controls if c.id == ident), None)


class Practice(_Strict):
    """A prohibited practice (Art. 5) or a transparency/GPAI case with its question."""

    id: str
    label: str
    question: str
    role: str | None = None


class OmnibusProhibitions(_Strict):
    """Prohibitions added by the 2026 amendment, with their legal status."""

    status: DateStatus
    applies_from: str
    items: list[Practice]


class AnnexIPoint(_Strict):
    """A point of an Annex III area."""

    id: str
    label: str


class AnnexIIIArea(_Strict):
    """An Annex III area with its points."""

    id: str
    area: str
    points: list[AnnexIPoint]


class AnnexI(_Strict):
    """The Art. 6(1) / Annex I route."""

    question: str
    article: str


class Condition(_Strict):
    """A condition of the Art. 6(3) derogation."""

    id: str
    label: str


class Derogation(_Strict):
    """Art. 6(3)."""

    article: str
    conditions: list[Condition]
    profiling_exception: str
    documentation: str


class Obligation(_Strict):
    """An obligation with the article it rests on."""

    article: str
    label: str


class Obligations(_Strict):
    """Obligations per tier and role."""

    high_risk: dict[str, list[Obligation]] = Field(alias="high-risk")
    all: list[Obligation]


class ApplicationDate(_Strict):
    """An application date and its legal status."""

    id: str
    label: str
    date: str
    status: DateStatus
    replaces: str | None = None


class EuAiAct(_Strict):
    """EU AI Act structure used by `aims classify`."""

    regulation: str
    prohibited_practices: list[Practice]
    omnibus_prohibitions: OmnibusProhibitions
    annex_i: AnnexI
    annex_iii: list[AnnexIIIArea]
    derogation: Derogation
    transparency: list[Practice]
    gpai: list[Practice]
    obligations: Obligations
    dates: list[ApplicationDate]

    def annex_iii_points(self) -> list[AnnexIPoint]:
        """Every Annex III point, in order."""
        return [p for area in self.annex_iii for p in area.points]

    def date(self, ident: str) -> ApplicationDate:
        """The application date with this ID."""
        return next(d for d in self.dates if d.id == ident)


class CrosswalkRow(_Strict):
    """One mapping row."""

    iso: str
    nist: list[str]
    eu_ai_act: list[str]
    relationship: Relationship
    rationale: str
    provenance: str


class Crosswalk(_Strict):
    """ISO/IEC 42001 <-> NIST AI RMF <-> EU AI Act."""

    version: int
    relationships: list[Relationship]
    rows: list[CrosswalkRow]


def _read(name: str) -> Any:
    text = resources.files("aims.standards").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def iso42001() -> Iso42001:
    """ISO/IEC 42001 clause requirement IDs and Annex A controls."""
    return Iso42001.model_validate(_read("iso42001.yaml"))


@lru_cache(maxsize=1)
def eu_ai_act() -> EuAiAct:
    """EU AI Act practices, Annex III, derogation, transparency cases, obligations and dates."""
    return EuAiAct.model_validate(_read("eu_ai_act.yaml"))


@lru_cache(maxsize=1)
def crosswalk() -> Crosswalk:
    """The ISO/IEC 42001 <-> NIST AI RMF <-> EU AI Act crosswalk."""
    return Crosswalk.model_validate(_read("crosswalk.yaml"))


def clause_ids() -> list[str]:
    """The 32 requirement IDs of clauses 4-10."""
    return [c.id for c in iso42001().clauses]


def control_ids() -> list[str]:
    """The 38 Annex A control IDs."""
    return [c.id for c in iso42001().controls]


def nearest(value: str, candidates: list[str]) -> str | None:
    """The closest valid ID to a mistyped one (difflib), or None when nothing is close."""
    found = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return found[0] if found else None
