"""How dates and times read on every card, so they read the same everywhere."""

from datetime import datetime

from bot.review.date_words import long_day, short_day
from bot.review.working_days import UK

__all__ = ["long_day", "short_day", "uk_time"]


def uk_time(moment: datetime | None) -> str:
    """"24 Nov 2026 15:26", in UK time; "" for no time."""
    return f"{moment.astimezone(UK):%d %b %Y %H:%M}" if moment else ""
