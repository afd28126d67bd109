"""The background task that drains the outbox.

Attach it to the aiohttp app:

    sender = build_mail_sender(MailSettings.from_env(env, data_dir))
    worker = MailWorker(MailQueue(store), sender, on_sent=..., on_failed=...)
    app.on_startup.append(lambda _app: worker.start())
    app.on_cleanup.append(lambda _app: worker.stop())
    app.on_cleanup.append(lambda _app: sender.close())  # after stop: aiohttp runs these in order

Each attempt is bounded by `RetryPolicy.attempt_timeout`, which is shorter than the claim's lease,
so a slow attempt never runs on after another instance could have taken the row over.
"""

import asyncio
import contextlib
import inspect
import logging
import os
import random
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.mail.message import OutgoingEmail
from bot.mail.queue import FAILED, SENT, Claim, MailQueue, OutboxItem
from bot.mail.sender import MailSender, PermanentMailError, TransientMailError
from bot.operations import metrics

log = logging.getLogger(__name__)

# Told about each outcome at least once (again after a crash, or if it raised): make it idempotent.
OutcomeHook = Callable[[OutboxItem], Awaitable[None] | None]


@dataclass(frozen=True)
class RetryPolicy:
    """All durations in seconds."""

    first_delay: float = 10.0
    max_delay: float = 30 * 60.0
    # Attempts (since the user last pressed retry) before a notification is marked failed and
    # the user told: some three to four hours of trying with the delays above.
    max_attempts: int = 16
    attempt_timeout: float = 120.0
    lease: float = 300.0
    # After our own timeout the email may have gone out; see graph_sender.DEFAULT_SETTLE_SECONDS.
    settle_after_timeout: float = 120.0
    poll_interval: float = 5.0
    # How long an outcome may wait for the instance that reached it to report it.
    report_grace: float = 60.0

    def __post_init__(self) -> None:
        if self.attempt_timeout >= self.lease:
            raise ValueError("attempt_timeout must be shorter than lease")

    @classmethod
    def with_lease(cls, lease: float) -> "RetryPolicy":
        """The defaults with a claim lasting `lease` (MAIL_LEASE_SECONDS), each attempt ending well
        within it: at most 40% of it, and never over the default 120 s."""
        return cls(lease=lease, attempt_timeout=min(cls.attempt_timeout, 0.4 * lease))

    def delay(self, attempts: int, retry_after: float | None, jitter: float) -> float:
        """Retry-After wins when given; otherwise exponential backoff. `jitter` in [0, 1) spreads
        retries so instances (and queued rows) do not all come back at the same moment."""
        if retry_after is not None:
            return retry_after * (1 + 0.1 * jitter)
        backoff = min(self.max_delay, self.first_delay * 2 ** max(0, attempts - 1))
        return backoff * (1 - 0.5 * jitter)


