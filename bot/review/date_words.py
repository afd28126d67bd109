"""How a date reads, the same in the domain's messages, on every card and in every email."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """"3 March 2026": a date in a sentence."""
    return f"{day.day} {day:%B %Y}"


def long_day(day: date) -> str:
    """"Wednesday 4 November 2026"."""
    return f"{day:%A} {long_date(day)}"


def short_day(day: date) -> str:
    """"Wed 4 Nov 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"
