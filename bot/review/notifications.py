"""The emails the guidance requires (O1, O4, O6, O8, O10), built as plain data for the outbox.

Every subject says "Serious Case Review" whatever the local name (1.8), after the protective
marking. Bodies say what happened, what the recipient is asked to do and the paragraph behind it,
and identify the review only by its reference and board (8.1): never a child's or family's name.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass

from .address_book import AddressBook
from .documents import DocumentCopy
from .kinds import ReviewKind
from .model import Review
from .obligations import OBLIGATIONS, Obligation
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
class _Wording:
    phrase: str  # subject suffix
    happened: str
    ask: str
    copy_of: str | None = None  # what the document is, when the email carries one
    extra: Citation | None = None


# Why PSU writes the Home Office IMR: 1.3 and 5.1 for a statutory review (and an audit, which
# 6.2–6.3 do not cover); 6.2–6.3 for an Independent (inter-agency) Management Review.
_PSU_WRITES_IMR = {
    ReviewKind.STATUTORY: ("1.3", "5.1"),
    ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW: ("6.2", "6.3"),
    ReviewKind.SMALLER_SCALE_AUDIT: ("1.3", "5.1"),
}


def _wording(event: EventType, review: Review) -> _Wording:
    """Each email's words, by the event that sends it."""
    name = review.review_name
    psu = _PSU_WRITES_IMR[review.kind]
    rep = review.representative.member.email if review.representative else None
    reply = f"the Home Office representative ({rep})" if rep else "the Home Office representative"
    leads_note = (
        "note the review; recommendations to the Home Office will be owned by the panel representative and their "
        "SCS (7.3.3), and the review is now a standing item for SCS Children's Leads and Safeguarding "
        "Co-ordinators meetings (7.3.1, 7.3.2)."
    )
    return {
        EventType.REVIEW_OPENED: _Wording(
            "review opened",
            f"The Home Office is involved in a {name} that is beginning.",
            f"SCS lead and SCS Children's Lead: {leads_note} "
            "PSU: please secure all available case records and begin a chronology of Home Office "
            f"involvement; PSU will write the IMR ({', '.join(psu)}). "
            "OCC: please add the review to your records (7.4.2).",
            extra=cite(*psu, "7.3.1", "7.3.2", "7.3.3", "7.4.2") + review.kind.paragraphs,
        ),
        EventType.BUSINESS_AREAS_ADDED: _Wording(
            "business area now involved",
            f"Your business area has been found to be involved in a {name} the Home Office is already taking "
            "part in. PSU and the OCC were told when it began.",
            f"SCS lead and SCS Children's Lead: {leads_note}",
            extra=cite("7.3.1", "7.3.2", "7.3.3"),
        ),
        EventType.BUSINESS_AREAS_CONSULTED: _Wording(
            "consultation on the IMR",
            f"Your business area is referred to in the Individual Management Review (IMR) being prepared "
            f"by PSU for this {name}.",
            f"Please reply to {reply} with your comments before the IMR is submitted.",
        ),
        EventType.IMR_COMPLETED: _Wording(
            "IMR completed",
            f"The Individual Management Review (IMR) for this {name} is complete.",
            "Investigations North – Lessons Learned Team: please monitor the changes it identifies and "
            "communicate progress. SCS leads (if copied): for information.",
            copy_of="a copy of the completed IMR",
        ),
        EventType.ACTION_PLAN_AGREED: _Wording(
            "action plan agreed",
            f"The panel has agreed the action plan for this {name}, and it names your business area.",
            f"Please note the recommendations for your area now. Actions will be recorded as complete only "
            f"after you confirm them with {reply} (7.3.7, 9.1).",
            copy_of="the action plan and the board's recommendations for your business area",
            extra=cite("9.1"),
        ),
        EventType.PUBLISHED: _Wording(
            "overview report published",
            f"The overview report and executive summary of this {name} have been published.",
            "Please keep this copy: the OCC holds copies of completed reviews for colleagues "
            "new to them (7.4.1).",
            copy_of="the published overview report and executive summary",
            extra=cite("7.4.1"),
        ),
    }[event]


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


def subject_line(marking: str, reference: str, phrase: str) -> str:
    return f"{marking} – Serious Case Review – {reference} – {phrase}"


def build_notification(
    review: Review,
    obligation_id: str,
    instance_id: str,
    event: EventType,
    event_seq: int,
    recipients: tuple[str, ...],
    settings: ReviewSettings,
    document: DocumentCopy | None = None,
) -> Notification:
    obligation = OBLIGATIONS[obligation_id]
    wording = _wording(event, review)
    citation = obligation.paragraphs + cite("1.8")
    if wording.extra:
        citation += wording.extra
    areas = ", ".join(area.label for area in review.business_areas)
    facts = [
        ("Review reference", review.reference),
        ("Review", f"{review.review_name} ({review.nation.label})"),
        ("Board", f"{review.board_name} – {review.nation.board_name}"),
        ("Home Office business areas involved", areas),
    ]
    if document and wording.copy_of:
        # What the copy is; the email itself lists the file it carries, or the link, from what it
        # really carries (bot.mail.message), so no body can claim a document that is not there.
        facts.append(("Copy of", wording.copy_of))
    why = f"{obligation.title} ({obligation.paragraphs.text})."
    care = (
        "This email identifies the review only by its reference. Do not add names or other details of "
        "the child or family when replying (8.1)."
    )
    text = "\n\n".join(
        [
            wording.happened,
            f"What we ask of you: {wording.ask}",
            f"Why: {why}",
            "\n".join(f"{label}: {value}" for label, value in facts),
            care,
        ]
    )
    e = html.escape
    rows = "".join(f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in facts)
    body_html = (
        f"<p>{e(wording.happened)}</p>"
        f"<p><strong>What we ask of you:</strong> {e(wording.ask)}</p>"
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
        subject=subject_line(settings.marking, review.reference, wording.phrase),
        body_text=text,
        body_html=body_html,
        paragraphs=citation,
        document=document if wording.copy_of else None,
        reply_to=(review.representative.member.email,) if review.representative else (),
    )

