"""One identity (issue 12): a person is their Entra object id, namespaced, over real HTTP."""

from typing import Any

import pytest

from bot.storage import Record, Store
from bot.storage.reviews import ReviewRepository
from tests.conftest import RunningBot, bot_store, stored_tables
from tests.dialogs_flow import open_review
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient

OWNER = "5b0e1f44-52d1-4b8c-9d7e-1b2c3d4e5f60"


def _without_object_id(client: TeamsClient, text: str, **sender: Any) -> dict[str, Any]:
    activity = client.activity(text=text)
    activity["from"] = {"id": client.user_id, **sender}
    return activity


async def test_a_chat_id_equal_to_someones_object_id_never_shows_their_review(
    running_bot: RunningBot, connector: FakeConnector
) -> None:
    owner = TeamsClient(running_bot, connector, aad_object_id=OWNER)
    await open_review(owner)
    # In local mode the chat id is accepted, but in its own namespace: it cannot equal an object id.
    forger = TeamsClient(running_bot, connector, user_id=OWNER, conversation_id="a:forger")
    await forger.post(_without_object_id(forger, "my reviews"))
    await forger.post(_without_object_id(forger, "show LSCB-2026-014"))

    shown = " ".join(str(reply.body) for reply in connector.take("a:forger"))
    assert "LSCB-2026-014" not in shown


@pytest.mark.parametrize("object_id", [
    None, "", {"a": 1}, [OWNER], True, 5, OWNER + "\n", f" {OWNER}", "not-a-guid",
], ids=["missing", "empty", "object", "list", "bool", "number", "newline", "space", "text"])
async def test_with_authentication_no_valid_object_id_is_refused_once_and_changes_nothing(
    authenticated_bot: RunningBot, connector: FakeConnector, object_id: object
) -> None:
    client = TeamsClient(authenticated_bot, connector, user_id=OWNER)
    before = stored_tables(authenticated_bot)

    for activity in (_without_object_id(client, "open review", aadObjectId=object_id),
                     {**client.activity("installationUpdate", action="add"),
                      "from": {"id": OWNER, "aadObjectId": object_id}}):
        assert await client.post(activity) in (200, 201)

    [reply] = connector.take()
    assert "can't tell who you are" in reply.text
    assert reply.cards == []
    assert stored_tables(authenticated_bot) == before


async def test_with_authentication_a_valid_object_id_is_served_and_stored_namespaced(
    authenticated_bot: RunningBot, connector: FakeConnector
) -> None:
    client = TeamsClient(authenticated_bot, connector, aad_object_id=OWNER.upper())
    await open_review(client)

    with bot_store(authenticated_bot.settings) as store:
        [review] = ReviewRepository(store).for_user(f"aad:{OWNER}")
    assert review.members == [f"aad:{OWNER}"]
    saved = stored_tables(authenticated_bot)["conversation_references"]
    assert [row["user_id"] for row in saved.values()] == [f"aad:{OWNER}"]


async def test_reviews_and_saved_chats_stored_before_namespacing_stay_with_their_owners(
    running_bot: RunningBot, connector: FakeConnector
) -> None:
    owner = TeamsClient(running_bot, connector, aad_object_id=OWNER)
    await open_review(owner)
    await running_bot.stop()
    with bot_store(running_bot.settings) as store:
        _store_as_schema_2(store)
    await running_bot.start()

    replies = await owner.say("my reviews")

    assert "LSCB-2026-014" in str(replies[0].body)
    saved = stored_tables(running_bot)["conversation_references"]
    assert [row["user_id"] for row in saved.values()] == [f"aad:{OWNER}"]


def _store_as_schema_2(store: Store) -> None:
    """Rewrites the store as the release before namespacing wrote it: raw object ids."""
    with store.transaction() as session:
        for record in session.all("reviews"):
            data = dict(record.document["review"])
            raw = {f"aad:{OWNER}": OWNER}
            data["schema_version"] = 2
            data["members"] = [raw[m] for m in data["members"]]
            data["representative"]["user_id"] = raw[data["representative"]["user_id"]]
            data["history"] = [{**h, "actor": raw.get(h["actor"], h["actor"])} for h in data["history"]]
            session.put("reviews", Record(record.key, {**record.document, "members": data["members"], "review": data}))
        for record in session.all("conversation_references"):
            session.delete("conversation_references", record.key)
            session.put("conversation_references", Record(OWNER, {**record.document, "user_id": OWNER}))
