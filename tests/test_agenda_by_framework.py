"""The standing agenda item groups reviews by framework when they follow more than one."""

from datetime import date

from bot.review import Stage
from tests.review.helpers import new_review, review_at
from views.reminders import agenda_card_data

TODAY = date(2026, 11, 24)


def _agenda(*reviews):  # type: ignore[no-untyped-def]
    return agenda_card_data(reviews, TODAY, 3, ())


def test_reviews_under_one_framework_are_grouped_by_stage_as_before() -> None:
    data = _agenda(review_at(Stage.IMRS))
    assert data["title"] == "Serious Case Reviews: active reviews by stage"
    assert [group["label"] for group in data["stages"]] == [Stage.IMRS.label]


def test_reviews_under_several_frameworks_are_grouped_by_framework_then_stage() -> None:
    scr = review_at(Stage.IMRS)
    cspr = new_review(framework="england-cspr-2023", reference="CSPR-2026-003")
    data = _agenda(cspr, scr)
    assert cspr.stage.label == "Serious incident notified \u2013 rapid review to begin"
    assert data["title"] == "Case reviews: active reviews by framework and stage"
    assert [(group["label"], [r["reference"] for r in group["reviews"]]) for group in data["stages"]] == [
        (f"Serious Case Review \u2014 {Stage.IMRS.label}", [scr.reference]),
        # A review under a framework pack is at one of its pack's own stages, in the pack's order.
        (f"Child Safeguarding Practice Review \u2014 {cspr.stage.label}", ["CSPR-2026-003"]),
    ]
