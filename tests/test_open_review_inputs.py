"""Bad input while opening a review: a clear message, the card again, and nothing changed."""

from datetime import date, timedelta

import pytest

from bot.storage.reviews import ReviewRepository
from tests.cards import button, fill_by_label, forward_button, inputs, press, texts
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import ALL_NO, INDEPENDENT, answer, details, only_card
from tests.teams_client import TeamsClient


def _reviews(bot: RunningBot, teams: TeamsClient) -> list:
    with bot_store(bot.settings) as store:
        return ReviewRepository(store).for_user(teams.person)


async def _details_card(teams: TeamsClient) -> dict:
    return only_card(await teams.say("open review"))


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ({"reference": "x" * 100_000}, "at most 40 characters"),
        ({"reference": "Jane Smith"}, "Never use a name"),
        ({"reference": ["LSCB-1"]}, "was not sent as text"),
        ({"reference": None}, "reference is required"),
        ({"business_areas": "ukvi,ministry_of_magic"}, "at least one option for business areas"),
        ({"nation": "atlantis"}, "options for nation"),
        ({"came_to_chair_attention": str(date.today() + timedelta(days=3))}, "cannot be in the future"),
        ({"came_to_chair_attention": "31/12/2025"}, "must be a date"),
        ({"decision_to_proceed": (date.today() - timedelta(days=400)).isoformat()}, "cannot be before"),
    ],
    ids=["huge", "a-name", "wrong-type", "missing", "unknown-area", "unknown-nation", "future-date",
         "not-a-date", "decided-before-referral"],
)
async def test_a_bad_details_submit_shows_the_card_again_with_the_problem_marked(
    teams: TeamsClient, running_bot: RunningBot, tamper: dict, message: str
) -> None:
    card = await _details_card(teams)
    submit = press(card, forward_button(card), fill_by_label(card, details()))
    submit.update(tamper)

    again = only_card(await teams.submit(submit))

    shown = texts(again)
    assert message in shown
    assert "About the review" in shown
    assert "x" * 600 not in shown, "a huge value is not echoed back whole"
    assert _reviews(running_bot, teams) == []


async def test_an_unanswered_eligibility_question_is_marked_and_the_answers_kept(teams: TeamsClient) -> None:
    card = await _details_card(teams)
    eligibility = only_card(await answer(teams, card, fill_by_label(card, details())))
    partial = {**ALL_NO, "E1": "yes"}
    del partial["H3"]

    again = only_card(await answer(teams, eligibility, {**partial, "H3": ""}))

    assert "Question H3 is required" in texts(again)
    assert inputs(again)["E1"]["value"] == "yes"
    assert inputs(again)["H3"]["value"] == ""


