"""Presses on form cards over HTTP as Teams sends them (Action.Execute invokes): each button of a
form carries that form's id, so a press on an old card changes nothing; the same form shown again
(after help, or typed again) keeps its card working; Back keeps what was typed on the step."""

from datetime import date, timedelta
from typing import Any

from tests.cards import fill_by_label, forward_button, inputs, press, texts, walk
from tests.dialogs_flow import details, only_card
from tests.teams_client import TeamsClient


def button(card: dict[str, Any], title: str) -> dict[str, Any]:
    return next(node for node in walk(card) if node.get("type") == "Action.Execute" and node.get("title") == title)


async def test_cancel_on_an_old_card_leaves_the_form_open_now_untouched(teams: TeamsClient) -> None:
    old = only_card(await teams.say("open review"))
    await teams.say("cancel")
    current = only_card(await teams.say("open review"))

    answer, posted = await teams.press_card(press(old, button(old, "Cancel")))

    assert posted == []
    assert "nothing was cancelled" in texts(answer) and "actions" not in answer
    step_two, _ = await teams.press_card(press(current, forward_button(current), fill_by_label(current, details())))
    assert "Does the case meet the criteria?" in texts(step_two)
    # Its own Cancel does cancel it.
    cancelled, _ = await teams.press_card(press(step_two, button(step_two, "Cancel")))
    assert "Cancelled" in texts(cancelled)


async def _step_two(teams: TeamsClient) -> dict[str, Any]:
    first = only_card(await teams.say("open review"))
    card, _ = await teams.press_card(press(first, forward_button(first), fill_by_label(first, details())))
    return card


async def test_typing_help_mid_form_keeps_the_card_being_filled_in_working(teams: TeamsClient) -> None:
    step_two = await _step_two(teams)

    replies = await teams.say("help")
    assert len([card for reply in replies for card in reply.cards]) == 2, "help, then the form again"

    answers = {q: "no" for q in inputs(step_two)} | {"E1": "yes"}
    step_three, _ = await teams.press_card(press(step_two, forward_button(step_two), answers))
    assert "already submitted" not in texts(step_three)
    assert "email" in inputs(step_three)


async def test_typing_open_review_again_keeps_the_card_being_filled_in_working(teams: TeamsClient) -> None:
    step_two = await _step_two(teams)
    shown_again = await teams.say("open review")
    assert "here is the card you were on" in shown_again[0].text

    answers = {q: "no" for q in inputs(step_two)} | {"E1": "yes"}
    step_three, _ = await teams.press_card(press(step_two, forward_button(step_two), answers))
    assert "email" in inputs(step_three)


async def test_back_keeps_what_was_typed_on_the_step_left(teams: TeamsClient) -> None:
    step_two = await _step_two(teams)
    typed = {"E1": "yes", "E2": "no", "H1": "yes"}

    first, _ = await teams.press_card(press(step_two, button(step_two, "Back"), typed))
    step_two_again, _ = await teams.press_card(press(first, forward_button(first)))

    values = {q: node.get("value") for q, node in inputs(step_two_again).items()}
    assert {q: values[q] for q in typed} == typed


async def test_back_from_milestones_keeps_the_dates_typed(teams: TeamsClient) -> None:
    first = only_card(await teams.say("open review"))
    day = (date.today() - timedelta(days=3)).isoformat()
    answers = fill_by_label(first, details(**{"how far": "terms_of_reference", "decided to hold": day}))
    milestones, _ = await teams.press_card(press(first, forward_button(first), answers))
    assert "Milestones so far" in texts(milestones)
    assert "Never type a child's or family member's name" in texts(milestones), "every form warns (8.1)"

    first_again, _ = await teams.press_card(press(milestones, button(milestones, "Back"),
                                                {"terms_of_reference": day}))
    milestones_again, _ = await teams.press_card(press(first_again, forward_button(first_again)))

    assert inputs(milestones_again)["terms_of_reference"]["value"] == day
