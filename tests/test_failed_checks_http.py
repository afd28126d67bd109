"""A failed independence check over HTTP as Teams sends it (Action.Execute): it is kept in the
review's history, the form stays open with its answers for correction, and once it succeeds the
form's summary shows only the outcome that stands."""


from tests.cards import any_button, forward_button, inputs, press, texts
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import imr_form, only_card, open_and_show
from tests.teams_client import TeamsClient

LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/EiMrShArEdLiNk00000004"



async def test_a_failed_imr_author_check_is_kept_and_the_form_stays_open_with_its_answers(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    form = await imr_form(teams)
    answers = {"A1": "no", "A2": "yes", "A3": "yes", "A4": "yes", "document_link": LINK}

    again, posted = await teams.press_card(press(form, forward_button(form), answers))

    assert posted == []
    shown = texts(again)
    assert "Not recorded as complete" in shown and "A1" in shown and "kept in the review's history" in shown
    assert {name: inputs(again)[name].get("value") for name in answers} == answers, "the answers are kept"
    review, emails = stored_review(running_bot, teams.person)
    assert [entry.detail for entry in review.history if entry.action.value == "imr_author_check_failed"] == [
        "IMR author independence check failed (A1 not met); the IMR was not recorded as complete"]
    assert review.key_dates.imr_completed is None and not any(":O6:" in item.key for item in emails)

    summary, posted = await teams.press_card(press(again, forward_button(again), {"A1": "yes"}))

    assert "Recorded by you" in texts(summary)
    assert "Not recorded" not in texts(summary), "the summary shows only the outcome that stands"
    assert posted[0].text.startswith("Recorded on LSCB-2026-014: IMR completed")


async def test_the_representatives_summary_after_a_retry_shows_only_the_outcome_that_stands(
    teams: TeamsClient,
) -> None:
    card = await open_and_show(teams, independence={"I1": "no"})
    form = only_card(await teams.submit(press(card, any_button(card, "Record the representative"))))
    failed, _ = await teams.press_card(press(form, forward_button(form), {"I1": "no", "I2": "yes", "I3": "yes",
                                                                       "I4": "yes"}))
    assert "Not recorded as the representative" in texts(failed)

    summary, _ = await teams.press_card(press(failed, forward_button(failed), {"I1": "yes", "I2": "no", "I3": "yes",
                                                                          "I4": "yes"}))

    assert "Recorded by you" in texts(summary)
    assert "Not recorded" not in texts(summary) and "I1 not met" not in texts(summary)
