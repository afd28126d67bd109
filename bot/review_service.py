"""Where a decision of the review domain becomes durable: the changed review and the emails it
requires are written in one store transaction, so neither can exist without the other — an
event is never recorded with its notifications lost, nor an email queued for an event that was
not recorded."""

from collections.abc import Callable
from datetime import date, datetime

from bot.documents import DocumentRef
from bot.mail.message import Link, OutgoingEmail
from bot.mail.queue import MailQueue, OutboxItem
from bot.review import (
    AddressBook,
    Event,
    EventResult,
    Notification,
    NotificationSent,
    Review,
    ReviewSettings,
    record_event,
    review_id_of,
)
from bot.review.working_days import uk_date
from bot.storage.reviews import ReviewRepository
from bot.storage.store import Store

# History names whoever acted; the mail worker confirming a delivery is not a person.
SYSTEM_ACTOR = "scr-assistant"


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
                 after_queueing: Callable[[], None] = lambda: None) -> None:
        """`after_queueing` wakes the mail worker once the transaction holding new emails is committed."""
        self._store = store
        self._after_queueing = after_queueing
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

    def email_sent(self, key: str) -> None:
        """The mail worker delivered `key`: the obligation it served is now met. Emails that serve
        no single review (the reminders' escalations and agendas) have nothing to record."""
        review_id = review_id_of(key)
        if review_id is None:
            return

        def apply(review: Review) -> tuple[Review, None]:
            if any(entry.key == key and entry.sent_at for entry in review.notifications):
                return review, None  # told twice (a retried confirmation): nothing more to do
            result = record_event(review, NotificationSent(key=key), SYSTEM_ACTOR, self.clock(),
                                  self.address_book, self.settings)
            return result.review, None

        self.reviews.system_change(review_id, apply)

    def email_status(self, review_id: str) -> list[OutboxItem]:
        return self.mail.status_for_review(review_id)

    def failed_emails(self) -> frozenset[str]:
        """Keys of the emails whose sending failed: what they serve is the person's to retry."""
        return frozenset(item.key for item in self.mail.failed())

    def retry_email(self, key: str) -> OutboxItem:
        """The email's state after asking for a retry; KeyError for a key the outbox does not hold."""
        item = self.mail.retry(key)
        self._after_queueing()
        return item

    def _queue(self, notifications: tuple[Notification, ...]) -> None:
        for notification in notifications:
            self.mail.enqueue(email_for(notification))
