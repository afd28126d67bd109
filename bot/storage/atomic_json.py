"""A TinyDB storage that replaces its file atomically.

TinyDB's own JSONStorage rewrites the file in place, so a crash half-way through leaves
truncated JSON and the whole database unreadable. Here every write goes to a temporary file
that is flushed and fsynced, then renamed over the original: a reader (or the next start)
sees either the old file or the new one, never a mix.
"""

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

# The file holds safeguarding data: only the service account may read it.
_FILE_MODE = 0o600


class AtomicJSONStorage(Storage):
    def __init__(self, path: Path) -> None:
        self._path = path

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            with self._path.open(encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
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

    def close(self) -> None:
        """Nothing is held open between calls."""
