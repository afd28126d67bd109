"""Where a decision of the review domain becomes durable: the changed review and the emails it
requires are written in one store transaction, so neither can exist without the other — an
event is never recorded with its notifications lost, nor an email queued for an event that was
not recorded."""

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

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
    Notification,
    NotificationSent,
    Review,
    ReviewSettings,
    record_event,
    review_id_of,
)
from bot.review.people import SYSTEM
from bot.review.retention import ended_on, removable_from
from bot.review.working_days import uk_date
from bot.storage import Store
from bot.storage.reviews import ReviewRepository

log = logging.getLogger(__name__)
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
        self.reviews = ReviewRepository(store)
        self.mail = mail
        self.address_book = address_book
        self.settings = settings
        self.clock = clock

    def today(self) -> date:
        return uk_date(self.clock())

    def open(self, review: Review, notifications: tuple[Notification, ...]) -> None:
        with self._store.transaction():
            self.reviews.add(review)
            self._queue(notifications)
        self._after_queueing()

    def record(self, review_id: str, user_id: str, event: Event) -> EventResult:
        """Raises ReviewNotFound, or the domain's ReviewRuleError / ValueError, changing nothing."""

        def apply(review: Review) -> tuple[Review, EventResult]:
            result = record_event(review, event, user_id, self.clock(), self.address_book, self.settings)
            return result.review, result

        with self._store.transaction():
            result = self.reviews.change(review_id, user_id, apply)
            self._queue(result.notifications)
        if result.notifications:
            self._after_queueing()
        return result

    @property
    def document_limit_mb(self) -> int:
        return self._documents.max_bytes // (1024 * 1024) if self._documents else 0

    def receive_document(self, content: bytes, name: str) -> DocumentCopy:
        """Keep a document sent in Teams for the email that will carry it. ValueError, in words for the
        person, for an empty file, one too large, or one that is not a PDF, Word or ODT document."""
        if self._documents is None:
            raise ValueError("This bot is not set up to take documents: paste a link instead.")
        if not content:
            raise ValueError("That file is empty: send the document itself.")
        try:
            ref = self._documents.put(content, name, document_type(content, name))
        except DocumentError as problem:
            raise ValueError(str(problem)) from None
        return DocumentCopy(ref.name, sha256=ref.sha256, size=ref.size, content_type=ref.content_type)

    def remove_ended_reviews(self) -> list[str]:
        """Remove every review that ended more than `retention_years` ago, with its emails and the
        documents they carried; the log keeps the reference and the dates, nothing else. Returns
        the references removed."""
        years, today, removed = self.settings.retention_years, self.today(), []
        for review in self.reviews.all_reviews():
            since = removable_from(review, years)
            if since is None or today < since:
                continue
            with self._store.transaction():
                emails = self.mail.remove_for_review(review.id)
                self.reviews.remove(review.id)
            for document in {ref for item in emails for ref in item.attachments}:
                if self._documents and not self.mail.unsent_carrying(document.sha256):
                    self._documents.delete(document)
            log.info("Removed review %s (ended %s) under the %d-year retention rule",
                     review.reference, ended_on(review), years)
            removed.append(review.reference)
        return removed

    def sweep_documents(self) -> int:
        """Delete documents that no unsent email carries and that were stored more than a week ago:
        a file sent for a form that was then cancelled is not kept (the bot's data care). A week leaves
        a form left open over a weekend still usable. Returns how many were deleted."""
        if self._documents is None:
            return 0
        swept = 0
        for sha256 in self._documents.stored_before(self.clock() - DOCUMENTS_KEPT_UNUSED):
            if not self.mail.unsent_carrying(sha256):
                self._documents.delete_content(sha256)
                swept += 1
        return swept

    def email_sent(self, item: OutboxItem) -> None:
        """The mail worker delivered `item`: the obligation it served is now met, and a document no
        other unsent email carries is deleted (the bot's data care), which the review's history records.
        Emails that serve no single review (the reminders' escalations and agendas) record nothing."""
        key = item.key
        review_id = review_id_of(key)
        if review_id is None:
            return

        def apply(review: Review) -> tuple[Review, None]:
            if any(entry.key == key and entry.sent_at for entry in review.notifications):
                return review, None  # told twice (a retried confirmation): nothing more to do
            result = record_event(review, NotificationSent(key=key), SYSTEM, self.clock(),
                                  self.address_book, self.settings)
            return result.review, None

        self.reviews.system_change(review_id, apply)
        for document in item.attachments:
            if self._documents and self.settings.delete_documents_when_sent \
                    and not self.mail.unsent_carrying(document.sha256):
                self._documents.delete(document)
                self.reviews.system_change(review_id, lambda review, name=document.name: (record_event(
                    review, DocumentDeleted(name=name), SYSTEM, self.clock(), self.address_book,
                    self.settings).review, None))
        self.sweep_documents()

    def email_status(self, review_id: str) -> list[OutboxItem]:
        return self.mail.status_for_review(review_id)

    def failed_emails(self) -> frozenset[str]:
        """Keys of the emails whose sending failed: what they serve is the person's to retry."""
        return frozenset(item.key for item in self.mail.failed())

    def retry_email(self, user_id: str, key: str) -> tuple[Review, OutboxItem]:
        """The review and the email's state after `user_id` asked for a retry. ReviewNotFound unless
        the email is one of that person's reviews' (the reminders' own emails are no one's to
        retry from a card); KeyError for a key the outbox does not hold."""
        review = self.reviews.get(review_id_of(key) or "", user_id)
        item = self.mail.retry(key)
        self._after_queueing()
        return review, item

    def _queue(self, notifications: tuple[Notification, ...]) -> None:
        for notification in notifications:
            self.mail.enqueue(email_for(notification))
