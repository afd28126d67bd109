"""Reminders are claimed a batch at a time: when the claims run out part-way through a batch, the
rest are left for whoever claims them next, and each batch is claimed only once the one before
has been posted. Nothing is sent twice and nothing is lost."""

from datetime import date, time

import pytest

from tests.reminders.conftest import OPENED
from tests.reminders.harness import Harness, seen

CHAIR = date(2026, 10, 19)
FIRST_DAY = [("O1", "due_today"), ("O2", "due_soon")]
# Claims last 30 s; Teams throttles the first card for 40 s, so the claims run out behind it.
SHORT_CLAIMS = {"REMINDER_CLAIM_SECONDS": "30"}


async def _throttled_morning(harness: Harness, reviews: int) -> None:
    await harness.install()
    for _ in range(reviews):
        await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(9, 0))
    harness.connector.fail_next(429, headers={"Retry-After": "40"})


@pytest.mark.parametrize("reminder_env", [SHORT_CLAIMS])
async def test_claims_that_run_out_mid_batch_are_left_to_the_next_instance(harness: Harness) -> None:
    await _throttled_morning(harness, reviews=1)

    report, received = await harness.tick()

    assert harness.sleep.delays == [40.0]
    assert len(seen(received)) == len(report.sent) == 1, "the first card went; the second's claim had run out"
    other = harness.another_instance()
    _, by_other = await harness.tick(other)
    assert sorted(seen(received) + seen(by_other)) == FIRST_DAY
    for scheduler in (harness.scheduler, other, harness.scheduler):
        _, again = await harness.tick(scheduler)
        assert again == []


@pytest.mark.parametrize("reminder_env", [SHORT_CLAIMS])
async def test_a_sweep_is_claimed_a_batch_at_a_time(harness: Harness) -> None:
    await _throttled_morning(harness, reviews=2)
    batches_of_three = harness.another_instance(claim_batch=3)

    _, received = await harness.tick(batches_of_three)

    # Four reminders: the first batch's last two claims ran out behind the throttled first card,
    # while the second batch, claimed after it, still went.
    assert len(seen(received)) == 2
    _, by_other = await harness.tick()
    assert sorted(seen(received) + seen(by_other)) == sorted(FIRST_DAY * 2)
    for scheduler in (batches_of_three, harness.scheduler):
        _, again = await harness.tick(scheduler)
        assert again == []
