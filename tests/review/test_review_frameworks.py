"""A review records the framework pack it follows, and that pack's version, when it is opened."""

from datetime import date

import pytest

from bot.review import SCHEMA_VERSION, ReviewOpened, ReviewSettings, Stage, review_from_dict, review_to_dict
from bot.review.frameworks import SCR_2016, load_catalogue
from tests.review.helpers import REP, new_review, play, review_at


def test_a_review_stored_before_packs_follows_the_first_scr_2016_pack_and_keeps_its_deadlines() -> None:
    review = review_at(Stage.IMRS)
    data = review_to_dict(review)
    data["schema_version"] = 3
    del data["framework"]

    migrated = review_from_dict(data)

    assert (migrated.framework, migrated.framework_version) == (SCR_2016, 1)
    assert [(r.instance_id, r.due) for r in migrated.obligations] == [
        (r.instance_id, r.due) for r in review.obligations
    ]
    assert review_to_dict(migrated)["schema_version"] == SCHEMA_VERSION == 5


def test_the_framework_and_its_version_are_stored_with_the_review() -> None:
    data = review_to_dict(new_review())
    assert data["framework"] == {"id": SCR_2016, "version": 1}


@pytest.mark.parametrize(("framework", "version", "message"), [
    ("scr-1999", 1, "not a framework pack"),
    (SCR_2016, 0, "framework_version must be"),
    (SCR_2016, True, "framework_version must be"),
])
def test_a_review_with_an_unknown_framework_is_refused(framework: str, version: object, message: str) -> None:
    data = review_to_dict(new_review())
    data["framework"] = {"id": framework, "version": version}
    with pytest.raises(ValueError, match=message):
        review_from_dict(data)


def test_every_email_subject_names_the_reviews_framework() -> None:
    """1.8 asks for the review's name in the subject: under a pack, the pack's name."""
    _, [scr] = play(new_review(), ReviewOpened(representative=REP))
    assert scr.notifications[0].subject == "OFFICIAL-SENSITIVE – Serious Case Review – LSCB-2026-014 – review opened"
    _, [cspr] = play(new_review(framework="england-cspr-2023"), ReviewOpened(representative=REP))
    assert cspr.notifications[0].subject == (
        "OFFICIAL-SENSITIVE – Child Safeguarding Practice Review – LSCB-2026-014 – review opened")


@pytest.mark.parametrize(("value", "message"), [
    ({"wales-atlantis": {"completion": 12}}, "'wales-atlantis' is not a framework pack"),
    ({"wales-susr": {"lunch": 12}}, "wales-susr has no timescale 'lunch'"),
    ({"england-cspr-2023": {"rapid_review": 20}}, "rapid_review is 15 working days by its sources"),
    ({"wales-susr": {"completion": 0}}, "must be a whole number of 1 or more"),
    ({"wales-susr": {"completion": "a year"}}, "must be a whole number of 1 or more"),
    (["wales-susr"], "must be an object"),
])
def test_only_a_timescale_the_sources_leave_unset_can_be_set(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ReviewSettings.from_dict({"framework_timescales": value})


def test_an_unset_timescale_says_not_set_until_the_organisation_sets_it() -> None:
    pack = load_catalogue().pack("wales-cpr-2016")
    assert pack.timescale("completion").describe() == "not set"
    settings = ReviewSettings.from_dict({"framework_timescales": {"wales-cpr-2016": {"completion": 12}}})
    configured = pack.as_configured(settings.framework_timescales["wales-cpr-2016"])
    assert configured.timescale("completion").describe() == "12 calendar months (set by your organisation)"
    assert configured.timescale("completion").due_from(date(2026, 1, 30)) == date(2027, 2, 1)


def test_a_review_under_a_newer_framework_is_called_by_its_name_in_cards_and_emails() -> None:
    review = new_review(framework="england-cspr-2023")
    assert review.review_name == "Child Safeguarding Practice Review"
    _, [opened] = play(review, ReviewOpened(representative=REP))
    assert "involved in a Child Safeguarding Practice Review that is beginning" in opened.notifications[0].body_text
