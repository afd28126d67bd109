"""Universal Actions over HTTP, read as Teams reads them: a press on an Action.Execute button is an
`adaptiveCard/action` invoke, and the card in the invoke response replaces the pressed card."""

import re
from datetime import date
from typing import Any

from tests.cards import any_button, fill_by_label, forward_button, inputs, press, texts, walk
from tests.dialogs_flow import details, imr_form, only_card, open_and_show
from tests.teams_client import TeamsClient

LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/EiMrShArEdLiNk00000004"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
NAMES_WARNING = "Never type a child's or family member's name"


async def execute(teams: TeamsClient, data: dict[str, Any]) -> tuple[dict[str, Any], list]:
    """The card Teams shows in place of the pressed one, and what the bot posted besides."""
    status, body, posted = await teams.execute(data)
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == ADAPTIVE_CARD
    return body["value"], posted


async def test_a_press_updates_the_card_in_place_and_posts_nothing_else(teams: TeamsClient) -> None:
    help_card = only_card(await teams.say("help"))

    card, posted = await execute(teams, press(help_card, any_button(help_card, "Open a review")))

    assert posted == []
    assert "About the review" in texts(card) and "reference" in inputs(card)
    step_two, posted = await execute(teams, press(card, forward_button(card), fill_by_label(card, details())))
    assert posted == []
    assert "Does the case meet the criteria?" in texts(step_two)


async def test_a_press_on_an_old_card_refreshes_it_to_an_inactive_one_and_changes_nothing(
    teams: TeamsClient,
) -> None:
    first = only_card(await teams.say("open review"))
    next_card, _ = await execute(teams, press(first, forward_button(first), fill_by_label(first, details())))

    refreshed, posted = await execute(teams, press(first, forward_button(first), fill_by_label(first, details())))

    assert posted == []
    assert refreshed["body"][0]["text"].startswith("This form was already submitted")
    assert "actions" not in refreshed and not inputs(refreshed), "nothing left to press"
    # The form in progress is where it was: its own card still moves on.
    step_three, _ = await execute(teams, press(next_card, forward_button(next_card),
                                               {q: "no" for q in inputs(next_card)}))
    assert "step 2 of 4" in texts(step_three) or "step 3 of 4" in texts(step_three)


async def test_a_press_that_cannot_be_read_is_answered_with_a_card_not_an_error(teams: TeamsClient) -> None:
    activity = teams.activity("invoke", name="adaptiveCard/action", value={"action": {"type": "Action.Execute"}})
    status = await teams.post(activity)
    assert status == 200
    assert teams.connector.take(teams.conversation_id) == []


async def test_a_submitted_form_turns_into_its_summary_and_the_review_card_follows(teams: TeamsClient) -> None:
    review_card = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    form, _ = await execute(teams, press(review_card, any_button(review_card, "terms of reference")))
    assert "actions" in form

    summary, posted = await execute(teams, press(form, forward_button(form)))

    assert re.search(r"Recorded by you, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d", texts(summary))
    assert "actions" not in summary and not inputs(summary), "the summary has nothing to press"
    # The warning against typing names is for a form still to be filled in (8.1), not its record.
    assert NAMES_WARNING in texts(form) and NAMES_WARNING not in texts(summary)
    assert posted[0].text.startswith("Recorded on LSCB-2026-014: Terms of reference agreed (para")
    assert "Terms of reference agreed" in texts(only_card(posted[1:]))
    # The old form, pressed again, is refreshed, and records nothing more.
    again, posted = await execute(teams, press(form, forward_button(form)))
    assert "actions" not in again and posted == []


async def test_a_form_asking_for_a_document_keeps_only_its_answers_in_its_summary(teams: TeamsClient) -> None:
    form = await imr_form(teams)
    assert "send the file in this chat" in texts(form)

    summary, _ = await execute(teams, press(form, forward_button(form), {
        **{q: "yes" for q in ("A1", "A2", "A3", "A4")}, "document_link": LINK}))

    assert "Recorded by you" in texts(summary) and LINK in texts(summary)
    assert "send the file in this chat" not in texts(summary), "how to attach a file is no answer"
    assert NAMES_WARNING not in texts(summary)


async def test_the_representatives_form_after_a_failed_check_keeps_neither_the_failure_nor_the_warning_in_its_summary(
    teams: TeamsClient,
) -> None:
    review_card = await open_and_show(teams, independence={"I1": "no"})
    form, _ = await execute(teams, press(review_card, any_button(review_card, "Record the representative")))
    failed, _ = await execute(teams, press(form, forward_button(form), {"I1": "no", "I2": "yes", "I3": "yes",
                                                                        "I4": "yes"}))
    assert "Not recorded as the representative" in texts(failed) and "Answer yes or no only" in texts(failed)

    summary, posted = await execute(teams, press(failed, forward_button(failed),
                                                 {q: "yes" for q in ("I1", "I2", "I3", "I4")}))

    assert "Recorded by you" in texts(summary) and posted[0].text.startswith("Recorded on LSCB-2026-014")
    assert "Not recorded as the representative" not in texts(summary), "the earlier failure is no answer"
    assert "Answer yes or no only" not in texts(summary)


