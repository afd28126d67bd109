"""England and Wales working days (bank holidays included) and calendar months clamped at month end."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.review import add_months, add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 3, 2), 1, date(2026, 3, 3), id="plain_weekday"),
        pytest.param(date(2026, 3, 6), 1, date(2026, 3, 9), id="over_a_weekend"),
        pytest.param(date(2026, 12, 24), 1, date(2026, 12, 29), id="christmas_2026_boxing_day_substitute"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 4), id="new_year_2027_friday"),
        pytest.param(date(2027, 12, 24), 1, date(2027, 12, 29), id="christmas_2027_both_substitutes"),
        pytest.param(date(2026, 4, 2), 1, date(2026, 4, 7), id="easter_2026"),
        pytest.param(date(2027, 3, 25), 2, date(2027, 3, 31), id="easter_2027"),
        pytest.param(
            date(2026, 12, 25), 0, date(2026, 12, 29), id="same_working_day_on_christmas_is_next_working_day"
        ),
        pytest.param(date(2026, 3, 4), 0, date(2026, 3, 4), id="same_working_day_on_a_working_day"),
        pytest.param(date(2026, 4, 7), -1, date(2026, 4, 2), id="backwards_over_easter"),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 28), False),  # Boxing Day (substitute)
        (date(2027, 12, 27), False),  # Christmas Day (substitute)
        (date(2026, 5, 4), False),  # Early May bank holiday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 9), True),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="31_jan_to_28_feb"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="31_jan_to_29_feb_leap_year"),
        pytest.param(date(2026, 8, 31), 6, date(2027, 2, 28), id="six_months_clamped"),
        pytest.param(date(2026, 12, 15), 1, date(2027, 1, 15), id="across_the_year"),
        pytest.param(date(2026, 3, 31), 1, date(2026, 4, 30), id="31_mar_to_30_apr"),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 4  # 29, 30, 31 Dec, 4 Jan
    assert working_days_between(date(2027, 1, 4), date(2026, 12, 24)) == -4
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


@settings(max_examples=60, deadline=None)
@given(start=st.dates(date(2025, 1, 1), date(2028, 12, 31)), n=st.integers(1, 40))
def test_add_then_count_is_the_identity(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert is_working_day(end)
    assert working_days_between(start, end) == n
