"""Which adapter the app stores with: PostgreSQL when `DATABASE_URL` is set, else TinyDB files.

TinyDB keeps two files in DATA_DIR: `scr-assistant.json` (reviews, outbox, reminders, saved
conversations: what must change together) and `bot-state.json` (the dialog state every turn
writes, small and hot, so a turn never rewrites the reviews), each with its journal
(`<file>.journal`, see bot.storage.tinydb_store). TinyDB serves one instance: the
app holds `instance.lock` in DATA_DIR while it runs, and a second copy stops with a message.
"""

import fcntl
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.storage.bot_state import COLLECTION as BOT_STATE
from bot.storage.port import Store
from bot.storage.tinydb_store import TinyDBStore

MAIN_FILE = "scr-assistant.json"
STATE_FILE = "bot-state.json"


class InstanceRunning(RuntimeError):
    """Another copy of the app already serves this TinyDB data directory."""


@dataclass(frozen=True)
class Stores:
    main: Store
    state: Store
    instance_lock: int | None = None

    def close(self) -> None:
        if self.instance_lock is not None:
            os.close(self.instance_lock)  # releases the lock
        self.main.close()
        if self.state is not self.main:
            self.state.close()


def open_stores(data_dir: Path, env: Mapping[str, str]) -> Stores:
    url = env.get("DATABASE_URL", "").strip()
    if url:
        from bot.storage.postgres_store import PostgresStore  # only a PostgreSQL deployment needs the driver

        store = PostgresStore(url)
        return Stores(store, store)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    instance_lock = hold_instance_lock(data_dir)
    main, state = TinyDBStore(data_dir / MAIN_FILE), TinyDBStore(data_dir / STATE_FILE)
    move_bot_state(main, state)
    return Stores(main, state, instance_lock)


def hold_instance_lock(data_dir: Path) -> int:
    descriptor = os.open(data_dir / "instance.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise InstanceRunning(
            f"another copy of SCR Assistant is already running on DATA_DIR={data_dir}. The embedded "
            "store (TinyDB) serves one instance: stop the other copy, or set DATABASE_URL so that "
            "several instances share PostgreSQL.") from None
    return descriptor


def move_bot_state(main: Store, state: Store) -> None:
    """Releases before the split kept bot state in the main file: move it to its own."""
    with main.transaction() as source, state.transaction() as target:
        for record in source.all(BOT_STATE):
            target.put(BOT_STATE, record)
            source.delete(BOT_STATE, record.key)
