"""A card press counts once: the same press sent again, at once or later, records nothing more and
is told it was already recorded (bot.storage.presses)."""

import asyncio

from tests.cards import forward_button, press
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import walk_to_confirmation
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient

ALREADY = "already recorded"


def _texts(replies: list) -> str:
    return " ".join(str(reply.text) for reply in replies)


async def test_the_same_confirm_pressed_again_later_opens_one_review(
    running_bot: RunningBot, teams: TeamsClient
) -> None:
    confirm = await walk_to_confirmation(teams)
    pressed = press(confirm, forward_button(confirm))

    await teams.submit(pressed)
    again = await teams.submit(pressed)

    assert ALREADY in _texts(again)
    review, emails = stored_review(running_bot, teams.person)
    assert review.reference == "LSCB-2026-014"
    assert len({item.key for item in emails}) == len(emails)


async def test_the_same_confirm_pressed_twice_at_once_opens_one_review_and_says_so(
    running_bot: RunningBot, connector: FakeConnector, teams: TeamsClient
) -> None:
    confirm = await walk_to_confirmation(teams)
    pressed = press(confirm, forward_button(confirm))

    statuses = await asyncio.gather(*(teams.post(teams.activity(value=pressed)) for _ in range(2)))

    assert set(statuses) <= {200, 201}
    replies = connector.take(teams.conversation_id)
    assert "Sorry" not in _texts(replies)
    stored_review(running_bot, teams.person)  # exactly one review: it unpacks one
