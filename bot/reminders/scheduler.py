"""The reminder loop: every `interval_seconds`, in working hours, post what is due to whoever owes it.

One tick:
1. outside working hours, or on a weekend or bank holiday: nothing;
2. for every review, the reminders `policy.reminders_due` calls for (due soon / due today /
   overdue, not snoozed): claim their keys in the ledger, a batch per transaction, re-read their
   reviews (one may have been marked done meanwhile), post each card and mark it sent — and give
   back the claims of those Teams could not take, so a later tick tries again;
3. escalation emails to SCS leads, when switched on (once per obligation occurrence);
4. on the first working day of the week, the "what you owe" digest (once per user per week).

The clock is injected, so tests walk months of days in a second; the loop itself only waits.
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.operations import metrics
from bot.review import Review
from bot.review_service import ReviewService
from bot.storage import Store
from bot.teams.proactive import Delivery, SendResult
from cards import render_card
from views.reminders import (
    outstanding_card_data,
    outstanding_summary,
    reminder_card_data,
    reminder_summary,
)

from .emails import ReminderMail
from .ledger import ReminderLedger
from .policy import (
    Reminder,
    digest_key,
    digest_week,
    escalations_due,
    in_working_hours,
    local_now,
    owed_by,
    recipients_of,
    reminders_due,
)
from .settings import ReminderSettings
from .snoozes import SnoozeBook

log = logging.getLogger(__name__)
# Reminders claimed (and given back) per store transaction: one transaction each made a sweep of
# thousands take minutes, while the cards themselves are still posted and marked one by one.
CLAIM_BATCH = 200


@dataclass(frozen=True)
class _Answer:
    """The policy's reminders for a review, and the question they answer (see _reminders_due)."""

    review: Review
    today: date
    failed: frozenset[str]
    snoozed: dict[tuple[str, str, str], date]
    reminders: list[Reminder]

    def answers(self, review: Review, today: date, failed: frozenset[str],
                snoozed: dict[tuple[str, str, str], date]) -> bool:
        # `is`: the repository hands out the same object while the review is unchanged.
        return (self.review is review and self.today == today and self.failed == failed
                and self.snoozed == snoozed)


class CardSender(Protocol):
    async def send_card(self, user_id: str, card: dict[str, Any], summary: str) -> SendResult: ...


@dataclass
class TickReport:
    """What one tick did, by key (for logs and tests)."""

    at: datetime
    skipped: str | None = None
    sent: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    no_conversation: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def bucket_for(self, result: SendResult) -> list[str]:
        return {Delivery.GONE: self.gone, Delivery.NO_CONVERSATION: self.no_conversation}.get(
            result.delivery, self.failed)


