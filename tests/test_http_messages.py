"""The real app over real HTTP: activities in at /api/messages, replies out to the connector."""

import aiohttp
import pytest

from tests.cards import texts
from tests.teams_client import TeamsClient


async def test_help_replies_with_the_help_card_at_the_connector(teams: TeamsClient) -> None:
    replies = await teams.say("help")

    assert len(replies) == 1
    assert replies[0].conversation_id == teams.conversation_id
    [card] = replies[0].cards
    assert card["version"] == "1.5"
    text = texts(card)
    assert "Serious Case Review" in text
    assert "7.4.1" in text  # new users are pointed to the OCC
    assert "name" in text  # the warning against entering names


async def test_unknown_text_gets_a_helpful_answer_without_echoing_it(teams: TeamsClient) -> None:
    replies = await teams.say("the child is called Alex Smith")

    assert len(replies) == 1
    assert "help" in replies[0].text
    assert "Alex" not in replies[0].text


async def test_install_greets_once_even_though_teams_sends_two_events(teams: TeamsClient) -> None:
    bot = {"id": "28:scr-assistant", "name": "SCR Assistant"}
    await teams.post(teams.activity("installationUpdate", action="add"))
    await teams.post(teams.activity("conversationUpdate", membersAdded=[bot]))

    greetings = teams.connector.take()
    assert len(greetings) == 1
    assert "SCR Assistant" in texts(greetings[0].cards[0])


async def test_cancel_with_nothing_under_way_says_so(teams: TeamsClient) -> None:
    replies = await teams.say("cancel")
    assert "nothing to cancel" in replies[0].text.lower()


async def test_a_stale_card_submit_changes_nothing_and_says_why(teams: TeamsClient) -> None:
    replies = await teams.submit({"verb": "no-such-form", "reference": "X"})
    assert "already submitted (or closed)" in replies[0].text


async def test_health_check(teams: TeamsClient) -> None:
    async with aiohttp.ClientSession() as session, session.get(teams.bot.url + "healthz") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


async def test_a_body_that_is_not_json_is_a_client_error(teams: TeamsClient) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(teams.bot.url + "api/messages", data="{not json",
                                headers={"Content-Type": "application/json"}) as response:
            assert response.status == 400
        async with session.post(teams.bot.url + "api/messages", data="hello") as response:
            assert response.status == 415
    assert teams.connector.take() == []


async def test_after_an_uninstall_a_new_install_is_greeted_again(teams: TeamsClient) -> None:
    await teams.post(teams.activity("installationUpdate", action="add"))
    await teams.post(teams.activity("installationUpdate", action="remove"))
    await teams.post(teams.activity("installationUpdate", action="add"))

    greetings = teams.connector.take()
    assert len(greetings) == 2
    assert all("SCR Assistant" in texts(g.cards[0]) for g in greetings)


async def test_in_a_group_chat_it_asks_for_a_one_to_one_chat_and_shows_nothing(teams: TeamsClient) -> None:
    activity = teams.activity(text="my reviews")
    activity["conversation"]["conversationType"] = "groupChat"
    await teams.post(activity)

    [reply] = teams.connector.take()
    assert "1:1 chat" in reply.text
    assert reply.cards == []


@pytest.mark.parametrize("kind", ["groupChat", "channel"])
async def test_added_to_a_group_chat_it_offers_no_button_it_would_refuse(teams: TeamsClient, kind: str) -> None:
    for activity in (teams.activity("installationUpdate", action="add"),
                     teams.activity("conversationUpdate", membersAdded=[{"id": "28:scr-assistant"}])):
        activity["conversation"]["conversationType"] = kind
        await teams.post(activity)

    [welcome] = teams.connector.take()
    assert welcome.cards == []
    assert "1:1 chat" in welcome.text
