"""Teams answering 403/404 (gone) and 429 (throttled), through the real CloudAdapter."""

from datetime import date, time

import pytest

from tests.reminders.conftest import OPENED
from tests.reminders.harness import Harness, digest_cards, seen

CHAIR = date(2026, 10, 19)
FIRST_DAY = [("O1", "due_today"), ("O2", "due_soon")]


async def _opened(harness: Harness) -> None:
    await harness.install()
    await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(9, 0))


@pytest.mark.parametrize("status", [403, 404])
async def test_a_gone_conversation_drops_the_reference_until_the_person_comes_back(
    harness: Harness, status: int
) -> None:
    await _opened(harness)
    harness.connector.fail_next(status)

    report, received = await harness.tick()

    assert received == []
    assert len(report.gone) == 1 and report.sent == []
    assert harness.directory.get(harness.user_id) is None
    # The rest of this user's reminders had nowhere to go, and nothing was marked sent.
    assert len(report.no_conversation) == 2
    harness.clock.set(OPENED, time(10, 0))
    report, received = await harness.tick()
    assert received == [] and report.sent == [] and len(report.no_conversation) == 3

    await harness.install()  # they add the app again
    harness.clock.set(OPENED, time(10, 5))
    report, received = await harness.tick()
    assert sorted(seen(received)) == FIRST_DAY
    assert len(digest_cards(received)) == 1
    _, received = await harness.tick()
    assert received == []


async def test_uninstalling_removes_the_reference(harness: Harness) -> None:
    await _opened(harness)
    assert harness.directory.get(harness.user_id) is not None

    await harness.teams.post(harness.teams.activity("installationUpdate", action="remove"))

    assert harness.directory.get(harness.user_id) is None
    report, received = await harness.tick()
    assert received == [] and report.sent == []


async def test_a_429_is_retried_after_retry_after_and_delivered_once(harness: Harness) -> None:
    await _opened(harness)
    harness.connector.fail_next(429, times=2, headers={"Retry-After": "7"})

    report, received = await harness.tick()

    assert harness.sleep.delays == [7.0, 7.0]
    assert sorted(seen(received)) == FIRST_DAY
    assert len(report.sent) == 2 and report.failed == []
    _, received = await harness.tick()
    assert received == []


async def test_a_long_retry_after_is_capped(harness: Harness) -> None:
    await _opened(harness)
    harness.connector.fail_next(429, headers={"Retry-After": "3600"})

    _, received = await harness.tick()

    assert harness.sleep.delays == [60.0]
    assert sorted(seen(received)) == FIRST_DAY


async def test_passing_5xx_backs_off_exponentially(harness: Harness) -> None:
    await _opened(harness)
    harness.connector.fail_next(503, times=2)

    _, received = await harness.tick()

    first, second = harness.sleep.delays
    assert 1.0 <= first <= 1.1 and 2.0 <= second <= 2.2
    assert sorted(seen(received)) == FIRST_DAY


async def test_throttled_past_the_last_attempt_is_left_for_a_later_tick_and_then_sent_once(
    harness: Harness
) -> None:
    await _opened(harness)
    harness.connector.fail_next(429, times=4, headers={"Retry-After": "1"})

    report, received = await harness.tick()

    assert len(report.failed) == 1
    assert harness.sleep.delays == [1.0, 1.0, 1.0]
    assert len(seen(received)) == 1, "the other reminder still went"
    harness.clock.set(OPENED, time(9, 5))
    report, received = await harness.tick()
    assert len(seen(received)) == 1 and len(report.sent) == 1
    harness.clock.set(OPENED, time(9, 10))
    _, received = await harness.tick()
    assert received == []
