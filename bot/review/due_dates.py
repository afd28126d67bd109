"""A due date set on one review for a timescale its framework's sources do not fix: the partners
ask for the Home Office's agency summary by a date of their own (local procedures), so the
representative records that date and reminders count to it. Nothing else's date can be set by
hand: the bot never moves a deadline its sources fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .address_book import AddressBook
from .date_words import long_date
from .model import ObligationRecord, ObligationState, Review
from .obligations import DueKind, obligation_of
from .paragraphs import NO_PARAGRAPH
from .registry import Applied, Event, EventDefinition, ReviewRuleError
from .stages import EventType, ReviewStage
from .working_days import TOO_FAR_AHEAD, latest_ahead


@dataclass(frozen=True, kw_only=True)
class DueDateSet(Event):
    type = EventType.DUE_DATE_SET
    instance_id: str
    due: date


def datable(review: Review) -> list[ObligationRecord]:
    """The open duties whose timescale the framework's sources leave unset, in the review's order."""
    return [record for record in review.obligations if record.state is ObligationState.OPEN
            and _unfixed(review, record)]


def _unfixed(review: Review, record: ObligationRecord) -> bool:
    rule = obligation_of(review, record.obligation_id).due
    return rule.kind is DueKind.TIMESCALE and rule.timescale is not None and rule.timescale.amount is None


def _none_to_date(review: Review) -> str | None:
    return None if datable(review) else "No duty on this review has a timescale left to be set on it."


def _set(review: Review, event: DueDateSet, on: date, at: datetime, book: AddressBook) -> Applied:
    if not isinstance(event.due, date):
        raise ValueError("Give the date the duty is due.")
    record = next((r for r in datable(review) if r.instance_id == event.instance_id), None)
    if record is None:
        raise ReviewRuleError("That duty's date cannot be set here: only an open duty whose timescale its framework "
                              "does not fix can have one.", NO_PARAGRAPH)
    if event.due < record.triggered_on:
        raise ReviewRuleError(f"The date cannot be before the duty arose ({long_date(record.triggered_on)}).",
                              NO_PARAGRAPH)
    if event.due > latest_ahead(on):
        raise ReviewRuleError(f"The date {TOO_FAR_AHEAD}.", NO_PARAGRAPH)
    record.due = event.due
    title = obligation_of(review, record.obligation_id).title
    return Applied(f"Due date set on this review: {title} – due {long_date(event.due)}")


def due_date_set_at(stages: frozenset[ReviewStage]) -> EventDefinition:
    return EventDefinition(data=DueDateSet, paragraphs=NO_PARAGRAPH, allowed_at=stages, handle=_set,
                           guard=_none_to_date, form="due_date_set")
