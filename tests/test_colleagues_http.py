"""Add a colleague over HTTP: the person picked in Teams is checked in the conversation's roster
(the fake connector) and in the organisation's directory (the fake Graph, which msgraph-sdk really
calls) before they are added, and anything else gets a form that says what went wrong."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.config import Settings
from bot.graph_people import GraphPeople
from tests.cards import any_button, forward_button, press, texts, walk
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import only_card, open_and_show
from tests.fakes.fake_connector import FakeConnector
from tests.fakes.fake_graph import FakeGraph, StaticTokenCredential
from tests.teams_client import TeamsClient

COLLEAGUE = "5b0e1f44-52d1-4b8c-9d7e-1b2c3d4e5f60"
STRANGER = "0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f"


@pytest.fixture
async def directory_bot(make_settings: Callable[..., Settings], graph: FakeGraph) -> AsyncIterator[RunningBot]:
    graph.people.add(COLLEAGUE)
    people = GraphPeople(StaticTokenCredential(), base_url=graph.base_url, request_timeout=2, connect_timeout=1)
    bot = await RunningBot(make_settings(), people=people).start()
    yield bot
    await bot.stop()


def _facts(card: dict[str, Any]) -> str:
    return "\n".join(f"{fact['title']}: {fact['value']}" for node in walk(card) for fact in node.get("facts", []))


async def _colleague_form(teams: TeamsClient) -> dict[str, Any]:
    card = await open_and_show(teams, independence={"I1": "no"})
    return only_card(await teams.submit(press(card, any_button(card, "Add a colleague"))))


async def _pick(teams: TeamsClient, form: dict[str, Any], object_id: str) -> list:
    return await teams.submit(press(form, forward_button(form), {"colleague": object_id}))


async def test_a_colleague_found_in_the_directory_is_added_and_can_record_themselves_as_representative(
    directory_bot: RunningBot, connector: FakeConnector, graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    teams = TeamsClient(directory_bot, connector)
    colleague = TeamsClient(directory_bot, connector, user_id="29:colleague", aad_object_id=COLLEAGUE.upper(),
                            conversation_id="a:personal-chat-colleague")
    form = await _colleague_form(teams)

    status, answer, replies = await teams.execute(press(form, forward_button(form), {"colleague": COLLEAGUE.upper()}))

    assert status == 200 and replies[0].text.startswith("Recorded on LSCB-2026-014: Colleague on this review. Stage:")
    # The form's summary names no id (and the bot has no name to show).
    assert "Colleague to add: The person you picked" in _facts(answer["value"])
    looked_up = [request for request in graph.requests if request.route == "user"]
    assert [(r.path, r.query) for r in looked_up] == [(f"/v1.0/users/{COLLEAGUE}", {"$select": "id"})]
    theirs = only_card(await colleague.say("show LSCB-2026-014"))
    form = only_card(await colleague.submit(press(theirs, any_button(theirs, "Record the representative"))))
    await colleague.submit(press(form, forward_button(form), {q: "yes" for q in ("I1", "I2", "I3", "I4")}))
    review, _ = stored_review(directory_bot, teams.person)
    assert review.representative is not None and review.representative.member.user_id == colleague.person
    assert "Megan" not in caplog.text and COLLEAGUE not in caplog.text


async def test_a_person_not_in_the_directory_is_not_added_and_the_form_says_so(
    directory_bot: RunningBot, connector: FakeConnector
) -> None:
    teams = TeamsClient(directory_bot, connector)
    form = await _colleague_form(teams)

    refused = only_card(await _pick(teams, form, STRANGER))

    assert "That person isn't in your organisation's directory, so they were not added." in texts(refused)
    assert "from the list" not in texts(refused)
    review, _ = stored_review(directory_bot, teams.person)
    assert review.members == [teams.person]


@pytest.mark.parametrize(("fault", "said"), [
    ({"status": 403, "code": "Authorization_RequestDenied"}, "your organisation's directory refused this bot"),
    ({"status": 503}, "your organisation's directory did not answer. Please try again"),
])
async def test_a_directory_that_refuses_or_fails_gets_a_clear_message_and_adds_nobody(
    directory_bot: RunningBot, connector: FakeConnector, graph: FakeGraph, fault: dict[str, Any], said: str
) -> None:
    teams = TeamsClient(directory_bot, connector)
    form = await _colleague_form(teams)
    graph.fail_next(route="user", **fault)

    refused = only_card(await _pick(teams, form, COLLEAGUE))

    assert said in texts(refused) and "incident" not in texts(refused).lower()
    review, _ = stored_review(directory_bot, teams.person)
    assert review.members == [teams.person]
    # Once the directory answers again, the same form adds them.
    replies = await _pick(teams, refused, COLLEAGUE)
    assert replies[0].text.startswith("Recorded on LSCB-2026-014: Colleague on this review")


async def test_a_directory_that_cannot_be_reached_gets_a_clear_message(
    directory_bot: RunningBot, connector: FakeConnector, graph: FakeGraph
) -> None:
    teams = TeamsClient(directory_bot, connector)
    form = await _colleague_form(teams)
    await graph.stop()

    refused = only_card(await _pick(teams, form, COLLEAGUE))

    assert "your organisation's directory did not answer" in texts(refused)


async def test_without_graph_a_colleague_outside_this_chat_cannot_be_checked_and_is_not_added(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    form = await _colleague_form(teams)

    refused = only_card(await _pick(teams, form, COLLEAGUE))

    assert "they are not in this chat, and this bot has no access to your organisation's directory" in texts(refused)
    review, _ = stored_review(running_bot, teams.person)
    assert review.members == [teams.person]


async def test_without_graph_a_colleague_in_the_conversations_roster_is_added(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    in_this_chat = TeamsClient(running_bot, teams.connector, user_id="29:colleague", aad_object_id=COLLEAGUE,
                               conversation_id=teams.conversation_id)
    form = await _colleague_form(teams)

    replies = await _pick(teams, form, in_this_chat.aad_object_id)

    assert replies[0].text.startswith("Recorded on LSCB-2026-014: Colleague on this review")
    review, _ = stored_review(running_bot, teams.person)
    assert review.members == [teams.person, in_this_chat.person]


async def test_a_roster_that_fails_leaves_the_check_to_the_directory(
    directory_bot: RunningBot, connector: FakeConnector, graph: FakeGraph
) -> None:
    teams = TeamsClient(directory_bot, connector)
    form = await _colleague_form(teams)
    connector.member_failures.append(502)

    replies = await _pick(teams, form, COLLEAGUE)

    assert replies[0].text.startswith("Recorded on LSCB-2026-014: Colleague on this review")
    assert "user" in graph.routes()
