"""ReviewService checks who may act itself, whatever the dialog in front of it does (issue 11)."""

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

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
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store.json")


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
