"""The storage port's contract, run against both adapters (TinyDB and a real PostgreSQL)."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage import Lock, Record, Store

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _keys(records: list[Record]) -> set[str]:
    return {record.key for record in records}


def test_records_round_trip_and_add_never_replaces(store: Store) -> None:
    record = Record("R1", {"n": 1, "text": "caf\u00e9 \u2013 \u00a3", "nested": {"list": [1, None]}},
                    frozenset({"member:aad:1"}), T0)
    with store.transaction() as session:
        assert session.add("reviews", record)
        assert not session.add("reviews", Record("R1", {"n": 2}))
    with store.transaction() as session:
        assert session.get("reviews", "R1") == record
        session.put("reviews", Record("R1", {"n": 3}))
    with store.transaction() as session:
        assert session.get("reviews", "R1") == Record("R1", {"n": 3})
        assert session.delete("reviews", "R1")
        assert not session.delete("reviews", "R1")
        assert session.get("reviews", "R1") is None


def test_lookups_by_tag_prefix_and_moment(store: Store) -> None:
    with store.transaction() as session:
        session.put("outbox", Record("R1:a", {}, frozenset({"state:queued"}), T0 + timedelta(minutes=2)))
        session.put("outbox", Record("R1:b", {}, frozenset({"state:sent"})))
        session.put("outbox", Record("R10:a", {}, frozenset({"state:queued"}), T0))
        session.put("reviews", Record("R1:c", {}, frozenset({"state:queued"}), T0))
        # A transaction sees its own writes.
        assert _keys(session.tagged("outbox", "state:queued")) == {"R1:a", "R10:a"}
    with store.transaction() as session:
        assert _keys(session.starting_with("outbox", "R1:")) == {"R1:a", "R1:b"}
        assert _keys(session.at_or_before("outbox", T0 + timedelta(minutes=1))) == {"R10:a"}
        assert session.earliest_at("outbox") == T0
        assert session.earliest_at("nothing") is None
        claimed = session.claim_earliest("outbox", T0 + timedelta(minutes=5))
        assert claimed is not None and claimed.key == "R10:a"
        assert session.claim_earliest("outbox", T0 - timedelta(seconds=1)) is None
        assert _keys(session.all("outbox")) == {"R1:a", "R1:b", "R10:a"}
        assert {"outbox", "reviews"} <= set(session.collections())


def test_a_failed_transaction_writes_nothing_even_when_an_outer_level_catches_it(store: Store) -> None:
    with pytest.raises(ValueError), store.transaction() as session:
        session.put("reviews", Record("R1", {}))
        with store.transaction() as inner:
            inner.put("outbox", Record("R1:e", {}))
        raise ValueError("the email could not be queued")
    with store.transaction() as session:
        session.put("reviews", Record("R2", {}))
        try:
            with store.transaction() as inner:
                inner.put("reviews", Record("R3", {}))
                raise ValueError("half done")
        except ValueError:
            pass
    with store.transaction() as session:
        assert session.all("reviews") == [] and session.all("outbox") == []


def test_another_store_object_sees_committed_writes(open_store: Callable[[], Store]) -> None:
    first, second = open_store(), open_store()
    with second.transaction() as session:
        assert session.get("reviews", "R1") is None
    with first.transaction() as session:
        session.put("reviews", Record("R1", {"n": 1}))
    with second.transaction() as session:
        assert session.get("reviews", "R1") == Record("R1", {"n": 1})


def test_a_listing_shows_what_another_instance_changed_since(open_store: Callable[[], Store]) -> None:
    first, second = open_store(), open_store()
    with first.transaction() as session:
        for key in ("a", "b", "c"):
            session.put("reviews", Record(key, {"n": 1}))
    with first.transaction() as session:
        assert {record.key: record.document["n"] for record in session.all("reviews")} == {"a": 1, "b": 1, "c": 1}
    with second.transaction() as session:
        session.put("reviews", Record("a", {"n": 2}))
        session.delete("reviews", "b")
        session.put("reviews", Record("d", {"n": 1}))
    with first.transaction() as session:
        assert {record.key: record.document["n"] for record in session.all("reviews")} == {"a": 2, "c": 1, "d": 1}


def _in_thread(work: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_two_instances_claiming_at_once_take_different_records(open_store: Callable[[], Store]) -> None:
    first, second = open_store(), open_store()
    with first.transaction() as session:
        session.put("outbox", Record("a", {}, at=T0))
        session.put("outbox", Record("b", {}, at=T0 + timedelta(seconds=1)))
    claimed: dict[str, str] = {}
    holding = threading.Event()

    def claim_and_hold() -> None:
        with first.transaction() as session:
            record = session.claim_earliest("outbox", T0 + timedelta(hours=1))
            assert record is not None
            claimed["first"] = record.key
            session.put("outbox", Record(record.key, {"claimed": True}, at=T0 + timedelta(days=1)))
            holding.set()
            threading.Event().wait(0.3)

    thread = _in_thread(claim_and_hold)
    assert holding.wait(10)
    with second.transaction() as session:
        record = session.claim_earliest("outbox", T0 + timedelta(hours=1))
        claimed["second"] = record.key if record else "none"
    thread.join(10)
    assert claimed == {"first": "a", "second": "b"}


def test_a_key_added_by_two_instances_at_once_is_added_once(open_store: Callable[[], Store]) -> None:
    stores = [open_store(), open_store()]
    start = threading.Barrier(2)
    results: list[bool] = []

    def add(store: Store) -> None:
        start.wait(10)
        with store.transaction() as session:
            results.append(session.add("card_presses", Record("form-1", {})))
            threading.Event().wait(0.1)

    threads = [_in_thread(lambda store=store: add(store)) for store in stores]
    for thread in threads:
        thread.join(10)
    assert sorted(results) == [False, True]


def test_a_record_locked_elsewhere_reads_as_absent_only_when_asked_to_skip(open_store: Callable[[], Store]) -> None:
    first, second = open_store(), open_store()
    if first.kind != "postgresql":
        pytest.skip("TinyDB holds the whole store per transaction: nothing is ever locked elsewhere")
    with first.transaction() as session:
        session.put("reminder_ledger", Record("k", {"state": "claimed"}))
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with first.transaction() as session:
            session.get("reminder_ledger", "k", Lock.UPDATE)
            holding.set()
            done.wait(10)

    thread = _in_thread(hold)
    assert holding.wait(10)
    with second.transaction() as session:
        assert session.get("reminder_ledger", "k", Lock.SKIP_LOCKED) is None
        assert session.get("reminder_ledger", "k") is not None
    done.set()
    thread.join(10)
