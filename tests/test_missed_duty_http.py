"""A duty missed is shown as missed over HTTP: an IMR recorded with no business area consulted on it
first (1.5) leaves a warning on the review card, never "No longer required"."""

from datetime import date

from tests.cards import any_button, forward_button, press, texts, walk
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import only_card, open_and_show
from tests.teams_client import TeamsClient

YES = {"A1": "yes", "A2": "yes", "A3": "yes", "A4": "yes"}


async def test_para_1_5_an_imr_completed_without_consultation_shows_the_duty_missed(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    form = only_card(await teams.submit(press(card, any_button(card, "terms of reference"))))
    card = only_card((await teams.submit(press(form, forward_button(form))))[1:])
    assert forward_button(card)["title"] == "Record business areas consulted"

    form = only_card(await teams.submit(press(card, any_button(card, "IMR completed"))))
    replies = await teams.submit(press(form, forward_button(form), YES))

    card = only_card(replies[1:])
    warnings = [texts(node) for node in walk(card)
                if node.get("type") == "Container" and node.get("style") == "warning"]
    assert any("Not done in time: Consult every business area" in text and "para 1.5" in text for text in warnings)
    lapsed = [texts(node) for node in walk(card) if node.get("id") == "lapsed"]
    assert not any("Consult every business area" in text for text in lapsed), "not folded away as no longer required"
    review, _ = stored_review(running_bot, teams.person)
    assert "that duty was missed" in review.history[-1].detail
