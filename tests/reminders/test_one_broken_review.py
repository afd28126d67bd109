"""One review the reminder loop cannot work out (a stored record the code no longer knows) must
not stop every other review's reminders: it is logged by its id and left, and the rest go."""

import logging
from datetime import date, time

import pytest

from bot.review import Review
from bot.storage.reviews import ReviewRepository
from tests.reminders.conftest import OPENED
from tests.reminders.harness import Harness, seen

CHAIR = date(2026, 10, 19)


def _unknown_duty(review: Review) -> tuple[Review, None]:
    review.obligations[0].obligation_id = "no_such_duty"
    return review, None


async def test_a_review_that_cannot_be_worked_out_leaves_the_others_reminded(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.install()
    broken = await harness.open_review(came_to_chair_attention=CHAIR)
    await harness.open_review(came_to_chair_attention=CHAIR)
    ReviewRepository(harness.store).system_change(broken.id, _unknown_duty)
    harness.clock.set(OPENED, time(9, 0))

    with caplog.at_level(logging.ERROR):
        _, received = await harness.tick()

    assert sorted(seen(received)) == [("O1", "due_today"), ("O2", "due_soon")]
    assert any(broken.id in record.getMessage() for record in caplog.records)
