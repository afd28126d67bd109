"""Child process for the journal test: writes numbered rows to the store argv[1] with a small
journal, acknowledging each, and is killed (SIGKILL) the moment a commit, having rewritten the
file, starts emptying the journal."""

import os
import signal
import sys
from pathlib import Path

from bot.storage import Record, TinyDBStore, tinydb_store

truncate = os.ftruncate


def _killed_when_emptying(descriptor: int, length: int) -> None:
    if length == 0 and os.fstat(descriptor).st_size > 0:
        os.kill(os.getpid(), signal.SIGKILL)
    truncate(descriptor, length)


tinydb_store.JOURNAL_MIN = 300
store = TinyDBStore(Path(sys.argv[1]))
with store.transaction() as session:
    session.put("rows", Record("k0", {"n": 0}))
print(0, flush=True)
os.ftruncate = _killed_when_emptying
for n in range(1, 1000):
    with store.transaction() as session:
        session.put("rows", Record(f"k{n % 5}", {"n": n}))
    print(n, flush=True)
