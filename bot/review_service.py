"""The application boundary: the only way from conversations and background work to the review
domain and the data. Each use case takes the person acting and checks they are on the review
(nobody sees or changes a review they are not on); the store, the outbox, the address book, the
clock and the settings stay private.

A decision of the domain becomes durable here: the changed review and the emails it requires are
written in one store transaction, so neither can exist without the other — an event is never
recorded with its notifications lost, nor an email queued for an event that was not recorded.
Store work runs off the event loop (`_off_loop`), so a slow disk never stalls other turns.
"""

import asyncio
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from bot.documents import DocumentError, DocumentRef, DocumentStore
from bot.documents.kinds import document_type
from bot.mail.message import Link, OutgoingEmail
from bot.mail.queue import MailQueue, OutboxItem
from bot.review import (
    AddressBook,
    DocumentCopy,
    DocumentDeleted,
    Event,
    EventResult,
    NextStep,
    Notification,
    NotificationSent,
    ObligationDone,
    Review,
    ReviewSettings,
    next_steps,
    record_event,
    review_concerned,
    review_id_of,
)
from bot.review.events import HistoryExported
from bot.review.export import export_content, export_file_name
from bot.review.opening import OpeningPlan, OpeningRequest, plan_opening
from bot.review.people import SYSTEM
from bot.review.retention import ended_on, removable_from
from bot.review.working_days import uk_date
from bot.storage import Store
from bot.storage.presses import AlreadyRecorded, pressing
from bot.storage.reviews import DuplicateReview, ReviewNotFound, ReviewRepository

# The errors of the boundary, for the conversations to word: raised by the use cases below.
# `pressing` names the card press a turn acts on, consumed with the change it causes.
__all__ = ["AlreadyRecorded", "DuplicateReview", "ReviewNotFound", "ReviewService", "email_for", "pressing"]

log = logging.getLogger(__name__)
T = TypeVar("T")
# How long a document no email carries is kept (see sweep_documents).
DOCUMENTS_KEPT_UNUSED = timedelta(days=7)

def email_for(notification: Notification) -> OutgoingEmail:
    """The email for the outbox, carrying the copy the notification is for: the stored file as an
    attachment, or the link (1.6, 1.7); replies go to the representative."""
    document = notification.document
    attachments: tuple[DocumentRef, ...] = ()
    links: tuple[Link, ...] = ()
    if document and document.is_link:
        links = (Link(document.name, document.url or ""),)
    elif document:
        attachments = (DocumentRef(document.sha256 or "", document.name, document.content_type or "",
                                   document.size or 0),)
    return OutgoingEmail(
        key=notification.key,
        to=notification.recipients,
        subject=notification.subject,
        text=notification.body_text,
        html=notification.body_html,
        reply_to=notification.reply_to,
        attachments=attachments,
        links=links,
    )


@dataclass(frozen=True)
class ReviewExport:
    review_id: str
    reference: str
    file_name: str
    content: bytes


