"""The reminder ledger's batched claims, on each adapter: what a batch takes and passes over, a
claim that lapses and passes to another instance, and the bounded memory of sent keys."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.reminders.ledger import TABLE, ReminderLedger
from bot.storage import Store

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


def test_a_batch_takes_new_and_lapsed_keys_and_passes_over_sent_and_held_ones(
    open_store: Callable[[], Store]
) -> None:
    first, second = ReminderLedger(open_store()), ReminderLedger(open_store())
    assert sorted(first.claim_all(["sent", "lapsed"], T0, LEASE, "first")) == ["lapsed", "sent"]
    first.mark_sent("sent", T0)
    later = T0 + LEASE  # when the claim on "lapsed" runs out
    assert first.claim_all(["held"], later, LEASE, "first") != {}

    taken = second.claim_all(["new", "sent", "held", "lapsed", "new"], later, LEASE, "second")

    assert sorted(taken) == ["lapsed", "new"]
    # The second instance learnt from the store what went, without having sent it.
    assert second.known_sent("sent") and not second.known_sent("lapsed")


def test_a_claim_that_lapsed_mid_batch_is_the_next_holders_and_goes_once(open_store: Callable[[], Store]) -> None:
    store = open_store()
    first, second = ReminderLedger(store), ReminderLedger(open_store())
    tokens = first.claim_all(["a", "b"], T0, LEASE, "first")
    first.mark_sent("a", T0 + timedelta(minutes=1))
    # The first instance's sends took longer than the lease: "b" is free to take.
    taken = second.claim_all(["a", "b"], T0 + LEASE, LEASE, "second")
    assert list(taken) == ["b"]

    first.release_all({"b": tokens["b"]})  # the first gives back what it no longer holds: no effect
    assert first.claim("b", T0 + LEASE + timedelta(minutes=1), LEASE, "first") is None
    second.mark_sent("b", T0 + LEASE + timedelta(minutes=1))

    with store.transaction() as session:
        states = {key: session.get(TABLE, key) for key in ("a", "b")}
    assert {key: record.document["state"] for key, record in states.items() if record} == {"a": "sent", "b": "sent"}
    assert first.claim_all(["a", "b"], T0 + 2 * LEASE, LEASE, "first") == {}


def test_remembered_sent_keys_are_capped_and_a_forgotten_one_still_goes_only_once(
    open_store: Callable[[], Store]
) -> None:
    ledger = ReminderLedger(open_store(), known_sent_limit=3)
    keys = [f"k{number}" for number in range(1, 5)]
    ledger.claim_all(keys, T0, LEASE, "one")
    for key in keys[:3]:
        ledger.mark_sent(key, T0)
    assert all(ledger.known_sent(key) for key in keys[:3])
    ledger.mark_sent("k1", T0)  # already remembered: nothing is forgotten for it

    ledger.mark_sent("k4", T0)

    assert [key for key in keys if ledger.known_sent(key)] == ["k4"], "forgotten all at once at the cap"
    # The store still says they went: claiming them again takes none, and relearns them.
    assert ledger.claim_all(keys, T0 + 2 * LEASE, LEASE, "one") == {}
    assert 1 <= sum(ledger.known_sent(key) for key in keys) <= 3
