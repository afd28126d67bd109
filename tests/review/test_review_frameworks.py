"""A review records the framework pack it follows, and that pack's version, when it is opened."""

import pytest

from bot.review import SCHEMA_VERSION, ReviewOpened, Stage, review_from_dict, review_to_dict
from bot.review.frameworks import SCR_2016
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
    assert review_to_dict(migrated)["schema_version"] == SCHEMA_VERSION == 4


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
