"""'What do I do next?' – outstanding obligations first, then the next milestone, each with paragraphs."""

from datetime import date

import pytest

from bot.review import ReviewOpened, Stage, next_steps
from bot.review.next_steps import BEING_SENT
from tests.review.helpers import DAY, new_review, play, review_at


def test_para_7_4_1_new_reviews_point_to_the_occ() -> None:
    steps = next_steps(review_at(Stage.REFERRAL), DAY)
    assert any(step.paragraphs.refs == ("7.4.1",) for step in steps)


def test_an_email_the_bot_is_sending_is_not_a_to_do_until_it_fails() -> None:
    review = review_at(Stage.REFERRAL)
    [o1] = [entry.key for entry in review.notifications]

    sending = next_steps(review, DAY)
    assert not any(step.text.startswith("Due today: Notify") for step in sending)
    assert sending[-1].text.startswith("Being sent by the bot, nothing for you to do unless it fails: Notify")
    assert "1.1" in sending[-1].paragraphs.refs

    text, paragraphs = next_steps(review, DAY, failed_emails={o1})[0]  # a step unpacks as (text, paragraphs)
    assert text.startswith("Due today: Notify") and "1.1" in paragraphs.refs


def test_overdue_steps_come_first_and_say_since_when() -> None:
    steps = next_steps(review_at(Stage.IMRS), date(2026, 6, 1))
    assert steps[0].text.startswith("Overdue since")


# The milestone each stage waits for, as the person reads it, and the paragraph behind it (4.1).
MILESTONES: dict[Stage, tuple[str, str]] = {
    Stage.REFERRAL: ("When the board decides whether to hold a review, record its decision.", "3.3.3"),
    Stage.DECISION: ("Use the panel meetings to shape the terms of reference; record when they are agreed.", "3.3.4"),
    Stage.TERMS_OF_REFERENCE: (
        "PSU writes the IMR: consult every business area it refers to before it is submitted, then record the "
        "IMR as completed. If the panel asks no IMR of the Home Office, record that instead.",
        "1.5",
    ),
    Stage.IMRS: ("Record when the overview report has been produced.", "4.1"),
    Stage.OVERVIEW_REPORT: (
        "Record when the panel agrees the action plan and executive summary, naming the business areas it "
        "refers to.",
        "7.3.7",
    ),
    Stage.ACTION_PLAN: ("Record when the board approves the final report.", "4.1"),
    Stage.APPROVED: ("Record when the board publishes the report.", "8.1"),
    Stage.PUBLISHED: (
        "Before any action is recorded as complete, confirm it with the business areas referred to, record that "
        "on CID, then record the actions as confirmed complete.",
        "7.3.7",
    ),
    Stage.IMPLEMENTATION: ("Record when the board formally closes the review.", "4.1"),
}


@pytest.mark.parametrize("stage", list(Stage), ids=[stage.value for stage in Stage])
def test_para_4_1_each_stage_names_its_own_next_milestone_and_an_ended_review_none(stage: Stage) -> None:
    steps = next_steps(review_at(stage), DAY)
    milestones = {text for text, _ in MILESTONES.values()}
    shown = [step for step in steps if step.text in milestones]
    if stage not in MILESTONES:
        # An ended review owes nothing: at most the bot is still sending an email.
        assert all(step.text.startswith(BEING_SENT) for step in steps)
        return
    text, paragraph = MILESTONES[stage]
    assert [step.text for step in shown] == [text]
    assert paragraph in shown[0].paragraphs.refs


@pytest.mark.parametrize(
    ("stage", "text"),
    [
        pytest.param(
            Stage.ACTION_PLAN,
            "Due by the date agreed in the action plan",
            id="para_7_3_3_O14_waits_for_the_plan_date",
        ),
        pytest.param(Stage.REFERRAL, "Ongoing: Keep business areas aware", id="para_1_4_O7_is_ongoing"),
    ],
)
def test_undated_steps_say_when_they_are_due(stage: Stage, text: str) -> None:
    assert any(s.text.startswith(text) for s in next_steps(review_at(stage), DAY))


def test_O3_waits_for_the_first_panel_meeting() -> None:
    review, _ = play(new_review(), ReviewOpened())
    assert any(
        s.text.startswith("Due before the first panel meeting: Record a panel")
        for s in next_steps(review, DAY)
    )


def test_para_9_1_O9_is_due_before_the_review_is_closed() -> None:
    texts = [s.text for s in next_steps(review_at(Stage.ACTION_PLAN), DAY)]
    assert any(t.startswith("Due before the review is closed: Confirm with the referenced") for t in texts)
