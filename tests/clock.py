"""The one fake clock of the tests: time moves only when a test (or an injected sleep) moves it."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.review.working_days import is_working_day

LONDON = ZoneInfo("Europe/London")


def london(day: date, at: time) -> datetime:
    """The UTC instant of a UK wall-clock time."""
    return datetime.combine(day, at, LONDON).astimezone(UTC)


def latest_working_morning() -> datetime:
    """10:00 UTC on the latest working day up to today: reminders run then, and forms dated
    today are not in the future."""
    day = date.today()
    while not is_working_day(day):
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


class FakeClock:
    """Called like the app's clock (``clock()`` is an aware UTC datetime)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, day: date, at: time) -> None:
        """To a UK wall-clock time, as the reminder tests speak of working hours."""
        self.now = london(day, at)

    @property
    def local(self) -> datetime:
        return self.now.astimezone(LONDON)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        """An injected sleep that passes the time at once."""
        self.advance(seconds)
