"""From the answers on the opening forms to the review that would be opened and the emails
that would go. Pure: the confirm card previews exactly what saving will do."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.review import (
    ActionPlanAgreed,
    ActionsConfirmedComplete,
    AddressBook,
    Approved,
    BoardDecisionMade,
    BusinessArea,
    EligibilityAnswers,
    EligibilityOutcome,
    Event,
    ImrCompleted,
    IndependenceOutcome,
    KeyDates,
    Nation,
    NoImrReason,
    NoImrRequested,
    Notification,
    OverviewReportProduced,
    Published,
    Representative,
    RepresentativeAnswers,
    RepresentativeCheckFailed,
    Review,
    ReviewKind,
    ReviewOpened,
    ReviewSettings,
    StaffMember,
    Stage,
    TermsOfReferenceAgreed,
    answers_by_id,
    check_representative,
    record_event,
)
from bot.review.kinds import DECISION_FOR_KIND
from dialogs.forms.past_milestones import IMR_COMPLETED


@dataclass(frozen=True)
class OpeningPlan:
    review: Review
    notifications: tuple[Notification, ...]
    eligibility: EligibilityOutcome
    independence: IndependenceOutcome


def eligibility_answers(answers: dict[str, bool]) -> EligibilityAnswers:
    """The eligibility cards' answers (by question id); a question not asked is "no"."""
    return answers_by_id(EligibilityAnswers, answers)


def plan_opening(
    details: dict[str, Any], eligibility: dict[str, bool], representative: dict[str, Any],
    milestones: dict[str, Any] | None = None, *,
    user_id: str, at: datetime, address_book: AddressBook, settings: ReviewSettings,
) -> OpeningPlan:
    """`milestones` (for a review opened part-way) are replayed as the events they were, on their
    dates, so the review reaches its real stage with the duties and emails they bring."""
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
    answers = answers_by_id(RepresentativeAnswers, representative)
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
            BoardDecisionMade(decision=DECISION_FOR_KIND[kind],
                              on=date.fromisoformat(details["decision_to_proceed"])),
            user_id, at, address_book, settings,
        )
        review, notifications = decided.review, notifications + decided.notifications
    for event in _past_events(milestones or {}):
        done = record_event(review, event, user_id, at, address_book, settings)
        review, notifications = done.review, notifications + done.notifications
    outcome = review.eligibility_outcome
    assert outcome is not None  # the draft was built with answers
    return OpeningPlan(review, notifications, outcome, independence)


def _past_events(milestones: dict[str, Any]) -> list[Event]:
    """The milestones after the decision as events, in order. An IMR completed before the review
    was recorded here has no answers about its author; an action plan names the areas chosen."""
    built = {
        Stage.TERMS_OF_REFERENCE: lambda on: TermsOfReferenceAgreed(on=on),
        Stage.IMRS: lambda on: (
            ImrCompleted(author=None, on=on, copy_sent_before=milestones.get("imr_copy_sent", False))
            if milestones["imr_outcome"] == IMR_COMPLETED
            else NoImrRequested(reason=NoImrReason(milestones["imr_outcome"]), on=on)),
        Stage.OVERVIEW_REPORT: lambda on: OverviewReportProduced(on=on),
        Stage.ACTION_PLAN: lambda on: ActionPlanAgreed(
            areas=tuple(BusinessArea(area) for area in milestones["areas"]), on=on),
        Stage.APPROVED: lambda on: Approved(on=on),
        Stage.PUBLISHED: lambda on: Published(on=on, copy_sent_before=milestones.get("report_copy_sent", False)),
        Stage.IMPLEMENTATION: lambda on: ActionsConfirmedComplete(on=on),
    }
    dates = milestones.get("dates", {})
    return [make(date.fromisoformat(dates[stage.value])) for stage, make in built.items() if stage.value in dates]
