"""Which reminders have gone: a claim before sending, a "sent" mark after, in the shared store.

One row per reminder key (review, obligation occurrence, period, recipient). Claiming happens in a
store transaction, which holds an exclusive file lock, so two app instances on one data directory
(or a restarted one) never both send the same reminder. A claim carries an expiry (a lease): if
the instance that claimed it crashes before marking it sent, the claim runs out and a later tick
sends it. The only duplicate left possible is a crash in the instant between Teams accepting a
message and the "sent" mark being written.
"""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from tinydb import Query
from tinydb.table import Document

from bot.storage import Store

TABLE = "reminder_ledger"
CLAIMED, SENT = "claimed", "sent"
Result = TypeVar("Result")


class ReminderLedger:
    def __init__(self, store: Store) -> None:
        self._store = store

    def claim(self, key: str, now: datetime, lease: timedelta, owner: str) -> str | None:
        """A token giving the caller the sole right to send `key` now, or None (sent, or claimed
        by someone whose claim has not run out)."""
        with self._store.transaction():
            table = self._store.table(TABLE)
            row = table.get(Query().key == key)
            if isinstance(row, Document):
                if row["state"] == SENT:
                    return None
                if datetime.fromisoformat(row["expires_at"]) > now:
                    return None
            token = uuid.uuid4().hex
            claim = {"key": key, "state": CLAIMED, "token": token, "owner": owner,
                     "expires_at": (now + lease).isoformat(), "at": now.isoformat(),
                     "attempts": (row["attempts"] + 1) if isinstance(row, Document) else 1}
            table.upsert(claim, Query().key == key)
        return token

    def mark_sent(self, key: str, now: datetime) -> None:
        """Sent is the truth whoever holds the claim now."""
        with self._store.transaction():
            self._store.table(TABLE).update({"state": SENT, "token": None, "at": now.isoformat()},
                                            Query().key == key)

    def release(self, key: str, token: str) -> None:
        """Give a claim back after a failed send, so the next tick tries again; a claim that has
        since passed to someone else (ours ran out) is theirs and left alone."""
        with self._store.transaction():
            self._store.table(TABLE).remove((Query().key == key) & (Query().token == token)
                                            & (Query().state == CLAIMED))

    def once(self, key: str, now: datetime, action: Callable[[], Result]) -> Result | None:
        """Run `action` (synchronous, e.g. queueing an email in the same store) and mark `key`
        sent, in one transaction; None, without running it, if `key` was already done."""
        with self._store.transaction():
            table = self._store.table(TABLE)
            if table.get(Query().key == key) is not None:
                return None
            result = action()
            table.insert({"key": key, "state": SENT, "token": None, "owner": None,
                          "expires_at": now.isoformat(), "at": now.isoformat(), "attempts": 1})
        return result

    def prune(self, before: datetime) -> int:
        """Forget rows last touched before `before`: their periods are long over."""
        with self._store.transaction():
            removed = self._store.table(TABLE).remove(
                Query().at.test(lambda at: datetime.fromisoformat(at) < before))
        return len(removed)
