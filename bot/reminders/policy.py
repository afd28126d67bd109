"""What to remind whom about, and when: pure functions of a review and the time.

- Only obligations that are due soon, due today or overdue are reminded, and only those not
  snoozed by the person reminded, nor waiting only for an email the bot is still sending (one
  whose email failed is reminded: retrying it is the person's to-do).
- A reminder goes to the review's Home Office representative (the bot's main user, RULES.md), or,
  while none is recorded, to every member of the review.
- At most one reminder per obligation occurrence per period: once while it is due soon, once on
  the day it is due, once per working day while it is overdue. The period is part of the
  reminder's key, which the ledger claims before anything is sent.
- Nothing is sent outside working hours or on a weekend or bank holiday (England and Wales).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.review import DueStatus, ObligationStatus, Review, is_working_day, working_days_between
from bot.review.next_steps import Owed, owed_on, recipients_of

from .settings import END_OF_DAY, ReminderSettings

REMINDED = (DueStatus.DUE_SOON, DueStatus.DUE_TODAY, DueStatus.OVERDUE)
# Keys of emails this package queues start with this, never with a review id: the mail worker's
# "sent" hook must not treat them as the review notifications of bot.review.
MAIL_KEY_PREFIX = "reminders:"


@dataclass(frozen=True)
class Reminder:
    review: Review
    item: ObligationStatus
    period: str
    recipient: str

    @property
    def key(self) -> str:
        return f"reminder:{self.review.id}:{self.item.instance_id}:{self.period}:{self.recipient}"


def local_now(now: datetime, settings: ReminderSettings) -> datetime:
    return now.astimezone(settings.zone)


def in_working_hours(now: datetime, settings: ReminderSettings) -> bool:
    local = local_now(now, settings)
    now_time = local.time()
    before_end = now_time < settings.workday_end or settings.workday_end == END_OF_DAY
    return is_working_day(local.date()) and settings.workday_start <= now_time and before_end


def period_of(item: ObligationStatus, today: date) -> str | None:
    """The period a reminder belongs to; the due date is part of it, so a deadline that moves
    (an extension) earns a fresh notice."""
    due = item.due.isoformat() if item.due else "undated"
    if item.status is DueStatus.DUE_SOON:
        return f"due_soon:{due}"
    if item.status is DueStatus.DUE_TODAY:
        return f"due_today:{due}"
    if item.status is DueStatus.OVERDUE:
        return f"overdue:{today.isoformat()}"
    return None


def reminders_due(
    review: Review, today: date, due_soon_working_days: int, failed_emails: Collection[str],
    snoozed: dict[tuple[str, str, str], date] | None = None,
) -> list[Reminder]:
    """The reminders this review calls for today, most urgent first. `failed_emails`: the outbox
    keys that failed; `snoozed` maps (review id, instance id, user id) to the day reminders start again."""
    if review.stage.is_terminal:
        return []
    snoozed = snoozed or {}
    due = []
    for item in owed_on(review, today, due_soon_working_days, failed_emails).to_do:
        period = period_of(item, today)
        if period is None:
            continue
        for user_id in recipients_of(review):
            until = snoozed.get((review.id, item.instance_id, user_id))
            if until is not None and today < until:
                continue
            due.append(Reminder(review, item, period, user_id))
    return due


def escalations_due(
    review: Review, today: date, due_soon_working_days: int, after_working_days: int,
    failed_emails: Collection[str],
) -> list[ObligationStatus]:
    """Occurrences overdue by at least `after_working_days` working days (snoozing does not
    stop an escalation: the SCS lead answers for the review, 7.3.3). Another body's duty the
    representative only watches (a framework pack's dependency) is reminded, never escalated."""
    if review.stage.is_terminal:
        return []
    return [
        item for item in owed_on(review, today, due_soon_working_days, failed_emails).to_do
        if item.status is DueStatus.OVERDUE and item.due is not None and item.obligation.waits_on is None
        and working_days_between(item.due, today) >= after_working_days
    ]


def digest_week(today: date) -> str | None:
    """"2026-W45" when `today` is the first working day of its ISO week (Monday, or Tuesday
    after a bank holiday), else None: the weekly digest goes on that day."""
    if not is_working_day(today):
        return None
    day = today - timedelta(days=today.weekday())
    while day < today:
        if is_working_day(day):
            return None
        day += timedelta(days=1)
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def digest_key(week: str, user_id: str) -> str:
    return f"digest:{week}:{user_id}"


def owed_by(user_id: str, reviews: list[Review], today: date, due_soon_working_days: int,
            failed_emails: Collection[str], *, only_as_recipient: bool) -> list[tuple[Review, Owed]]:
    """Outstanding items on the user's active reviews, by reference. With `only_as_recipient`,
    only reviews on which the user is the one reminded and has something to do (the weekly digest)."""
    owed = []
    for review in sorted(reviews, key=lambda r: r.reference):
        if review.stage.is_terminal or not review.can_be_seen_by(user_id):
            continue
        if only_as_recipient and user_id not in recipients_of(review):
            continue
        items = owed_on(review, today, due_soon_working_days, failed_emails)
        if items.to_do or (items.being_sent and not only_as_recipient):
            owed.append((review, items))
    return owed
