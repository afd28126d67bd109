"""Template data for the reminder, "what you owe" and agenda cards (and the agenda email).

Pure functions from domain objects to plain data. Reviews appear only by their reference, local
name and stage (8.1): never a person's name.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from bot.review import (
    DueStatus,
    ObligationStatus,
    Review,
    marked_by_hand,
    waiting_for_document,
    working_days_between,
)
from bot.review.frameworks import SCR_2016, catalogue
from bot.review.next_steps import BEING_SENT, Owed, owed_on
from bot.review.stages import stages_of
from views.dates import long_day, short_day
from views.status import RAG_COLOURS, RAG_LABELS, STATUS_LABELS, undated, with_status_word

SNOOZE_WORKING_DAYS = 2

def when_text(item: ObligationStatus, today: date) -> str:
    """When something is due, in words, relative to `today`."""
    due = item.due
    if item.status is DueStatus.OVERDUE:
        if due is None:
            return "Overdue: the step it had to come before has happened"
        late = working_days_between(due, today)
        days = f"{late} working day{'s' * (late != 1)}"
        return f"Overdue: was due {short_day(due)} ({days} ago)" if late > 0 else f"Overdue: was due {short_day(due)}"
    if item.status is DueStatus.DUE_TODAY:
        return "Due today"
    if due is not None:
        return f"Due by {short_day(due)}"
    return undated(item)


def reminder_card_data(review: Review, item: ObligationStatus, today: date) -> dict[str, Any]:
    rag = item.rag
    by_hand = marked_by_hand(review, item.obligation.id)
    paragraphs = item.paragraphs
    facts = [
        ("Review", f"{review.review_name} {review.reference}"),
        ("Stage", review.stage.label),
        ("Due", long_day(item.due) if item.due else "as soon as possible"),
        # Said as the headline says it: "Due today" is more than "Due soon".
        ("Status", STATUS_LABELS[item.status] if item.status is DueStatus.DUE_TODAY else RAG_LABELS[rag]),
    ]
    return {
        "heading": f"Reminder \u2014 {review.reference}",
        "title": item.obligation.title,
        "headline": with_status_word(rag, _headline(item, today)),
        "colour": RAG_COLOURS[rag],
        "facts": [{"title": title, "value": value} for title, value in facts],
        "why": f"Why: {paragraphs.text}",
        "why_titles": [{"text": title} for title in paragraphs.titles()],
        "snooze_title": f"Snooze {SNOOZE_WORKING_DAYS} working days",
        "review_id": review.id,
        "instance_id": item.instance_id,
        # An emailed duty is met when the bot's email goes, one an event meets when it is recorded,
        # never by hand: the review card shows the email's state (with Retry) and the event's button.
        "can_mark_done": by_hand,
        "open_style": "default" if by_hand else "positive",
        "done_hint": _done_hint(review, item),
    }


def _done_hint(review: Review, item: ObligationStatus) -> str:
    """How this duty gets done: by hand, by the bot's email, or by adding the copy its email waits for."""
    waiting = waiting_for_document(review)
    if waiting and waiting.instance_id == item.instance_id:
        return ("Its email waits for the document (a copy, not a notice: para 1.6, 1.7). Open the review and press "
                "Add the document to send.")
    if item.obligation.notifies:
        return "It is met when the bot's email is sent: open the review to see the email and retry it."
    if not marked_by_hand(review, item.obligation.id):
        return "It is met when you record it on the review card: open the review and record what happened."
    return "Mark it done once it has happened: reminders about it then stop."


def _headline(item: ObligationStatus, today: date) -> str:
    """"Overdue: was due …", "Due today", "Due soon \u2014 due by …": the status once, never twice."""
    label, when = STATUS_LABELS[item.status], when_text(item, today)
    return when if when.startswith(label) else f"{label} \u2014 {when[:1].lower()}{when[1:]}"


def reminder_summary(review: Review, item: ObligationStatus) -> str:
    """The notification text Teams shows for the card (no names: the reference only)."""
    return f"{STATUS_LABELS[item.status]}: {item.obligation.title} on review {review.reference}"


def _item_row(item: ObligationStatus, today: date, snoozed_until: date | None = None) -> dict[str, str]:
    when = when_text(item, today)
    if snoozed_until:
        when += f" (reminders snoozed until {short_day(snoozed_until)})"
    return {
        "text": item.obligation.title,
        "when": with_status_word(item.rag, when),
        "colour": RAG_COLOURS[item.rag],
        "paragraphs": item.paragraphs.text,
    }


