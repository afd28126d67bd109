"""Walking the opening cards over HTTP like a person, for the tests that need an open review."""

from datetime import date, timedelta
from typing import Any

from tests.cards import any_button, fill_by_label, forward_button, inputs, press
from tests.teams_client import TeamsClient

ALL_NO = {qid: "no" for qid in ("E1", "E2", "E3", "H1", "H2", "H3", "H4", "C1")}
# A framework pack's own criteria, asked instead under it: a serious child safeguarding case (England
# 2023), a case that meets a Learning Review's criteria (Scotland).
PACK_CRITERIA = {"S1": "yes", "S2": "yes", "S3": "no", "L1": "yes", "L2": "no", "L3": "no"}
INDEPENDENT = {qid: "yes" for qid in ("I1", "I2", "I3", "I4")}


# The tests written for the source guidance's process follow it by choice: an English case from
# these dates would otherwise follow the Child Safeguarding Practice Review pack in force.
SCR_2016_BY_CHOICE = {"framework": "scr-2016", "why not the one in force": "board_says"}
IN_FORCE = {"framework": "in_force", "why not the one in force": ""}


def details(**overrides: str) -> dict[str, str]:
    """Answers for the first card, by label."""
    came = (date.today() - timedelta(days=4)).isoformat()
    return {
        "reference": "LSCB-2026-014",
        "nation": "england",
        "kind of review": "statutory",
        "local board": "Exampleshire LSCB",
        "business areas": "ukvi",
        "chair's attention": came,
        **SCR_2016_BY_CHOICE,
        **overrides,
    }


def only_card(replies: list) -> dict[str, Any]:
    cards = [card for reply in replies for card in reply.cards]
    assert len(cards) == 1, f"expected one card, got {len(cards)}: {[r.text for r in replies]}"
    return cards[0]


async def answer(teams: TeamsClient, card: dict[str, Any], answers: dict[str, str]) -> list:
    return await teams.submit(press(card, forward_button(card), answers))


async def answer_eligibility(teams: TeamsClient, card: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """Answers the eligibility card (the source guidance's, or a framework pack's own criteria), and
    the C1 card when the bot asks it; returns the next card."""
    card = only_card(await answer(teams, card, {**PACK_CRITERIA, **answers}))
    if "C1" in inputs(card):
        card = only_card(await answer(teams, card, answers))
    return card


async def walk_to_confirmation(
    teams: TeamsClient, *, eligibility: dict[str, str] | None = None,
    independence: dict[str, str] | None = None, **detail_overrides: str,
) -> dict[str, Any]:
    card = only_card(await teams.say("open review"))
    card = only_card(await answer(teams, card, fill_by_label(card, details(**detail_overrides))))
    card = await answer_eligibility(teams, card, {**ALL_NO, "E1": "yes", **(eligibility or {})})
    assert "email" in inputs(card)
    card = only_card(await answer(teams, card, {**INDEPENDENT, **(independence or {})}))
    return card


async def open_review(teams: TeamsClient, **options: Any) -> dict[str, Any]:
    """Opens a review through every card and returns the "review opened" card."""
    confirm = await walk_to_confirmation(teams, **options)
    return only_card(await teams.submit(press(confirm, forward_button(confirm))))


async def open_and_show(teams: TeamsClient, **options: Any) -> dict[str, Any]:
    """Opens a review and returns its review card."""
    opened = await open_review(teams, **options)
    return only_card(await teams.submit(press(opened, any_button(opened, "Show the review"))))


async def imr_form(teams: TeamsClient) -> dict[str, Any]:
    """Opens a review decided today and presses through to the "IMR completed" form."""
    card = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    for step, answers in (("terms of reference", {}), ("consulted", {"areas": "border_force"}), ("CID", {})):
        form = only_card(await teams.submit(press(card, any_button(card, step))))
        card = only_card((await teams.submit(press(form, forward_button(form), answers)))[1:])
    return only_card(await teams.submit(press(card, any_button(card, "IMR completed"))))
