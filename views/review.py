"""The review card and the list of a user's reviews."""

import re
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, Protocol

from bot.mail.queue import FAILED, SENDING, SENT, OutboxItem
from bot.review import DueStatus, EventType, NextStep, ObligationState, Review, marked_by_hand
from bot.review.model import HistoryEntry
from bot.review.next_steps import BEING_SENT, Owed, owed_on
from bot.review.obligations import missed, obligation_of
from views.dates import short_day, uk_time
from views.opening import EventTitles, review_facts
from views.status import RAG_COLOURS, STATUS_LABELS, undated, with_status_word


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
            "text": status.obligation.title,
            "due": with_status_word(status.rag, f"{STATUS_LABELS[status.status]} \u2014 due {short_day(status.due)}"
                                    if status.due else undated(status)),
            "colour": RAG_COLOURS[status.rag],
            "paragraphs": status.paragraphs.text,
        }
        for status in owed.to_do
    ] + [
        {"instance_id": status.instance_id, "text": status.obligation.title,
         "due": BEING_SENT, "colour": "Good", "paragraphs": status.paragraphs.text}
        for status in owed.being_sent
    ]


def missed_rows(review: Review, titles: EventTitles) -> list[dict[str, str]]:
    """Duties missed: the step they had to come before happened first. Shown open on the card as a
    warning, never folded away as "no longer required"."""
    rows = []
    for record in review.obligations:
        if missed(review, record):
            obligation = obligation_of(review, record.obligation_id)
            ended = review.history[record.lapsed_by - 1]
            what = titles.get(ended.action, ended.action.label)
            rows.append({"text": f"Not done in time: {obligation.title}",
                         "why": f"{what} ({short_day(ended.on)}) came first, though it had to come before it "
                                f"({obligation.paragraphs.text}). It can no longer be done in time: tell your SCS "
                                "lead, and the panel if it matters to the review."})
    return rows


def lapsed_rows(review: Review, titles: EventTitles) -> list[dict[str, str]]:
    """Duties that ended without being done, each with the event that ended it: kept in view so a
    lapse is never mistaken for a duty met (a missed one is shown apart, as a warning)."""
    rows = []
    for record in review.obligations:
        if record.state is ObligationState.LAPSED and not missed(review, record):
            ended = review.history[record.lapsed_by - 1] if record.lapsed_by else None
            # The milestone's name reads as a reason; the board's decision says which it was.
            named = ended and ended.action in titles and ended.action is not EventType.BOARD_DECISION
            what = (titles[ended.action] if named else ended.detail) if ended else ""
            why = f"{what} ({short_day(ended.on)})" if ended else "the review ended"
            title = obligation_of(review, record.obligation_id).title
            rows.append({"text": title, "why": f"No longer required: {why}."})
    return rows


def _told_apart(review: Review, rows: list[dict[str, str]]) -> None:
    """Rows of the same duty (one for each lesson identified, say) numbered in the order they arose,
    "(no. 3)", so each can be told from the others, and chosen."""
    seen: dict[str, int] = {}
    number = {}
    for record in review.obligations:
        seen[record.obligation_id] = number[record.instance_id] = seen.get(record.obligation_id, 0) + 1
    titles = [row["text"] for row in rows]
    for row in rows:
        if titles.count(row["text"]) > 1 and row["instance_id"] in number:
            row["text"] += f" (no. {number[row['instance_id']]})"


