"""botbuilder's `Storage` over our store, so conversation and user state survive a restart.

State objects (dialog stacks and the like) are encoded with jsonpickle, as botbuilder's own
blob storage does, because dialog state holds class instances that plain JSON cannot revive.
E-tags give the optimistic concurrency botbuilder expects: a stale write raises instead of
silently overwriting a newer turn, also when the newer turn ran on another instance (the record
is locked while its e-tag is compared). Store work runs in a thread, off the event loop.

Each record's `at` is when it was last written, so the state of people silent for longer than
`KEPT_FOR` is pruned (`prune`): memory and the file stay bounded however many people ever spoke.
"""

import asyncio
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from botbuilder.core import Storage, StoreItem
from jsonpickle import encode
from jsonpickle.unpickler import Unpickler

from bot.storage.port import Lock, Record, Store

COLLECTION = "bot_state"
KEPT_FOR = timedelta(days=90)


class StateConflict(KeyError):
    """Another turn (on this instance or another) saved this state since it was read."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StoreBotStorage(Storage):
    def __init__(self, store: Store, clock: Callable[[], datetime] = _utc_now) -> None:
        self._store = store
        self._clock = clock

    async def read(self, keys: list[str]) -> dict[str, Any]:
        return await asyncio.to_thread(self._read, keys)

    async def write(self, changes: dict[str, StoreItem | dict[str, Any]]) -> None:
        await asyncio.to_thread(self._write, changes)

    async def delete(self, keys: list[str]) -> None:
        await asyncio.to_thread(self._delete, keys)

    def prune(self) -> int:
        """Forget the state of everyone silent for longer than KEPT_FOR; how many records."""
        with self._store.transaction() as session:
            stale = session.at_or_before(COLLECTION, self._clock() - KEPT_FOR)
            for record in stale:
                session.delete(COLLECTION, record.key)
        return len(stale)

    def _read(self, keys: list[str]) -> dict[str, Any]:
        items: dict[str, Any] = {}
        with self._store.transaction() as session:
            for key in keys:
                record = session.get(COLLECTION, key)
                if record is not None:
                    item = Unpickler().restore(record.document["item"])
                    if isinstance(item, dict):
                        item["e_tag"] = record.document["e_tag"]
                    else:
                        item.e_tag = record.document["e_tag"]
                    items[key] = item
        return items

    def _write(self, changes: dict[str, StoreItem | dict[str, Any]]) -> None:
        now = self._clock()
        with self._store.transaction() as session:
            for key, item in changes.items():
                expected = item.get("e_tag") if isinstance(item, dict) else getattr(item, "e_tag", None)
                current = session.get(COLLECTION, key, Lock.UPDATE)
                if expected not in (None, "*") and current is not None and current.document["e_tag"] != expected:
                    raise StateConflict(f"State for {key} changed since it was read (e-tag conflict)")
                document = {"key": key, "e_tag": uuid.uuid4().hex, "item": json.loads(encode(item))}
                session.put(COLLECTION, Record(key, document, at=now))

    def _delete(self, keys: list[str]) -> None:
        with self._store.transaction() as session:
            for key in keys:
                session.delete(COLLECTION, key)
