"""botbuilder's `Storage` over our Store, so conversation and user state survive a restart.

State objects (dialog stacks and the like) are encoded with jsonpickle, as botbuilder's own
blob storage does, because dialog state holds class instances that plain JSON cannot revive.
E-tags give the optimistic concurrency botbuilder expects: a stale write raises instead of
silently overwriting a newer turn.
"""

import json
import uuid
from typing import Any

from botbuilder.core import Storage, StoreItem
from jsonpickle import encode
from jsonpickle.unpickler import Unpickler
from tinydb import Query

from bot.storage.store import Store

_TABLE = "bot_state"


class StoreBotStorage(Storage):
    def __init__(self, store: Store) -> None:
        self._store = store

    async def read(self, keys: list[str]) -> dict[str, Any]:
        items: dict[str, Any] = {}
        with self._store.transaction():
            table = self._store.table(_TABLE)
            for key in keys:
                row = table.get(Query().key == key)
                if row is not None:
                    item = Unpickler().restore(row["item"])
                    if isinstance(item, dict):
                        item["e_tag"] = row["e_tag"]
                    else:
                        item.e_tag = row["e_tag"]
                    items[key] = item
        return items

    async def write(self, changes: dict[str, StoreItem | dict[str, Any]]) -> None:
        with self._store.transaction():
            table = self._store.table(_TABLE)
            for key, item in changes.items():
                expected = item.get("e_tag") if isinstance(item, dict) else getattr(item, "e_tag", None)
                current = table.get(Query().key == key)
                if expected not in (None, "*") and current is not None and current["e_tag"] != expected:
                    raise KeyError(f"State for {key} changed since it was read (e-tag conflict)")
                row = {"key": key, "e_tag": uuid.uuid4().hex, "item": json.loads(encode(item))}
                table.upsert(row, Query().key == key)

    async def delete(self, keys: list[str]) -> None:
        with self._store.transaction():
            table = self._store.table(_TABLE)
            for key in keys:
                table.remove(Query().key == key)
