"""Names stay out (8.1): references and board names look like a board's, never like a person's."""

import pytest

from bot.review import Published, Stage, record_event, review_from_dict, review_to_dict
from bot.review.references import (
    WITHHELD_BOARD_NAME,
    validate_board_name,
    validate_reference,
    withheld_reference,
)
from tests.review.helpers import BOOK, DAY, REPORT_LINK, USER, at, review_at

TYPICAL_REFERENCES = ["LSCB-2026-014", "SCR/2026/07", "WSCB 26-003", "CPR-NW-2026-01", "CMR 12/2025", "SCR_7"]


@pytest.mark.parametrize("reference", TYPICAL_REFERENCES)
def test_para_8_1_typical_board_references_are_accepted(reference: str) -> None:
    assert validate_reference(reference) == reference


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("Smith-family-2026", "must not describe a person or family (\u201cfamily\u201d)"),
        ("Family-Smith-26", "must not describe a person or family (\u201cfamily\u201d)"),
        ("Baby-2026-3", "must not describe a person or family (\u201cbaby\u201d)"),
        ("MRS J 2026", "must not describe a person or family (\u201cmrs\u201d)"),
        ("Jane Smith 01", "codes in capitals"),
        ("smith 2026", "codes in capitals"),
        ("LSCB-2026-Jones", "codes in capitals"),
    ],
)
def test_para_8_1_references_that_look_like_a_name_are_refused_with_the_reason(reference: str, reason: str) -> None:
    with pytest.raises(ValueError, match="Never use a name") as refused:
        validate_reference(reference)
    message = str(refused.value)
    assert reason in message
    assert "Jane" not in message and "Jones" not in message, "a typed name is never repeated back"


@pytest.mark.parametrize(
    "board_name",
    [
        "Exampleshire LSCB",
        "Northshire Child Protection Committee",
        "Cardiff and Vale Regional Safeguarding Board",
        "Belfast Area Child Protection Committee",
        "Bright & O'Hare LSCB",
        "Westshire Safeguarding Children Partnership",
        "Eastshire ACPC",
        "Highland CPC",
        "SBNI",
    ],
)
def test_para_8_1_real_board_names_are_accepted(board_name: str) -> None:
    assert validate_board_name(f" {board_name} ") == board_name


@pytest.mark.parametrize("board_name", ["Jane Smith", "Smith", "J. Smith-Jones", "Mrs O'Hare"])
def test_para_8_1_a_board_name_that_is_a_persons_name_is_refused_with_the_reason(board_name: str) -> None:
    with pytest.raises(ValueError, match="a word that shows it is a board") as refused:
        validate_board_name(board_name)
    assert "Smith" not in str(refused.value) and "para 8.1" in str(refused.value)


def test_para_8_1_a_stored_review_whose_reference_is_now_refused_never_puts_it_in_a_subject() -> None:
    stored = {**review_to_dict(review_at(Stage.APPROVED)), "reference": "Jane Smith 01", "board_name": "Jane Smith"}

    review = review_from_dict(stored)
    [email] = record_event(review, Published(document=REPORT_LINK), USER, at(DAY), BOOK).notifications

    assert review.reference == withheld_reference(review.id) == validate_reference(review.reference)
    assert review.board_name == WITHHELD_BOARD_NAME
    assert f"Serious Case Review \u2013 {review.reference} \u2013" in email.subject
    assert all("Smith" not in text for text in (email.subject, email.body_text, email.body_html))


def test_a_stored_review_whose_reference_passes_loads_unchanged() -> None:
    review = review_at(Stage.APPROVED)
    loaded = review_from_dict(review_to_dict(review))
    assert (loaded.reference, loaded.board_name) == (review.reference, review.board_name)
