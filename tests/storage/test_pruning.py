"""What is kept only for a while: the state of people silent for 90 days, and old card presses."""

from datetime import UTC, datetime, timedelta

from bot.storage import Record, Store, presses
from bot.storage.bot_state import StoreBotStorage

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def test_the_state_of_people_silent_for_90_days_is_pruned_and_the_rest_kept(store: Store) -> None:
    now = [T0]
    storage = StoreBotStorage(store, lambda: now[0])
    await storage.write({"msteams/conversations/silent": {"n": 1}})
    now[0] = T0 + timedelta(days=60)
    await storage.write({"msteams/conversations/recent": {"n": 2}})
    now[0] = T0 + timedelta(days=91)

    assert storage.prune() == 1
    assert list(await storage.read(["msteams/conversations/silent", "msteams/conversations/recent"])) == [
        "msteams/conversations/recent"]


def test_card_presses_older_than_90_days_are_forgotten(store: Store) -> None:
    old, recent = datetime.now(UTC) - timedelta(days=91), datetime.now(UTC) - timedelta(days=1)
    with store.transaction() as session:
        session.put(presses.COLLECTION, Record("old-form", {}, at=old))
        session.put(presses.COLLECTION, Record("recent-form", {}, at=recent))

    assert presses.prune(store) == 1
    assert not presses.was_recorded(store, "old-form") and presses.was_recorded(store, "recent-form")