def _page_of(rows: list[dict[str, Any]], page: int) -> tuple[list[dict[str, Any]], int, int]:
    """The rows of one page (SHOWN_AT_ONCE of them), that page's number and the number of pages."""
    pages = max(1, -(-len(rows) // SHOWN_AT_ONCE))
    page = min(max(page, 1), pages)
    return rows[(page - 1) * SHOWN_AT_ONCE:page * SHOWN_AT_ONCE], page, pages


def review_card_data(review: Review, emails: list[OutboxItem], today: date, due_soon: int,
                     offered: Sequence[EventChoice], titles: EventTitles, page: int = 1) -> dict[str, Any]:
    """`offered`: the events that can be recorded now, the forward one first. The to-do list (and
    what can be marked done from it) is shown a page at a time, so the card stays under Teams'
    28 KB however many duties are open."""
    primary, others = (offered[0], offered[1:]) if offered else (None, [])
    representative = review.representative.member.email if review.representative else "not recorded yet"
    failed = {item.key for item in emails if item.state == FAILED}
    owed = owed_on(review, today, due_soon, failed)
    every_row = outstanding_rows(owed)
    _told_apart(review, every_row)
    obligations, page, pages = _page_of(every_row, page)
    # Only the person's own to-do that the bot cannot see being done can be marked done: an emailed
    # duty is met when its email goes (a failed one has Retry beside the email), one an event meets
    # when that event is recorded. Each choice says when it is due.
    by_hand = {status.instance_id for status in owed.to_do if marked_by_hand(review, status.obligation.id)}
    done_choices = [{"instance_id": row["instance_id"], "text": f"{row['text']} \u2014 {row['due']}"}
                    for row in obligations if row["instance_id"] in by_hand]
    lapsed = lapsed_rows(review, titles)
    missed_duties = missed_rows(review, titles)
    first = (page - 1) * SHOWN_AT_ONCE + 1
    headline = [{"title": "Stage", "value": review.stage.label}, {"title": "Representative", "value": representative}]
    # The most urgent obligation shows; the rest unfold under it (rows come most urgent first).
    for number, row in enumerate(obligations):
        row.update(row_id=f"obligation-{number}", visible=number == 0)
    latest = emails[-SHOWN_AT_ONCE:]
    return {
        "review_id": review.id,
        "title": f"{review.reference} \u2014 {review.review_name}",
        "headline_facts": headline,
        "facts": [*review_facts(review, titles), *headline],
        "outstanding": obligations,
        "outstanding_heading": (f"To do ({len(every_row)})" if pages == 1 else
                                f"To do ({len(every_row)}): {first} to {first + len(obligations) - 1} shown")
                               if obligations else "To do",
        "paged": pages > 1,
        "has_later_page": page < pages,
        "later_page": page + 1,
        "later_page_title": f"Next {min(SHOWN_AT_ONCE, len(every_row) - page * SHOWN_AT_ONCE)} to do",
        "has_earlier_page": page > 1,
        "earlier_page": page - 1,
        "has_more_outstanding": len(obligations) > 1,
        "more_outstanding": f"{len(obligations) - 1} more to do",
        "more_outstanding_ids": [row["row_id"] for row in obligations[1:]],
        "nothing_outstanding": not obligations,
        "can_mark_done": bool(done_choices),
        "done_choices": done_choices,
        "lapsed": lapsed[-SHOWN_AT_ONCE:],
        "missed": missed_duties,
        "has_missed": bool(missed_duties),
        "has_lapsed": bool(lapsed),
        "lapsed_paged": (f"The latest {SHOWN_AT_ONCE} of {len(lapsed)}. Export the history for all of them."
                         if len(lapsed) > SHOWN_AT_ONCE else ""),
        "emails": [_email_row(item) for item in latest],
        "emails_heading": f"Emails ({len(emails)})",
        "emails_paged": (f"The latest {len(latest)} of {len(emails)} emails. Export the history for all of them."
                         if len(emails) > len(latest) else ""),
        "no_emails": not emails,
        **history_data(review, titles),
        "has_next": primary is not None,
        "next": {"button": primary.button, "event": primary.type.value} if primary else {},
        "other_groups": button_groups([{"button": spec.button, "event": spec.type.value} for spec in others]),
        "has_others": bool(others),
        "needs_representative": review.representative is None and not review.stage.is_terminal,
    }


# A card stays well under Teams' 28 KB however long a review runs: lists show the latest few, and
# the history export (a file) holds everything.
SHOWN_AT_ONCE = 10


def history_data(review: Review, titles: EventTitles) -> dict[str, Any]:
    """The latest entries of the review's history, newest first, with who did it left out (names
    stay off cards; the export says who)."""
    latest = review.history[-SHOWN_AT_ONCE:][::-1]
    count = len(review.history)
    return {
        "history_heading": (f"History: the latest {len(latest)} of {count} entries (Export the history for all)"
                            if count > len(latest) else "History"),
        "history": [{"text": f"{short_day(entry.on)} \u2014 {_history_line(entry, titles)}"} for entry in latest],
    }


# A person's id, which the stored history keeps for the audit trail (and the export shows), means
# nothing to a reader of the card: "Member added (aad:…)" reads "Member added".
_PERSON_ID = re.compile(r" ?\((?:aad|local):[^)]*\)")


def _readable(detail: str) -> str:
    return _PERSON_ID.sub("", detail)


def _history_line(entry: HistoryEntry, titles: EventTitles) -> str:
    """The event's title and what was recorded, said once when the record already begins with it."""
    detail, title = _readable(entry.detail), titles.get(entry.action)
    if not title or not detail:
        return title or detail
    return detail if detail.lower().startswith(title.lower()) else f"{title}: {detail}"


# Teams shows at most six buttons in one action set (its host config's maxActions).
BUTTONS_PER_ROW = 6


def button_groups(buttons: list[dict[str, str]]) -> list[dict[str, list[dict[str, str]]]]:
    return [{"buttons": buttons[start:start + BUTTONS_PER_ROW]} for start in range(0, len(buttons), BUTTONS_PER_ROW)]


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
            "summary": f"{review.stage.label}. " + (f"{overdue} overdue, {soon} due soon." if overdue or soon
                                                     else "On track: nothing overdue or due soon."),
            "colour": "Attention" if overdue else ("Warning" if soon else "Good"),
        })
    return {"reviews": rows, "none": not rows}


def next_steps_data(review: Review, steps: Sequence[NextStep]) -> dict[str, Any]:
    return {
        "review_id": review.id,
        "title": f"What to do next on {review.reference}",
        "steps": [{"text": step.text, "paragraphs": step.paragraphs.text} for step in steps],
    }
