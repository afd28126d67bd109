"""UK dates, working days in England and Wales (weekends and bank holidays, including substitute
days) and calendar-month arithmetic for the deadlines in ``obligations.py``.

Home Office staff using the bot work to UK time and England and Wales bank holidays, whichever
nation's board runs the review, so one clock and one calendar are used for every review.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# A date the user gives, or "today", is the date in London: at 00:30 BST it is already tomorrow
# there while UTC still says yesterday.
UK = ZoneInfo("Europe/London")

# England and Wales share bank holidays; "ENG" is the library's name for that calendar. Years are
# added on demand as dates are looked up.
_BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")
_ONE_DAY = timedelta(days=1)


def uk_date(moment: datetime) -> date:
    """The UK date of a timezone-aware moment."""
    return moment.astimezone(UK).date()


# Both are pure and asked the same questions over and over (for every review, in every reminder
# sweep): remembered, within bounds, so a sweep does not walk the calendar day by day each time.
@lru_cache(maxsize=16_384)
def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _BANK_HOLIDAYS


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (before it when ``n`` is negative).

    ``n == 0`` gives ``start`` itself when it is a working day, otherwise the next working day:
    something due "the same working day" on a Saturday is due on Monday.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day = start
    if n == 0:
        while not is_working_day(day):
            day += step
        return day
    for _ in range(abs(n)):
        day += step
        while not is_working_day(day):
            day += step
    return day


@lru_cache(maxsize=65_536)
def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``.

    So ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 1``. Never steps
    past ``end``, so the last date there is counts without overflowing.
    """
    if end < start:
        return -working_days_between(end, start)
    return sum(is_working_day(start + timedelta(days=offset)) for offset in range(1, (end - start).days + 1))


# A date ahead (a meeting, a due date asked for) further than this is a slip of the year.
YEARS_AHEAD = 5
TOO_FAR_AHEAD = f"cannot be more than {YEARS_AHEAD} years ahead: check the year"


def latest_ahead(today: date) -> date:
    """The furthest date ahead the bot takes for something still to come."""
    return add_months(today, 12 * YEARS_AHEAD)


def add_months(start: date, months: int) -> date:
    """Same day ``months`` calendar months later, clamped to the month end: 31 Jan + 1 = 28/29 Feb."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
