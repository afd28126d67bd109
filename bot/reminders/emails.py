"""The emails reminders produce: an escalation to the SCS lead, and the standing agenda item.

Both go through the durable outbox (`MailQueue.enqueue`) with the framework's name ("Serious
Case Review") in the subject (1.8) and the review known only by its reference (8.1). Their keys start with
`MAIL_KEY_PREFIX`, never with a review id.
"""

import asyncio
import hashlib
import html
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import Any

from bot.mail.message import OutgoingEmail
from bot.mail.queue import FAILED, MailQueue
from bot.review import (
    AddressBook,
    ObligationStatus,
    Review,
    ReviewSettings,
    escalation_key,
    working_days_between,
)
from bot.review.date_words import long_date, long_day
from bot.review.kinds import with_article
from bot.review.notifications import subject_line
from views.reminders import agenda_card_data

from .ledger import ReminderLedger
from .policy import MAIL_KEY_PREFIX

_CARE = ("This email identifies reviews only by their reference. Do not add names or other details of "
         "the child or family when replying (para 8.1).")


def escalation_email(
    review: Review, items: Sequence[ObligationStatus], today: date, address_book: AddressBook,
    settings: ReviewSettings,
) -> OutgoingEmail:
    """To the SCS lead of each business area involved: they answer for the review with the
    representative (7.3.3) and must be kept aware of key developments (1.4). Every duty of the review
    overdue enough in one sweep goes in one email, most urgent first, so no inbox gets one each."""
    to = tuple(dict.fromkeys(address_book.areas[area].scs_lead for area in review.business_areas))
    count = len(items)
    duties = "An obligation" if count == 1 else f"{count} obligations"
    verb = "is" if count == 1 else "are"
    happened = (f"{duties} on {with_article(review.review_name)} the Home Office is involved in {verb} overdue, so "
                "escalated to you as the SCS lead for the business area involved.")
    ask = ("Please check with the Home Office representative on the panel that "
           f"{'it is' if count == 1 else 'they are'} in hand. Recommendations to the Home Office are owned by the "
           "panel representative and their SCS (para 7.3.3).")
    facts = [("Review reference", review.reference), ("Stage", review.stage.label)]
    overdue = [_overdue_line(item, today) for item in items]
    text = "\n\n".join([happened, f"What we ask of you: {ask}",
                        "\n".join(f"{label}: {value}" for label, value in facts),
                        "\n".join(["Overdue:", *(f"- {line}" for line in overdue)]), _CARE])
    e = html.escape
    rows = "".join(f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in facts)
    listed = "".join(f"<li>{e(line)}</li>" for line in overdue)
    body = (f"<p>{e(happened)}</p><p><strong>What we ask of you:</strong> {e(ask)}</p>"
            f"<table>{rows}</table><p><strong>Overdue:</strong></p><ul>{listed}</ul><p>{e(_CARE)}</p>")
    what = f"overdue: {items[0].obligation.title}" if count == 1 else f"{count} obligations overdue"
    # Keyed by its most urgent duty, escalated only now (the ledger never escalates a duty twice).
    key = escalation_key(review.id, items[0].instance_id)
    return OutgoingEmail(key=key, to=to, subject=subject_line(settings.marking, review, what), text=text, html=body)


def _overdue_line(item: ObligationStatus, today: date) -> str:
    """"Secure all available case records …: due Wed 4 Nov 2026, 3 working days ago (para 1.3, 5.2)"."""
    late = working_days_between(item.due, today) if item.due else 0
    when = (f"due {long_day(item.due)}, {late} working day{'s' * (late != 1)} ago" if item.due
            else "due before the step it had to precede")
    return f"{item.obligation.title}: {when} ({item.obligation.paragraphs.text})"


def agenda_subject(settings: ReviewSettings, today: date) -> str:
    """"OFFICIAL-SENSITIVE – Serious Case Review – agenda – 24 November 2026"."""
    return f"{settings.marking} \u2013 Serious Case Review \u2013 agenda \u2013 {long_date(today)}"


def agenda_text(data: dict[str, Any]) -> str:
    lines = [data["title"], data["heading"], "", data["intro"], "", data["summary"]]
    for stage in data["stages"]:
        lines += ["", stage["label"]]
        for review in stage["reviews"]:
            lines.append(f"- {review['review_name']} {review['reference']} ({review['areas']}): {review['status']}")
            lines += [f"    - {item['text']}: {item['when']} ({item['paragraphs']})" for item in review["overdue"]]
    return "\n".join([*lines, "", _CARE])


