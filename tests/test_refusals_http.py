"""An old or tampered press that cannot be recorded is refused with its true reason and the way on
(finding 14), over HTTP as Teams sends it: the answer card says why and shows the review."""

from datetime import date
from typing import Any

from tests.cards import any_button, forward_button, press, texts
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import imr_form, only_card, open_and_show
from tests.teams_client import TeamsClient

LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/EiMrShArEdLiNk00000004"



async def _the_way_on_is_the_review(teams: TeamsClient, refusal: dict[str, Any]) -> None:
    review_card, _ = await teams.press_card(press(refusal, forward_button(refusal)))
    assert forward_button(refusal)["title"] == "Show the review"
    assert "LSCB-2026-014" in texts(review_card) and "To do" in texts(review_card)


async def test_an_old_press_of_a_milestone_already_recorded_says_so(teams: TeamsClient) -> None:
    old = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    form = only_card(await teams.submit(press(old, any_button(old, "terms of reference"))))
    await teams.submit(press(form, forward_button(form)))

    refusal, posted = await teams.press_card(press(old, any_button(old, "terms of reference")))

    assert posted == []
    assert "Nothing was changed on LSCB-2026-014" in texts(refusal)
    assert "\u201cTerms of reference agreed\u201d is already recorded on this review" in texts(refusal)
    await _the_way_on_is_the_review(teams, refusal)


async def test_a_tampered_press_adding_an_area_when_all_are_on_the_review_says_so(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await open_and_show(teams, **{"business areas": "ukvi,border_force,immigration_enforcement"})
    review, _ = stored_review(running_bot, teams.person)

    refusal, _ = await teams.press_card({"verb": "record_event", "event": "business_areas_added",
                                       "review_id": review.id})

    assert "Every Home Office business area is already on this review" in texts(refusal)
    assert "the review is at" not in texts(refusal)
    await _the_way_on_is_the_review(teams, refusal)


async def test_an_old_add_the_document_pressed_after_it_was_added_says_why(teams: TeamsClient) -> None:
    form = await imr_form(teams)
    replies = await teams.submit(press(form, forward_button(form), {q: "yes" for q in ("A1", "A2", "A3", "A4")}))
    old = only_card(replies[1:])
    assert forward_button(old)["title"] == "Add the document to send"
    add = only_card(await teams.submit(press(old, forward_button(old))))
    await teams.submit(press(add, forward_button(add), {"document_link": LINK}))

    refusal, _ = await teams.press_card(press(old, forward_button(old)))

    assert "No copy is waiting for its document" in texts(refusal)
    assert "the review is at" not in texts(refusal)
    await _the_way_on_is_the_review(teams, refusal)
