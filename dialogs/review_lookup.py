"""Finding the review a message is about: from a card's review id, a typed reference, or — when
the user is on only one active review — that one. Only the user's own reviews are ever found."""

from typing import Any

from botbuilder.core import TurnContext

from bot.review import Review
from bot.review_service import ReviewNotFound, ReviewService
from bot.teams.admission import user_id_of
from bot.teams.replies import card_message
from cards import render_card
from views.review import review_list_data

WHICH_REVIEW = "Which review? Choose one below, or type it with the reference, e.g. **{command} {reference}**."
NOT_FOUND = "I can't find a review with that reference among yours. Type **my reviews** to see them."


async def review_from_card(context: TurnContext, service: ReviewService, value: Any) -> Review | None:
    """The review a card button names, if it is one of the user's; None after saying why not."""
    review_id = value.get("review_id") if isinstance(value, dict) else None
    try:
        return await service.review(user_id_of(context), review_id[:100] if isinstance(review_id, str) else "")
    except ReviewNotFound as problem:
        await context.send_activity(str(problem))
        return None


async def find_review(
    context: TurnContext, service: ReviewService, value: Any, typed: str, command: str
) -> Review | None:
    """The review, or None after telling the user why not (and offering the list, with an example
    of `command` typed with one of their own references)."""
    if isinstance(value, dict) and value.get("review_id"):
        return await review_from_card(context, service, value)
    reviews = await service.reviews_for(user_id_of(context))
    if typed:
        matching = [review for review in reviews if review.reference.lower() == typed.lower()]
        if matching:
            return matching[0]
        await context.send_activity(NOT_FOUND)
        return None
    active = [review for review in reviews if not review.stage.is_terminal]
    if len(active) == 1:
        return active[0]
    intro = WHICH_REVIEW.format(command=command, reference=reviews[0].reference) if reviews else ""
    await send_review_list(context, service, intro=intro)
    return None


async def send_review_list(context: TurnContext, service: ReviewService, intro: str = "") -> None:
    reviews = await service.reviews_for(user_id_of(context))
    data = review_list_data(reviews, service.today(), service.review_settings.due_soon_working_days,
                            await service.failed_emails())
    if intro:
        await context.send_activity(intro)
    await context.send_activity(card_message(render_card("review_list", data), "Your reviews"))