def agenda_html(data: dict[str, Any]) -> str:
    e = html.escape
    parts = [f"<h1>{e(data['title'])}</h1>", f"<p>{e(data['heading'])}</p>", f"<p>{e(data['intro'])}</p>",
             f"<p><strong>{e(data['summary'])}</strong></p>"]
    for stage in data["stages"]:
        parts.append(f"<h2>{e(stage['label'])}</h2><ul>")
        for review in stage["reviews"]:
            overdue = "".join(f"<li>{e(item['text'])}: {e(item['when'])} ({e(item['paragraphs'])})</li>"
                              for item in review["overdue"])
            parts.append(f"<li>{e(review['review_name'])} {e(review['reference'])} ({e(review['areas'])}): "
                         f"{e(review['status'])}{f'<ul>{overdue}</ul>' if overdue else ''}</li>")
        parts.append("</ul>")
    parts.append(f"<p>{e(_CARE)}</p>")
    return "".join(parts)


def agenda_emails(
    reviews: Sequence[Review], today: date, address_book: AddressBook, settings: ReviewSettings,
    due_soon_working_days: int, failed_emails: Collection[str],
) -> list[OutgoingEmail]:
    """One email per SCS Children's Lead, listing only the active reviews involving their area(s).
    The key holds the day and a digest of the content: pressing the button twice sends once, and
    an agenda that changed during the day goes again."""
    active = [review for review in reviews if not review.stage.is_terminal]
    by_lead: dict[str, list[Review]] = {}
    for review in active:
        for area in review.business_areas:
            lead = address_book.areas[area].scs_childrens_lead
            theirs = by_lead.setdefault(lead, [])
            if all(other.id != review.id for other in theirs):
                theirs.append(review)
    emails = []
    for lead, theirs in sorted(by_lead.items()):
        data = agenda_card_data(theirs, today, due_soon_working_days, failed_emails)
        text = agenda_text(data)
        digest = hashlib.sha256(f"{lead}\n{text}".encode()).hexdigest()[:16]
        emails.append(OutgoingEmail(
            key=f"{MAIL_KEY_PREFIX}agenda:{today.isoformat()}:{digest}", to=(lead,),
            subject=agenda_subject(settings, today), text=text, html=agenda_html(data),
        ))
    return emails


class ReminderMail:
    """The reminders' own emails into the durable outbox: escalations to SCS leads and the agenda
    for SCS Children's Leads. They serve no single review, so they are queued here rather than
    through the ReviewService; `wake_mail` (the mail worker's `wake`) sends them without waiting
    for the worker's next poll."""

    def __init__(self, mail: MailQueue, address_book: AddressBook, settings: ReviewSettings,
                 wake_mail: Callable[[], None] = lambda: None) -> None:
        self._mail = mail
        self._address_book = address_book
        self._settings = settings
        self._wake_mail = wake_mail

    async def escalate_once(self, ledger: ReminderLedger, review: Review, items: Sequence[ObligationStatus],
                            today: date, now: datetime) -> str | None:
        """One email for those of `items` not escalated before (the ledger says), queued with their
        marks in one transaction (in a thread: a store write); its key, or None if every one went before."""
        if not items:
            return None
        key = await asyncio.to_thread(self._queue_escalation, ledger, review, items, today, now)
        if key is not None:
            self._wake_mail()  # on the loop: the worker's wake-up is not for other threads
        return key

    def _queue_escalation(self, ledger: ReminderLedger, review: Review, items: Sequence[ObligationStatus],
                          today: date, now: datetime) -> str | None:
        by_key = {escalation_key(review.id, item.instance_id): item for item in items}
        queued: list[str] = []

        def queue(new: Sequence[str]) -> None:
            email = escalation_email(review, [by_key[key] for key in new], today, self._address_book, self._settings)
            self._mail.enqueue(email)
            queued.append(email.key)

        return queued[0] if ledger.once_each(list(by_key), now, queue) else None

    async def send_agenda(self, reviews: Sequence[Review], today: date, due_soon_working_days: int,
                          failed_emails: Collection[str]) -> list[str]:
        """Who it was queued to. The same agenda asked for again the same day is the same email, sent
        once; if sending it failed, asking again is how it is retried."""
        emails = agenda_emails(reviews, today, self._address_book, self._settings, due_soon_working_days,
                               failed_emails)
        for email in emails:
            await asyncio.to_thread(self._queue_or_retry, email)
        if emails:
            self._wake_mail()
        return [address for email in emails for address in email.to]

    def _queue_or_retry(self, email: OutgoingEmail) -> None:
        if self._mail.enqueue(email).state == FAILED:
            self._mail.retry(email.key)
