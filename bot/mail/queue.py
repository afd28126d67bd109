"""The durable outbox: every notification is stored before anyone tries to send it.

One row per idempotency key in the store's "outbox" table. A row moves

    queued ──claim──▶ sending ──▶ sent
      ▲                 │  └────▶ failed ──retry(key)──▶ queued
      └──transient──────┘

"sending" is a claim with an expiry (a lease) written in the row, so two app instances sharing
the store never attempt the same row at once, and a crashed instance's claim simply runs out and
the row is attempted again. The adapter's own idempotency (see `bot.mail.sender`) makes that
second attempt safe even if the crash came after the email had gone.

Rows hold the bodies (they must survive a restart), but nothing returned for display does:
`OutboxItem` has no body, and `last_error` is a reason written by us, not a server's message.
Attachments are stored as `DocumentRef`s; the documents themselves stay in the `DocumentStore`.
Rows written before emails had Reply-To, attachments or links read back with none.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tinydb import Query
from tinydb.table import Document, Table

from bot.documents import DocumentRef
from bot.mail.message import Link, OutgoingEmail
from bot.operations import metrics
from bot.storage import Store

log = logging.getLogger(__name__)

TABLE = "outbox"
QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OutboxItem:
    """What the review card shows about one notification."""

    key: str
    to: tuple[str, ...]
    subject: str
    state: str
    attempts: int
    queued_at: datetime
    sent_at: datetime | None
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None
    # What the email carries, so the review card can say so and retention can tell when a
    # document is no longer needed (every email carrying it is sent).
    attachments: tuple[DocumentRef, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Claim:
    """A worker's exclusive right to attempt one row until the lease it was claimed with ends."""

    item: OutboxItem
    email: OutgoingEmail
    token: str


