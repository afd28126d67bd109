"""Mark an obligation done over HTTP: only duties the bot cannot see being done are offered, and a
duty an event meets (the representative, O3; the board's decision, O13) is refused by hand, naming
the button that records it, even from a tampered press."""

from typing import Any

from bot.review import ObligationState
from tests.cards import walk
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import open_and_show
from tests.teams_client import TeamsClient


def _done_choices(card: dict[str, Any]) -> list[str]:
    return [choice["title"] for node in walk(card) if node.get("id") == "instance_id"
            for choice in node.get("choices", [])]


async def test_only_duties_the_bot_cannot_see_done_can_be_marked_done(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await open_and_show(teams, independence={"I1": "no"})

    choices = _done_choices(card)
    assert any("Secure all available case records" in choice for choice in choices), choices  # O2
    unseen = ("Notify the SCS lead", "Record a panel representative", "Board decision on whether")  # O1, O3, O13
    assert not any(words in choice for choice in choices for words in unseen), choices


async def test_a_duty_an_event_meets_is_refused_by_hand_naming_its_button(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await open_and_show(teams, independence={"I1": "no"})
    review, _ = stored_review(running_bot, teams.person)

    for instance_id, button in (("O3-1", "Record the representative"), ("O13-1", "Record the board's decision")):
        [reply] = await teams.submit({"verb": "obligation_done", "review_id": review.id, "instance_id": instance_id})
        assert "cannot be marked done by hand" in reply.text and f"**{button}**" in reply.text, reply.text

    after, _ = stored_review(running_bot, teams.person)
    assert {r.instance_id: r.state for r in after.obligations}["O3-1"] is ObligationState.OPEN
    assert {r.instance_id: r.state for r in after.obligations}["O13-1"] is ObligationState.OPEN
    assert not [entry for entry in after.history if entry.action == "obligation_done"]
