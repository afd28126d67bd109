"""ReviewService checks who may act itself, whatever the dialog in front of it does (issue 11)."""

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.mail.queue import FAILED, QUEUED, MailQueue
from bot.review import AddressBook, ReviewSettings, Stage
from bot.review_service import ReviewService
from bot.storage import TinyDBStore
from bot.storage.reviews import ReviewNotFound
from tests.review.helpers import BOOK_DATA, DAY, USER, events_to, new_review, play


def test_only_a_member_can_retry_a_reviews_email(tmp_path: Path) -> None:
    now = datetime.combine(DAY, time(10), UTC)
    store = TinyDBStore(tmp_path / "store.json")
    service = ReviewService(store, MailQueue(store, lambda: now), AddressBook.from_dict(BOOK_DATA),
                            ReviewSettings(), lambda: now)
    review, results = play(new_review(), *events_to(Stage.REFERRAL))
    service.open(review, results[0].notifications)
    [email] = service.email_status(review.id)
    claim = service.mail.claim_next("worker", timedelta(minutes=1))
    assert claim is not None
    service.mail.mark_failed(claim, "refused")

    with pytest.raises(ReviewNotFound):
        service.retry_email("aad:00000000-0000-0000-0000-00000000beef", email.key)
    assert service.mail.get(email.key).state == FAILED, "a stranger's press changes nothing"

    _, item = service.retry_email(USER, email.key)
    assert item.state == QUEUED