class MailQueue:
    def __init__(self, store: Store, clock: Clock = utc_now) -> None:
        self._store = store
        self.clock = clock

    def enqueue(self, email: OutgoingEmail) -> OutboxItem:
        """Store `email` for sending; a key already stored is left as it is and returned."""
        now = self.clock()
        with self._store.transaction():
            table = self._table()
            existing = table.get(Query().key == email.key)
            if isinstance(existing, Document):
                if _email(existing) != email:
                    # A caller reusing a key for different content is a bug; the first one wins,
                    # because it may already be in someone's inbox.
                    log.warning(
                        "mail %s: enqueued again with different content; keeping the first", email.key
                    )
                return _item(existing)
            row = {
                "key": email.key,
                "email": {
                    "to": list(email.to),
                    "subject": email.subject,
                    "text": email.text,
                    "html": email.html,
                    "reply_to": list(email.reply_to),
                    "attachments": [asdict(document) for document in email.attachments],
                    "links": [asdict(link) for link in email.links],
                },
                "state": QUEUED,
                "attempts": 0,
                "queued_at": _iso(now),
                "sent_at": None,
                "last_attempt_at": None,
                "next_attempt_at": _iso(now),
                "last_error": None,
                "claim": None,
                # Whether on_sent / on_failed has heard about the latest outcome.
                "reported": False,
            }
            table.insert(row)
        log.info("mail %s: queued", email.key)
        metrics.emails_queued.add(1)
        return _item(row)

    def claim_next(self, worker: str, lease: timedelta) -> Claim | None:
        """Claim the row that has been due longest: queued and due, or sending with a lapsed claim."""
        now = self.clock()
        with self._store.transaction():
            table = self._table()
            due = [
                (moment, row) for row in table.all() if (moment := _due_at(row)) is not None and moment <= now
            ]
            if not due:
                return None
            _, row = min(due, key=lambda pair: (pair[0], pair[1]["queued_at"]))
            changes: dict[str, Any] = {
                "state": SENDING,
                "attempts": row["attempts"] + 1,
                "last_attempt_at": _iso(now),
                "claim": {"token": uuid.uuid4().hex, "worker": worker, "expires_at": _iso(now + lease)},
            }
            if row["state"] == SENDING:
                changes["last_error"] = "An earlier attempt did not finish (the app stopped or timed out)"
                log.warning("mail %s: taking over a lapsed claim", row["key"])
            table.update(changes, doc_ids=[row.doc_id])
            row = {**row, **changes}
        return Claim(_item(row), _email(row), changes["claim"]["token"])

    def mark_sent(self, claim: Claim) -> OutboxItem | None:
        """Sent is the truth whoever holds the claim now: record it even if ours lapsed. None when
        another worker had already recorded it, so there is nothing new to report."""
        now = self.clock()
        with self._store.transaction():
            table = self._table()
            row = self._row(table, claim.item.key)
            if row["state"] == SENT:
                return None
            changes = {
                "state": SENT,
                "sent_at": _iso(now),
                "next_attempt_at": None,
                "last_error": None,
                "claim": None,
                "reported": False,
            }
            table.update(changes, doc_ids=[row.doc_id])
        log.info("mail %s: sent", claim.item.key)
        return _item({**row, **changes})

    def mark_retry(self, claim: Claim, reason: str, delay: timedelta) -> OutboxItem | None:
        """Queue the row again after `delay`; None if our claim lapsed and someone else has it."""
        return self._finish(claim, {"state": QUEUED, "next_attempt_at": _iso(self.clock() + delay)}, reason)

    def mark_failed(self, claim: Claim, reason: str) -> OutboxItem | None:
        return self._finish(claim, {"state": FAILED, "next_attempt_at": None, "reported": False}, reason)

    def get(self, key: str) -> OutboxItem | None:
        with self._store.transaction():
            row = self._table().get(Query().key == key)
        return _item(row) if isinstance(row, Document) else None

    def status_for_keys(self, prefix: str) -> list[OutboxItem]:
        """Every row whose key starts with `prefix`, oldest first."""
        return self._items(lambda row: row["key"].startswith(prefix))

    def remove_for_review(self, review_id: str) -> list[OutboxItem]:
        """Delete a removed review's emails from the outbox (retention); returns what was removed."""
        removed = self.status_for_review(review_id)
        with self._store.transaction():
            self._table().remove(Query().key.test(lambda key: key.startswith(f"{review_id}:")))
        return removed

    def status_for_review(self, review_id: str) -> list[OutboxItem]:
        # The colon keeps review "R1" from matching "R10:…".
        return self.status_for_keys(f"{review_id}:")

    def failed(self) -> list[OutboxItem]:
        return self._items(lambda row: row["state"] == FAILED)

    def oldest_unsent_since(self) -> datetime | None:
        """When the longest-waiting email still to send was queued (the outbox-age metric)."""
        waiting = self._items(lambda row: row["state"] in (QUEUED, SENDING))
        return waiting[0].queued_at if waiting else None

    def unsent_carrying(self, sha256: str) -> list[OutboxItem]:
        """Emails not yet sent that carry the document with this content hash: while there are any,
        the document must be kept."""
        return [item for item in self._items(lambda row: row["state"] != SENT)
                if any(document.sha256 == sha256 for document in item.attachments)]

    def retry(self, key: str) -> OutboxItem:
        """The user's "try again": a failed (or waiting) row becomes due now with a fresh count of
        attempts. A row being sent, or already sent, is left alone. KeyError for an unknown key."""
        now = self.clock()
        with self._store.transaction():
            table = self._table()
            row = self._row(table, key)
            if row["state"] not in (FAILED, QUEUED):
                return _item(row)
            changes = {
                "state": QUEUED,
                "attempts": 0,
                "next_attempt_at": _iso(now),
            }
            table.update(changes, doc_ids=[row.doc_id])
        log.info("mail %s: retry requested", key)
        return _item({**row, **changes})

    def unreported(self, older_than: timedelta) -> list[OutboxItem]:
        """Outcomes (sent or failed) never passed to the worker's hooks, because the instance that
        reached them stopped first or its hook raised. `older_than` leaves a fresh outcome to the
        worker that reached it, which reports it at once."""
        cutoff = self.clock() - older_than
        return self._items(
            lambda row: (
                row["state"] in (SENT, FAILED)
                and not row["reported"]
                and _parse(row["last_attempt_at"]) <= cutoff
            )
        )

    def mark_reported(self, key: str) -> None:
        with self._store.transaction():
            table = self._table()
            table.update({"reported": True}, doc_ids=[self._row(table, key).doc_id])

    def next_due_at(self) -> datetime | None:
        """When the next row becomes claimable, so an idle worker knows how long it may sleep."""
        with self._store.transaction():
            moments = [moment for row in self._table().all() if (moment := _due_at(row)) is not None]
        return min(moments, default=None)

    def _finish(self, claim: Claim, changes: dict[str, Any], reason: str) -> OutboxItem | None:
        with self._store.transaction():
            table = self._table()
            row = self._row(table, claim.item.key)
            if row["state"] != SENDING or (row["claim"] or {}).get("token") != claim.token:
                log.warning("mail %s: our claim lapsed; leaving the row to its new owner", claim.item.key)
                return None
            changes = {**changes, "last_error": reason, "claim": None}
            table.update(changes, doc_ids=[row.doc_id])
        log.info("mail %s: %s (%s)", claim.item.key, changes["state"], reason)
        return _item({**row, **changes})

    def _items(self, wanted: Callable[[dict[str, Any]], bool]) -> list[OutboxItem]:
        with self._store.transaction():
            rows = [row for row in self._table().all() if wanted(row)]
        return [_item(row) for row in sorted(rows, key=lambda row: row["queued_at"])]

    def _table(self) -> Table:
        return self._store.table(TABLE)

    @staticmethod
    def _row(table: Table, key: str) -> Document:
        row = table.get(Query().key == key)
        if not isinstance(row, Document):
            raise KeyError(key)
        return row


def _due_at(row: dict[str, Any]) -> datetime | None:
    if row["state"] == QUEUED:
        return _parse(row["next_attempt_at"])
    if row["state"] == SENDING:
        return _parse(row["claim"]["expires_at"])
    return None


def _item(row: dict[str, Any]) -> OutboxItem:
    return OutboxItem(
        key=row["key"],
        to=tuple(row["email"]["to"]),
        subject=row["email"]["subject"],
        state=row["state"],
        attempts=row["attempts"],
        queued_at=_parse(row["queued_at"]),
        sent_at=_parse_optional(row["sent_at"]),
        last_attempt_at=_parse_optional(row["last_attempt_at"]),
        next_attempt_at=_parse_optional(row["next_attempt_at"]),
        last_error=row["last_error"],
        attachments=_attachments(row["email"]),
        links=_links(row["email"]),
    )


def _email(row: dict[str, Any]) -> OutgoingEmail:
    stored = row["email"]
    return OutgoingEmail(
        row["key"],
        tuple(stored["to"]),
        stored["subject"],
        stored["text"],
        stored["html"],
        reply_to=tuple(stored.get("reply_to", ())),
        attachments=_attachments(stored),
        links=_links(stored),
    )


def _attachments(stored: dict[str, Any]) -> tuple[DocumentRef, ...]:
    return tuple(DocumentRef(**document) for document in stored.get("attachments", ()))


def _links(stored: dict[str, Any]) -> tuple[Link, ...]:
    return tuple(Link(**link) for link in stored.get("links", ()))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _parse_optional(value: str | None) -> datetime | None:
    return None if value is None else _parse(value)
