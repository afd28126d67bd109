"""A TinyDB storage that replaces its file atomically, and can hold a transaction's writes.

TinyDB's own JSONStorage rewrites the file in place, so a crash half-way through leaves
truncated JSON and the whole database unreadable. Here every write goes to a temporary file
that is flushed and fsynced, then renamed over the original: a reader (or the next start)
sees either the old file or the new one, never a mix. A temporary left by a crash is removed
at the next start (bot.temporary_files).

Between `begin()` and `commit()` reads and writes go to the data in memory and reach the file
once, at commit; `rollback()` forgets them. So everything written in one transaction is on disk
together or not at all, and a transaction costs one read and one fsync however much it does.
"""

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from bot.temporary_files import locked_temporary, remove_leftovers

Data = dict[str, dict[str, Any]]


class AtomicJSONStorage(Storage):
    def __init__(self, path: Path) -> None:
        self._path = path
        self._temporary_prefix = f".{path.name}."
        self._pending: Data | None = None
        self._changed = False

    def begin(self) -> None:
        self._pending = self._load() or {}
        self._changed = False

    def commit(self) -> None:
        if self._pending is not None and self._changed:
            self._save(self._pending)
        self._pending = None

    def rollback(self) -> None:
        self._pending = None

    def read(self) -> Data | None:
        return self._pending if self._pending is not None else self._load()

    def write(self, data: Data) -> None:
        if self._pending is None:
            self._save(data)
        else:
            self._pending, self._changed = data, True

    def close(self) -> None:
        """Nothing is held open between calls."""

    def _load(self) -> Data | None:
        try:
            with self._path.open(encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return None

    def remove_leftovers(self) -> int:
        """Delete temporaries of this file that crashed writers left; how many."""
        return remove_leftovers(self._path.parent, self._temporary_prefix)

    def _save(self, data: Data) -> None:
        # The temporary is 0600, as the file it becomes must be: it holds safeguarding data.
        with locked_temporary(self._path.parent, self._temporary_prefix) as (handle, temporary):
            handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temporary, self._path)
        # The rename itself must reach the disk too, or a power cut could undo it.
        directory = os.open(self._path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
