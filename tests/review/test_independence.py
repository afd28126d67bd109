"""Independence of the panel representative (1.2, 7.2: I1–I4) and the IMR author (5.1, WT: A1–A4)."""

import itertools

import pytest

from bot.review import (
    ImrAuthorAnswers,
    Representative,
    RepresentativeAnswers,
    RepresentativeCheckFailed,
    ReviewOpened,
    ReviewRuleError,
    StaffMember,
    check_imr_author,
    check_representative,
    record_event,
)
from tests.review.helpers import BOOK, DAY, USER, at, new_review

ALL_YES = (True, True, True, True)


def _answers_failing(rule_index: int) -> tuple[bool, ...]:
    return tuple(i != rule_index for i in range(4))


@pytest.mark.parametrize(
    ("rule_id", "expected_words"),
    [
        pytest.param("I1", "Grade 7", id="para_1_2_I1_grade_7_or_above"),
        pytest.param("I3", "no involvement", id="para_1_2_I3_not_directly_involved"),
        pytest.param("I4", "line management", id="para_7_2_I4_not_line_manager_of_those_involved"),
    ],
)
def test_representative_rule_fails_alone(rule_id: str, expected_words: str) -> None:
    outcome = check_representative(RepresentativeAnswers(*_answers_failing(int(rule_id[1]) - 1)))
    assert not outcome.passed
    [failure] = outcome.failures
    assert failure.rule_id == rule_id
    assert failure.paragraphs.refs == ("1.2", "7.2")
    assert expected_words in failure.next_step
    assert "SCS lead" in failure.next_step
    assert "nominate another representative" in failure.next_step


def test_para_1_2_I2_strategic_understanding_is_a_should_that_warns_and_never_blocks() -> None:
    outcome = check_representative(RepresentativeAnswers(True, False, True, True))
    assert outcome.passed
    [warning] = outcome.warnings
    assert (warning.rule_id, warning.blocking) == ("I2", False)
    assert warning.message.startswith("The representative should have a strategic understanding")
    assert "still be recorded" in warning.next_step


def test_para_1_2_a_representative_who_fails_only_I2_is_recorded_with_the_warning_in_the_history() -> None:
    answers = RepresentativeAnswers(True, False, True, True)
    nominee = Representative(StaffMember(USER, "rep@example.gov.uk"), answers)
    result = record_event(new_review(), ReviewOpened(representative=nominee), USER, at(DAY), BOOK)
    assert result.review.representative == nominee
    assert "warned: I2 not met" in result.history_entry.detail


def test_para_1_2_I1_says_more_senior_representation_may_be_needed() -> None:
    [failure] = check_representative(RepresentativeAnswers(False, True, True, True)).failures
    assert "More senior representation may be needed" in failure.next_step


@pytest.mark.parametrize(
    ("rule_id", "expected_words"),
    [
        pytest.param("A1", "no involvement", id="para_5_1_A1_author_not_involved_with_child_or_family"),
        pytest.param("A2", "line management", id="para_5_1_A2_author_not_line_manager"),
    ],
)
def test_imr_author_must_rule_fails_alone(rule_id: str, expected_words: str) -> None:
    outcome = check_imr_author(ImrAuthorAnswers(*_answers_failing(int(rule_id[1]) - 1)))
    assert not outcome.passed
    [failure] = outcome.failures
    assert failure.rule_id == rule_id
    assert expected_words in failure.next_step
    assert "PSU" in failure.next_step
    assert "5.1" in failure.paragraphs.refs


@pytest.mark.parametrize(
    ("rule_id", "expected_words"),
    [
        pytest.param("A3", "supervised", id="WT_A3_supervising_manager_uninvolved"),
        pytest.param("A4", "statement of the author's independence", id="WT_A4_independence_stated"),
    ],
)
def test_imr_author_should_rule_warns_and_does_not_block(rule_id: str, expected_words: str) -> None:
    outcome = check_imr_author(ImrAuthorAnswers(*_answers_failing(int(rule_id[1]) - 1)))
    assert outcome.passed
    [warning] = outcome.warnings
    assert warning.rule_id == rule_id
    assert " should " in warning.message
    assert expected_words in warning.next_step
    assert "still recorded" in warning.next_step
    assert warning.paragraphs.refs == ("WT",)


@pytest.mark.parametrize("bits", list(itertools.product((False, True), repeat=4)), ids=str)
def test_every_no_answer_is_reported_and_only_those(bits: tuple[bool, ...]) -> None:
    for check, answers, prefix in (
        (check_representative, RepresentativeAnswers(*bits), "I"),
        (check_imr_author, ImrAuthorAnswers(*bits), "A"),
    ):
        outcome = check(answers)  # type: ignore[operator]
        noes = [f"{prefix}{i + 1}" for i, ok in enumerate(bits) if not ok]
        shoulds = {"I2", "A3", "A4"}
        assert [f.rule_id for f in outcome.failures] == [rule for rule in noes if rule not in shoulds]
        assert [w.rule_id for w in outcome.warnings] == [rule for rule in noes if rule in shoulds]
        assert outcome.passed is not outcome.failures


def test_all_yes_passes_both_checks() -> None:
    assert check_representative(RepresentativeAnswers(*ALL_YES)).passed
    assert check_imr_author(ImrAuthorAnswers(*ALL_YES)).passed


def test_para_1_2_a_failed_check_is_kept_in_the_history_and_records_nobody() -> None:

    opened = record_event(new_review(), ReviewOpened(), USER, at(DAY), BOOK).review
    failed = record_event(opened, RepresentativeCheckFailed(answers=RepresentativeAnswers(True, False, True, False)),
                          USER, at(DAY), BOOK)

    assert failed.review.representative is None
    assert failed.history_entry.actor == USER
    assert "I4 not met" in failed.history_entry.detail
    with pytest.raises(ReviewRuleError, match="meet every rule"):
        record_event(opened, RepresentativeCheckFailed(answers=RepresentativeAnswers(True, True, True, True)),
                     USER, at(DAY), BOOK)