async def test_an_old_review_card_refreshed_on_opening_shows_the_new_stage_and_leaves_a_form_open(
    teams: TeamsClient,
) -> None:
    old = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    form = only_card(await teams.submit(press(old, any_button(old, "terms of reference"))))
    await teams.submit(press(form, forward_button(form)))
    half_done = only_card(await teams.submit(press(old, any_button(old, "first panel meeting"))))

    status, body, posted = await teams.execute_refresh(old["refresh"]["action"]["data"])

    assert status == 200 and posted == []
    refreshed = body["value"]
    assert "Terms of reference agreed" in texts(refreshed) and "Terms of reference agreed" not in texts(old)
    # The form the person had open is still open: its own button still records.
    replies = await teams.submit(press(half_done, forward_button(half_done), {"date": date.today().isoformat()}))
    assert replies[0].text.startswith("Recorded on LSCB-2026-014")


def _button(card: dict[str, Any], title: str) -> dict[str, Any]:
    return next(node for node in walk(card) if node.get("title") == title)


async def test_back_from_a_step_half_answered_keeps_what_was_answered_on_it(teams: TeamsClient) -> None:
    first = only_card(await teams.say("open review"))
    eligibility, _ = await execute(teams, press(first, forward_button(first), fill_by_label(first, details())))
    back = _button(eligibility, "Back")
    assert "associatedInputs" not in back, "Back sends what was typed on the card"
    assert not any(node.get("isRequired") for node in inputs(eligibility).values()), \
        "nothing on a card with Back is required, so Teams sends Back without stopping at an unanswered question"
    half = {"E1": "yes", "E2": "no"}

    first_again, _ = await execute(teams, press(eligibility, back, half))
    eligibility_again, _ = await execute(teams, press(first_again, forward_button(first_again)))

    shown = {q: node.get("value") for q, node in inputs(eligibility_again).items()}
    assert shown["E1"] == "yes" and shown["E2"] == "no" and shown["E3"] == ""
    # Still checked when it goes forward: the unanswered questions are marked, nothing is lost.
    marked, _ = await execute(teams, press(eligibility_again, forward_button(eligibility_again)))
    assert "Answer yes or no" in texts(marked) or "Please check" in texts(marked)
    assert inputs(marked)["E1"]["value"] == "yes"


async def test_back_keeps_every_answer_and_a_change_link_returns_to_the_check(teams: TeamsClient) -> None:
    first = only_card(await teams.say("open review"))
    assert "Back" not in [a["title"] for a in first["actions"]], "the first step has nowhere to go back to"
    answers = fill_by_label(first, details(reference="LSCB-2026-099"))
    eligibility, _ = await execute(teams, press(first, forward_button(first), answers))
    yes_no = {q: "no" for q in inputs(eligibility)} | {"E1": "yes"}
    independence, _ = await execute(teams, press(eligibility, forward_button(eligibility), yes_no))

    # Back twice: each step as it was left.
    eligibility_again, _ = await execute(teams, press(independence, _button(independence, "Back")))
    assert {q: node.get("value") for q, node in inputs(eligibility_again).items()} == yes_no
    first_again, _ = await execute(teams, press(eligibility_again, _button(eligibility_again, "Back")))
    assert inputs(first_again)["reference"]["value"] == "LSCB-2026-099"
    assert inputs(first_again)["business_areas"]["value"] == "ukvi"

    # Forward again through the kept answers, then change the details from the check card.
    card = first_again
    for _ in range(2):
        card, _ = await execute(teams, press(card, forward_button(card)))
    card, _ = await execute(teams, press(card, forward_button(card), {q: "yes" for q in ("I1", "I2", "I3", "I4")}))
    assert "Check and confirm" in texts(card) or "step 4 of 4" in texts(card)
    details_card, _ = await execute(teams, press(card, _button(card, "Change the review's details"),))
    changed = {**{i: n.get("value", "") for i, n in inputs(details_card).items()}, "reference": "LSCB-2026-100"}
    check, _ = await execute(teams, press(details_card, forward_button(details_card), changed))
    assert "step 4 of 4" in texts(check) and "LSCB-2026-100" in texts(check)
    opened, _ = await execute(teams, press(check, forward_button(check)))
    assert "LSCB-2026-100" in texts(opened) and "Show the review" in [a["title"] for a in opened["actions"]]
