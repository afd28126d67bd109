"""PostgreSQL keeps what it listed, to skip unchanged rows next time, but only up to a bound:
past it, a listing still reads every record as it is now."""

import pytest

from bot.storage import Record, postgres_store
from bot.storage.postgres_store import PostgresStore


def test_a_listing_past_the_kept_bound_reads_every_record_as_it_is_now(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_store, "LISTED_LIMIT", 3)
    store = PostgresStore(database_url)
    try:
        with store.transaction() as session:
            for number in range(6):
                session.put("rows", Record(f"k{number}", {"n": number}))
        with store.transaction() as session:
            assert [record.document["n"] for record in session.all("rows")] == list(range(6))

        with store.transaction() as session:
            session.put("rows", Record("k0", {"n": 100}))  # one kept from the listing
            session.put("rows", Record("k5", {"n": 105}))  # one past the bound
            session.delete("rows", "k3")
        with store.transaction() as session:
            listed = {record.key: record.document["n"] for record in session.all("rows")}

        assert listed == {"k0": 100, "k1": 1, "k2": 2, "k4": 4, "k5": 105}
        assert len(store._listed) <= 3
    finally:
        store.close()
