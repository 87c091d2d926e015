"""The classification table: every Annex III point, Art. 5 practice, Art. 6(3), Art. 50, GPAI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aims.classify.engine import ask_missing, classify, missing_answers
from aims.classify.writeback import set_top_level
from aims.cli.main import app
from aims.errors import UsageError
from aims.records.model import Answers
from aims.records.starter import write_starter
from aims.standards import eu_ai_act

runner = CliRunner()
NONE = {
    "prohibited": [],
    "annex_i_product": False,
    "annex_iii": [],
    "transparency": [],
    "gpai_model": False,
}


def facts(**over: object) -> Answers:
    return Answers.model_validate({**NONE, **over})


def articles(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.article for d in result.obligations]


def test_minimal() -> None:
    result = classify(facts(), "provider")
    assert (result.tier, result.route) == ("minimal", None)
    assert articles(result) == ["4"]
    assert [s.article for s in result.steps] == [
        "Art. 5",
        "Art. 6(1)",
        "Art. 6(2), Annex III",
        "Art. 50",
    ]


@pytest.mark.parametrize("practice", [p.id for p in eu_ai_act().prohibited_practices])
def test_every_art5_practice_is_prohibited(practice: str) -> None:
    result = classify(facts(prohibited=[practice]), "provider")
    assert result.tier == "prohibited"
    assert result.route == f"Art. {practice}"
    first = result.obligations[0]
    assert (first.article, first.applies_from, first.status) == (
        f"5 ({practice})",
        "2025-02-02",
        "in-force",
    )


@pytest.mark.parametrize("practice", ["5(1)(ba)", "5(1)(bb)"])
def test_omnibus_prohibitions_carry_their_date_and_status(practice: str) -> None:
    result = classify(facts(prohibited=[practice]), "provider")
    assert result.tier == "prohibited"
    assert (result.obligations[0].applies_from, result.obligations[0].status) == (
        "2026-12-02",
        "secondary",
    )


@pytest.mark.parametrize("point", [p.id for p in eu_ai_act().annex_iii_points()])
def test_every_annex_iii_point(point: str) -> None:
    high = classify(facts(annex_iii=[point], profiling=False, derogation=[]), "provider")
    assert (high.tier, high.route) == ("high-risk", f"Annex III {point}")
    assert articles(high)[:7] == ["9", "10", "11", "12", "13", "14", "15"]
    assert {d.applies_from for d in high.obligations if d.article in ("9", "73")} == {"2027-12-02"}
    deployer = classify(facts(annex_iii=[point], profiling=False, derogation=[]), "deployer")
    assert articles(deployer) == ["26", "27", "86", "4"]

    derogated = classify(
        facts(annex_iii=[point], profiling=False, derogation=["6(3)(a)"]), "provider"
    )
    assert derogated.tier == "minimal"
    assert articles(derogated) == ["6(4)", "49(2)", "4"]

    profiled = classify(
        facts(annex_iii=[point], profiling=True, derogation=["6(3)(a)"]), "provider"
    )
    assert profiled.tier == "high-risk"
    assert any(
        s.article == "Art. 6(3)" and "profiles natural persons" in s.finding for s in profiled.steps
    )


def test_annex_i_route_and_date() -> None:
    result = classify(facts(annex_i_product=True), "provider")
    assert (result.tier, result.route) == ("high-risk", "Art. 6(1) / Annex I")
    assert {d.applies_from for d in result.obligations if d.article == "43"} == {"2028-08-02"}


@pytest.mark.parametrize(
    "case,role,applies_from,status",
    [
        ("50(1)", "provider", "2026-08-02", "in-force"),
        ("50(2)", "provider", "2026-12-02", "secondary"),
        ("50(3)", "deployer", "2026-08-02", "in-force"),
        ("50(4)", "deployer", "2026-08-02", "in-force"),
    ],
)
def test_art50_cases(case: str, role: str, applies_from: str, status: str) -> None:
    result = classify(facts(transparency=[case]), "provider")
    assert (result.tier, result.route) == ("transparency", f"Art. {case}")
    duty = result.obligations[0]
    assert (duty.article, duty.role, duty.applies_from, duty.status) == (
        case,
        role,
        applies_from,
        status,
    )


def test_transparency_adds_to_high_risk() -> None:
    result = classify(facts(annex_iii=["4(a)"], profiling=True, transparency=["50(1)"]), "provider")
    assert result.tier == "high-risk"
    assert "50(1)" in articles(result)


def test_gpai_duties() -> None:
    plain = classify(facts(gpai_model=True, gpai_systemic=False), "provider")
    assert plain.tier == "minimal"
    assert [(d.article, d.role, d.applies_from) for d in plain.obligations[:1]] == [
        ("53", "gpai-provider", "2025-08-02")
    ]
    systemic = classify(facts(gpai_model=True, gpai_systemic=True), "provider")
    assert articles(systemic) == ["53", "55", "4"]


def test_missing_facts_and_unknown_ids() -> None:
    assert missing_answers(Answers()) == [
        "prohibited",
        "annex_i_product",
        "annex_iii",
        "transparency",
        "gpai_model",
    ]
    assert missing_answers(facts(annex_iii=["4(a)"])) == ["profiling"]
    with pytest.raises(UsageError, match="needs these facts: profiling"):
        classify(facts(annex_iii=["4(a)"]), "provider")
    with pytest.raises(UsageError) as info:
        classify(facts(annex_iii=["4(c)"], profiling=True), "provider")
    assert "unknown Annex III point '4(c)'" in str(info.value)


def test_interactive_questions_name_articles() -> None:
    asked: list[str] = []

    def ask(question: str) -> bool:
        asked.append(question)
        return "Employment" in question or "Recruitment" in question or "profile" in question

    answers = ask_missing(Answers(), ask)
    assert answers.annex_iii == ["4(a)"] and answers.profiling is True
    assert asked[0].startswith("[Art. 5(1)(a)] ")
    assert "[Annex III 4(a)] Used for: Recruitment" in " ".join(asked)
    assert classify(answers, "deployer").tier == "high-risk"


def test_writeback_keeps_comments_and_replaces_blocks() -> None:
    text = "# head\nid: s\n# about tier\neu_ai_act_tier: minimal\nclassification:\n  tier: minimal\n  steps: []\n# tail comment\nowner: x\n"
    out = set_top_level(
        text, {"eu_ai_act_tier": "high-risk", "classification": {"tier": "high-risk"}}, "c"
    )
    assert (
        out
        == "# head\nid: s\n# about tier\neu_ai_act_tier: high-risk\nclassification:\n  tier: high-risk\n# tail comment\nowner: x\n"
    )
    assert (
        set_top_level("id: s\n", {"eu_ai_act_tier": "minimal"}, "written")
        == "id: s\n\n# written\neu_ai_act_tier: minimal\n"
    )


def test_cli_classifies_the_starter_system_and_writes_back(tmp_path: Path) -> None:
    write_starter(tmp_path, date(2026, 11, 29))
    path = tmp_path / ".aims/systems/support-chatbot.yaml"
    before = path.read_text()
    result = runner.invoke(
        app, ["classify", "support-chatbot", "-C", str(tmp_path), "--today", "2026-11-29"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "support-chatbot: transparency (Art. 50(1))"
    assert (
        "  - Art. 50(1) [provider] from 2026-08-02 (in-force): Tell people they are interacting with an AI system, unless obvious"
        in result.stdout
    )
    after = path.read_text()
    assert after.startswith(before.rstrip("\n"))  # every original line and comment kept
    data = yaml.safe_load(after)
    assert data["eu_ai_act_tier"] == "transparency"
    assert data["classification"]["classified_on"] == "2026-11-29"
    again = runner.invoke(
        app, ["classify", "support-chatbot", "-C", str(tmp_path), "--today", "2026-11-29"]
    )
    assert again.exit_code == 0
    assert path.read_text() == after


def test_cli_missing_facts_without_terminal(tmp_path: Path) -> None:
    write_starter(tmp_path, date(2026, 11, 29))
    path = tmp_path / ".aims/systems/support-chatbot.yaml"
    path.write_text(path.read_text().replace("  annex_iii: []\n", ""))
    result = runner.invoke(
        app, ["classify", "support-chatbot", "-C", str(tmp_path), "--no-interactive"]
    )
    assert result.exit_code == 2
    assert "needs these facts: annex_iii" in result.stderr
    unknown = runner.invoke(app, ["classify", "nope", "-C", str(tmp_path)])
    assert unknown.exit_code == 2 and "known systems: support-chatbot" in unknown.stderr