class ReminderScheduler:
    def __init__(
        self,
        store: Store,
        service: ReviewService,
        sender: CardSender,
        settings: ReminderSettings,
        mail: ReminderMail,
        *,
        clock: Callable[[], datetime],
        owner: str | None = None,
        claim_batch: int = CLAIM_BATCH,
    ) -> None:
        self._service = service
        self._mail = mail
        self._sender = sender
        self.settings = settings
        self._clock = clock
        self.ledger = ReminderLedger(store)
        self.snoozes = SnoozeBook(store)
        self._owner = owner or uuid.uuid4().hex[:12]
        self._claim_batch = claim_batch
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._housekept: date | None = None
        self.ticks_run = 0
        # Each review's last answer from the policy, and what it was asked (see _reminders_due).
        self._answers: dict[str, _Answer] = {}

    @property
    def running(self) -> bool:
        """Whether the loop is alive, or switched off on purpose (the readiness check asks)."""
        return not self.settings.enabled or (self._task is not None and not self._task.done())

    @property
    def due_soon_working_days(self) -> int:
        return self.settings.due_soon(self._service.review_settings)

    # -- lifecycle: aiohttp calls these with the app (on_startup / on_cleanup) -----------------

    async def start(self, _app: object = None) -> None:
        if not self.settings.enabled:
            log.info("Reminders are switched off (REMINDERS_ENABLED=false)")
            return
        if self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="reminder-scheduler")

    async def stop(self, _app: object = None) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        # A tick in the middle of a send finishes it (bounded by the backoff); then give up.
        done, _ = await asyncio.wait({task}, timeout=self.settings.max_retry_after_seconds + 5)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.tick()
                self.ticks_run += 1
            except Exception:  # one bad tick must not end reminders for good
                log.exception("Reminder tick failed; trying again at the next interval")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.settings.interval_seconds)

    # -- one tick ------------------------------------------------------------------------------

    async def tick(self) -> TickReport:
        now = self._clock()
        report = TickReport(now)
        if not in_working_hours(now, self.settings):
            report.skipped = "outside working hours"
            return report
        today = local_now(now, self.settings).date()
        reviews = await self._service.all_reviews()
        snoozed = await asyncio.to_thread(self.snoozes.active, today)
        failed = await self._service.failed_emails()
        due: list[Reminder] = []
        snoozed_by_review: dict[str, dict[tuple[str, str, str], date]] = {}
        for snooze, until in snoozed.items():
            snoozed_by_review.setdefault(snooze[0], {})[snooze] = until
        answers: dict[str, _Answer] = {}
        broken: set[str] = set()
        for review in reviews:
            try:
                answers[review.id] = self._reminders_due(review, today, failed, snoozed_by_review.get(review.id, {}))
                if self.settings.escalate_after_working_days is not None:
                    await self._escalate(review, today, now, failed, report)
            except Exception:  # one review's fault must not stop every other review's reminders
                log.exception("Reminders for review %s could not be worked out; the others go on", review.id)
                broken.add(review.id)
                continue
            due += answers[review.id].reminders
        self._answers = answers  # only the reviews there are now
        # Known-sent keys are dropped here, once, and not by the ledger's claim: so each batch is
        # full of keys the store must be asked about.
        due = [reminder for reminder in due if not self.ledger.known_sent(reminder.key)]
        for start in range(0, len(due), self._claim_batch):
            await self._remind(due[start:start + self._claim_batch], today, report)
        reviews = [review for review in reviews if review.id not in broken]
        week = digest_week(today) if self.settings.weekly_digest else None
        if week is not None:
            users = dict.fromkeys(u for r in reviews if not r.stage.is_terminal for u in recipients_of(r))
            for user_id in users:
                await self._digest(user_id, week, reviews, today, snoozed, failed, report)
        await self._housekeep(today, now)
        if report.sent or report.digests or report.escalated or report.gone or report.failed:
            log.info("Reminders: %d sent, %d digests, %d escalated, %d gone, %d failed",
                     len(report.sent), len(report.digests), len(report.escalated), len(report.gone),
                     len(report.failed))
        return report

    def _reminders_due(self, review: Review, today: date, failed: frozenset[str],
                       snoozed: dict[tuple[str, str, str], date]) -> _Answer:
        """`reminders_due`, remembered while the review (the very object the repository keeps while
        it is unchanged), the day, the failed emails and its snoozes are the same: the policy is
        pure, and most ticks ask it the same question about every review again."""
        answer = self._answers.get(review.id)
        if answer is not None and answer.answers(review, today, failed, snoozed):
            return answer
        return _Answer(review, today, failed, snoozed,
                       reminders_due(review, today, self.due_soon_working_days, failed, snoozed))

    async def _remind(self, batch: list[Reminder], today: date, report: TickReport) -> None:
        """Claims the batch in one transaction, looks again at what is due (a reminder marked done
        or snoozed since the tick began is dropped), posts each card and marks each one sent as it
        goes: a crash can then repeat at most the one card it cut. What was not sent is given back
        together at the end."""
        lease = timedelta(seconds=self.settings.claim_seconds)
        claimed_at = self._clock()
        tokens = await asyncio.to_thread(self.ledger.claim_all, [r.key for r in batch], claimed_at, lease,
                                         self._owner)
        if not tokens:
            return
        claimed = [reminder for reminder in batch if reminder.key in tokens]
        unsent = dict(tokens)
        try:
            current = await self._still_due(claimed, today)
            for reminder in claimed:
                now_due = current.get(reminder.key)
                if now_due is None:
                    continue
                if self._clock() >= claimed_at + lease:
                    # Sends before it took too long: the claim may be someone else's now, so it is left to lapse.
                    unsent.pop(reminder.key)
                    continue
                card = render_card("reminder", reminder_card_data(now_due.review, now_due.item, today))
                summary = reminder_summary(now_due.review, now_due.item)
                if await self._deliver(reminder.key, reminder.recipient, card, summary, report.sent, report):
                    unsent.pop(reminder.key)
        finally:
            if unsent:
                await asyncio.to_thread(self.ledger.release_all, unsent)

    async def _still_due(self, claimed: list[Reminder], today: date) -> dict[str, Reminder]:
        """The claimed reminders still due on their reviews as they are now, by key."""
        reviews, failed = await self._service.reviews_now({reminder.review.id for reminder in claimed})
        snoozed = await asyncio.to_thread(self.snoozes.active, today)
        wanted = {reminder.key for reminder in claimed}
        return {candidate.key: candidate for review in reviews.values()
                for candidate in reminders_due(review, today, self.due_soon_working_days, failed, snoozed)
                if candidate.key in wanted}

    async def _digest(self, user_id: str, week: str, reviews: list[Review], today: date,
                      snoozed: dict[tuple[str, str, str], date], failed: frozenset[str],
                      report: TickReport) -> None:
        key = digest_key(week, user_id)
        if self.ledger.known_sent(key):
            return
        owed = owed_by(user_id, reviews, today, self.due_soon_working_days, failed, only_as_recipient=True)
        if not owed:
            return
        lease = timedelta(seconds=self.settings.claim_seconds)
        token = await asyncio.to_thread(self.ledger.claim, key, self._clock(), lease, self._owner)
        if token is None:
            return
        mine = {(review_id, instance_id): until
                for (review_id, instance_id, who), until in snoozed.items() if who == user_id}
        data = outstanding_card_data(owed, today, digest=True, snoozed=mine)
        delivered = False
        try:
            delivered = await self._deliver(key, user_id, render_card("outstanding", data),
                                            outstanding_summary(data), report.digests, report)
        finally:
            if not delivered:
                await asyncio.to_thread(self.ledger.release, key, token)

    async def _deliver(self, key: str, user_id: str, card: dict[str, Any], summary: str,
                       delivered: list[str], report: TickReport) -> bool:
        """Posts the card; marks `key` sent at once if Teams took it (whether it did)."""
        result = await self._sender.send_card(user_id, card, summary)
        if not result.delivered:
            report.bucket_for(result).append(key)
            return False
        await asyncio.to_thread(self.ledger.mark_sent, key, self._clock())
        metrics.reminders_sent.add(1)
        delivered.append(key)
        return True

    async def _escalate(self, review: Review, today: date, now: datetime, failed: frozenset[str],
                  report: TickReport) -> None:
        after = self.settings.escalate_after_working_days
        assert after is not None
        # One email a review each sweep, listing every duty newly overdue enough (never one each).
        items = escalations_due(review, today, self.due_soon_working_days, after, failed)
        key = await self._mail.escalate_once(self.ledger, review, items, today, now)
        if key is not None:
            report.escalated.append(key)

    async def _housekeep(self, today: date, now: datetime) -> None:
        """Once a day: forget ledger rows and snoozes whose time is long past, and remove reviews
        past their retention (the ledger's rows for them went long before)."""
        if self._housekept == today:
            return
        self._housekept = today
        await asyncio.to_thread(self.ledger.prune, now - timedelta(days=self.settings.keep_days))
        await asyncio.to_thread(self.snoozes.prune, today)
        await self._service.remove_ended_reviews()
