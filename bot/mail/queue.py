"""The durable outbox: every notification is stored before anyone tries to send it.

One row per idempotency key in the store's "outbox" table. A row moves

    queued ──claim──▶ sending ──▶ sent
      ▲                 │  └────▶ failed ──retry(key)──▶ queued
      └──transient──────┘

"sending" is a claim with an expiry (a lease) written in the row, so two app instances sharing
the store never attempt the same row at once (on PostgreSQL the claim itself takes the row with
FOR UPDATE SKIP LOCKED), and a crashed instance's claim simply runs out and the row is attempted
again. The adapter's own idempotency (see `bot.mail.sender`) makes that
second attempt safe even if the crash came after the email had gone.

Rows hold the bodies (they must survive a restart), but nothing returned for display does:
`OutboxItem` has no body, and `last_error` is a reason written by us, not a server's message.
Attachments are stored as `DocumentRef`s; the documents themselves stay in the `DocumentStore`.
Rows written before emails had Reply-To, attachments or links read back with none.

A record's `at` is when its row is next due (queued: its next attempt; sending: its lease's end),
and its tags name its state and the documents an unsent email carries, so neither the worker nor
retention reads the whole outbox.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.documents import DocumentRef
from bot.mail.message import Link, OutgoingEmail
from bot.operations import metrics
from bot.storage import Lock, Record, Session, Store

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
        with self._store.transaction() as session:
            existing = session.get(TABLE, email.key)
            if existing is not None:
                if _email(existing.document) != email:
                    # A caller reusing a key for different content is a bug; the first one wins,
                    # because it may already be in someone's inbox.
                    log.warning(
                        "mail %s: enqueued again with different content; keeping the first", email.key
                    )
                return _item(existing.document)
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
            if not session.add(TABLE, _record(row)):
                # Queued by another instance in this instant: theirs is the first.
                return _item(self._row(session, email.key))
        log.info("mail %s: queued", email.key)
        metrics.emails_queued.add(1)
        return _item(row)

    def claim_next(self, worker: str, lease: timedelta) -> Claim | None:
        """Claim the row that has been due longest: queued and due, or sending with a lapsed claim."""
        now = self.clock()
        with self._store.transaction() as session:
            record = session.claim_earliest(TABLE, now)
            if record is None:
                return None
            row = record.document
            changes: dict[str, Any] = {
                "state": SENDING,
                "attempts": row["attempts"] + 1,
                "last_attempt_at": _iso(now),
                "claim": {"token": uuid.uuid4().hex, "worker": worker, "expires_at": _iso(now + lease)},
            }
            if row["state"] == SENDING:
                changes["last_error"] = "An earlier attempt did not finish (the app stopped or timed out)"
                log.warning("mail %s: taking over a lapsed claim", row["key"])
            row = {**row, **changes}
            session.put(TABLE, _record(row))
        return Claim(_item(row), _email(row), changes["claim"]["token"])

    def mark_sent(self, claim: Claim) -> OutboxItem | None:
        """Sent is the truth whoever holds the claim now: record it even if ours lapsed. None when
        another worker had already recorded it, so there is nothing new to report."""
        now = self.clock()
        with self._store.transaction() as session:
            row = self._row(session, claim.item.key, Lock.UPDATE)
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
            session.put(TABLE, _record({**row, **changes}))
        log.info("mail %s: sent", claim.item.key)
        return _item({**row, **changes})

    def mark_retry(self, claim: Claim, reason: str, delay: timedelta) -> OutboxItem | None:
        """Queue the row again after `delay`; None if our claim lapsed and someone else has it."""
        return self._finish(claim, {"state": QUEUED, "next_attempt_at": _iso(self.clock() + delay)}, reason)

    def mark_failed(self, claim: Claim, reason: str) -> OutboxItem | None:
        return self._finish(claim, {"state": FAILED, "next_attempt_at": None, "reported": False}, reason)

    def get(self, key: str) -> OutboxItem | None:
        with self._store.transaction() as session:
            record = session.get(TABLE, key)
        return None if record is None else _item(record.document)

    def status_for_keys(self, prefix: str) -> list[OutboxItem]:
        """Every row whose key starts with `prefix`, oldest first."""
        with self._store.transaction() as session:
            return _items(session.starting_with(TABLE, prefix))

    def remove_for_review(self, review_id: str) -> list[OutboxItem]:
        """Delete a removed review's emails from the outbox (retention); returns what was removed."""
        with self._store.transaction() as session:
            records = session.starting_with(TABLE, f"{review_id}:")
            for record in records:
                session.delete(TABLE, record.key)
        return _items(records)

    def status_for_review(self, review_id: str) -> list[OutboxItem]:
        # The colon keeps review "R1" from matching "R10:…".
        return self.status_for_keys(f"{review_id}:")

    def failed(self) -> list[OutboxItem]:
        return self._tagged(f"state:{FAILED}")

    def oldest_unsent_since(self) -> datetime | None:
        """When the longest-waiting email still to send was queued (the outbox-age metric)."""
        waiting = [item for state in (QUEUED, SENDING) for item in self._tagged(f"state:{state}")]
        return min((item.queued_at for item in waiting), default=None)

    def unsent_carrying(self, sha256: str) -> list[OutboxItem]:
        """Emails not yet sent that carry the document with this content hash: while there are any,
        the document must be kept."""
        return self._tagged(f"unsent-carrying:{sha256}")

    def retry(self, key: str) -> OutboxItem:
        """The user's "try again": a failed (or waiting) row becomes due now with a fresh count of
        attempts. A row being sent, or already sent, is left alone. KeyError for an unknown key."""
        now = self.clock()
        with self._store.transaction() as session:
            row = self._row(session, key, Lock.UPDATE)
            if row["state"] not in (FAILED, QUEUED):
                return _item(row)
            changes = {
                "state": QUEUED,
                "attempts": 0,
                "next_attempt_at": _iso(now),
            }
            session.put(TABLE, _record({**row, **changes}))
        log.info("mail %s: retry requested", key)
        return _item({**row, **changes})

    def unreported(self, older_than: timedelta) -> list[OutboxItem]:
        """Outcomes (sent or failed) never passed to the worker's hooks, because the instance that
        reached them stopped first or its hook raised. `older_than` leaves a fresh outcome to the
        worker that reached it, which reports it at once."""
        cutoff = self.clock() - older_than
        return [item for item in self._tagged(_UNREPORTED)
                if item.last_attempt_at is not None and item.last_attempt_at <= cutoff]

    def mark_reported(self, key: str) -> None:
        with self._store.transaction() as session:
            session.put(TABLE, _record({**self._row(session, key, Lock.UPDATE), "reported": True}))

    def next_due_at(self) -> datetime | None:
        """When the next row becomes claimable, so an idle worker knows how long it may sleep."""
        with self._store.transaction() as session:
            return session.earliest_at(TABLE)

    def _finish(self, claim: Claim, changes: dict[str, Any], reason: str) -> OutboxItem | None:
        with self._store.transaction() as session:
            row = self._row(session, claim.item.key, Lock.UPDATE)
            if row["state"] != SENDING or (row["claim"] or {}).get("token") != claim.token:
                log.warning("mail %s: our claim lapsed; leaving the row to its new owner", claim.item.key)
                return None
            changes = {**changes, "last_error": reason, "claim": None}
            session.put(TABLE, _record({**row, **changes}))
        log.info("mail %s: %s (%s)", claim.item.key, changes["state"], reason)
        return _item({**row, **changes})

    def reindex(self) -> int:
        """Gives rows stored before the storage port their tags and due moment; how many changed."""
        with self._store.transaction() as session:
            stale = [record for record in session.all(TABLE) if _record(record.document) != record]
            for record in stale:
                session.put(TABLE, _record(record.document))
        return len(stale)

    def _tagged(self, tag: str) -> list[OutboxItem]:
        with self._store.transaction() as session:
            return _items(session.tagged(TABLE, tag))

    @staticmethod
    def _row(session: Session, key: str, lock: Lock = Lock.NONE) -> dict[str, Any]:
        record = session.get(TABLE, key, lock)
        if record is None:
            raise KeyError(key)
        return record.document


_UNREPORTED = "unreported"


def _record(row: dict[str, Any]) -> Record:
    tags = {f"state:{row['state']}"}
    if row["state"] in (SENT, FAILED) and not row["reported"]:
        tags.add(_UNREPORTED)
    if row["state"] != SENT:
        tags.update(f"unsent-carrying:{document['sha256']}" for document in row["email"].get("attachments", ()))
    return Record(row["key"], row, frozenset(tags), _due_at(row))


def _items(records: list[Record]) -> list[OutboxItem]:
    return [_item(record.document) for record in sorted(records, key=lambda record: record.document["queued_at"])]


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
