"""Dates over HTTP as Teams sends them, with the bot's clock set (issue 9, point 3)."""

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config import Settings
from bot.review import Stage
from bot.storage.reviews import ReviewRepository
from tests.cards import any_button, fill_by_label, inputs, press, texts
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import answer, details, only_card, open_and_show
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient

# 00:30 on Tuesday 2 June 2026 in London (BST); UTC still says 1 June.
HALF_PAST_MIDNIGHT_BST = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
UK_TODAY = date(2026, 6, 2)


@pytest.fixture
async def bot_after_midnight(make_settings: Callable[..., Settings]) -> AsyncIterator[RunningBot]:
    bot = await RunningBot(make_settings(), clock=lambda: HALF_PAST_MIDNIGHT_BST).start()
    yield bot
    await bot.stop()


@pytest.fixture
def teams_after_midnight(bot_after_midnight: RunningBot, connector: FakeConnector) -> TeamsClient:
    return TeamsClient(bot_after_midnight, connector)


async def test_recording_today_at_half_past_midnight_bst_is_accepted(teams_after_midnight: TeamsClient) -> None:
    teams = teams_after_midnight
    card = await open_and_show(teams, **{"chair's attention": (UK_TODAY - timedelta(days=4)).isoformat()})
    form = only_card(await teams.submit(press(card, any_button(card, "board's decision"))))

    # The form offers today, the UK date, and the user keeps it.
    replies = await answer(teams, form, {"decision": "statutory"})

    assert replies[0].text.startswith("Recorded on LSCB-2026-014"), replies[0].text


async def test_a_milestone_dated_before_the_one_it_follows_is_marked_on_the_form_and_nothing_changes(
    teams_after_midnight: TeamsClient, bot_after_midnight: RunningBot
) -> None:
    teams = teams_after_midnight
    card = await open_and_show(teams, **{"chair's attention": "2026-05-01", "decided to hold": "2026-05-05"})
    form = only_card(await teams.submit(press(card, any_button(card, "terms of reference"))))

    again = only_card(await answer(teams, form, {"date": "2026-05-04"}))

    assert ("Date they were agreed cannot be before the date of the board's decision (Tuesday 5 May 2026)."
            in texts(again))
    with bot_store(bot_after_midnight.settings) as store:
        [review] = ReviewRepository(store).for_user(teams.person)
    assert review.stage is Stage.DECISION


async def test_step_1_says_a_future_date_cannot_be_in_the_future_on_the_card_and_from_the_bot(
    teams_after_midnight: TeamsClient,
) -> None:
    teams = teams_after_midnight
    card = only_card(await teams.say("open review"))
    # Teams checks "max" itself and then shows only the card's own errorMessage.
    ranged = [node for node in inputs(card).values() if node.get("max")]
    assert [node["max"] for node in ranged] == [UK_TODAY.isoformat()] * 2
    assert all("cannot be in the future" in node["errorMessage"] for node in ranged)

    tomorrow = (UK_TODAY + timedelta(days=1)).isoformat()
    again = only_card(await answer(teams, card, fill_by_label(card, details(
        **{"chair's attention": tomorrow, "decided to hold": tomorrow}))))

    shown = texts(again)
    assert "The date the case came to the chair's attention cannot be in the future." in shown
    assert "The date of the decision cannot be in the future." in shown


@pytest.mark.parametrize("typed", ["0001-01-01", "1900-05-01", "1999-12-31"])
async def test_a_date_before_2000_is_refused_with_the_reason(
    teams: TeamsClient, running_bot: RunningBot, typed: str
) -> None:
    card = only_card(await teams.say("open review"))
    again = only_card(await answer(teams, card, fill_by_label(card, details(**{"chair's attention": typed}))))

    assert "cannot be before 1 January 2000: check the year" in texts(again)
    with bot_store(running_bot.settings) as store:
        assert ReviewRepository(store).for_user(teams.person) == []
