"""How dates and times read on every card, so they read the same everywhere."""

from datetime import date, datetime

from bot.review.working_days import UK


def long_day(day: date) -> str:
    """"Wednesday 4 November 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_day(day: date) -> str:
    """"Wed 4 Nov 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def uk_time(moment: datetime | None) -> str:
    """"24 Nov 2026 15:26", in UK time; "" for no time."""
    return f"{moment.astimezone(UK):%d %b %Y %H:%M}" if moment else ""
