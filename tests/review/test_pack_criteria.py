"""A framework pack's own criteria (pack_schema.Criteria): asked when a review is opened under it,
what each set of answers points to in the pack's words and sources, kept with the review, and a
malformed criteria section refused naming the file and the field."""

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.review import Eligibility, EligibilityAnswers, Nation, RepresentativeAnswers, review_from_dict, review_to_dict
from bot.review.eligibility import assess_pack_criteria, criteria_questions
from bot.review.frameworks import PACKS_DIR, catalogue, load_catalogue
from bot.review.kinds import BusinessArea, ReviewKind
from bot.review.opening import OpeningRequest, plan_opening
from bot.review.pack_schema import PackError
from tests.review.helpers import BOOK, SETTINGS, USER, at

ENGLAND = catalogue().pack("england-cspr-2023")
SCOTLAND = catalogue().pack("scotland-learning-review-2021")


def _england(s1: bool, s2: bool, s3: bool = False) -> Any:
    return assess_pack_criteria(ENGLAND, {"S1": s1, "S2": s2, "S3": s3})


def test_abuse_or_neglect_with_a_death_or_serious_harm_is_a_serious_child_safeguarding_case() -> None:
    outcome = _england(True, True)
    assert outcome.result is Eligibility.MUST_HOLD
    assert outcome.heading.startswith("a serious child safeguarding case")
    assert "within 5 working days" in outcome.explanation
    assert [reason.text for reason in outcome.reasons] == ["S1: yes", "S2: yes"]
    assert outcome.paragraphs.text.startswith("Children Act 2004 s16C(1)")
    assert "SI 2018/789 reg 11" in outcome.paragraphs.text


@pytest.mark.parametrize(("s1", "s2"), [(True, False), (False, True), (False, False)])
def test_without_both_it_is_not_a_serious_case_and_every_answer_is_given_as_why(s1: bool, s2: bool) -> None:
    outcome = _england(s1, s2)
    assert outcome.result is Eligibility.NOT_MET
    assert outcome.heading == "not a serious child safeguarding case \u2014 the Panel need not be notified"
    assert [reason.text for reason in outcome.reasons] == [
        f"S1: {'yes' if s1 else 'no'}", f"S2: {'yes' if s2 else 'no'}", "S3: no"]


def test_a_care_leavers_death_is_notified_and_what_follows_is_the_partners_decision() -> None:
    outcome = _england(False, False, True)
    assert outcome.result is Eligibility.SHOULD_CONSIDER
    assert "the safeguarding partners decide what follows" in outcome.heading
    assert outcome.paragraphs.text == "Working Together 2023 care leavers"


@pytest.mark.parametrize("yes", ["L1", "L2", "L3"])
def test_scotland_any_circumstance_meets_the_criteria_and_the_committee_decides(yes: str) -> None:
    answers = {"L1": False, "L2": False, "L3": False, yes: True}
    outcome = assess_pack_criteria(SCOTLAND, answers)
    assert outcome.result is Eligibility.SHOULD_CONSIDER
    assert "Child Protection Committee decides" in outcome.heading
    assert [reason.text for reason in outcome.reasons] == [f"{yes}: yes"]
    none = assess_pack_criteria(SCOTLAND, {"L1": False, "L2": False, "L3": False})
    assert none.result is Eligibility.NOT_MET


def test_the_questions_cite_their_sources_and_ask_nothing_about_people() -> None:
    questions = criteria_questions(ENGLAND)
    assert [q.id for q in questions] == ["S1", "S2", "S3"]
    assert questions[0].paragraphs.text == "Children Act 2004 s16C(1)"
    assert criteria_questions(catalogue().pack("scr-2016")) == ()


def _request(**overrides: Any) -> OpeningRequest:
    fields: dict[str, Any] = dict(
        reference="CSPR-2026-009", nation=Nation.ENGLAND, board_name="Exampleshire Partnership",
        business_areas=(BusinessArea.UKVI,), kind=ReviewKind.STATUTORY,
        came_to_chair_attention=date(2026, 11, 2), decision_to_proceed=None, eligibility=None,
        representative=RepresentativeAnswers(True, True, True, True), email="rep@example.gov.uk",
        criteria_answers={"S1": True, "S2": True, "S3": False})
    return OpeningRequest(**{**fields, **overrides})


def _plan(request: OpeningRequest) -> Any:
    return plan_opening(request, user_id=USER, at=at(date(2026, 11, 3)), address_book=BOOK, settings=SETTINGS)


