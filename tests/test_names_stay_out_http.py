"""Names stay out (8.1) on step 1 of opening a review, over HTTP as Teams sends it."""


import pytest

from bot.storage.reviews import ReviewRepository
from tests.cards import fill_by_label, inputs, texts
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import answer, details, only_card
from tests.teams_client import TeamsClient


async def _step_1(teams: TeamsClient, **answers: str) -> dict:
    card = only_card(await teams.say("open review"))
    return only_card(await answer(teams, card, fill_by_label(card, details(**answers))))


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("Smith-family-2026", "must not describe a person or family"),
        ("Jane Smith 01", "codes in capitals"),
        ("Family-Smith-26", "must not describe a person or family"),
    ],
)
async def test_a_reference_like_a_name_is_refused_on_the_field_with_the_reason(
    teams: TeamsClient, running_bot: RunningBot, reference: str, reason: str
) -> None:
    again = await _step_1(teams, reference=reference)

    shown = texts(again)
    assert "About the review" in shown
    assert reason in shown and "Never use a name (para 8.1)" in shown
    with bot_store(running_bot.settings) as store:
        assert ReviewRepository(store).for_user(teams.person) == []


async def test_a_persons_name_as_the_board_is_refused_with_the_reason(teams: TeamsClient) -> None:
    again = await _step_1(teams, **{"local board": "Jane Smith"})

    assert "a word that shows it is a board" in texts(again)


async def test_northern_irelands_board_by_its_initials_is_accepted(teams: TeamsClient) -> None:
    # The Safeguarding Board for Northern Ireland is known as SBNI; a person's name is still refused.
    eligibility = await _step_1(teams, nation="northern_ireland", **{"local board": "SBNI"})

    assert "E1" in inputs(eligibility)


@pytest.mark.parametrize("reference", ["LSCB-2026-014", "SCR/2026/07", "WSCB 26-003", "CPR-NW-2026-01"])
async def test_typical_board_references_go_on_to_the_eligibility_questions(
    teams: TeamsClient, reference: str
) -> None:
    board = {"local board": "Belfast Area Child Protection Committee"}
    eligibility = await _step_1(teams, reference=reference, **board)

    assert "E1" in inputs(eligibility)
