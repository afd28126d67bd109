"""An England Child Safeguarding Practice Review (england-cspr-2023) in Microsoft 365 Agents
Playground, as a new representative meets it: opened under the framework in force, its own criteria
answered, then guided by the review card's one forward button from the rapid review to the
partners' decision on an LCSPR. The new cards are saved to docs/screenshots/ (10–12; the README
shows them). Skipped, loudly, where Chromium or the Playground is missing.
"""

from datetime import date
from pathlib import Path

from tests.e2e.playground import (
    Card,
    Chat,
    answer_independence,
    chat_with_the_bot,
    describe_an_england_review,
    eventually,
    needs_browser,
    outbox_subjects,
    review_card_once_sent,
)

pytestmark = needs_browser

REFERENCE = "CSPR-2026-031"
SUBJECT = f"OFFICIAL-SENSITIVE – Child Safeguarding Practice Review – {REFERENCE} – {{}}"
# A copy in SharePoint: the only kind of link the bot takes (FILE_UPLOAD_HOSTS).
SUMMARY_LINK = "https://example.sharepoint.com/:w:/s/cspr/EaGeNcYsUmMaRy00000003"


def test_a_person_opens_a_child_safeguarding_practice_review_and_is_guided_to_the_lcspr_decision(
    tmp_path: Path, storage_env: dict[str, str]
) -> None:
    today = date.today()
    with chat_with_the_bot(tmp_path, REMINDERS_ENABLED="false", **storage_env) as chat:
        chat.wait_for_card("What you can type").press("Open a review")

        details = chat.wait_for_card("The board's reference")
        describe_an_england_review(details, REFERENCE, "Exampleshire Safeguarding Children Partnership", today)
        # The framework is left as offered: the one in force for England today.
        assert details.shown("Framework the review follows") == "The one in force for the nation and date (recommended)"
        details.press("Next: eligibility questions")

        # The pack's own criteria, not the 2016 guidance's.
        criteria = chat.wait_for_card("Does the case meet the framework's criteria?")
        assert "Child Safeguarding Practice Review" in criteria.text
        assert "E1." not in criteria.text
        criteria.choose("S1.", "Yes")
        criteria.choose("S2.", "Yes")
        criteria.choose("S3.", "No")
        criteria.screenshot("10-cspr-criteria")
        criteria.press("Next: your independence")

        independence = chat.wait_for_card("I1.")
        answer_independence(independence)
        independence.press("Next: check and confirm")

        confirm = chat.wait_for_card("Check and confirm")
        assert "a serious child safeguarding case — the local authority must notify the Panel" in confirm.text
        assert "Child Safeguarding Practice Review" in confirm.text
        assert "1 email will be sent when you confirm" in confirm.text
        confirm.press("Open the review and send 1 email")

        opened = chat.wait_for_card(REFERENCE)
        assert "You are recorded as the Home Office representative" in opened.text
        assert "Waiting on the local authority: Notify the Child Safeguarding Practice Review Panel" in opened.text
        assert eventually(lambda: outbox_subjects(tmp_path / "data"), "the opening email")[0] == \
            SUBJECT.format("review opened")

        review = review_card_once_sent(chat, REFERENCE)
        assert "Serious incident notified – rapid review to begin" in review.text
        # Before the first step the framework can still be changed; this walk keeps it.
        review.press("Record something else")
        assert "Change the framework" in review.text
        review.screenshot("11-cspr-review")

        review = _record(chat, review, "Record: Rapid review started", "Date it happened", today)
        assert "Rapid review under way – agency summaries being gathered" in review.text
        review.press("Record something else")
        assert "Change the framework" not in review.text, "only before the review's first step"

        # The Home Office's own duties before its report goes (1.5): consult the areas, then CID.
        review = _record(chat, review, "Record business areas consulted", "Date of the consultation", today,
                         ticks=("Border Force",))
        eventually(lambda: SUBJECT.format("consultation on the Home Office's report") in
                   outbox_subjects(tmp_path / "data"), "the consultation email")
        review = _record(chat, review, "Record consultation confirmed on CID", "Date it was recorded on CID", today)

        review.press("Record: Home Office agency summary sent")
        form = chat.wait_for_card("Link to")
        assert "a copy of the Home Office's report" in form.text
        form.date("Date it happened", today)
        form.fill("Link to", SUMMARY_LINK)
        form.screenshot("12-cspr-agency-summary")
        review = _submit(chat, form, "Record: Home Office agency summary sent", today,
                         "Record: Rapid review completed and sent to the Panel")
        eventually(lambda: SUBJECT.format("Home Office agency summary sent") in outbox_subjects(tmp_path / "data"),
                   "the agency summary's copy")

        review = _record(chat, review, "Record: Rapid review completed and sent to the Panel", "Date it happened",
                         today)
        assert "Rapid review sent to the Panel – the partners' decision on an LCSPR awaited" in review.text
        review = _record(chat, review, "Record: The partners decided to hold an LCSPR", "Date it happened", today)
        assert "Local Child Safeguarding Practice Review under way – partners monitoring it" in review.text

        subjects = outbox_subjects(tmp_path / "data")
        assert subjects and all("Child Safeguarding Practice Review" in subject for subject in subjects), subjects


def _record(chat: Chat, review: Card, button: str, date_label: str, day: date, ticks: tuple[str, ...] = ()) -> Card:
    """Presses the review card's forward button, which must be `button`, fills in its form and
    returns the review card that follows."""
    assert _forward(review) == button
    review.press(button)
    form = chat.wait_for_card(date_label)
    form.date(date_label, day)
    for option in ticks:
        form.tick(option)
    return _submit(chat, form, button, day)


def _submit(chat: Chat, form: Card, button: str, day: date, next_text: str = "") -> Card:
    """Submits the form: it turns into its read-only summary in place, and an updated review card follows."""
    form.press(button)
    recorded = chat.wait_for_card("Recorded by you")
    assert f"{day:%A} {day.day} {day:%B %Y}" in recorded.text
    assert recorded.element.get_by_role("button").count() == 0, "nothing left to press"
    return chat.wait_for_card(next_text or REFERENCE)


def _forward(review: Card) -> str:
    """The title of the review card's forward button (the first, positive one)."""
    return review.element.get_by_role("button").first.inner_text()