class MailWorker:
    def __init__(
        self,
        queue: MailQueue,
        sender: MailSender,
        *,
        on_sent: OutcomeHook | None = None,
        on_failed: OutcomeHook | None = None,
        policy: RetryPolicy | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        worker_id: str | None = None,
        wake: asyncio.Event | None = None,
    ) -> None:
        """`wake`, when given, is set by whoever commits emails to the queue (see `wake()`): one
        event both sides are built with, so neither needs the other first."""
        self.queue = queue
        self._sender = sender
        self._on_sent = on_sent
        self._on_failed = on_failed
        self._policy = policy or RetryPolicy()
        self._clock = clock or queue.clock
        self._sleep = sleep
        self._jitter = jitter
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._wake = wake or asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        """Whether the background task is alive (the readiness check asks)."""
        return self._task is not None and not self._task.done()

    def submit(self, email: OutgoingEmail) -> OutboxItem:
        """Store `email` and wake the worker: the way the bot sends a notification (1.1: at once)."""
        item = self.queue.enqueue(email)
        self.wake()
        return item

    def wake(self) -> None:
        """Look at the queue now rather than at the next poll: call it after committing a
        transaction that enqueued emails itself (with the review change they belong to). Safe from
        any thread: store work runs in threads, and the event must be set on its own loop."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self._wake.set()
            return
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name=f"mail-worker {self.worker_id}")

    async def stop(self, *, drain: bool = False) -> None:
        """Cancelling mid-attempt is safe: the claim is released for a later, idempotent retry.
        With `drain` (a SIGTERM) the email being sent is first given its attempt's time to finish,
        so a shutdown neither cuts a send short nor leaves it to settle for minutes."""
        if self._task is not None and drain:
            self._stopping = True
            self._wake.set()
            await asyncio.wait({self._task}, timeout=self._policy.attempt_timeout + 5)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run_once(self) -> bool:
        """Attempt the row due longest, if any; False when nothing is due."""
        await self._report_earlier_outcomes()
        claim = await asyncio.to_thread(self.queue.claim_next, self.worker_id, timedelta(seconds=self._policy.lease))
        if claim is None:
            return False
        await self._attempt(claim)
        return True

    async def _run(self) -> None:
        while not self._stopping:
            # Cleared before looking at the queue (which happens in a thread): a wake that comes
            # while we look is then still set when the idle wait below begins, and not lost.
            self._wake.clear()
            try:
                if not await self.run_once():
                    await self._idle()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the worker must outlive a bad moment (disk full …)
                log.error("mail worker: %s; carrying on", type(error).__name__)
                await self._sleep(self._policy.poll_interval)

    async def _idle(self) -> None:
        """Sleep until the next row is due, a new email is submitted, or the poll interval ends
        (another instance sharing the store may have queued something)."""
        wait = self._policy.poll_interval
        next_due = await asyncio.to_thread(self.queue.next_due_at)
        if next_due is not None:
            wait = min(wait, max(0.0, (next_due - self._clock()).total_seconds()))
        if self._stopping:
            return
        woken = asyncio.ensure_future(self._wake.wait())
        slept = asyncio.ensure_future(self._sleep(wait))
        try:
            await asyncio.wait({woken, slept}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            slept.cancel()

    async def _attempt(self, claim: Claim) -> None:
        key = claim.item.key
        try:
            with metrics.tracer.start_as_current_span("email.send", attributes={"scr.email.key": key}):
                await asyncio.wait_for(self._sender.send(claim.email), self._policy.attempt_timeout)
        except TransientMailError as error:
            await self._retry_later(claim, error.reason, error.retry_after)
        except PermanentMailError as error:
            await self._fail(claim, error.reason)
        except TimeoutError:
            reason = f"Sending did not finish within {self._policy.attempt_timeout:.0f} seconds"
            await self._retry_later(claim, reason, self._policy.settle_after_timeout)
        except asyncio.CancelledError:
            # Shutting down mid-attempt: the email may or may not have gone, so let it settle.
            self.queue.mark_retry(
                claim, "Interrupted by a shutdown", timedelta(seconds=self._policy.settle_after_timeout)
            )
            raise
        except Exception as error:  # noqa: BLE001 - an adapter bug must not lose the notification
            log.error("mail %s: unexpected %s while sending", key, type(error).__name__)
            await self._retry_later(claim, f"Unexpected error ({type(error).__name__})", None)
        else:
            item = await asyncio.to_thread(self.queue.mark_sent, claim)
            if item is not None:
                metrics.emails_sent.add(1)
                await self._report(item)

    async def _retry_later(self, claim: Claim, reason: str, retry_after: float | None) -> None:
        if claim.item.attempts >= self._policy.max_attempts:
            await self._fail(claim, f"Gave up after {claim.item.attempts} attempts: {reason}")
            return
        delay = self._policy.delay(claim.item.attempts, retry_after, self._jitter())
        await asyncio.to_thread(self.queue.mark_retry, claim, reason, timedelta(seconds=delay))

    async def _fail(self, claim: Claim, reason: str) -> None:
        item = await asyncio.to_thread(self.queue.mark_failed, claim, reason)
        if item is not None:
            metrics.emails_failed.add(1)
            await self._report(item)

    async def _report_earlier_outcomes(self) -> None:
        for item in await asyncio.to_thread(self.queue.unreported, timedelta(seconds=self._policy.report_grace)):
            await self._report(item)

    async def _report(self, item: OutboxItem) -> None:
        hook = self._on_sent if item.state == SENT else self._on_failed
        try:
            if hook is None and item.state == FAILED:
                log.error("mail %s: failed and no on_failed hook is set (%s)", item.key, item.last_error)
            elif hook is not None:
                result = hook(item)
                if inspect.isawaitable(result):
                    await result
        except Exception as error:  # noqa: BLE001 - reported again on a later pass
            log.error("mail %s: the %s hook raised %s", item.key, item.state, type(error).__name__)
            return
        await asyncio.to_thread(self.queue.mark_reported, item.key)
