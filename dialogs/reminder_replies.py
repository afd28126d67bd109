"""What the root dialog calls for the reminder commands and card buttons. Thin: each reads the
request, asks the ReviewService (or the snoozes), and replies with one card or one line.

    show_outstanding(turn_context, user_id)
    show_agenda(turn_context, user_id, email)
    snooze_from_card(turn_context, user_id, value)

`user_id` is `bot.teams.admission.user_id_of(turn_context)`; `value` is the card submit
(`turn_context.activity.value`), read defensively because a replayed submit can hold anything.
"Mark as done" on the reminder card is the existing `obligation_done` command (ObligationDone
recorded through `ReviewService.record`).
`outstanding`, `agenda` and `snooze` wrap them in the root dialog's one-turn handler signature
`(context, value, typed)`.
"""

import re
from typing import Any, Protocol

from bot.reminders.emails import ReminderMail
from bot.reminders.policy import owed_by
from bot.reminders.settings import ReminderSettings
from bot.reminders.snoozes import SnoozeBook
from bot.review import ObligationState, add_working_days
from bot.review.obligations import obligation_of
from bot.review_service import ReviewNotFound, ReviewService
from bot.teams.admission import user_id_of
from bot.teams.replies import card_message
from cards import render_card
from views.dates import long_day
from views.reminders import (
    SNOOZE_WORKING_DAYS,
    agenda_card_data,
    outstanding_card_data,
    outstanding_summary,
)
from views.status import STATE_WORDS

_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
STALE = "That reminder no longer matches the review, so nothing was changed. Type **outstanding** to see what is due."


class Replies(Protocol):
    async def send_activity(self, activity_or_text: Any) -> Any: ...


class ReminderCommands:
    def __init__(self, service: ReviewService, snoozes: SnoozeBook, settings: ReminderSettings,
                 mail: ReminderMail) -> None:
        self._service = service
        self._snoozes = snoozes
        self._settings = settings
        self._mail = mail

    # -- in the root dialog's one-turn handler shape: (context, value, typed) ------------------

    async def outstanding(self, context: Any, value: Any, typed: str) -> None:
        await self.show_outstanding(context, user_id_of(context))

    async def agenda(self, context: Any, value: Any, typed: str) -> None:
        """Typed "agenda" shows it; "agenda email" or the card's button also emails it."""
        email = (isinstance(value, dict) and value.get("email") is True) or typed.strip().lower() == "email"
        await self.show_agenda(context, user_id_of(context), email)

    async def snooze(self, context: Any, value: Any, typed: str) -> None:
        await self.snooze_from_card(context, user_id_of(context), value)

    @property
    def _due_soon(self) -> int:
        return self._settings.due_soon(self._service.review_settings)

    async def show_outstanding(self, turn_context: Replies, user_id: str) -> None:
        """Everything the user owes across their reviews, most urgent first within each review."""
        today = self._service.today()
        owed = owed_by(user_id, await self._service.reviews_for(user_id), today, self._due_soon,
                       await self._service.failed_emails(), only_as_recipient=False)
        mine = {(review_id, instance_id): until
                for (review_id, instance_id, who), until in self._snoozes.active(today).items() if who == user_id}
        data = outstanding_card_data(owed, today, snoozed=mine)
        await turn_context.send_activity(card_message(render_card("outstanding", data), outstanding_summary(data)))

    async def show_agenda(self, turn_context: Replies, user_id: str, email: bool) -> None:
        """The standing agenda item (7.3.1, 7.3.2) for the user's active reviews; with `email`,
        also queued to the SCS Children's Lead of each business area involved."""
        today = self._service.today()
        reviews = await self._service.reviews_for(user_id)
        failed = await self._service.failed_emails()
        sent_to = await self._mail.send_agenda(reviews, today, self._due_soon, failed) if email else []
        data = agenda_card_data(reviews, today, self._due_soon, failed, sent_to=sent_to)
        await turn_context.send_activity(card_message(render_card("agenda", data), data["title"]))

    async def snooze_from_card(self, turn_context: Replies, user_id: str, value: Any) -> None:
        """The reminder card's "Snooze 2 working days": no reminder about it for this user until then."""
        ids = _ids(value)
        if ids is None:
            await turn_context.send_activity(STALE)
            return
        review_id, instance_id = ids
        try:
            review = await self._service.review(user_id, review_id)
            record = review.obligation(instance_id)
        except (ReviewNotFound, KeyError):
            await turn_context.send_activity(STALE)
            return
        title = obligation_of(review, record.obligation_id).title
        if record.state is not ObligationState.OPEN:
            await turn_context.send_activity(
                f"\u201c{title}\u201d on review {review.reference} is already {STATE_WORDS[record.state]}: "
                "there is nothing to snooze.")
            return
        until = add_working_days(self._service.today(), SNOOZE_WORKING_DAYS)
        self._snoozes.snooze(review_id, instance_id, user_id, until)
        await turn_context.send_activity(
            f"Snoozed: no reminder about \u201c{title}\u201d on review {review.reference} until "
            f"{long_day(until)}. Its due date has not changed.")


def _ids(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, dict):
        return None
    review_id, instance_id = value.get("review_id"), value.get("instance_id")
    if not (isinstance(review_id, str) and isinstance(instance_id, str)
            and _ID.match(review_id) and _ID.match(instance_id)):
        return None
    return review_id, instance_id