def _being_sent_row(item: ObligationStatus) -> dict[str, str]:
    return {"text": item.obligation.title, "when": BEING_SENT,
            "colour": "Good", "paragraphs": item.paragraphs.text}


def outstanding_card_data(
    owed: Sequence[tuple[Review, Owed]],
    today: date,
    *,
    digest: bool = False,
    snoozed: dict[tuple[str, str], date] | None = None,
) -> dict[str, Any]:
    """Everything owed across reviews, then what the bot is sending for them; `snoozed` maps
    (review id, instance id) to a snooze end."""
    snoozed = snoozed or {}
    reviews = [
        {
            "reference": review.reference,
            "review_name": review.review_name,
            "stage": review.stage.label,
            "review_id": review.id,
            "items": [_item_row(item, today, snoozed.get((review.id, item.instance_id))) for item in items.to_do]
            + [_being_sent_row(item) for item in items.being_sent],
        }
        for review, items in owed
        if items.to_do or items.being_sent
    ]
    count = sum(len(items.to_do) for _, items in owed)
    urgent = sum(
        1 for _, items in owed for item in items.to_do
        if item.status in (DueStatus.OVERDUE, DueStatus.DUE_TODAY, DueStatus.DUE_SOON)
    )
    sending = sum(len(items.being_sent) for _, items in owed)
    what = f"{count} item{'s' * (count != 1)} across {len(reviews)} review{'s' * (len(reviews) != 1)}"
    bots = f" {sending} being sent by the bot." if sending else ""
    return {
        "heading": f"Weekly summary \u2014 week of {long_day(today)}" if digest else f"As of {long_day(today)}",
        "title": "What you owe",
        "summary": (f"{what}; {urgent} overdue or due soon.{bots}" if reviews
                    else "Nothing is outstanding on your reviews."),
        "empty": not reviews,
        "reviews": reviews,
    }


def outstanding_summary(data: dict[str, Any]) -> str:
    return f"{data['title']}: {data['summary']}"


def agenda_card_data(
    reviews: Iterable[Review], today: date, due_soon_working_days: int, failed_emails: Collection[str], *,
    sent_to: Sequence[str] = (),
) -> dict[str, Any]:
    """Active reviews grouped by framework, then by stage in process order, with their overdue items
    (7.3.1, 7.3.2); an email the bot is still sending is not overdue work for anyone. The framework
    is named only when the reviews follow more than one."""
    active = [review for review in reviews if not review.stage.is_terminal]
    frameworks = sorted({review.framework for review in active}, key=lambda f: (f != SCR_2016, f))
    stages = []
    # A stage belongs to one framework (a review's stage is one of its pack's), in that pack's order.
    for stage in (stage for framework in frameworks for stage in stages_of(framework)):
        at_stage = sorted((r for r in active if r.stage == stage),
                          key=lambda r: r.reference)
        if not at_stage:
            continue
        rows = []
        for review in at_stage:
            items = owed_on(review, today, due_soon_working_days, failed_emails).to_do
            overdue = [item for item in items if item.status is DueStatus.OVERDUE]
            due_soon = [item for item in items if item.status in (DueStatus.DUE_TODAY, DueStatus.DUE_SOON)]
            rows.append({
                "reference": review.reference,
                "review_name": review.review_name,
                "areas": ", ".join(area.label for area in review.business_areas),
                "status": (f"{len(overdue)} overdue, {len(due_soon)} due soon" if overdue or due_soon
                           else "On track: nothing overdue"),
                "colour": "attention" if overdue else ("warning" if due_soon else "good"),
                "overdue": [_item_row(item, today) for item in overdue],
            })
        named = f"{at_stage[0].pack.name} \u2014 " if len(frameworks) > 1 else ""
        stages.append({"label": named + stage.label, "reviews": rows})
    count = len(active)
    return {
        "heading": f"Standing agenda item \u2014 {long_day(today)}",
        "title": ("Case reviews: active reviews by framework and stage" if len(frameworks) > 1
                  else f"{catalogue().pack(frameworks[0] if frameworks else SCR_2016).name}s: active reviews by stage"),
        "intro": (
            "For the SCS Children's Leads and Safeguarding Co-ordinators meetings, where every review the "
            "Home Office is involved in is a standing item (para 7.3.1, 7.3.2). Reviews are shown by "
            "reference only (para 8.1)."
        ),
        "summary": f"{count} active review{'s' * (count != 1)}." if count else "No active reviews.",
        "empty": not count,
        "stages": stages,
        "sent": bool(sent_to),
        "sent_to": ", ".join(sent_to),
        "can_email": bool(count) and not sent_to,
    }
