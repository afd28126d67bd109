"""The emails the guidance requires (O1, O4, O6, O8, O10), built as plain data for the outbox.

Every subject names the review's framework ("Serious Case Review" under the source guidance)
whatever the local name (1.8), after the protective marking. Bodies say what happened, what the
recipient is asked to do and the paragraph behind it, and identify the review only by its
reference and board (8.1): never a child's or family's name.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass

from .address_book import AddressBook
from .documents import DocumentCopy
from .kinds import ReviewKind, with_article
from .model import Review
from .obligations import Obligation, obligation_of
from .paragraphs import Citation, cite
from .settings import ReviewSettings
from .stages import EventType


@dataclass(frozen=True)
class Notification:
    # "{review_id}:{obligation_id}:{event_seq}" – the same recorded event always gives the same key,
    # so the outbox can send at most once even if a dialog step is retried.
    key: str
    review_id: str
    obligation_id: str
    instance_id: str
    event: EventType
    recipients: tuple[str, ...]
    subject: str
    body_text: str
    body_html: str
    paragraphs: Citation
    # The copy the email carries (attached, or as a link), if any.
    document: DocumentCopy | None = None
    # The representative's work email, so recipients can reply to them (the bot's mailbox is not read).
    reply_to: tuple[str, ...] = ()


def notification_key(review_id: str, obligation_id: str, event_seq: int) -> str:
    return f"{review_id}:{obligation_id}:{event_seq}"


def review_id_of(key: str) -> str | None:
    """The review a notification key belongs to, or None for a key that is not a review's
    notification (the reminders' escalation and agenda emails have keys of their own)."""
    review_id, _, rest = key.partition(":")
    try:
        uuid.UUID(review_id)
    except ValueError:
        return None
    return review_id if rest.count(":") == 1 else None


# The escalation of a review's overdue duty to the SCS lead (7.3.3) is not one of the review's own
# notifications, yet it is about that review: its members are told if it fails, and may retry it.
_ESCALATION_PREFIX = "reminders:escalation:"


def escalation_key(review_id: str, instance_id: str) -> str:
    return f"{_ESCALATION_PREFIX}{review_id}:{instance_id}"


def review_concerned(key: str) -> str | None:
    """The review an email is about: one of its notifications, or an escalation of one of its
    duties; None for an email about no single review (the agenda)."""
    if key.startswith(_ESCALATION_PREFIX):
        review_id, _, instance_id = key.removeprefix(_ESCALATION_PREFIX).partition(":")
        return review_id if escalation_key(review_id, instance_id) == key and instance_id else None
    return review_id_of(key)


@dataclass(frozen=True)
class Email:
    """The email an event sends, for the obligation whose duty it is (``obligation``). Its words are
    templates: ``{review_name}`` (the review's local name), ``{reply}`` (who to reply to), ``{psu}``
    (the paragraphs for why PSU writes the IMR on this kind of review)."""

    obligation: str
    phrase: str  # subject suffix
    happened: str
    ask: str
    copy_of: str | None = None  # what the document is, when the email carries one
    # What its copy's file is called after the review's reference ("<reference> IMR.pdf"), never the
    # name the file came with (8.1).
    file_name: str = "document"
    extra: Citation | None = None
    # The email says who writes the IMR for this kind of review: it cites that, and the kind's paragraphs.
    about_kind: bool = False


# Why PSU writes the Home Office IMR: 1.3 and 5.1 for a statutory review (and an audit, which
# 6.2–6.3 do not cover); 6.2–6.3 for an Independent (inter-agency) Management Review.
_PSU_WRITES_IMR = {
    ReviewKind.STATUTORY: ("1.3", "5.1"),
    ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW: ("6.2", "6.3"),
    ReviewKind.SMALLER_SCALE_AUDIT: ("1.3", "5.1"),
}


def _fill(template: str, review: Review) -> str:
    rep = review.representative.member.email if review.representative else None
    return template.format(
        review_name=review.review_name,
        a_review_name=with_article(review.review_name),
        reply=f"the Home Office representative ({rep})" if rep else "the Home Office representative",
        psu=", ".join(_PSU_WRITES_IMR[review.kind]),
    )


def normalise_recipients(emails: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Lower-cased, de-duplicated, first-seen order: the SCS lead who is also the Children's Lead
    gets one email (1.1 "if different")."""
    return tuple(dict.fromkeys(email.strip().lower() for email in emails))


def recipients_for(
    obligation: Obligation, review: Review, address_book: AddressBook, referenced: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Resolve the obligation's role keys to emails for the business areas of this review."""
    roles = obligation.recipients
    if obligation.id == "O6" and address_book.copy_imr_to_scs_leads:
        roles += ("scs_lead", "scs_childrens_lead")
    emails: list[str] = []
    for role in roles:
        if role in ("scs_lead", "scs_childrens_lead"):
            emails += [getattr(address_book.areas[area], role) for area in review.business_areas]
        elif role == "referenced_areas":
            emails += referenced
        else:
            emails.append(getattr(address_book, role))
    return normalise_recipients(emails)


def subject_line(marking: str, review: Review, phrase: str) -> str:
    """"OFFICIAL-SENSITIVE – Serious Case Review – LSCB/2026/001 – review opened": the name of the
    review's framework after the marking, whatever the local name (1.8; the organisation policy)."""
    return f"{marking} – {review.pack.name} – {review.reference} – {phrase}"


def build_notification(
    review: Review,
    email: Email,
    instance_id: str,
    event: EventType,
    event_seq: int,
    recipients: tuple[str, ...],
    settings: ReviewSettings,
    document: DocumentCopy | None = None,
) -> Notification:
    """The email ``email`` for this review; ``event`` is the one whose words it uses."""
    obligation_id = email.obligation
    obligation = obligation_of(review, obligation_id)
    happened, ask = _fill(email.happened, review), _fill(email.ask, review)
    citation = obligation.paragraphs + cite("1.8")
    if email.about_kind:
        citation += cite(*_PSU_WRITES_IMR[review.kind])
    if email.extra:
        citation += email.extra
    if email.about_kind:
        citation += review.kind.paragraphs
    areas = ", ".join(area.label for area in review.business_areas)
    facts = [
        ("Review reference", review.reference),
        ("Review", f"{review.review_name} ({review.nation.label})"),
        ("Board", f"{review.board_name} – {review.board_kind}"),
        ("Home Office business areas involved", areas),
    ]
    if document and email.copy_of:
        # What the copy is; the email itself lists the file it carries, or the link, from what it
        # really carries (bot.mail.message), so no body can claim a document that is not there.
        facts.append(("Copy of", email.copy_of))
    why = f"{obligation.title} ({obligation.paragraphs.text})."
    care = (
        "This email identifies the review only by its reference. Do not add names or other details of "
        "the child or family when replying (8.1)."
    )
    text = "\n\n".join(
        [
            happened,
            f"What we ask of you: {ask}",
            f"Why: {why}",
            "\n".join(f"{label}: {value}" for label, value in facts),
            care,
        ]
    )
    e = html.escape
    rows = "".join(f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in facts)
    body_html = (
        f"<p>{e(happened)}</p>"
        f"<p><strong>What we ask of you:</strong> {e(ask)}</p>"
        f"<p><strong>Why:</strong> {e(why)}</p>"
        f"<table>{rows}</table>"
        f"<p>{e(care)}</p>"
    )
    return Notification(
        key=notification_key(review.id, obligation_id, event_seq),
        review_id=review.id,
        obligation_id=obligation_id,
        instance_id=instance_id,
        event=event,
        recipients=recipients,
        subject=subject_line(settings.marking, review, email.phrase),
        body_text=text,
        body_html=body_html,
        paragraphs=citation,
        document=document if email.copy_of else None,
        reply_to=(review.representative.member.email,) if review.representative else (),
    )

