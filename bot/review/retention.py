"""How long a review is kept once it has ended: nothing is kept longer than needed (data care).

A review that ended (formally closed, or the board decided not to hold one; under a framework
pack, reached one of its final stages) is kept for a set number of years from that day, then
removed with its emails and documents. Open reviews are never removed.
"""

from __future__ import annotations

from datetime import date

from .frameworks import SCR_2016
from .model import Review
from .pack_events import registry_for
from .stages import EventType, Stage
from .working_days import add_months


def ended_on(review: Review) -> date | None:
    """The day the review ended, or None while it is open."""
    if review.framework != SCR_2016:
        return _pack_ended_on(review)
    if review.stage is Stage.CLOSED:
        return review.key_dates.closed
    if review.stage is Stage.NOT_PROCEEDING:
        decided = [entry.on for entry in review.history if entry.action is EventType.BOARD_DECISION]
        return decided[-1] if decided else None
    return None


def _pack_ended_on(review: Review) -> date | None:
    """The day of the event that took it to its pack's final stage."""
    if not review.stage.is_terminal:
        return None
    registry = registry_for(review.framework)
    ended = [entry.on for entry in review.history
             if entry.action in registry and registry[entry.action].moves_to == review.stage]
    return ended[-1] if ended else None


def removable_from(review: Review, years: int) -> date | None:
    """The first day the review may be removed, or None while it is open."""
    ended = ended_on(review)
    return add_months(ended, 12 * years) if ended else None