class ReviewService:
    def __init__(self, store: Store, mail: MailQueue, address_book: AddressBook,
                 settings: ReviewSettings, clock: Callable[[], datetime],
                 after_queueing: Callable[[], None] = lambda: None,
                 documents: DocumentStore | None = None) -> None:
        """`after_queueing` wakes the mail worker once the transaction holding new emails is committed;
        `documents` holds the copies sent from Teams until their emails have gone."""
        self._store = store
        self._after_queueing = after_queueing
        self._documents = documents
        self._reviews = ReviewRepository(store)
        self._mail = mail
        self._address_book = address_book
        self._settings = settings
        self._clock = clock

    # -- values the conversations word their cards with (no store) ------------------------------

    def today(self) -> date:
        return uk_date(self._clock())

    @property
    def review_settings(self) -> ReviewSettings:
        """The review settings (frozen values): periods, link hosts, the marking."""
        return self._settings

    @property
    def allowed_email_domains(self) -> tuple[str, ...]:
        """Where a representative's work email may be (the address book's domains)."""
        return tuple(self._address_book.allowed_domains)

    @property
    def document_limit_mb(self) -> int:
        return self._documents.max_bytes // (1024 * 1024) if self._documents else 0

    # -- use cases of a person: each checks they are on the review --------------------------------

    def plan_opening(self, user_id: str, request: OpeningRequest) -> OpeningPlan:
        """What opening would do, for the confirm card; nothing is stored."""
        return plan_opening(request, user_id=user_id, at=self._clock(), address_book=self._address_book,
                            settings=self._settings)

    async def open_review(self, user_id: str, request: OpeningRequest) -> OpeningPlan:
        """Planned again rather than kept from the preview: the time is now. Raises DuplicateReview,
        or the domain's ReviewRuleError / ValueError, storing nothing and sending nothing."""
        plan = self.plan_opening(user_id, request)
        await self._off_loop(self._open, plan)
        self._after_queueing()
        return plan

    async def already_has(self, user_id: str, reference: str, board_name: str) -> Review | None:
        """The review of this reference and board ``user_id`` is already on: it cannot be opened again."""
        return await self._off_loop(self._reviews.already_has, user_id, reference, board_name)

    async def reviews_for(self, user_id: str) -> list[Review]:
        return await self._off_loop(self._reviews.for_user, user_id)

    async def review(self, user_id: str, review_id: str) -> Review:
        """ReviewNotFound unless `user_id` is on it."""
        return await self._off_loop(self._reviews.get, review_id, user_id)

    async def review_with_emails(self, user_id: str, review_id: str) -> tuple[Review, list[OutboxItem]]:
        """The review and the state of every email it queued, for its card."""
        def read() -> tuple[Review, list[OutboxItem]]:
            with self._store.transaction():
                return self._reviews.get(review_id, user_id), self._mail.status_for_review(review_id)
        return await self._off_loop(read)

    async def next_steps(self, user_id: str, review_id: str) -> tuple[Review, list[NextStep]]:
        def read() -> tuple[Review, list[NextStep]]:
            review = self._reviews.get(review_id, user_id)
            return review, next_steps(review, self.today(), self._settings, self._failed_emails())
        return await self._off_loop(read)

    async def record(self, user_id: str, review_id: str, event: Event) -> EventResult:
        """Raises ReviewNotFound, or the domain's ReviewRuleError / ValueError, changing nothing."""
        result = await self._off_loop(self._record, user_id, review_id, event)
        if result.notifications:
            self._after_queueing()
        return result

    async def mark_done(self, user_id: str, review_id: str, instance_id: str) -> EventResult:
        """An obligation done by hand; the domain refuses one that is not open or not done by hand."""
        return await self.record(user_id, review_id, ObligationDone(instance_id=instance_id))

    async def export_review(self, user_id: str, review_id: str) -> ReviewExport:
        """The review's full record as a file for a member. Raises ReviewNotFound."""
        review = await self.review(user_id, review_id)
        now = self._clock()
        return ReviewExport(review.id, review.reference, export_file_name(review, now),
                            export_content(review, now, user_id))

    async def export_delivered(self, user_id: str, export: ReviewExport) -> None:
        """Records in the history (the audit trail) that `user_id` took the export away: once the
        file is theirs, so the history never claims an export that did not reach them."""
        await self.record(user_id, export.review_id, HistoryExported())

    async def retry_email(self, user_id: str, key: str) -> tuple[Review, OutboxItem]:
        """The review and the email's state after `user_id` asked for a retry. ReviewNotFound unless
        the email is about one of that person's reviews (its notification, or the escalation of its
        overdue duty); KeyError for a key the outbox does not hold."""
        def retry() -> tuple[Review, OutboxItem]:
            review = self._reviews.get(review_concerned(key) or "", user_id)
            return review, self._mail.retry(key)
        review, item = await self._off_loop(retry)
        self._after_queueing()
        return review, item

    async def receive_document(self, content: bytes, name: str) -> DocumentCopy:
        """Keep a document sent in Teams for the email that will carry it. ValueError, in words for the
        person, for an empty file, one too large, or one that is not a PDF, Word or ODT document."""
        if self._documents is None:
            raise ValueError("This bot is not set up to take documents: paste a link instead.")
        if not content:
            raise ValueError("That file is empty: send the document itself.")
        documents = self._documents
        try:
            ref = await self._off_loop(documents.put, content, name, document_type(content, name))
        except DocumentError as problem:
            raise ValueError(str(problem)) from None
        return DocumentCopy(ref.name, sha256=ref.sha256, size=ref.size, content_type=ref.content_type)

    # -- the bot's own work: reminders, the mail worker, housekeeping -----------------------------

    async def failed_emails(self) -> frozenset[str]:
        """Keys of the emails whose sending failed: what they serve is the person's to retry."""
        return await self._off_loop(self._failed_emails)

    async def reviews_now(self, review_ids: Collection[str]) -> tuple[dict[str, Review], frozenset[str]]:
        """Those of the reviews that still exist, by id, and the failed emails' keys, read in one
        transaction: the reminder loop's second look before it posts what it claimed."""
        def read() -> tuple[dict[str, Review], frozenset[str]]:
            with self._store.transaction():
                return self._reviews.system_get_all(review_ids), self._failed_emails()
        return await self._off_loop(read)

    async def all_reviews(self) -> list[Review]:
        """Every review, for the reminder loop (which tells each person only about their own)."""
        return await self._off_loop(self._reviews.all_reviews)

    async def review_of_email(self, review_id: str) -> Review | None:
        """The review an email serves, read as the system (the mail worker's failure notice); None
        once it has gone."""
        try:
            return await self._off_loop(self._reviews.system_get, review_id)
        except ReviewNotFound:
            return None

    async def email_sent(self, item: OutboxItem) -> None:
        """The mail worker delivered `item`: the obligation it served is now met, and a document no
        other unsent email carries is deleted (the bot's data care), which the review's history records.
        Emails that serve no single review (the reminders' escalations and agendas) record nothing."""
        await self._off_loop(self._email_sent, item)

    async def upgrade_stored(self) -> int:
        """Rows an older release wrote, brought up to date before the first turn can query them."""
        return await self._off_loop(self._reviews.upgrade_stored)

    async def remove_ended_reviews(self) -> list[str]:
        """Remove every review that ended more than `retention_years` ago, with its emails and the
        documents they carried; the log keeps the reference and the dates, nothing else. Returns
        the references removed."""
        return await self._off_loop(self._remove_ended_reviews)

    async def sweep_documents(self) -> int:
        """Delete documents that no unsent email carries and that were stored more than a week ago:
        a file sent for a form that was then cancelled is not kept (the bot's data care). A week leaves
        a form left open over a weekend still usable. Returns how many were deleted."""
        return await self._off_loop(self._sweep_documents)

    # -- the store work itself, run in a worker thread (the Store is thread-safe) -----------------
    # `after_queueing` wakes an asyncio task, so it is called back on the loop, never from here.

    async def was_pressed(self, form_id: str) -> bool:
        """Whether the card press `form_id` has changed a review already (a press sent again)."""
        return await self._off_loop(self._reviews.was_recorded, form_id)

    @staticmethod
    async def _off_loop(work: Callable[..., T], *args: object) -> T:
        return await asyncio.to_thread(work, *args)

    def _open(self, plan: OpeningPlan) -> None:
        with self._store.transaction():
            self._reviews.add(plan.review)
            self._queue(plan.notifications)

    def _record(self, user_id: str, review_id: str, event: Event) -> EventResult:
        def apply(review: Review) -> tuple[Review, EventResult]:
            result = record_event(review, event, user_id, self._clock(), self._address_book, self._settings)
            return result.review, result

        with self._store.transaction():
            result = self._reviews.change(review_id, user_id, apply)
            self._queue(result.notifications)
        return result

    def _failed_emails(self) -> frozenset[str]:
        return frozenset(item.key for item in self._mail.failed())

    def _remove_ended_reviews(self) -> list[str]:
        years, today, removed = self._settings.retention_years, self.today(), []
        for review in self._reviews.all_reviews():
            since = removable_from(review, years)
            if since is None or today < since:
                continue
            with self._store.transaction():
                emails = self._mail.remove_for_review(review.id)
                self._reviews.remove(review.id)
            for document in {ref for item in emails for ref in item.attachments}:
                if self._documents and not self._mail.unsent_carrying(document.sha256):
                    self._documents.delete(document)
            log.info("Removed review %s (ended %s) under the %d-year retention rule",
                     review.reference, ended_on(review), years)
            removed.append(review.reference)
        return removed

    def _sweep_documents(self) -> int:
        if self._documents is None:
            return 0
        swept = 0
        for sha256 in self._documents.stored_before(self._clock() - DOCUMENTS_KEPT_UNUSED):
            if not self._mail.unsent_carrying(sha256):
                self._documents.delete_content(sha256)
                swept += 1
        return swept

    def _email_sent(self, item: OutboxItem) -> None:
        key = item.key
        review_id = review_id_of(key)
        if review_id is None:
            return

        def apply(review: Review) -> tuple[Review, None]:
            if any(entry.key == key and entry.sent_at for entry in review.notifications):
                return review, None  # told twice (a retried confirmation): nothing more to do
            result = record_event(review, NotificationSent(key=key), SYSTEM, self._clock(),
                                  self._address_book, self._settings)
            return result.review, None

        self._reviews.system_change(review_id, apply)
        for document in item.attachments:
            if self._documents and self._settings.delete_documents_when_sent \
                    and not self._mail.unsent_carrying(document.sha256):
                self._documents.delete(document)
                self._reviews.system_change(review_id, lambda review, name=document.name: (record_event(
                    review, DocumentDeleted(name=name), SYSTEM, self._clock(), self._address_book,
                    self._settings).review, None))
        self._sweep_documents()

    def _queue(self, notifications: tuple[Notification, ...]) -> None:
        for notification in notifications:
            self._mail.enqueue(email_for(notification))
