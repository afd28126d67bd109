"""The review record: reference-shaped references (8.1), membership, business areas."""

import pytest

from bot.review import BusinessArea, Nation, ReviewKind, validate_reference
from tests.review.helpers import USER, new_review


@pytest.mark.parametrize("reference", ["LSCB-2026-014", "CMR 12/2025", "SCR_7", " ACPC-1 "])
def test_para_8_1_reference_like_values_are_accepted(reference: str) -> None:
    assert validate_reference(reference) == reference.strip()


@pytest.mark.parametrize(
    "reference",
    ["", "Jane Smith", "A" * 40 + "1", "LSCB;2026", "LSCB-1\nBcc: x", "-2026", "Child 1 <b>"],
    ids=["empty", "looks_like_a_name", "too_long", "semicolon", "newline", "leading_dash", "markup"],
)
def test_para_8_1_anything_else_is_refused(reference: str) -> None:
    with pytest.raises(ValueError, match="Never use a name"):
        validate_reference(reference)


def test_nobody_sees_a_review_they_are_not_on() -> None:
    review = new_review()
    assert review.can_be_seen_by(USER)
    assert not review.can_be_seen_by("aad-someone-else")
    with pytest.raises(ValueError, match="at least one member"):
        new_review(members=[])


def test_business_areas_are_required_and_deduplicated() -> None:
    assert new_review(business_areas=(BusinessArea.UKVI, BusinessArea.UKVI)).business_areas == (
        BusinessArea.UKVI,
    )
    with pytest.raises(ValueError, match="at least one"):
        new_review(business_areas=())


@pytest.mark.parametrize(
    ("nation", "kind", "name"),
    [
        (Nation.ENGLAND, ReviewKind.STATUTORY, "Serious Case Review"),
        (Nation.NORTHERN_IRELAND, ReviewKind.STATUTORY, "Case Management Review"),
        (Nation.SCOTLAND, ReviewKind.STATUTORY, "Significant Case Review"),
        (
            Nation.SCOTLAND,
            ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW,
            "Independent (inter-agency) Management Review",
        ),
    ],
    ids=["para_2_1_england", "para_2_1_northern_ireland", "para_2_1_scotland", "para_6_1_independent_review"],
)
def test_review_name(nation: Nation, kind: ReviewKind, name: str) -> None:
    assert new_review(nation=nation, kind=kind).review_name == name


def test_board_name_must_look_like_a_board() -> None:
    with pytest.raises(ValueError, match="board's own name"):
        new_review(board_name="<script>")