def test_a_review_opened_under_the_pack_keeps_its_answers_and_what_they_point_to() -> None:
    plan = _plan(_request())
    review = plan.review
    assert (review.criteria_answers, review.eligibility) == ({"S1": True, "S2": True, "S3": False}, None)
    assert plan.eligibility.result is Eligibility.MUST_HOLD
    assert "the answers point to: a serious child safeguarding case" in review.history[0].detail
    stored = review_from_dict(review_to_dict(review))
    assert stored.criteria_answers == review.criteria_answers
    assert stored.eligibility_outcome == plan.eligibility


@pytest.mark.parametrize(("answers", "tracked"), [
    ({"S1": True, "S2": True, "S3": False}, ["notification", "rapid_review", "agency_summary"]),
    ({"S1": False, "S2": False, "S3": True}, ["notification"]),
    ({"S1": True, "S2": False, "S3": False}, []),
])
def test_what_the_answers_point_to_decides_which_of_the_packs_timescales_are_tracked(
        answers: dict[str, bool], tracked: list[str]) -> None:
    review = _plan(_request(criteria_answers=answers)).review
    own = {duty.id for duty in catalogue().policy.duties}
    assert [r.obligation_id for r in review.obligations if r.obligation_id not in own] == tracked
    # The Home Office's own duties are owed whatever the answers.
    assert {"O1", "O2", "O3", "O7", "O15"} <= {r.obligation_id for r in review.obligations}


@pytest.mark.parametrize("answers", [None, {}, {"S1": True, "S2": True}, {"S1": True, "S2": True, "S3": "no"},
                                     {"S1": True, "S2": True, "S3": False, "E1": True}])
def test_a_review_under_the_pack_is_not_opened_without_each_of_its_answers(answers: Any) -> None:
    with pytest.raises(ValueError, match=r"Answer each of the Child Safeguarding Practice Review's questions "
                                         r"about its criteria \(S1, S2, S3\)"):
        _plan(_request(criteria_answers=answers))


def test_a_review_stored_before_packs_had_criteria_has_none() -> None:
    data = review_to_dict(_plan(_request(framework="scr-2016", framework_reason=None,
                                         came_to_chair_attention=date(2018, 1, 8), criteria_answers=None,
                                         eligibility=EligibilityAnswers(e1=True))).review)
    data.pop("criteria_answers")
    data["schema_version"] = 4
    migrated = review_from_dict(data)
    assert migrated.criteria_answers is None
    assert migrated.eligibility_outcome is not None and migrated.eligibility_outcome.heading == ""


# --- A malformed criteria section -----------------------------------------------------------------


def _england_file() -> dict[str, Any]:
    return json.loads((PACKS_DIR / "england-cspr-2023.json").read_text(encoding="utf-8"))


def _refused(tmp_path: Path, change: Any) -> str:
    data = copy.deepcopy(_england_file())
    change(data["criteria"])
    for path in PACKS_DIR.glob("*.json"):
        if path.stem != "england-cspr-2023":
            (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "england-cspr-2023.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PackError) as refused:
        load_catalogue(tmp_path)
    return str(refused.value)


@pytest.mark.parametrize(("change", "message"), [
    (lambda c: c["outcomes"][0].update(all_yes=["S9"]),
     "england-cspr-2023.json: criteria.outcomes[0].all_yes[0]: 'S9' is not one of the criteria's questions"),
    (lambda c: c["outcomes"].pop(),
     "england-cspr-2023.json: criteria.outcomes[1]: the last outcome, and only the last, names no questions"),
    (lambda c: c["outcomes"][0].pop("all_yes"),
     "england-cspr-2023.json: criteria.outcomes[0]: the last outcome, and only the last, names no questions"),
    (lambda c: c["outcomes"][1].update(result="perhaps"),
     "england-cspr-2023.json: criteria.outcomes[1].result: must be one of must_hold, should_consider, not_met"),
    (lambda c: c["questions"][0].update(sources=[]),
     "england-cspr-2023.json: criteria.questions[0].sources: every rule must cite at least one source"),
    (lambda c: c["questions"][1].update(id="S1"),
     "england-cspr-2023.json: criteria.questions[1].id: 'S1' is used twice"),
    (lambda c: c["outcomes"][1].update(starts=["lcspr_publication"]),
     "england-cspr-2023.json: criteria.outcomes[1].starts[0]: 'lcspr_publication' is not one of the pack's "
     "timescales from the opening"),
    (lambda c: c.update(asked="always"), "england-cspr-2023.json: criteria.asked: is not a field this file can have"),
    (lambda c: c.update(questions=[]), "england-cspr-2023.json: criteria.questions: must ask at least one question"),
])
def test_a_malformed_criteria_section_is_refused_naming_the_file_and_the_field(
        tmp_path: Path, change: Any, message: str) -> None:
    assert _refused(tmp_path, change).startswith(message)
