"""Telling people at once, in Teams, that an email the guidance requires could not be sent.

The review card shows the failure too, but nobody looks at a card they do not know about: an
email that silently fails is the failure users fear most (1.1, 1.8). An escalation of a review's
overdue duty (7.3.3) is told to that review's members the same way. The agenda concerns no single
review: its failure is an error in the log for the people who run the bot (README, "Emails that
fail"), and asking for the agenda again retries it.
"""

import logging
from typing import Protocol

from bot.mail.queue import OutboxItem
from bot.review import Review, review_concerned
from bot.review.next_steps import recipients_of
from bot.teams.proactive import Delivery, ProactiveSender
from cards import render_card
from views.review import email_failed_data

log = logging.getLogger(__name__)


class ReviewsOfEmails(Protocol):
    """ReviewService: the review an email serves, read as the system, None once it is gone."""

    async def review_of_email(self, review_id: str) -> Review | None: ...


class EmailFailureNotifier:
    def __init__(self, reviews: ReviewsOfEmails, sender: ProactiveSender) -> None:
        self._reviews = reviews
        self._sender = sender

    async def __call__(self, item: OutboxItem) -> None:
        review_id = review_concerned(item.key)
        if review_id is None:
            log.error("Email not sent: %s failed after %d attempts (%s). It goes when someone asks for "
                      "the agenda email again.", item.key, item.attempts, item.last_error)
            return
        review = await self._reviews.review_of_email(review_id)
        if review is None:
            log.error("mail %s failed and its review is gone", item.key)
            return
        card = render_card("email_failed", email_failed_data(review, item))
        results = [await self._sender.send_card(user_id, card, f"Email not sent for {review.reference}")
                   for user_id in recipients_of(review)]
        if any(result.delivered for result in results):
            return
        if any(result.delivery is Delivery.FAILED for result in results):
            # Teams is throttling or failing for now: raising makes the mail worker call this again.
            raise RuntimeError(f"nobody on review {review.id} could be told yet that mail {item.key} failed")
        # Nobody can be reached in Teams at all (never installed, or uninstalled): retrying would
        # only repeat this; the review card and the overdue reminders still show the failure.
        log.error("mail %s failed and nobody on review %s can be reached in Teams", item.key, review.id)
