"""A NUL character (U+0000) in anything a person sends is refused before the turn, on either
adapter: PostgreSQL cannot keep one in a JSON document or a text column, and no text a person
types needs one. The answer is a 400 that says why (never a 500 or an apology), nothing is
stored, and the form that was open carries on."""

from typing import Any

import aiohttp

from tests.cards import fill_by_label, forward_button, press, texts
from tests.conftest import RunningBot, stored_tables
from tests.dialogs_flow import answer, details, only_card
from tests.teams_client import TeamsClient


async def _post(teams: TeamsClient, activity: dict[str, Any]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.post(
        teams.bot.url + "api/messages", json=activity, headers=teams.headers
    ) as response:
        return response.status, await response.text()


async def test_a_nul_typed_or_in_a_card_answer_is_refused_saying_why_and_changes_nothing(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = only_card(await teams.say("open review"))
    before = stored_tables(running_bot)
    with_nul = [
        teams.activity(text="open review\x00"),
        teams.activity(value=press(card, forward_button(card),
                                   fill_by_label(card, details(reference="LSCB-2026-014\x00")))),
        teams.activity(text="help", **{"from": {"id": teams.user_id, "name": "Rep\x00",
                                                "aadObjectId": teams.aad_object_id}}),
    ]

    for activity in with_nul:
        assert await _post(teams, activity) == (400, "The body holds a NUL character (U+0000), which no text needs.")

    assert teams.connector.take() == []
    assert stored_tables(running_bot) == before
    following = only_card(await answer(teams, card, fill_by_label(card, details())))
    assert "step 2 of 4" in texts(following)
