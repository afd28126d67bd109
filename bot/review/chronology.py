"""Milestone dates in the flow chart's order (4.1): a milestone is never dated before one the flow
chart puts ahead of it. Users record milestones late and type their dates, so a slip such as a
publication dated before the approval is refused here, with both dates named, instead of being
stored as a history that cannot have happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .date_words import long_date
from .model import Review
from .paragraphs import Citation, cite
from .stages import EventType

ORDER = cite("4.1")


@dataclass(frozen=True)
class Milestone:
    # Completes "… cannot be before <what>", and, capitalised, starts that sentence.
    what: str
    event: EventType | None = None
    # The KeyDates field that holds its date, when there is one.
    key_date: str | None = None

    def date_on(self, review: Review) -> date | None:
        """When it happened on this review, or None if it has not been recorded."""
        kept = getattr(review.key_dates, self.key_date) if self.key_date else None
        recorded = [entry.on for entry in review.history if entry.action is self.event]
        return kept or (max(recorded) if recorded else None)


# The flow chart from the referral to publication (4.1); each is dated on or after all before it.
FLOW: tuple[Milestone, ...] = (
    Milestone("the date the case came to the board chair's attention", key_date="came_to_chair_attention"),
    Milestone("the date of the board's decision", EventType.BOARD_DECISION, "decision_to_proceed"),
    Milestone("the date the terms of reference were agreed", EventType.TERMS_OF_REFERENCE_AGREED),
    Milestone("the date the IMR was completed", EventType.IMR_COMPLETED, "imr_completed"),
    Milestone("the date the overview report was produced", EventType.OVERVIEW_REPORT_PRODUCED),
    Milestone("the date the action plan was agreed", EventType.ACTION_PLAN_AGREED),
    Milestone("the date the board approved the report", EventType.APPROVED, "approved"),
    Milestone("the date of publication", EventType.PUBLISHED, "published"),
)
_PLAN_AGREED = next(i for i, m in enumerate(FLOW) if m.event is EventType.ACTION_PLAN_AGREED)
_CONFIRMED = Milestone("the date the actions were confirmed complete", EventType.ACTIONS_CONFIRMED_COMPLETE)
_IMR = next(i for i, m in enumerate(FLOW) if m.event is EventType.IMR_COMPLETED)
_NO_IMR = Milestone("the date the panel decided no IMR was needed", EventType.NO_IMR_REQUESTED)
_CLOSED = Milestone("the date the review was closed", EventType.CLOSED, "closed")

# Each milestone event, and the milestones it cannot precede. Actions can be confirmed complete
# only once the action plan exists, but may be finished before the report is published, so they
# follow the flow only up to the plan; closing the review comes after everything.
_FOLLOWS: dict[EventType, tuple[Milestone, tuple[Milestone, ...]]] = {
    **{m.event: (m, FLOW[:i]) for i, m in enumerate(FLOW) if m.event},
    EventType.ACTIONS_CONFIRMED_COMPLETE: (_CONFIRMED, FLOW[: _PLAN_AGREED + 1]),
    # No IMR asked of the Home Office ends the IMR step as a completed IMR does (3.3.4).
    EventType.NO_IMR_REQUESTED: (_NO_IMR, FLOW[:_IMR]),
    EventType.CLOSED: (_CLOSED, (*FLOW, _CONFIRMED)),
}


@dataclass(frozen=True)
class Limit:
    """The earliest date an event may have, and the milestone that sets it."""

    on: date
    milestone: Milestone


class DatesOutOfOrder(ValueError):
    """A milestone dated before one the flow chart puts ahead of it."""

    def __init__(self, message: str) -> None:
        super().__init__(f"{message} ({ORDER.text})")
        self.message = message
        self.paragraphs: Citation = ORDER


def earliest(review: Review, event_type: EventType) -> Limit | None:
    """The latest date among the recorded milestones ``event_type`` must follow, if any; on a tie,
    the milestone nearest to it in the flow chart, which is the one a user thinks of."""
    _, before = _FOLLOWS.get(event_type, (None, ()))
    dated = [Limit(day, milestone) for milestone in before if (day := milestone.date_on(review))]
    return max(reversed(dated), key=lambda limit: limit.on, default=None)


def check_in_order(review: Review, event_type: EventType, on: date) -> None:
    """Raise DatesOutOfOrder when ``on`` is before a milestone the event must follow (4.1)."""
    limit = earliest(review, event_type)
    if limit and on < limit.on:
        what = _FOLLOWS[event_type][0].what
        raise DatesOutOfOrder(
            f"{what[0].upper()}{what[1:]} ({long_date(on)}) cannot be before "
            f"{limit.milestone.what} ({long_date(limit.on)})."
        )
