"""Which reminders have gone: a claim before sending, a "sent" mark after, in the shared store.

One record per reminder key (review, obligation occurrence, period, recipient). Claims are made
in batches, one store transaction for many keys, holding each key's record (on PostgreSQL, FOR
UPDATE SKIP LOCKED: a key another instance is claiming right now counts as claimed), so two app
instances, or a restarted one, never both send the same reminder. A claim carries an expiry (a
lease): if the instance that claimed it crashes before marking it sent, the claim runs out and a
later tick sends it. Each "sent" mark is written on its own as soon as Teams takes the card, so
the only duplicate left possible is a crash in the instant between Teams accepting a message and
that mark being written.

A record's `at` is when it was last touched, so `prune` finds old ones without reading the rest.
"""

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.review.people import ENTRA, migrate_person
from bot.storage import Lock, Record, Session, Store

TABLE = "reminder_ledger"
CLAIMED, SENT = "claimed", "sent"
# About 100 bytes a key: a few days of 10,000 open reviews' reminders.
KNOWN_SENT_LIMIT = 100_000


# A key ending in a bare Entra object id was written before ids were namespaced (bot.review.people).
_BARE_GUID_AT_END = re.compile(r"(?<!" + ENTRA + r")(?<=:)([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})$")


def _upgraded_key(key: str) -> str:
    """Reminder and digest keys end with the recipient; namespace an old one's id (local-mode
    chat ids cannot be told apart inside a key, and only ever served local trials)."""
    return _BARE_GUID_AT_END.sub(lambda match: migrate_person(match.group(1)), key)


def _done(key: str, now: datetime) -> Record:
    """The record of a key done at `now`, by `once_each`."""
    return _record({"key": key, "state": SENT, "token": None, "owner": None, "expires_at": now.isoformat(),
                    "at": now.isoformat(), "attempts": 1})


def _record(row: dict[str, Any]) -> Record:
    return Record(row["key"], row, at=datetime.fromisoformat(row["at"]))


class ReminderLedger:
    def __init__(self, store: Store, known_sent_limit: int = KNOWN_SENT_LIMIT) -> None:
        self._store = store
        # Keys found sent. A sent mark is never taken back (only pruned, long after its period), so
        # a sweep need not ask the store about them again: most of a tick's keys, after the first.
        # Forgotten all at once past the limit, so memory stays bounded.
        self._sent: set[str] = set()
        self._known_sent_limit = known_sent_limit

    def known_sent(self, key: str) -> bool:
        """Whether `key` was seen sent here: then it surely was (no store read, no thread). Callers
        skip such keys before claiming; a claim asks the store, which says the same."""
        return key in self._sent

    def claim(self, key: str, now: datetime, lease: timedelta, owner: str) -> str | None:
        """A token giving the caller the sole right to send `key` now, or None (sent, or claimed
        by someone whose claim has not run out)."""
        return self.claim_all([key], now, lease, owner).get(key)

    def claim_all(self, keys: Iterable[str], now: datetime, lease: timedelta, owner: str) -> dict[str, str]:
        """`claim` for many keys in one transaction: the tokens of those claimed, by key. Claiming
        only promises to send, so a crash after it loses nothing (the claims run out and a later
        tick sends) and repeats nothing (nothing was sent). Keys are taken in sorted order, so two
        instances claiming overlapping batches wait for each other instead of deadlocking."""
        tokens: dict[str, str] = {}
        wanted = sorted(set(keys))
        if not wanted:
            return tokens
        with self._store.transaction() as session:
            for key in wanted:
                token = self._claim(session, key, now, lease, owner)
                if token is not None:
                    tokens[key] = token
        return tokens

    def _claim(self, session: Session, key: str, now: datetime, lease: timedelta, owner: str) -> str | None:
        existing = session.get(TABLE, key, Lock.SKIP_LOCKED)
        if existing is not None and existing.document["state"] == SENT:
            self._remember_sent(key)
            return None
        if existing is not None and datetime.fromisoformat(existing.document["expires_at"]) > now:
            return None
        token = uuid.uuid4().hex
        claim = _record({"key": key, "state": CLAIMED, "token": token, "owner": owner,
                         "expires_at": (now + lease).isoformat(), "at": now.isoformat(),
                         "attempts": existing.document["attempts"] + 1 if existing else 1})
        if existing is None:
            # Absent, or held by another instance's claim this instant: only a new key is ours.
            return token if session.add(TABLE, claim) else None
        session.put(TABLE, claim)
        return token

    def _remember_sent(self, key: str) -> None:
        if key not in self._sent and len(self._sent) >= self._known_sent_limit:
            self._sent.clear()
        self._sent.add(key)

    def mark_sent(self, key: str, now: datetime) -> None:
        """Sent is the truth whoever holds the claim now."""
        with self._store.transaction() as session:
            existing = session.get(TABLE, key, Lock.UPDATE)
            if existing is None:
                return
            session.put(TABLE, _record({**existing.document, "state": SENT, "token": None, "at": now.isoformat()}))
        self._remember_sent(key)

    def release(self, key: str, token: str) -> None:
        """Give a claim back after a failed send, so the next tick tries again; a claim that has
        since passed to someone else (ours ran out) is theirs and left alone."""
        self.release_all({key: token})

    def release_all(self, tokens: Mapping[str, str]) -> None:
        """`release` for many claims in one transaction (a crash before it only lets them run out)."""
        with self._store.transaction() as session:
            for key, token in sorted(tokens.items()):
                existing = session.get(TABLE, key, Lock.UPDATE)
                if (existing is not None and existing.document["state"] == CLAIMED
                        and existing.document["token"] == token):
                    session.delete(TABLE, key)

    def once_each(self, keys: Sequence[str], now: datetime, action: Callable[[Sequence[str]], None]) -> bool:
        """Mark those of `keys` not done before, and run `action` with them (in `keys`' order), in one
        transaction; False, without running it, if every key was done before."""
        with self._store.transaction() as session:
            new = [key for key in keys if session.add(TABLE, _done(key, now))]
            if new:
                action(new)
            return bool(new)

    def upgrade_stored(self) -> int:
        """Records saved before ids were namespaced get the key the scheduler now claims, so a
        reminder already sent is not sent again after an upgrade; how many changed."""
        with self._store.transaction() as session:
            changed = 0
            for record in session.all(TABLE):
                upgraded = _record({**record.document, "key": _upgraded_key(record.key)})
                if upgraded != record:
                    session.delete(TABLE, record.key)
                    session.put(TABLE, upgraded)
                    changed += 1
        return changed

    def prune(self, before: datetime) -> int:
        """Forget records last touched before `before`: their periods are long over."""
        with self._store.transaction() as session:
            old = [record for record in session.at_or_before(TABLE, before) if record.at and record.at < before]
            for record in old:
                session.delete(TABLE, record.key)
        return len(old)
