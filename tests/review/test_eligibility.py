"""Eligibility, as 3.1.1 and Working Together 8.9–8.11 put it: E1–E3 always; H1–H4 with C1 considered."""

import itertools

import pytest

from bot.review import Eligibility, EligibilityAnswers, Nation, assess_eligibility
from bot.review.eligibility import ELIGIBILITY_IDS

MUST, SHOULD, NOT_MET = Eligibility.MUST_HOLD, Eligibility.SHOULD_CONSIDER, Eligibility.NOT_MET


@pytest.mark.parametrize(
    ("answers", "expected", "reasons"),
    [
        pytest.param(
            EligibilityAnswers(e1=True),
            MUST,
            ["E1: yes"],
            id="para_3_1_1_E1_child_death_with_abuse_must_hold",
        ),
        pytest.param(
            EligibilityAnswers(e2=True), MUST, ["E2: yes"], id="WT_8_9_E2_death_in_custody_must_hold"
        ),
        pytest.param(
            EligibilityAnswers(e3=True),
            MUST,
            ["E3: yes"],
            id="WT_8_9_E3_death_detained_mental_health_must_hold",
        ),
        pytest.param(
            EligibilityAnswers(e1=True, h2=True, c1=False),
            MUST,
            ["E1: yes"],
            id="para_3_1_1_death_outranks_harm",
        ),
        pytest.param(
            EligibilityAnswers(h1=True, c1=True),
            SHOULD,
            ["H1: yes", "C1: yes"],
            id="para_3_1_1_H1_life_threatening_injury_with_C1_should_consider",
        ),
        pytest.param(
            EligibilityAnswers(h2=True, c1=True),
            SHOULD,
            ["H2: yes", "C1: yes"],
            id="para_3_1_1_H2_sexual_abuse_with_C1",
        ),
        pytest.param(
            EligibilityAnswers(h3=True, c1=True),
            SHOULD,
            ["H3: yes", "C1: yes"],
            id="para_3_1_1_H3_parent_murdered_with_C1",
        ),
        pytest.param(
            EligibilityAnswers(h4=True, c1=True),
            SHOULD,
            ["H4: yes", "C1: yes"],
            id="para_3_1_1_H4_violent_assault_with_C1",
        ),
        pytest.param(
            EligibilityAnswers(h1=True, h4=True),
            NOT_MET,
            ["H1: yes", "H4: yes", "C1: no"],
            id="para_3_1_1_harm_without_C1_not_met",
        ),
        pytest.param(EligibilityAnswers(c1=True), NOT_MET, None, id="para_3_1_1_C1_alone_not_met"),
        pytest.param(EligibilityAnswers(), NOT_MET, None, id="para_6_1_nothing_applies_not_met"),
    ],
)
def test_eligibility_cases(
    answers: EligibilityAnswers, expected: Eligibility, reasons: list[str] | None
) -> None:
    outcome = assess_eligibility(answers)
    assert outcome.result is expected
    if reasons is not None:
        assert [r.text for r in outcome.reasons] == reasons


def _oracle(a: EligibilityAnswers) -> Eligibility:
    """Written straight from RULES.md, independently of the implementation."""
    if a.e1 or a.e2 or a.e3:
        return MUST
    if (a.h1 or a.h2 or a.h3 or a.h4) and a.c1:
        return SHOULD
    return NOT_MET


ALL_COMBINATIONS = [
    EligibilityAnswers(*bits) for bits in itertools.product((False, True), repeat=len(ELIGIBILITY_IDS))
]


@pytest.mark.parametrize(
    "answers", ALL_COMBINATIONS, ids=lambda a: "".join("1" if v else "0" for v in vars(a).values())
)
def test_all_256_answer_combinations_match_the_rules(answers: EligibilityAnswers) -> None:
    outcome = assess_eligibility(answers)
    assert outcome.result is _oracle(answers)
    assert outcome.reasons, "an outcome always says which answers led to it"
    assert outcome.paragraphs.refs
    if outcome.result is MUST:
        assert all(r.answered_yes and r.question_id.startswith("E") for r in outcome.reasons)
    if outcome.result is SHOULD:
        assert "3.3.3" in outcome.paragraphs.refs
        assert "decides" in outcome.explanation
    if outcome.result is NOT_MET:
        assert "6.1" in outcome.paragraphs.refs
        assert "smaller-scale audit" in outcome.explanation
        assert "Management Review" not in outcome.explanation
    else:
        assert "6.1" in outcome.paragraphs.refs
        assert "Independent (inter-agency) Management Review rather than a full" in outcome.explanation
        assert "audit" not in outcome.explanation


@pytest.mark.parametrize("nation", [Nation.WALES, Nation.NORTHERN_IRELAND, Nation.SCOTLAND], ids=str)
@pytest.mark.parametrize("answers", [EligibilityAnswers(e1=True), EligibilityAnswers(h1=True, c1=True),
                                     EligibilityAnswers()], ids=["must", "should", "not_met"])
def test_para_2_1_other_nations_are_told_their_process_is_similar_not_given_englands_rule(
    nation: Nation, answers: EligibilityAnswers
) -> None:
    outcome = assess_eligibility(answers, nation)
    assert outcome.explanation.startswith("Under the criteria for England")
    assert f"{nation.label} has a similar process of its own (para 2.1)" in outcome.explanation
    assert "2.1" in outcome.paragraphs.refs
    assert "2.1" not in assess_eligibility(answers, Nation.ENGLAND).paragraphs.refs


def test_para_3_3_3_must_hold_still_leaves_the_decision_to_the_board() -> None:
    assert (
        "still makes and records the decision" in assess_eligibility(EligibilityAnswers(e1=True)).explanation
    )


@pytest.mark.parametrize(
    ("nation", "review_name", "board"),
    [
        pytest.param(
            Nation.WALES, "Serious Case Review", "Local Safeguarding Children Board", id="para_2_1_wales"
        ),
        pytest.param(
            Nation.NORTHERN_IRELAND,
            "Case Management Review",
            "Area Child Protection Committee",
            id="para_2_1_NI",
        ),
        pytest.param(
            Nation.SCOTLAND, "Significant Case Review", "Child Protection Committee", id="para_2_1_scotland"
        ),
    ],
)
def test_para_2_1_explanation_uses_the_local_names(nation: Nation, review_name: str, board: str) -> None:
    outcome = assess_eligibility(EligibilityAnswers(h2=True, c1=True), nation)
    assert review_name in outcome.explanation
    assert board in outcome.explanation
