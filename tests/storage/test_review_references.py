"""A person has one review per reference and board, on any number of instances: two different
presses opening the same reference at the same moment (two instances, two Store objects) open it
once, and the other is told it exists, on both adapters."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest

from bot.storage import Store
from bot.storage.reviews import REFERENCES, DuplicateReview, ReviewRepository
from tests.review.helpers import USER, new_review


@contextmanager
def _writes_held(store_location: str, waiting: int) -> Iterator[None]:
    """On PostgreSQL, holds every write to the records table (reads go on) until `waiting` other
    transactions wait behind it: each has then read what it reads before its first write, as two
    instances a few milliseconds apart would have. TinyDB runs one transaction at a time anyway."""
    if not store_location.startswith("postgresql:"):
        yield
        return
    with psycopg.connect(store_location) as holder:
        holder.execute("LOCK TABLE records IN SHARE MODE")
        yield
        deadline = time.monotonic() + 30
        while holder.execute("SELECT count(*) FROM pg_locks WHERE relation = 'records'::regclass "
                             "AND NOT granted").fetchone() != (waiting,):
            assert time.monotonic() < deadline, "the transactions did not reach their first write"
            time.sleep(0.01)
    # Leaving the block commits, and the held writes go ahead together.


def test_the_same_reference_opened_at_once_on_two_instances_is_opened_once(
    store_location: str, open_store: Callable[[], Store],
) -> None:
    stores = [open_store(), open_store()]
    outcomes: list[str] = []

    def open_it(store: Store) -> None:
        try:
            ReviewRepository(store).add(new_review())
            outcomes.append("opened")
        except DuplicateReview:
            outcomes.append("duplicate")

    with _writes_held(store_location, waiting=2):
        threads = [threading.Thread(target=open_it, args=(store,)) for store in stores]
        for thread in threads:
            thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["duplicate", "opened"]
    assert [review.reference for review in ReviewRepository(stores[0]).for_user(USER)] == ["LSCB-2026-014"]


def test_a_removed_review_takes_its_reference_with_it_and_leaves_it_free(open_store: Callable[[], Store]) -> None:
    store = open_store()
    repository, first = ReviewRepository(store), new_review()
    repository.add(first)
    with pytest.raises(DuplicateReview):
        repository.add(new_review())

    repository.remove(first.id)  # retention
    with store.transaction() as session:
        assert session.all(REFERENCES) == [], "nothing of a removed review is kept"
    repository.add(new_review())

    assert [review.reference for review in repository.for_user(USER)] == ["LSCB-2026-014"]


def test_a_reference_and_board_a_person_already_has_is_found_whatever_its_case(
    open_store: Callable[[], Store],
) -> None:
    reviews = ReviewRepository(open_store())
    reviews.add(new_review(reference="LSCB-2026-014", board_name="Exampleshire LSCB"))
    found = reviews.already_has(USER, "lscb-2026-014", "EXAMPLESHIRE lscb")
    assert found is not None and (found.reference, found.board_name) == ("LSCB-2026-014", "Exampleshire LSCB")
    assert reviews.already_has("aad:00000000-0000-0000-0000-000000000002", "LSCB-2026-014",
                               "Exampleshire LSCB") is None
    assert reviews.already_has(USER, "LSCB-2026-014", "Otherhampton LSCB") is None
