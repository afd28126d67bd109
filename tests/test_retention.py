"""Nothing is kept longer than needed: a review that ended is removed, with its emails and the
documents they carried, once its retention (a review setting, 6 years by default) has run out."""

import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from bot.documents import DocumentStore
from bot.mail.queue import MailQueue
from bot.review import AddressBook, Published, ReviewSettings, Stage
from bot.review.retention import ended_on, removable_from
from bot.review_service import ReviewService
from bot.storage import Store
from tests.conftest import put_review
from tests.review.helpers import BOOK_DATA, DAY, PATH, USER, events_to, new_review, play

PDF = b"%PDF-1.7\n retention test \n%%EOF\n"


def _service(store: Store, tmp_path: Path, now: list[datetime]) -> ReviewService:
    return ReviewService(store, MailQueue(store, lambda: now[0]), AddressBook.from_dict(BOOK_DATA), ReviewSettings(),
                         lambda: now[0], documents=DocumentStore(tmp_path / "documents", 1024 * 1024))


def test_a_review_is_removable_only_once_it_has_ended() -> None:
    closed, _ = play(new_review(), *events_to(Stage.CLOSED))
    not_held, _ = play(new_review(), *events_to(Stage.NOT_PROCEEDING))
    open_review, _ = play(new_review(), *events_to(Stage.PUBLISHED))
    assert ended_on(closed) == ended_on(not_held) == DAY
    assert removable_from(closed, 6) == date(2032, 3, 2)
    assert ended_on(open_review) is None and removable_from(open_review, 6) is None


async def test_an_ended_review_goes_with_its_emails_and_documents_when_its_retention_runs_out(
    tmp_path: Path, open_store: Callable[[], Store], caplog: pytest.LogCaptureFixture
) -> None:
    now = [datetime.combine(DAY, time(10), UTC)]
    store = open_store()
    service = _service(store, tmp_path, now)
    copy = await service.receive_document(PDF, "Overview report.pdf")
    events = [Published(document=copy) if event.type is Published.type else event for _, event in PATH]
    closed, results = play(new_review(reference="LSCB-2026-090"), *events)
    still_open, opened = play(new_review(reference="LSCB-2026-091"), *events_to(Stage.PUBLISHED))
    put_review(store, closed, (n for result in results for n in result.notifications))
    put_review(store, still_open, (n for result in opened for n in result.notifications))

    now[0] = datetime.combine(date(2032, 3, 1), time(10), UTC)
    assert await service.remove_ended_reviews() == []
    now[0] = datetime.combine(date(2032, 3, 2), time(10), UTC)
    with caplog.at_level(logging.INFO):
        assert await service.remove_ended_reviews() == ["LSCB-2026-090"]

    assert [review.reference for review in await service.all_reviews()] == ["LSCB-2026-091"]
    assert MailQueue(store).status_for_review(closed.id) == []
    assert MailQueue(store).status_for_review(still_open.id), "the open review keeps its emails"
    assert not (tmp_path / "documents" / (copy.sha256 or "")).exists()
    [line] = [r.getMessage() for r in caplog.records if "retention" in r.getMessage()]
    assert line == "Removed review LSCB-2026-090 (ended 2026-03-02) under the 6-year retention rule"
    assert USER not in line and "rep@example.gov.uk" not in json.dumps(line)


def test_the_retention_period_is_a_review_setting() -> None:
    assert ReviewSettings().retention_years == 6
    assert ReviewSettings.from_dict({"retention_years": 10}).retention_years == 10
    with pytest.raises(ValueError, match="retention_years"):
        ReviewSettings.from_dict({"retention_years": -1})
