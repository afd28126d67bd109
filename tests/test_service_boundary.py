"""ReviewService checks who may act itself, whatever the dialog in front of it does, and keeps
store work off the event loop (issue 11)."""

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.mail.queue import FAILED, QUEUED, MailQueue
from bot.review import AddressBook, ObligationState, ReviewSettings, Stage
from bot.review_service import ReviewService
from bot.storage import Store
from bot.storage.reviews import ReviewNotFound
from tests.conftest import put_review
from tests.review.helpers import BOOK_DATA, DAY, USER, events_to, new_review, play

STRANGER = "aad:00000000-0000-0000-0000-00000000beef"


@pytest.fixture
def store(open_store: Callable[[], Store]) -> Store:
    """Each adapter in turn (tests/conftest.py: open_store)."""
    return open_store()


@pytest.fixture
def service(store: Store) -> ReviewService:
    now = datetime.combine(DAY, time(10), UTC)
    return ReviewService(store, MailQueue(store, lambda: now), AddressBook.from_dict(BOOK_DATA),
                         ReviewSettings(), lambda: now)


async def test_only_a_member_can_retry_a_reviews_email(store: Store, service: ReviewService) -> None:
    review, results = play(new_review(), *events_to(Stage.REFERRAL))
    put_review(store, review, results[0].notifications)
    queue = MailQueue(store)
    [email] = queue.status_for_review(review.id)
    claim = queue.claim_next("worker", timedelta(minutes=1))
    assert claim is not None
    queue.mark_failed(claim, "refused")

    with pytest.raises(ReviewNotFound):
        await service.retry_email(STRANGER, email.key)
    assert queue.get(email.key).state == FAILED, "a stranger's press changes nothing"

    _, item = await service.retry_email(USER, email.key)
    assert item.state == QUEUED


async def test_a_stranger_can_neither_read_nor_change_a_review(store: Store, service: ReviewService) -> None:
    review, results = play(new_review(), *events_to(Stage.REFERRAL))
    put_review(store, review, results[0].notifications)
    [instance] = [r.instance_id for r in review.obligations if r.obligation_id == "O2"]

    for use_case in (service.review(STRANGER, review.id), service.review_with_emails(STRANGER, review.id),
                     service.next_steps(STRANGER, review.id), service.mark_done(STRANGER, review.id, instance)):
        with pytest.raises(ReviewNotFound):
            await use_case
    assert await service.reviews_for(STRANGER) == []
    assert (await service.review(USER, review.id)).obligation(instance).state is ObligationState.OPEN


async def test_store_work_runs_off_the_event_loop(store: Store, service: ReviewService) -> None:
    """While another thread holds the store, a read waits in a worker thread and the loop runs on:
    here it goes on to release the holder. Done on the loop, the read would block the loop until
    the holder gave up waiting."""
    held, release = threading.Event(), threading.Event()
    gave_up: list[bool] = []

    def hold() -> None:
        with store.transaction():
            held.set()
            gave_up.append(not release.wait(timeout=30))

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    reading = asyncio.create_task(service.reviews_for(USER))
    await asyncio.sleep(0)  # the read starts, and must leave the loop free
    release.set()
    assert await reading == []
    holder.join()
    assert gave_up == [False], "the loop was blocked while the store was held"
