"""Writing a file so that a crash leaves it whole or absent, never torn."""

import os
from pathlib import Path

from bot.temporary_files import locked_temporary


def write_once(path: Path, content: bytes) -> None:
    """Write `content` to `path` atomically, refusing (FileExistsError) if `path` already exists.
    The file is readable and writable by its owner only (0600), as mkstemp creates it.

    The content goes to a temporary file in the same directory that is fsynced and then
    hard-linked into place: like a rename a link is atomic, but unlike a rename it never replaces
    an existing file, so two racing writers leave one file. The directory is fsynced last so the
    new name survives a power cut. A crash leaves only the temporary, removed at the next start
    (bot.temporary_files).
    """
    with locked_temporary(path.parent, f".{path.name}.") as (handle, temporary):
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
        os.link(temporary, path)
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make a change to the directory's entries (a new or removed name) durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
