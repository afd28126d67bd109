"""The review card and the list of a user's reviews."""

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, Protocol

from bot.mail.queue import FAILED, SENDING, SENT, OutboxItem
from bot.review import OBLIGATIONS, DueStatus, EventType, NextStep, ObligationState, Review
from bot.review.next_steps import BEING_SENT, Owed, owed_on
from views.dates import short_day, uk_time
from views.opening import EventTitles, review_facts
from views.status import RAG_COLOURS, RAG_LABELS, STATUS_LABELS, undated


class EventChoice(Protocol):
    """An event the review card offers a button for (dialogs/event_catalogue.py's Offer)."""

    @property
    def type(self) -> EventType: ...

    @property
    def button(self) -> str: ...


def _email_row(item: OutboxItem) -> dict[str, Any]:
    if item.state == SENT:
        state = f"Sent {uk_time(item.sent_at)}"
    elif item.state == FAILED:
        state = f"Failed: {item.last_error or 'no reason given'}"
    elif item.state == SENDING:
        # The worker counts an attempt when it claims the email: the first one is just "sending".
        state = "Sending" if item.attempts <= 1 else f"Sending (attempt {item.attempts})"
    elif item.attempts:
        tried = f"{item.attempts} attempt{'s' * (item.attempts != 1)}"
        state = (f"Queued {uk_time(item.queued_at)}; not sent after {tried}, "
                 f"trying again {uk_time(item.next_attempt_at)}")
    else:
        state = f"Queued {uk_time(item.queued_at)}"
    return {"subject": item.subject, "to": ", ".join(item.to), "state": state,
            "failed": item.state == FAILED, "key": item.key,
            "colour": {SENT: "Good", FAILED: "Attention"}.get(item.state, "Default")}


def email_failed_data(review: Review, item: OutboxItem) -> dict[str, Any]:
    return {"reference": review.reference, "review_id": review.id, "key": item.key, "subject": item.subject,
            "to": ", ".join(item.to), "attempts": str(item.attempts), "reason": item.last_error or "no reason given"}


def outstanding_rows(owed: Owed) -> list[dict[str, str]]:
    """The person's to-do, then what the bot is sending (which is nobody's to-do)."""
    return [
        {
            "instance_id": status.instance_id,
            "text": f"{status.obligation.id} {status.obligation.title}",
            "due": (f"{STATUS_LABELS[status.status]} \u2014 due {short_day(status.due)}" if status.due
                    else undated(status)) + f" ({RAG_LABELS[status.rag].lower()})",
            "colour": RAG_COLOURS[status.rag],
            "paragraphs": status.paragraphs.text,
        }
        for status in owed.to_do
    ] + [
        {"instance_id": status.instance_id, "text": f"{status.obligation.id} {status.obligation.title}",
         "due": BEING_SENT, "colour": "Good", "paragraphs": status.paragraphs.text}
        for status in owed.being_sent
    ]


def lapsed_rows(review: Review, titles: EventTitles) -> list[dict[str, str]]:
    """Duties that ended without being done, each with the event that ended it: kept in view so a
    lapse is never mistaken for a duty met."""
    rows = []
    for record in review.obligations:
        if record.state is ObligationState.LAPSED:
            ended = review.history[record.lapsed_by - 1] if record.lapsed_by else None
            # The milestone's name reads as a reason; the board's decision says which it was.
            named = ended and ended.action in titles and ended.action is not EventType.BOARD_DECISION
            what = (titles[ended.action] if named else ended.detail) if ended else ""
            why = f"{what} ({short_day(ended.on)})" if ended else "the review ended"
            rows.append({"text": OBLIGATIONS[record.obligation_id].title, "why": f"No longer required: {why}."})
    return rows


def review_card_data(review: Review, emails: list[OutboxItem], today: date, due_soon: int,
                     offered: Sequence[EventChoice], titles: EventTitles) -> dict[str, Any]:
    """`offered`: the events that can be recorded now, the forward one first."""
    primary, others = (offered[0], offered[1:]) if offered else (None, [])
    representative = review.representative.member.email if review.representative else "not recorded yet"
    failed = {item.key for item in emails if item.state == FAILED}
    owed = owed_on(review, today, due_soon, failed)
    obligations = outstanding_rows(owed)
    # Only the person's own to-do can be marked done; an emailed duty is met when its email goes
    # (a failed one has Retry beside the email), never by hand.
    by_hand = {status.instance_id for status in owed.to_do if not status.obligation.notifies}
    done_choices = [row for row in obligations if row["instance_id"] in by_hand]
    lapsed = lapsed_rows(review, titles)
    return {
        "review_id": review.id,
        "title": f"{review.reference} \u2014 {review.review_name}",
        "facts": [*review_facts(review, titles), {"title": "Stage", "value": review.stage.label},
                  {"title": "Representative", "value": representative}],
        "outstanding": obligations,
        "nothing_outstanding": not obligations,
        "can_mark_done": bool(done_choices),
        "done_choices": done_choices,
        "lapsed": lapsed,
        "has_lapsed": bool(lapsed),
        "emails": [_email_row(item) for item in emails],
        "no_emails": not emails,
        "has_next": primary is not None,
        "next": {"button": primary.button, "event": primary.type.value} if primary else {},
        "others": [{"button": spec.button, "event": spec.type.value} for spec in others],
        "has_others": bool(others),
        "needs_representative": review.representative is None and not review.stage.is_terminal,
    }


def review_list_data(reviews: list[Review], today: date, due_soon: int,
                     failed_emails: Collection[str]) -> dict[str, Any]:
    rows = []
    for review in reviews:
        statuses = owed_on(review, today, due_soon, failed_emails).to_do
        overdue = sum(status.status is DueStatus.OVERDUE for status in statuses)
        soon = sum(status.status in (DueStatus.DUE_TODAY, DueStatus.DUE_SOON) for status in statuses)
        rows.append({
            "review_id": review.id,
            "reference": review.reference,
            "title": f"{review.reference} \u2014 {review.review_name} ({review.board_name})",
            "summary": f"{review.stage.label}. {overdue} overdue, {soon} due soon.",
            "colour": "Attention" if overdue else ("Warning" if soon else "Good"),
        })
    return {"reviews": rows, "none": not rows}


def next_steps_data(review: Review, steps: Sequence[NextStep]) -> dict[str, Any]:
    return {
        "review_id": review.id,
        "title": f"What to do next on {review.reference}",
        "steps": [{"text": step.text, "paragraphs": step.paragraphs.text} for step in steps],
    }
