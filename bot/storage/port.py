"""The storage port: everything the app keeps goes through this one interface.

The app stores records in named collections (reviews, the outbox, reminder claims, snoozes,
conversation references, Bot Framework state). A record is a JSON document under a unique key,
with optional tags (indexed labels such as "member:aad:…", so a lookup never decodes every
review) and an optional moment `at` (when the record is next due, or last touched), so the
earliest due record can be found and claimed without reading the others.

All access happens in `store.transaction()`, which yields a `Session`. Transactions nest within
a thread: the outermost one commits everything written inside it, or nothing if any level failed
(even a failure an outer level caught, since the inner writes may be half done). So a review
change and the emails it queues are saved together or not at all, on either adapter.

Two adapters implement it: `bot.storage.tinydb_store` (files in the data directory, one
instance) and `bot.storage.postgres_store` (`DATABASE_URL`, any number of instances). The
contract tests in tests/storage/test_contract.py run against both.
"""

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Protocol


class Lock(Enum):
    """How `Session.get` holds the record it read until the transaction ends."""

    NONE = "none"
    # Others wait until this transaction ends (a review being changed).
    UPDATE = "update"
    # A record another transaction holds reads as absent (a claim someone else is making).
    SKIP_LOCKED = "skip_locked"


@dataclass(frozen=True)
class Record:
    """`document` is read-only to whoever gets it: adapters may hand out the copy they cache."""

    key: str
    document: dict[str, Any]
    tags: frozenset[str] = field(default_factory=frozenset)
    at: datetime | None = None


class Session(Protocol):
    def get(self, collection: str, key: str, lock: Lock = Lock.NONE) -> Record | None: ...

    def put(self, collection: str, record: Record) -> None:
        """Insert, or replace the record with the same key."""

    def add(self, collection: str, record: Record) -> bool:
        """Insert unless the key exists (even in a transaction not yet committed); whether it did."""

    def delete(self, collection: str, key: str) -> bool: ...

    def tagged(self, collection: str, tag: str) -> list[Record]: ...

    def starting_with(self, collection: str, prefix: str) -> list[Record]: ...

    def at_or_before(self, collection: str, moment: datetime) -> list[Record]: ...

    def claim_earliest(self, collection: str, moment: datetime) -> Record | None:
        """The record with the earliest `at` not after `moment`, locked for this transaction;
        records other transactions hold are passed over (FOR UPDATE SKIP LOCKED)."""

    def earliest_at(self, collection: str) -> datetime | None: ...

    def all(self, collection: str) -> list[Record]: ...

    def collections(self) -> list[str]: ...


class Store(Protocol):
    kind: str

    def transaction(self) -> AbstractContextManager[Session]: ...

    def close(self) -> None: ...


class NestedTransactions:
    """The nesting rule above, for adapters: `_begin` opens a session for the outermost level of a
    thread, `_end(session, commit)` commits or rolls it back."""

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        local = self._local
        if getattr(local, "session", None) is not None:
            try:
                yield local.session
            except BaseException:
                local.doomed = True
                raise
            return
        session = self._begin()
        local.session, local.doomed = session, False
        try:
            yield session
        except BaseException:
            local.doomed = True
            raise
        finally:
            doomed, local.session = local.doomed, None
            self._end(session, commit=not doomed)

    def _begin(self) -> Session:
        raise NotImplementedError

    def _end(self, session: Session, *, commit: bool) -> None:
        raise NotImplementedError
