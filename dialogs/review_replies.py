"""One-turn commands about the user's reviews: list, show, what next, mark done, retry an email."""

from typing import Any

from botbuilder.core import TurnContext

from bot.mail.queue import SENDING, SENT
from bot.review import ObligationState, ReviewRuleError
from bot.review.obligations import obligation_of
from bot.review.pack_events import registry_for
from bot.review_service import ReviewNotFound, ReviewService
from bot.teams.admission import user_id_of
from bot.teams.exports import ReviewExports
from bot.teams.replies import card_message
from cards import render_card
from dialogs.commands import NEXT_STEPS, SHOW_REVIEW
from dialogs.event_catalogue import BY_TYPE, available, button_for, event_titles
from dialogs.review_lookup import find_review, send_review_list
from views.dates import uk_time
from views.review import next_steps_data, review_card_data
from views.status import STATE_WORDS

NOT_CHANGED = "Nothing was changed: {reason}"
NOT_ON_REVIEW = "That obligation is not on this review, so nothing was changed. Type **show** to see the review."
NO_SUCH_EMAIL = "I can't find that email among your reviews, so nothing was changed."
# What each event is called on cards.
EVENT_TITLES = {event: spec.title for event, spec in BY_TYPE.items()}


class ReviewCommands:
    def __init__(self, service: ReviewService, exports: ReviewExports) -> None:
        self._service = service
        self._exports = exports

    async def my_reviews(self, context: TurnContext, value: Any, typed: str) -> None:
        await send_review_list(context, self._service)

    async def show(self, context: TurnContext, value: Any, typed: str) -> None:
        review = await find_review(context, self._service, value, typed, SHOW_REVIEW.name)
        if review:
            page = value.get("page") if isinstance(value, dict) else None
            await self.send_review_card(context, review.id, page if isinstance(page, int) else 1)

    async def export(self, context: TurnContext, value: Any, typed: str) -> None:
        """The review card's "Export the history": the whole record as a file, before retention
        removes it."""
        review = await find_review(context, self._service, value, typed, SHOW_REVIEW.name)
        if review:
            await self._exports.offer(context, review.id)

    async def next_steps(self, context: TurnContext, value: Any, typed: str) -> None:
        review = await find_review(context, self._service, value, typed, NEXT_STEPS.name)
        if review:
            review, steps = await self._service.next_steps(user_id_of(context), review.id)
            data = next_steps_data(review, steps)
            await context.send_activity(card_message(render_card("next_steps", data), data["title"]))

    async def mark_done(self, context: TurnContext, value: Any, typed: str) -> None:
        # Only a card's button marks something done: the review card is where to find it.
        review = await find_review(context, self._service, value, typed, SHOW_REVIEW.name)
        instance_id = value.get("instance_id") if isinstance(value, dict) else None
        if review is None:
            return
        if not isinstance(instance_id, str) or not instance_id:
            await context.send_activity("Choose which obligation is done, then press **Mark done**.")
            return
        try:
            record = review.obligation(instance_id[:50])
        except KeyError:
            await context.send_activity(NOT_ON_REVIEW)
            return
        if record.state is not ObligationState.OPEN:
            # Said in the words of the cards, not the domain's, which name the internal occurrence id.
            title = obligation_of(review, record.obligation_id).title
            await context.send_activity(
                f"Nothing was changed: \u201c{title}\u201d is already {STATE_WORDS[record.state]}.")
            return
        try:
            await self._service.mark_done(user_id_of(context), review.id, record.instance_id)
        except ReviewRuleError as problem:
            step = registry_for(review.framework).recorded_by(record.obligation_id)
            if step is not None:
                # Met when its event is recorded (the domain's rule): the refusal names the button that does.
                title = obligation_of(review, record.obligation_id).title
                await context.send_activity(
                    f"Nothing was changed: \u201c{title}\u201d is met by recording it, so it cannot be marked done "
                    f"by hand. Press **{button_for(review, step)}** on the review card when it has happened.")
                return
            await context.send_activity(NOT_CHANGED.format(reason=f"{problem.message}{problem.paragraphs.bracketed}"))
            return
        await context.send_activity(f"Marked done on {review.reference}.")
        await self.send_review_card(context, review.id)

    async def retry_email(self, context: TurnContext, value: Any, typed: str) -> None:
        key = value.get("key") if isinstance(value, dict) else None
        try:
            review, item = await self._service.retry_email(user_id_of(context), key if isinstance(key, str) else "")
        except (ReviewNotFound, KeyError):
            await context.send_activity(NO_SUCH_EMAIL)
            return
        if item.state == SENT:
            await context.send_activity(f"That email has already been sent ({uk_time(item.sent_at)}).")
        elif item.state == SENDING:
            await context.send_activity("That email is being sent right now; its state is on the review card.")
        else:
            await context.send_activity("I'll try sending that email again now.")
        await self.send_review_card(context, review.id)

    async def send_review_card(self, context: TurnContext, review_id: str, page: int = 1) -> None:
        """The review as it is now, with the state of each of its emails (`page`: of its to-do list)."""
        service = self._service
        review, emails = await service.review_with_emails(user_id_of(context), review_id)
        data = review_card_data(review, emails, service.today(), service.review_settings.due_soon_working_days,
                                available(review), event_titles(review.framework), page)
        await context.send_activity(card_message(render_card("review", data), data["title"]))
