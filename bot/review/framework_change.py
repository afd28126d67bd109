"""Changing the framework a review follows after it was opened, with a reason (issue 16: the pack
is chosen by nation and date, and the representative may change it).

Only before the review's first step: at its framework's first stage nothing of that framework's own
process has happened, so the change cannot rewrite a step taken. The duties of the framework left
that the new one does not have are no longer owed (named in the history entry); the policy's duties
both share stay as they are; the new one's duties from the opening arise as of the opening, its
timescales counted, as they would have been, from the day the case came to attention. Emails made
from then on carry the new framework's name (1.8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .address_book import AddressBook
from .frameworks import FrameworkReason, catalogue
from .model import Review
from .obligations import obligations_of
from .paragraphs import NO_PARAGRAPH
from .registry import Applied, Event, EventDefinition, ReviewRuleError
from .stages import EventType, ReviewStage, stages_of


@dataclass(frozen=True, kw_only=True)
class FrameworkChanged(Event):
    type = EventType.FRAMEWORK_CHANGED
    framework: str
    reason: FrameworkReason

    def __post_init__(self) -> None:
        if not isinstance(self.framework, str) or self.framework not in catalogue().packs:
            raise ValueError(f"{self.framework!r} is not a framework pack this app has")
        if not isinstance(self.reason, FrameworkReason):
            raise ValueError("Say why the framework changes: choose a reason from the list.")


def other_frameworks(review: Review) -> list[str]:
    """The packs the review could change to: those the bot guides in its nation, but its own."""
    return [pack.id for pack in catalogue().openable(review.nation) if pack.id != review.framework]


def _in_force(review: Review) -> str:
    """The framework in force for the review's nation and the date its case came to attention."""
    return catalogue().for_review(review.nation, review.key_dates.came_to_chair_attention or review.history[0].on).id


def change_reasons(review: Review) -> list[FrameworkReason]:
    """The reasons a change can have: "it began under that framework, before the newer one applied"
    only where some framework it could change to is not the one in force for its case."""
    older = any(pack_id != _in_force(review) for pack_id in other_frameworks(review))
    return [reason for reason in FrameworkReason if older or reason is not FrameworkReason.BEGAN_BEFORE]


def _changeable(review: Review) -> str | None:
    if not other_frameworks(review):
        return f"No other framework the bot can guide applies in {review.nation.label}."
    return None


def _changed(review: Review, event: FrameworkChanged, on: date, at: datetime, book: AddressBook) -> Applied:
    if event.framework not in other_frameworks(review):
        raise ReviewRuleError(f"The review cannot change to {event.framework}: choose one of the other frameworks "
                              f"the bot guides in {review.nation.label}.", NO_PARAGRAPH)
    if event.reason is FrameworkReason.BEGAN_BEFORE and event.framework == _in_force(review):
        raise ReviewRuleError(f"{catalogue().pack(event.framework).name} is the framework in force for this case, "
                              "so the review cannot have begun under it before a newer one applied: choose another "
                              "reason.", NO_PARAGRAPH)
    pack, leaving = catalogue().pack(event.framework), obligations_of(review.framework)
    owed = obligations_of(pack.id)
    dropped = [leaving[r.obligation_id].title for r in review.obligations if r.obligation_id not in owed]
    detail = (f"Framework changed from {review.pack.name} ({review.framework}, version {review.framework_version}) "
              f"to {pack.name} ({pack.id}, version {pack.version}) because {event.reason.label}")
    if dropped:
        detail += "; no longer owed under it: " + "; ".join(dropped)
    if pack.criteria is not None:
        detail += (f"; the {pack.name}'s own criteria were not asked: the review was opened with the "
                   f"{review.pack.name}'s")
    review.obligations = [r for r in review.obligations if r.obligation_id in owed]
    review.framework, review.framework_version = pack.id, pack.version
    return Applied(detail, moves_to=stages_of(pack.id)[0],
                   not_arising=frozenset(r.obligation_id for r in review.obligations))


def framework_changed_at(first_stage: ReviewStage) -> EventDefinition:
    """The change, recordable at a framework's first stage only (``first_stage`` of its registry)."""
    return EventDefinition(data=FrameworkChanged, paragraphs=NO_PARAGRAPH, allowed_at=frozenset({first_stage}),
                           handle=_changed, guard=_changeable, form="framework_changed")
