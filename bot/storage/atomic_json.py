"""A TinyDB storage that replaces its file atomically, and can hold a transaction's writes.

TinyDB's own JSONStorage rewrites the file in place, so a crash half-way through leaves
truncated JSON and the whole database unreadable. Here every write goes to a temporary file
that is flushed and fsynced, then renamed over the original: a reader (or the next start)
sees either the old file or the new one, never a mix.

Between `begin()` and `commit()` reads and writes go to the data in memory and reach the file
once, at commit; `rollback()` forgets them. So everything written in one transaction is on disk
together or not at all, and a transaction costs one read and one fsync however much it does.
"""

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

# The file holds safeguarding data: only the service account may read it.
_FILE_MODE = 0o600

Data = dict[str, dict[str, Any]]


class AtomicJSONStorage(Storage):
    def __init__(self, path: Path) -> None:
        self._path = path
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

    def _save(self, data: Data) -> None:
        temporary = self._path.with_name(f".{self._path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self._path)
        # The rename itself must reach the disk too, or a power cut could undo it.
        directory = os.open(self._path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