async def test_a_submit_from_an_older_card_changes_nothing(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    first = await _details_card(teams)
    await answer(teams, first, fill_by_label(first, details()))

    replies = await answer(teams, first, fill_by_label(first, details(reference="LSCB-2026-999")))

    assert "already submitted (or closed)" in replies[0].text
    assert _reviews(running_bot, teams) == []


async def test_typing_instead_of_using_the_card_points_back_to_it(teams: TeamsClient) -> None:
    await _details_card(teams)
    replies = await teams.say("I am not sure what to put")
    assert "Please answer using the card above" in replies[0].text


async def test_help_half_way_shows_help_then_the_same_form_again(teams: TeamsClient) -> None:
    await _details_card(teams)
    replies = await teams.say("help")
    cards = [card for reply in replies for card in reply.cards]
    assert len(cards) == 2
    assert "What you can type" in texts(cards[0])
    assert "About the review" in texts(cards[1])


@pytest.mark.parametrize("how", ["typed", "button"])
async def test_cancel_at_any_step_saves_nothing(
    teams: TeamsClient, running_bot: RunningBot, how: str
) -> None:
    card = await _details_card(teams)
    eligibility = only_card(await answer(teams, card, fill_by_label(card, details())))

    if how == "typed":
        replies = await teams.say("cancel")
    else:
        replies = await teams.submit(press(eligibility, button(eligibility, "Cancel")))

    assert "Cancelled" in replies[0].text
    again = await answer(teams, eligibility, {**ALL_NO, "E1": "yes"})
    assert "already submitted (or closed)" in again[0].text
    assert _reviews(running_bot, teams) == []


async def test_a_conversation_half_way_through_a_form_resumes_after_a_restart(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await _details_card(teams)
    eligibility = only_card(await answer(teams, card, fill_by_label(card, details())))

    await running_bot.restart()

    independence = only_card(await answer(teams, eligibility, {**ALL_NO, "E1": "yes"}))
    assert "Can you sit on the panel" in texts(independence)
    assert "must always be held" in texts(independence)


async def test_a_button_from_another_card_closes_a_form_left_half_way(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await _details_card(teams)
    await running_bot.restart()

    replies = await teams.submit({"verb": "my_reviews"})

    assert "closed the form you had open" in replies[0].text
    assert "Your reviews" in texts(replies[1].cards[0])
    again = await teams.say("my reviews")
    assert len(again) == 1 and again[0].cards, "with no form open, just the list"


@pytest.mark.parametrize(
    ("typed", "shows"),
    [("my reviews", "Your reviews"), ("agenda", "active reviews by stage"), ("outstanding", "What you owe"),
     ("show LSCB-2026-014", "can't find a review with that reference")],
)
async def test_a_command_typed_half_way_closes_the_form_says_so_and_runs(
    teams: TeamsClient, typed: str, shows: str
) -> None:
    card = await _details_card(teams)
    eligibility = only_card(await answer(teams, card, fill_by_label(card, details())))

    replies = await teams.say(typed)

    assert "closed the form you had open" in replies[0].text
    assert shows in "\n".join([reply.text or "" for reply in replies] + [texts(c) for r in replies for c in r.cards])
    stale = await answer(teams, eligibility, {**ALL_NO, "E1": "yes"})
    assert "already submitted (or closed)" in stale[0].text


@pytest.mark.parametrize("typed", ["next", "Record", "I am not sure"])
async def test_a_word_that_may_mean_the_cards_button_keeps_the_form(teams: TeamsClient, typed: str) -> None:
    card = await _details_card(teams)
    eligibility = only_card(await answer(teams, card, fill_by_label(card, details())))

    replies = await teams.say(typed)

    assert "Please answer using the card above" in replies[0].text
    independence = only_card(await answer(teams, eligibility, {**ALL_NO, "E1": "yes"}))
    assert "Can you sit on the panel" in texts(independence)


async def test_typing_open_review_half_way_shows_the_card_you_were_on(teams: TeamsClient) -> None:
    card = await _details_card(teams)
    only_card(await answer(teams, card, fill_by_label(card, details())))

    replies = await teams.say("open review")

    assert "already part-way" in replies[0].text
    again = only_card(replies[1:])
    assert "Does the case meet the criteria?" in texts(again)
    assert "Can you sit on the panel" in texts(only_card(await answer(teams, again, {**ALL_NO, "E1": "yes"})))


async def test_pressing_open_a_review_twice_keeps_the_first_form(teams: TeamsClient) -> None:
    await teams.submit({"verb": "open_review"})
    replies = await teams.submit({"verb": "open_review"})

    assert "already open" in replies[0].text
    assert replies[0].cards == [] and len(replies) == 1


async def test_the_banner_on_a_re_shown_card_names_the_field_that_is_wrong(teams: TeamsClient) -> None:
    card = await _details_card(teams)
    wrong = details(reference="no digits", **{"local board": "Jane Smith!"})
    again = only_card(await answer(teams, card, fill_by_label(card, wrong)))
    assert "Please check the reference and the board's name: see the notes below them." in texts(again)

    eligibility = only_card(await answer(teams, again, fill_by_label(again, details())))
    independence = only_card(await answer(teams, eligibility, {**ALL_NO, "E1": "yes"}))
    wrong_email = only_card(await answer(teams, independence, {**INDEPENDENT, "email": "not-an-email"}))

    shown = texts(wrong_email)
    assert "Please check your work email: see the note below it." in shown
    assert "Please answer every question" not in shown
