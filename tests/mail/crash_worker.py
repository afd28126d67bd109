"""Child process for the crash tests: enqueue emails and run a worker until the queue is idle,
dying abruptly (os._exit, as a power cut or OOM kill would) at a chosen point.

    python -m tests.mail.crash_worker STORE ADAPTER TARGET CRASH_POINT KEY[,KEY...] [DATA_DIR]

STORE is a TinyDB file or a PostgreSQL URL (tests/conftest.py: store_at). ADAPTER is "graph"
(TARGET = the fake Graph's base URL) or "eml" (TARGET = the outbox folder).
With DATA_DIR each email carries a small and a large document, stored in its documents folder
(the same bytes, so the same references, as the test stores).
Crash points inside the process wrap the real queue and sender, so the code under test is not
changed: after-enqueue, after-claim, after-send-returned (delivered, not yet marked sent) and
after-mark-sent. With "none" it runs to the end, or until the test SIGKILLs it at a point the
fake Graph reports (after it carried out a look-up, a draft creation or a send).
"""

import asyncio
import os
import sys
from datetime import timedelta
from pathlib import Path

from bot.mail import EmlOutboxSender, MailQueue, MailWorker, OutgoingEmail
from bot.mail.graph_sender import GraphMailSender
from bot.mail.queue import Claim, OutboxItem
from bot.mail.sender import MailSender
from bot.storage import Store
from tests.conftest import store_at
from tests.fakes.fake_graph import MAILBOX, StaticTokenCredential
from tests.mail.conftest import documents_at, make_email, make_email_with_documents, run_until_idle

CRASH_EXIT = 77


def crash_if(point: str, wanted: str) -> None:
    if point == wanted:
        os._exit(CRASH_EXIT)


class CrashingQueue(MailQueue):
    def __init__(self, store: Store, point: str) -> None:
        super().__init__(store)
        self.point = point

    def claim_next(self, worker: str, lease: timedelta) -> Claim | None:
        claim = super().claim_next(worker, lease)
        if claim is not None:
            crash_if(self.point, "after-claim")
        return claim

    def mark_sent(self, claim: Claim) -> OutboxItem:
        item = super().mark_sent(claim)
        crash_if(self.point, "after-mark-sent")
        return item


class CrashingSender:
    def __init__(self, inner: MailSender, point: str) -> None:
        self.inner, self.point = inner, point

    async def send(self, email: OutgoingEmail) -> None:
        await self.inner.send(email)
        crash_if(self.point, "after-send-returned")

    async def close(self) -> None:
        await self.inner.close()


async def main(store: str, adapter: str, target: str, point: str, keys: str, data_dir: str = "") -> None:
    queue = CrashingQueue(store_at(store), point)
    documents = documents_at(Path(data_dir)) if data_dir else None
    for key in keys.split(","):
        queue.enqueue(make_email_with_documents(documents, key) if documents else make_email(key))
    crash_if(point, "after-enqueue")
    inner: MailSender
    if adapter == "graph":
        inner = GraphMailSender(MAILBOX, StaticTokenCredential(), base_url=target, documents=documents)
    else:
        inner = EmlOutboxSender(Path(target), "scr-assistant@localhost", documents)
    sender = CrashingSender(inner, point)
    try:
        await run_until_idle(MailWorker(queue, sender))
    finally:
        await sender.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
