"""Child process for the leftovers test: begins one atomic write of the kind named in argv[1]
under the data directory argv[2], and is killed (SIGKILL, as by kill -9) by its own fsync, that
is after its temporary file exists and before that file is renamed or linked into place."""

import os
import signal
import sys
from pathlib import Path

from bot.documents import DocumentStore
from bot.documents.atomic_file import write_once
from bot.storage import Record, TinyDBStore


def _killed(_: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


kind, data_dir = sys.argv[1], Path(sys.argv[2])
os.fsync = _killed
if kind == "store":
    store = TinyDBStore(data_dir / "scr-assistant.json")
    with store.transaction() as session:
        session.put("rows", Record("1", {"note": "a write cut short"}))
elif kind == "document":
    DocumentStore(data_dir / "documents", 1_000_000).put(b"%PDF-1.7 a copy", "IMR.pdf", "application/pdf")
elif kind == "email":
    (data_dir / "outbox").mkdir(parents=True, exist_ok=True)
    write_once(data_dir / "outbox" / "an-email.eml", b"Subject: cut short\r\n\r\n")
