"""Reminder configuration from the environment (see README, "Reminders").

Every variable is optional; the defaults follow the guidance's working pattern: reminders only
in office hours on England and Wales working days, a due-soon notice as many working days ahead
as the review settings say, overdue reminders once per working day, and no escalation unless
it is switched on.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import SettingsError
from bot.review import ReviewSettings

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class ReminderSettings:
    enabled: bool = True
    # How often the scheduler looks for something to send.
    interval_seconds: float = 300.0
    # Reminders go only between these local times (start inclusive, end exclusive) on working days.
    workday_start: time = time(9, 0)
    workday_end: time = time(17, 0)
    timezone: str = "Europe/London"
    # None: use the review settings' due_soon_working_days (3 unless configured).
    due_soon_working_days: int | None = None
    # None: no escalation. N: email the SCS lead of each business area once an obligation is
    # overdue by N working days (once per obligation occurrence).
    escalate_after_working_days: int | None = None
    # The weekly "what you owe" digest, on the first working day of each week.
    weekly_digest: bool = True
    # How long a claimed reminder stays claimed if the sender crashes before marking it sent.
    claim_seconds: float = 600.0
    # Bounded backoff for Teams throttling (429) and passing 5xx answers.
    send_attempts: int = 4
    max_retry_after_seconds: float = 60.0
    # How long the ledger of sent reminders is kept (it stops duplicates; older rows are pruned).
    keep_days: int = 120

    def due_soon(self, review_settings: ReviewSettings) -> int:
        """How many working days ahead "due soon" starts: this override, else the review settings'."""
        configured = self.due_soon_working_days
        return review_settings.due_soon_working_days if configured is None else configured

    def __post_init__(self) -> None:
        if self.interval_seconds <= 0:
            raise SettingsError("REMINDER_INTERVAL_SECONDS must be more than 0")
        if self.workday_start >= self.workday_end:
            raise SettingsError("REMINDER_WORKING_HOURS: the start must be before the end, e.g. 09:00-17:00")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"REMINDER_TIMEZONE: unknown time zone {self.timezone!r}") from None
        if self.send_attempts < 1:
            raise SettingsError("REMINDER_SEND_ATTEMPTS must be at least 1")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "ReminderSettings":
        def value(name: str) -> str:
            return (env.get(name) or "").strip()

        start, end = _hours(value("REMINDER_WORKING_HOURS") or "09:00-17:00")
        return cls(
            enabled=_flag("REMINDERS_ENABLED", value("REMINDERS_ENABLED"), True),
            interval_seconds=_number("REMINDER_INTERVAL_SECONDS", value("REMINDER_INTERVAL_SECONDS"), 300.0),
            workday_start=start,
            workday_end=end,
            timezone=value("REMINDER_TIMEZONE") or "Europe/London",
            due_soon_working_days=_optional_days(
                "REMINDER_DUE_SOON_WORKING_DAYS", value("REMINDER_DUE_SOON_WORKING_DAYS"), zero_is_off=False),
            escalate_after_working_days=_optional_days(
                "REMINDER_ESCALATE_AFTER_WORKING_DAYS", value("REMINDER_ESCALATE_AFTER_WORKING_DAYS"),
                zero_is_off=True),
            weekly_digest=_flag("REMINDER_WEEKLY_DIGEST", value("REMINDER_WEEKLY_DIGEST"), True),
            claim_seconds=_number("REMINDER_CLAIM_SECONDS", value("REMINDER_CLAIM_SECONDS"), 600.0),
            send_attempts=int(_number("REMINDER_SEND_ATTEMPTS", value("REMINDER_SEND_ATTEMPTS"), 4)),
            max_retry_after_seconds=_number(
                "REMINDER_MAX_RETRY_AFTER_SECONDS", value("REMINDER_MAX_RETRY_AFTER_SECONDS"), 60.0),
        )


def _flag(name: str, raw: str, default: bool) -> bool:
    if not raw:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _number(name: str, raw: str, default: float) -> float:
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if number <= 0:
        raise SettingsError(f"{name} must be more than 0, not {raw!r}")
    return number


def _optional_days(name: str, raw: str, *, zero_is_off: bool) -> int | None:
    """Empty or "off" means not set; otherwise a whole number of working days."""
    if not raw or raw.lower() in (_FALSE if zero_is_off else _FALSE - {"0"}):
        return None
    if not raw.isdigit():
        raise SettingsError(f"{name} must be a whole number of working days (or 'off'), not {raw!r}")
    return int(raw)


# "24:00" as an end: the whole of the last minute included ("00:00-24:00" is every hour).
END_OF_DAY = time.max


def _hours(raw: str) -> tuple[time, time]:
    try:
        start, end = (END_OF_DAY if part.strip() == "24:00" else time.fromisoformat(part.strip())
                      for part in raw.split("-"))
    except ValueError:
        raise SettingsError(f"REMINDER_WORKING_HOURS must look like 09:00-17:00, not {raw!r}") from None
    return start, end
