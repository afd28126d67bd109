"""The application's one store, safe to share between coroutines, threads and processes.

All access happens inside `transaction()`, which
- holds an exclusive lock on a companion lock file (an `flock`, so a second app instance on the
  same data directory waits its turn: nobody loses anybody's writes), and
- is atomic: what the transaction writes reaches the file together when it ends, and nothing of
  it if it ends with an exception (so a review is never saved without the emails it queued).
Tables are opened fresh inside each transaction with TinyDB's query cache off, because another
process may have changed the file since we last looked.
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb.table import Table

from bot.storage.atomic_json import AtomicJSONStorage


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = path
        self._storage = AtomicJSONStorage(path)
        self._storage.remove_leftovers()
        self._lock_path = path.with_name(path.name + ".lock")
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._doomed = False
        self._lock_descriptor: int | None = None

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """Hold the store exclusively; transactions nest within one process. The outermost one
        commits everything written inside it, or nothing if any level failed (even a failure an
        outer level caught: the inner writes may be half done)."""
        with self._thread_lock:
            outermost = self._depth == 0
            if outermost:
                self._acquire()
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._doomed = True
                raise
            finally:
                self._depth -= 1
                if outermost:
                    try:
                        if self._doomed:
                            self._storage.rollback()
                        else:
                            self._storage.commit()
                    finally:
                        self._doomed = False
                        self._release()

    def _acquire(self) -> None:
        descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            self._storage.begin()
        except BaseException:
            # Closing the descriptor releases the lock: an unreadable file must not wedge the store.
            os.close(descriptor)
            raise
        self._lock_descriptor = descriptor

    def _release(self) -> None:
        if self._lock_descriptor is not None:
            fcntl.flock(self._lock_descriptor, fcntl.LOCK_UN)
            os.close(self._lock_descriptor)
            self._lock_descriptor = None

    def table(self, name: str) -> Table:
        if self._depth == 0:
            raise RuntimeError("Open tables inside `with store.transaction():`")
        return Table(self._storage, name, cache_size=0)
