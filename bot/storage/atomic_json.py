"""A JSON file replaced atomically, so a crash mid-write cannot corrupt it.

Writing a file in place, as TinyDB's own JSONStorage does, leaves truncated JSON after a crash
half-way through, and the whole database unreadable. Here every write goes to a temporary file
that is flushed and fsynced, then renamed over the original: a reader (or the next start) sees
either the old file or the new one, never a mix. A temporary left by a crash is removed at the
next start (bot.temporary_files).
"""

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.temporary_files import locked_temporary, remove_leftovers


class AtomicJSONStorage:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._temporary_prefix = f".{path.name}."

    def read(self) -> dict[str, Any] | None:
        try:
            with self._path.open(encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return None

    def remove_leftovers(self) -> int:
        """Delete temporaries of this file that crashed writers left; how many."""
        return remove_leftovers(self._path.parent, self._temporary_prefix)

    def write_pieces(self, content: Iterable[bytes]) -> None:
        # The temporary is 0600, as the file it becomes must be: it holds safeguarding data.
        with locked_temporary(self._path.parent, self._temporary_prefix) as (handle, temporary):
            handle.writelines(content)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temporary, self._path)
        # The rename itself must reach the disk too, or a power cut could undo it.
        directory = os.open(self._path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
