"""The bot in the client a person uses: Microsoft 365 Agents Playground in headless Chromium.

From install to a recorded event, by reading the cards and filling them in as a person would;
each step's card is saved to docs/screenshots/ (the README shows them). Runs whenever Chromium and
the Playground are installed (.ci/run installs both; Playwright is in the dev lock); anywhere
else it is skipped with a loud message saying what is missing.
"""

from datetime import date
from pathlib import Path

from tests.app_process import ServedApp
from tests.e2e.playground import (
    SCREENSHOTS,
    Chat,
    answer_independence,
    browser_page,
    chromium_path,
    describe_an_england_review,
    diagnostics,
    eventually,
    needs_browser,
    outbox_subjects,
    review_card_once_sent,
    running_playground,
)

REFERENCE = "LSCB-2026-014"

pytestmark = needs_browser


def test_a_person_opens_a_review_and_records_an_event_in_the_playground(
    tmp_path: Path, storage_env: dict[str, str]
) -> None:
    app = ServedApp(tmp_path, REMINDERS_ENABLED="false", **storage_env).wait_until_healthy()
    chromium = chromium_path()
    assert chromium is not None
    today = date.today()
    try:
        with running_playground(app.url, tmp_path) as url, browser_page(url, chromium) as page, \
                diagnostics(page, tmp_path, app):
            chat = Chat(page, SCREENSHOTS)
            # Install: the Playground adds the bot to a personal chat, and the bot greets.
            welcome = chat.wait_for_card("What you can type")
            welcome.screenshot("01-help")
            welcome.press("Open a review")

            details = chat.wait_for_card("The board's reference")
            describe_an_england_review(details, REFERENCE, "Exampleshire LSCB", today)
            # The walk is the source guidance's process, chosen over the pack in force for today.
            details.pick("Framework the review follows",
                         "Serious Case Review (scr-2016: England, Wales, Northern Ireland, Scotland)")
            details.pick("Why not the one in force", "The board or safeguarding partners running it say this "
                         "framework applies")
            details.screenshot("02-details")
            details.press("Next: eligibility questions")

            eligibility = chat.wait_for_card("Does the case meet the criteria?")
            eligibility.choose("E1.", "Yes")
            eligibility.choose("E2.", "No")
            # Back from a half-answered step, and forward again: both steps as they were left.
            eligibility.press("Back")
            details = chat.wait_for_card("The board's reference")
            assert details.element.locator("input[type='checkbox'][aria-label='Border Force']").is_checked()
            details.press("Next: eligibility questions")
            eligibility = chat.wait_for_card("Does the case meet the criteria?")
            assert eligibility.element.locator("input[type='radio']:checked").count() == 2
            for question in ("E3.", "H1.", "H2.", "H3.", "H4."):
                eligibility.choose(question, "No")
            eligibility.screenshot("03-eligibility")
            eligibility.press("Next")

            independence = chat.wait_for_card("I1.")
            answer_independence(independence)
            independence.screenshot("04-independence")
            independence.press("Next: check and confirm")

            confirm = chat.wait_for_card("Check and confirm")
            assert "1 email will be sent when you confirm" in confirm.text
            confirm.screenshot("05-confirm")
            confirm.press("Open the review")

            opened = chat.wait_for_card(REFERENCE)
            assert "You are recorded as the Home Office representative" in opened.text
            opened.screenshot("06-opened")
            # The opening email (1.1) leaves through the outbox: here the .eml folder.
            subjects = eventually(lambda: outbox_subjects(tmp_path / "data"), "the opening email in the outbox")
            assert subjects[0] == f"OFFICIAL-SENSITIVE – Serious Case Review – {REFERENCE} – review opened"

            review = review_card_once_sent(chat, REFERENCE)
            review.screenshot("07-review")
            review.press("Record the board's decision")

            decision = chat.wait_for_card("What did the board decide?")
            decision.choose("What did the board decide?", "Hold a statutory review")
            decision.date("Date of the decision", today)
            decision.screenshot("08-decision")
            decision.press("Record the board's decision")

            # The form turns into its read-only summary in place (Universal Actions).
            recorded = chat.wait_for_card("Recorded by you")
            assert f"{today:%A} {today.day} {today:%B %Y}" in recorded.text
            assert recorded.element.get_by_role("button").count() == 0, "nothing left to press"
            recorded.screenshot("09-decision-recorded")

            # Add a colleague with the Playground's people picker (its member ids, accepted locally).
            review = chat.wait_for_card("Record the terms of reference agreed")
            review.press("Record something else")
            review.press("Add a colleague")
            colleague = chat.wait_for_card("Colleague to add")
            colleague.find_person("Meg", "Megan Bowen")
            colleague.press("Add a colleague")
            added = chat.wait_for_card("Recorded by you")
            assert "The person you picked" in added.text
            assert "Never type" not in added.text, "the warning is for the form, not its summary"
    finally:
        app.stop()
