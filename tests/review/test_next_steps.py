"""'What do I do next?' – outstanding obligations first, then the next milestone, each with paragraphs."""

from datetime import date

import pytest

from bot.review import ReviewOpened, Stage, next_steps
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


@pytest.mark.parametrize(
    ("stage", "words", "paragraph"),
    [
        pytest.param(Stage.REFERRAL, "record its decision", "3.3.3", id="para_3_3_3_referral"),
        pytest.param(Stage.TERMS_OF_REFERENCE, "consult every business area", "1.5", id="para_1_5_tor"),
        pytest.param(
            Stage.PUBLISHED, "confirm it with the business areas", "7.3.7", id="para_7_3_7_published"
        ),
        pytest.param(Stage.IMPLEMENTATION, "formally closes", "4.1", id="para_4_1_implementation"),
    ],
)
def test_next_milestone_for_each_stage(stage: Stage, words: str, paragraph: str) -> None:
    steps = next_steps(review_at(stage), DAY)
    assert any(words in s.text and paragraph in s.paragraphs.refs for s in steps)


@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.NOT_PROCEEDING])
def test_ended_reviews_have_no_milestone_left(stage: Stage) -> None:
    assert all("Record when" not in s.text for s in next_steps(review_at(stage), DAY))


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
