"""A crash between any two steps neither loses a notification nor sends it twice.

A child process enqueues and starts sending, and dies at one point; a worker started afterwards
(with the clock past the dead one's claim) finishes the job. The fake Graph's delivery record,
or the outbox folder, then shows each email exactly once.
"""

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.documents import DocumentStore
from bot.mail import EmlOutboxSender, MailQueue, MailWorker, OutgoingEmail
from bot.mail.graph_sender import GraphMailSender
from bot.storage import Store
from tests.clock import FakeClock
from tests.fakes.fake_graph import FakeGraph
from tests.mail.conftest import (
    LARGE_SIZE,
    SMALL_SIZE,
    arrived,
    make_email,
    make_email_with_documents,
    run_until_idle,
)
from tests.mail.crash_worker import CRASH_EXIT

ROOT = Path(__file__).resolve().parents[2]
KEY = "R7:O1:1"
IN_PROCESS_POINTS = ["after-enqueue", "after-claim", "after-send-returned", "after-mark-sent"]
# The fake Graph carries out the request, then never answers: the child is killed right there.
SERVER_POINTS = ["lookup", "create", "send"]
# What the restarted worker must ask Graph, given where the first one died.
RESTART_REQUESTS = {
    "after-enqueue": ["lookup", "create", "send"],
    "after-claim": ["lookup", "create", "send"],
    "lookup": ["lookup", "create", "send"],
    "create": ["lookup", "send"],  # the draft is there: send it, do not make another
    "send": ["lookup"],  # already in Sent Items
    "after-send-returned": ["lookup"],
    "after-mark-sent": [],  # nothing left to do
}


async def _run_child(
    store: str, adapter: str, target: str, point: str, keys: str, *data_dir: Path
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.mail.crash_worker",
        store,
        adapter,
        target,
        point,
        keys,
        *map(str, data_dir),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def _restart_and_drain(store: Store, sender: object, email: OutgoingEmail | None = None) -> MailQueue:
    """A fresh instance (`store` a new Store object), new worker, clock past any lease or settle time.
    Its on_sent hook must hear of the delivery, even when the dead process had recorded it."""
    clock = FakeClock(datetime.now(UTC) + timedelta(hours=1))
    queue = MailQueue(store, clock)
    queue.enqueue(email or make_email(KEY))  # The bot re-submitting after a restart adds nothing.
    reported: list[str] = []
    worker = MailWorker(
        queue,
        sender,  # type: ignore[arg-type]
        clock=clock,
        sleep=clock.sleep,
        on_sent=lambda item: reported.append(item.key),
    )
    for _ in range(5):
        await run_until_idle(worker)
        due = queue.next_due_at()
        if due is None:
            break
        clock.now = max(clock.now, due)
    assert reported == [KEY]
    return queue


@pytest.mark.parametrize("point", list(RESTART_REQUESTS))
async def test_graph_a_crash_at_any_step_still_sends_exactly_once(
    store_location: str, open_store: Callable[[], Store], graph: FakeGraph,
    make_graph_sender: Callable[..., GraphMailSender], point: str
) -> None:
    reached = graph.hang_after(point) if point in SERVER_POINTS else None

    child = await _run_child(store_location, "graph", graph.base_url, "none" if reached else point, KEY)
    if reached is not None:
        await asyncio.wait_for(reached.wait(), 30)
        child.send_signal(signal.SIGKILL)
    code = await asyncio.wait_for(child.wait(), 30)
    assert code == (-signal.SIGKILL if reached else CRASH_EXIT), "the child should have died at the point"

    graph.requests.clear()
    queue = await _restart_and_drain(open_store(), make_graph_sender())

    assert graph.routes() == RESTART_REQUESTS[point]
    assert graph.delivered_keys() == [KEY]
    (item,) = queue.status_for_keys("")
    assert item.state == "sent"


# Where the child dies on an email carrying a small and a large document (a route, and how many
# requests of that route pass first), and what the restarted worker must then ask Graph.
UPLOAD_LARGE = ["upload-session", "upload-chunk", "upload-chunk"]
ATTACH_CRASHES = {
    "draft made, nothing attached": (("create", 0), ["lookup", "list-attachments", "attach", *UPLOAD_LARGE, "send"]),
    "small one attached": (("attach", 0), ["lookup", "list-attachments", *UPLOAD_LARGE, "send"]),
    "large one half uploaded": (("upload-chunk", 0), ["lookup", "list-attachments", *UPLOAD_LARGE, "send"]),
    "all attached, not sent": (("upload-chunk", 1), ["lookup", "list-attachments", "send"]),
}


@pytest.mark.parametrize("crash", list(ATTACH_CRASHES))
async def test_graph_a_crash_while_attaching_sends_once_with_one_copy_of_each_document(
    store_location: str,
    open_store: Callable[[], Store],
    graph: FakeGraph,
    make_graph_sender: Callable[..., GraphMailSender],
    documents: DocumentStore,
    crash: str,
) -> None:
    (route, skip), restart_requests = ATTACH_CRASHES[crash]
    data_dir = documents.root.parent
    reached = graph.hang_after(route, skip=skip)

    child = await _run_child(store_location, "graph", graph.base_url, "none", KEY, data_dir)
    await asyncio.wait_for(reached.wait(), 30)
    child.send_signal(signal.SIGKILL)
    assert await asyncio.wait_for(child.wait(), 30) == -signal.SIGKILL

    graph.requests.clear()
    queue = await _restart_and_drain(open_store(), make_graph_sender(), make_email_with_documents(documents, KEY))

    assert graph.routes() == restart_requests
    assert graph.delivered_keys() == [KEY]
    assert graph.delivered_attachments() == [arrived(SMALL_SIZE, LARGE_SIZE)]
    assert queue.get(KEY).state == "sent"  # type: ignore[union-attr]


@pytest.mark.parametrize("point", IN_PROCESS_POINTS)
async def test_eml_a_crash_at_any_step_still_writes_exactly_one_file(
    tmp_path: Path, store_location: str, open_store: Callable[[], Store], point: str
) -> None:
    outbox = tmp_path / "outbox"

    child = await _run_child(store_location, "eml", str(outbox), point, KEY)
    assert await asyncio.wait_for(child.wait(), 30) == CRASH_EXIT
    written_before = {path: path.stat().st_ino for path in outbox.glob("*")}

    sender = EmlOutboxSender(outbox, "scr-assistant@localhost")
    queue = await _restart_and_drain(open_store(), sender)

    assert list(outbox.iterdir()) == [sender.path_for(KEY)]
    # A file written before the crash is the delivery: it is not rewritten.
    assert all(path.stat().st_ino == inode for path, inode in written_before.items())
    assert queue.get(KEY).state == "sent"  # type: ignore[union-attr]


async def test_two_processes_sharing_one_store_send_each_email_once(
    store_location: str, open_store: Callable[[], Store], graph: FakeGraph
) -> None:
    keys = [f"R{n}:O1:1" for n in range(10)]
    graph.delay_next(0.2)  # Hold the first request so both processes are busy at once.

    children = [
        await _run_child(store_location, "graph", graph.base_url, "none", ",".join(keys)) for _ in range(2)
    ]
    codes = await asyncio.wait_for(asyncio.gather(*(child.wait() for child in children)), 60)

    assert codes == [0, 0]
    assert sorted(graph.delivered_keys()) == sorted(keys)
    queue = MailQueue(open_store())
    assert [item.state for item in queue.status_for_keys("")] == ["sent"] * len(keys)
