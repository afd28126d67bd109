"""The worker against the fake Graph: retries, give-ups, the failure hook, start/stop, sharing."""

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.mail import (
    EmlOutboxSender,
    MailQueue,
    MailWorker,
    OutboxItem,
    OutgoingEmail,
    RetryPolicy,
)
from bot.mail.graph_sender import GraphMailSender
from bot.storage import Store
from tests.clock import FakeClock
from tests.fakes.fake_graph import FakeGraph
from tests.mail.conftest import make_email, run_until_idle
from tests.waiting import eventually

NO_JITTER = 0.0  # so the delays are exact


def _worker(queue: MailQueue, sender: object, clock: FakeClock, **options: object) -> MailWorker:
    return MailWorker(queue, sender, clock=clock, sleep=clock.sleep, jitter=lambda: NO_JITTER, **options)  # type: ignore[arg-type]


async def _drain(worker: MailWorker, queue: MailQueue, clock: FakeClock, limit: int = 30) -> list[float]:
    """Run the worker, jumping the clock to each retry; returns the waits it jumped."""
    waits = []
    for _ in range(limit):
        await run_until_idle(worker)
        due = queue.next_due_at()
        if due is None:
            return waits
        waits.append((due - clock.now).total_seconds())
        clock.now = max(clock.now, due)
    raise AssertionError("the queue never settled")


class OutcomeLog:
    def __init__(self) -> None:
        self.items: list[OutboxItem] = []
        self.raise_next = 0

    async def __call__(self, item: OutboxItem) -> None:
        if self.raise_next:
            self.raise_next -= 1
            raise RuntimeError("the bot could not reach the user")
        self.items.append(item)


