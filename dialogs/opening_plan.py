"""From the answers on the opening forms to the review that would be opened and the emails
that would go. Pure: the confirm card previews exactly what saving will do."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.review import (
    AddressBook,
    BoardDecision,
    BoardDecisionMade,
    BusinessArea,
    EligibilityAnswers,
    EligibilityOutcome,
    IndependenceOutcome,
    KeyDates,
    Nation,
    Notification,
    Representative,
    RepresentativeAnswers,
    RepresentativeCheckFailed,
    Review,
    ReviewKind,
    ReviewOpened,
    ReviewSettings,
    StaffMember,
    check_representative,
    record_event,
)

_DECISION_FOR_KIND = {
    ReviewKind.STATUTORY: BoardDecision.PROCEED_WITH_STATUTORY_REVIEW,
    ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW: BoardDecision.PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW,
}


@dataclass(frozen=True)
class OpeningPlan:
    review: Review
    notifications: tuple[Notification, ...]
    eligibility: EligibilityOutcome
    independence: IndependenceOutcome


def eligibility_answers(answers: dict[str, bool]) -> EligibilityAnswers:
    """The eligibility cards' answers (by question id); a question not asked is "no"."""
    return EligibilityAnswers(**{key.lower(): value for key, value in answers.items()})


def plan_opening(
    details: dict[str, Any], eligibility: dict[str, bool], representative: dict[str, Any], *,
    user_id: str, at: datetime, address_book: AddressBook, settings: ReviewSettings,
) -> OpeningPlan:
    kind = ReviewKind(details["kind"])
    draft = Review(
        reference=details["reference"],
        nation=Nation(details["nation"]),
        board_name=details["board_name"],
        business_areas=tuple(BusinessArea(area) for area in details["business_areas"]),
        members=[user_id],
        kind=kind,
        key_dates=KeyDates(came_to_chair_attention=date.fromisoformat(details["came_to_chair_attention"])),
        eligibility=eligibility_answers(eligibility),
    )
    answers = RepresentativeAnswers(**{key.lower(): representative[key] for key in ("I1", "I2", "I3", "I4")})
    independence = check_representative(answers)
    # A representative who fails a rule is not recorded (1.2, 7.2), but the review still opens:
    # the O1 notifications are owed at the beginning whoever sits on the panel (1.1).
    nominee = None
    if independence.passed:
        nominee = Representative(StaffMember(user_id, representative["email"]), answers)
    opened = record_event(draft, ReviewOpened(representative=nominee), user_id, at, address_book, settings)
    review, notifications = opened.review, opened.notifications
    if not independence.passed:
        review = record_event(review, RepresentativeCheckFailed(answers=answers), user_id, at, address_book,
                              settings).review
    if details["decision_to_proceed"]:
        decided = record_event(
            review,
            BoardDecisionMade(decision=_DECISION_FOR_KIND[kind],
                              on=date.fromisoformat(details["decision_to_proceed"])),
            user_id, at, address_book, settings,
        )
        review, notifications = decided.review, notifications + decided.notifications
    outcome = review.eligibility_outcome
    assert outcome is not None  # the draft was built with answers
    return OpeningPlan(review, notifications, outcome, independence)
