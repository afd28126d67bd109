"""A review is opened once (finding 10): the same reference is refused on the first card, where it is
typed, with every answer kept; a refusal at the last card offers the way back, never a dead end."""

from typing import Any

from bot.storage.reviews import ReviewRepository
from tests.cards import any_button, fill_by_label, forward_button, inputs, press, texts
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import details, only_card, open_review, walk_to_confirmation
from tests.teams_client import TeamsClient


async def test_a_reference_you_already_have_is_refused_on_the_first_card_with_the_answers_kept(
    teams: TeamsClient,
) -> None:
    await open_review(teams, reference="LSCB-2026-231")
    first = only_card(await teams.say("open review"))
    answers = fill_by_label(first, details(reference="LSCB-2026-231"))

    again = await _card(teams, press(first, forward_button(first), answers))

    assert "About the review" in texts(again)
    assert "You already have review LSCB-2026-231" in texts(again)
    assert {name: inputs(again)[name].get("value") for name in answers} == answers
    # Another reference goes on.
    step_two = await _card(teams, press(again, forward_button(again), {"reference": "LSCB-2026-232"}))
    assert "Does the case meet the criteria?" in texts(step_two)


async def test_a_refusal_at_the_check_card_offers_the_change_link(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    confirm = await walk_to_confirmation(teams, reference="LSCB-2026-231")
    # Meanwhile the same person opens it from another chat with the bot.
    elsewhere = TeamsClient(running_bot, teams.connector, conversation_id="a:personal-chat-2")
    await open_review(elsewhere, reference="LSCB-2026-231")

    refused = await _card(teams, press(confirm, forward_button(confirm)))

    assert "The review was not opened: You already have review LSCB-2026-231" in texts(refused)
    details_card = await _card(teams, press(refused, any_button(refused, "Change the review's details")))
    assert inputs(details_card)["reference"]["value"] == "LSCB-2026-231", "the answers are kept"
    check = await _card(teams, press(details_card, forward_button(details_card), {"reference": "LSCB-2026-233"}))
    opened = await _card(teams, press(check, forward_button(check)))
    assert "Review LSCB-2026-233 opened" in texts(opened)
    assert "The review was not opened" not in texts(opened)
    with bot_store(running_bot.settings) as store:
        references = sorted(review.reference for review in ReviewRepository(store).for_user(teams.person))
    assert references == ["LSCB-2026-231", "LSCB-2026-233"]


async def _card(teams: TeamsClient, data: dict[str, Any]) -> dict[str, Any]:
    return (await teams.press_card(data))[0]