async def test_a_submitted_email_is_sent_once_and_marked_sent(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    worker = _worker(queue, graph_sender, clock)

    worker.submit(make_email())
    await _drain(worker, queue, clock)

    item = queue.get("R1:O1:1")
    assert item is not None and (item.state, item.attempts, item.sent_at) == ("sent", 1, clock.now)
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_429_waits_exactly_the_retry_after(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(429, route="lookup", headers={"Retry-After": "17"}, code="ApplicationThrottled")
    worker = _worker(queue, graph_sender, clock)
    worker.submit(make_email())

    await run_until_idle(worker)
    item = queue.get("R1:O1:1")
    assert item is not None and item.state == "queued" and "throttling" in (item.last_error or "")
    assert item.next_attempt_at == clock.now + timedelta(seconds=17)

    assert await _drain(worker, queue, clock) == [17.0]
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_repeated_500s_back_off_exponentially_then_succeed(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(500, times=3, route="lookup")
    worker = _worker(queue, graph_sender, clock)
    worker.submit(make_email())

    assert await _drain(worker, queue, clock) == [10.0, 20.0, 40.0]
    assert queue.get("R1:O1:1").attempts == 4  # type: ignore[union-attr]
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_a_503_on_send_settles_then_sends_the_same_draft_once(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(503, route="send")
    worker = _worker(queue, graph_sender, clock)
    worker.submit(make_email())

    assert await _drain(worker, queue, clock) == [120.0]
    assert graph.routes() == ["lookup", "create", "send", "lookup", "send"]
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_a_send_that_times_out_after_graph_accepted_it_is_not_sent_again(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    accepted = graph.hang_after("send")
    policy = RetryPolicy(attempt_timeout=0.5)
    worker = _worker(queue, graph_sender, clock, policy=policy)
    worker.submit(make_email())

    await run_until_idle(worker)
    assert accepted.is_set()
    item = queue.get("R1:O1:1")
    assert item is not None and item.state == "queued" and "did not finish" in (item.last_error or "")

    assert await _drain(worker, queue, clock) == [policy.settle_after_timeout]
    assert graph.routes()[-1] == "lookup"
    assert graph.delivered_keys() == ["R1:O1:1"]
    assert queue.get("R1:O1:1").state == "sent"  # type: ignore[union-attr]


async def test_a_refused_connection_is_retried_until_graph_is_back(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    await graph.stop()
    worker = _worker(queue, graph_sender, clock)
    worker.submit(make_email())

    await run_until_idle(worker)
    item = queue.get("R1:O1:1")
    assert item is not None and item.state == "queued" and "ConnectError" in (item.last_error or "")

    await graph.start()
    await _drain(worker, queue, clock)
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_a_permanent_refusal_fails_at_once_and_is_reported_once(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    failures = OutcomeLog()
    worker = _worker(queue, graph_sender, clock, on_failed=failures)
    worker.submit(make_email("R1:O1:1", to=("nobody@invalid.example",)))

    await _drain(worker, queue, clock)
    clock.advance(3600)
    await _drain(worker, queue, clock)

    (item,) = failures.items
    assert item.key == "R1:O1:1" and item.state == "failed" and item.attempts == 1
    assert item.last_error is not None and "ErrorInvalidRecipients" in item.last_error
    assert queue.failed() == [item]
    assert graph.delivered == []


async def test_the_users_retry_sends_a_failed_email(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(403, code="ErrorAccessDenied")
    failures = OutcomeLog()
    worker = _worker(queue, graph_sender, clock, on_failed=failures)
    worker.submit(make_email())
    await _drain(worker, queue, clock)
    assert queue.get("R1:O1:1").state == "failed"  # type: ignore[union-attr]

    queue.retry("R1:O1:1")
    await _drain(worker, queue, clock)

    assert queue.get("R1:O1:1").state == "sent"  # type: ignore[union-attr]
    assert graph.delivered_keys() == ["R1:O1:1"]
    assert len(failures.items) == 1


async def test_endless_transient_errors_give_up_and_tell_the_user(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(503, times=10, route="lookup")
    failures = OutcomeLog()
    worker = _worker(queue, graph_sender, clock, on_failed=failures, policy=RetryPolicy(max_attempts=3))
    worker.submit(make_email())

    await _drain(worker, queue, clock)

    (item,) = failures.items
    assert item.state == "failed" and item.attempts == 3
    assert item.last_error is not None and item.last_error.startswith("Gave up after 3 attempts: Graph is")


async def test_on_sent_hears_of_each_delivery_once_and_may_be_a_plain_function(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    sent: list[str] = []
    worker = _worker(queue, graph_sender, clock, on_sent=lambda item: sent.append(item.key))
    worker.submit(make_email("R1:O1:1"))
    worker.submit(make_email("R1:O1:2"))

    await _drain(worker, queue, clock)
    clock.advance(3600)
    await _drain(worker, queue, clock)

    assert sent == ["R1:O1:1", "R1:O1:2"]


async def test_a_failure_hook_that_raises_is_called_again_later(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(403, code="ErrorAccessDenied")
    failures = OutcomeLog()
    failures.raise_next = 1
    worker = _worker(queue, graph_sender, clock, on_failed=failures)
    worker.submit(make_email())

    await _drain(worker, queue, clock)
    assert failures.items == []
    clock.advance(RetryPolicy().report_grace)
    await run_until_idle(worker)
    await run_until_idle(worker)

    assert [item.key for item in failures.items] == ["R1:O1:1"]


async def _eventually_sent(queue: MailQueue, key: str) -> None:
    await eventually(lambda: queue.get(key).state == "sent", what=f"{key} sent")  # type: ignore[union-attr]


async def test_the_background_task_sends_at_once_when_submitted_or_woken(
    queue: MailQueue, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    # Real time, and a poll interval far longer than the test: only waking explains a quick send.
    worker = MailWorker(queue, graph_sender, policy=RetryPolicy(poll_interval=600))
    await worker.start()
    try:
        await asyncio.sleep(0.05)
        worker.submit(make_email("R1:O1:1"))
        await _eventually_sent(queue, "R1:O1:1")
        # As the review service does: enqueue inside its own transaction, then wake the worker.
        queue.enqueue(make_email("R1:O1:2"))
        worker.wake()
        await _eventually_sent(queue, "R1:O1:2")
    finally:
        await worker.stop()
    assert graph.delivered_keys() == ["R1:O1:1", "R1:O1:2"]


async def test_stopping_mid_attempt_leaves_the_email_queued_and_it_goes_once_later(
    queue: MailQueue, clock: FakeClock, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    created = graph.hang_after("create")
    worker = _worker(queue, graph_sender, clock)
    await worker.start()
    worker.submit(make_email())
    async with asyncio.timeout(10):
        await created.wait()

    await worker.stop()

    item = queue.get("R1:O1:1")
    assert item is not None and item.state == "queued" and item.last_error == "Interrupted by a shutdown"
    await _drain(_worker(queue, graph_sender, clock), queue, clock)
    assert graph.routes()[-2:] == ["lookup", "send"]
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_two_workers_sharing_one_store_send_each_email_once(
    open_store: Callable[[], Store],
    clock: FakeClock,
    graph: FakeGraph,
    make_graph_sender: Callable[..., GraphMailSender],
) -> None:
    attempts: dict[str, list[str]] = {"a": [], "b": []}

    class Counting:
        def __init__(self, name: str) -> None:
            self.name, self.inner = name, make_graph_sender()

        async def send(self, email: OutgoingEmail) -> None:
            attempts[self.name].append(email.key)
            await self.inner.send(email)

        async def close(self) -> None:
            await self.inner.close()

    # Each "instance" has its own Store object on the same file, as two processes would.
    queues = [MailQueue(open_store(), clock) for _ in range(2)]
    keys = [f"R{n}:O1:1" for n in range(12)]
    for key in keys:
        queues[0].enqueue(make_email(key))

    await asyncio.gather(
        run_until_idle(_worker(queues[0], Counting("a"), clock)),
        run_until_idle(_worker(queues[1], Counting("b"), clock)),
    )

    assert sorted(graph.delivered_keys()) == sorted(keys)
    assert attempts["a"] and attempts["b"], "both instances should have taken a share"
    assert sorted(attempts["a"] + attempts["b"]) == sorted(keys)
    assert all(item.state == "sent" for item in queues[1].status_for_keys(""))


async def test_the_local_outbox_works_through_the_worker(
    queue: MailQueue, clock: FakeClock, tmp_path: Path
) -> None:
    sender = EmlOutboxSender(tmp_path / "outbox", "scr-assistant@localhost")
    worker = _worker(queue, sender, clock)

    worker.submit(make_email())
    await _drain(worker, queue, clock)

    assert queue.get("R1:O1:1").state == "sent"  # type: ignore[union-attr]
    assert sender.path_for("R1:O1:1").exists()


def test_backoff_doubles_to_a_cap_with_jitter_and_retry_after_wins() -> None:
    policy = RetryPolicy(first_delay=10, max_delay=60)

    assert [policy.delay(n, None, 0.0) for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]
    assert 5 < policy.delay(1, None, 0.99) <= 10
    assert policy.delay(1, 30, 0.0) == 30 and 30 <= policy.delay(9, 30, 0.99) <= 33
