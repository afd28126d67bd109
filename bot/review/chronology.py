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
from .pack_events import registry_for
from .paragraphs import Citation, cite
from .registry import EventDefinition, EventRegistry
from .stages import EventType

ORDER = cite("4.1")
# No review the bot guides can have a date before this: the guidance's process dates from the 2000s
# (Working Together 2006 and 2010), so an earlier date is a slip ("0001-01-01", "1900-…").
EARLIEST = date(2000, 1, 1)
TOO_EARLY = "cannot be before 1 January 2000: check the year"


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


# Every dated milestone comes after the case came to the chair's attention; which milestone comes
# after which is declared with each event (its ``after``, events.py).
START = Milestone("the date the case came to the board chair's attention", key_date="came_to_chair_attention")


def _milestone(definition: EventDefinition) -> Milestone:
    return Milestone(definition.dated_as or "", definition.type, definition.key_date)


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


def earliest(review: Review, event_type: EventType, registry: EventRegistry | None = None) -> Limit | None:
    """The latest date among the recorded milestones ``event_type`` must follow, if any; on a tie,
    the milestone nearest to it in the flow chart, which is the one a user thinks of."""
    registry = registry or registry_for(review.framework)
    if event_type not in registry or not registry[event_type].dated_as:
        return None
    before = (START, *(_milestone(definition) for definition in registry.dated_before(event_type)))
    dated = [Limit(day, milestone) for milestone in before if (day := milestone.date_on(review))]
    return max(reversed(dated), key=lambda limit: limit.on, default=None)


def check_in_order(review: Review, event_type: EventType, on: date, registry: EventRegistry | None = None) -> None:
    """Raise DatesOutOfOrder when ``on`` is before a milestone the event must follow (4.1)."""
    registry = registry or registry_for(review.framework)
    limit = earliest(review, event_type, registry)
    if limit and on < limit.on:
        what = registry[event_type].dated_as or ""
        raise DatesOutOfOrder(
            f"{what[0].upper()}{what[1:]} ({long_date(on)}) cannot be before "
            f"{limit.milestone.what} ({long_date(limit.on)})."
        )
