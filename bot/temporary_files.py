"""Temporary files for atomic writes, and removing those a crash left behind.

Every atomic write here (the store, documents, `.eml` files) goes to a temporary file first. A
process killed mid-write (kill -9, out of memory) leaves that file, a whole or partial copy of
safeguarding data, under a name nothing reads. So the writer holds an `flock` on its temporary
for as long as it exists: the kernel drops the lock when the process dies, and a temporary that
nobody holds locked is a leftover, which `remove_leftovers` deletes at start-up, even while other
instances sharing the directory are writing their own.
"""

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

SUFFIX = ".tmp"


@contextlib.contextmanager
def locked_temporary(directory: Path, prefix: str) -> Iterator[tuple[BinaryIO, Path]]:
    """A new temporary `<prefix>…​.tmp` in `directory` (0600, as mkstemp makes it), open for
    writing and locked; when the block ends it is removed unless it was renamed or linked."""
    while True:
        descriptor, name = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=SUFFIX)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        # A clean-up may have taken it between mkstemp and the lock: then make another.
        with contextlib.suppress(FileNotFoundError):
            if os.stat(name).st_ino == os.fstat(descriptor).st_ino:
                break
        os.close(descriptor)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle, temporary
    finally:
        # Once the lock has gone with the descriptor a clean-up may remove the name first: harmless.
        temporary.unlink(missing_ok=True)


def remove_leftovers(directory: Path, prefix: str = ".") -> int:
    """Delete the temporaries `<prefix>*.tmp` in `directory` that no live writer holds; how many."""
    removed = 0
    for candidate in directory.glob(f"{prefix}*{SUFFIX}"):
        try:
            descriptor = os.open(candidate, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # its writer is alive
        else:
            candidate.unlink(missing_ok=True)
            removed += 1
        finally:
            os.close(descriptor)
    return removed
