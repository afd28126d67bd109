"""The emails: recipients (1.1 "if different"), subject lines (1.8), bodies and idempotency keys."""

import copy
from dataclasses import replace

import pytest

from bot.review import (
    AddressBook,
    BusinessArea,
    BusinessAreasConsulted,
    Nation,
    Notification,
    NotificationSent,
    ReviewKind,
    ReviewOpened,
    ReviewRuleError,
    ReviewSettings,
    Stage,
    record_event,
    review_id_of,
)
from bot.review_service import email_for
from tests.review.helpers import (
    BOOK,
    BOOK_DATA,
    DAY,
    IMR_COPY,
    REP,
    REPORT_LINK,
    USER,
    at,
    events_to,
    new_review,
    play,
)

UKVI_LEAD = "ukvi.scs.lead@example.gov.uk"  # also UKVI's Children's Lead in the example config


def _only(review_stage: Stage, obligation_id: str, **review_fields: object) -> Notification:
    _, results = play(new_review(**review_fields), *events_to(review_stage))
    [notification] = [n for r in results for n in r.notifications if n.obligation_id == obligation_id]
    return notification


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        pytest.param(
            (BusinessArea.UKVI,),
            (UKVI_LEAD, "psu.mailbox@example.gov.uk", "occ.mailbox@example.gov.uk"),
            id="para_1_1_O1_same_scs_and_childrens_lead_collapse_to_one",
        ),
        pytest.param(
            (BusinessArea.BORDER_FORCE, BusinessArea.IMMIGRATION_ENFORCEMENT),
            (
                "bf.scs.lead@example.gov.uk",
                "ie.scs.lead@example.gov.uk",
                "bf.childrens.lead@example.gov.uk",
                "ie.childrens.lead@example.gov.uk",
                "psu.mailbox@example.gov.uk",
                "occ.mailbox@example.gov.uk",
            ),
            id="para_1_1_O1_every_business_area_involved",
        ),
    ],
)
def test_para_1_1_O1_review_opened_recipients(areas: tuple, expected: tuple) -> None:
    assert _only(Stage.REFERRAL, "O1", business_areas=areas).recipients == expected


def test_para_1_1_recipients_collapse_whatever_the_case_of_the_address() -> None:
    data = copy.deepcopy(BOOK_DATA)
    data["business_areas"]["border_force"]["scs_childrens_lead"] = "BF.SCS.Lead@Example.gov.uk"
    book = AddressBook.from_dict(data)
    result = record_event(
        new_review(business_areas=(BusinessArea.BORDER_FORCE,)), ReviewOpened(), USER, at(DAY), book
    )
    assert result.notifications[0].recipients.count("bf.scs.lead@example.gov.uk") == 1


def test_para_1_5_O4_consultation_goes_to_the_referenced_areas() -> None:
    _, [result] = play(
        play(new_review(), *events_to(Stage.TERMS_OF_REFERENCE))[0],
        BusinessAreasConsulted(areas=(BusinessArea.BORDER_FORCE,), emails=("HMPO.Lead@example.gov.uk",)),
    )
    [notification] = result.notifications
    assert notification.recipients == ("bf.scs.lead@example.gov.uk", "hmpo.lead@example.gov.uk")
    assert notification.subject.endswith("consultation on the IMR")


def test_para_1_5_referenced_addresses_must_be_emails_in_allowed_domains() -> None:
    review = play(new_review(), *events_to(Stage.TERMS_OF_REFERENCE))[0]
    for emails in (("someone@gmail.com",), ("not-an-email",), ()):
        with pytest.raises(ReviewRuleError):
            play(review, BusinessAreasConsulted(emails=emails))


@pytest.mark.parametrize(
    ("copy_to_leads", "expected"),
    [
        pytest.param(False, ("lessons.learned@example.gov.uk",), id="para_1_6_O6_lessons_learned_only"),
        pytest.param(True, ("lessons.learned@example.gov.uk", UKVI_LEAD), id="para_9_1_O6_with_scs_leads"),
    ],
)
def test_para_1_6_O6_imr_copy_recipients(copy_to_leads: bool, expected: tuple) -> None:
    book = AddressBook.from_dict({**BOOK_DATA, "copy_imr_to_scs_leads": copy_to_leads})
    review = new_review()
    for event in events_to(Stage.IMRS):
        result = record_event(review, event, USER, at(DAY), book)
        review = result.review
    [notification] = result.notifications
    assert notification.recipients == expected
    # Named by the reference, never by the name the file came with (8.1).
    assert notification.document == replace(IMR_COPY, name="LSCB-2026-014 IMR.pdf")
    assert "Copy of: a copy of the completed IMR" in notification.body_text
    assert "Attached to this email:\n- LSCB-2026-014 IMR.pdf (1.1 MB)" in email_for(notification).text_body


def test_para_7_3_7_O8_action_plan_goes_to_the_areas_it_names() -> None:
    notification = _only(Stage.ACTION_PLAN, "O8")
    assert notification.recipients == (UKVI_LEAD, "hmpo.lead@example.gov.uk")


def test_para_1_7_O10_published_report_to_psu_occ_and_lessons_learned() -> None:
    notification = _only(Stage.PUBLISHED, "O10")
    assert notification.recipients == (
        "psu.mailbox@example.gov.uk",
        "occ.mailbox@example.gov.uk",
        "lessons.learned@example.gov.uk",
    )


@pytest.mark.parametrize(
    ("nation", "kind"),
    [(nation, kind) for nation in Nation for kind in ReviewKind],
    ids=[f"para_1_8_{n.value}_{k.value}" for n in Nation for k in ReviewKind],
)
def test_para_1_8_every_subject_says_serious_case_review(nation: Nation, kind: ReviewKind) -> None:
    notification = _only(Stage.REFERRAL, "O1", nation=nation, kind=kind)
    assert notification.subject == "OFFICIAL-SENSITIVE – Serious Case Review – LSCB-2026-014 – review opened"
    assert kind.review_name(nation) in notification.body_text
    assert nation.label in notification.body_text


@pytest.mark.parametrize(
    ("stage", "obligation_id", "phrase"),
    [
        (Stage.IMRS, "O6", "IMR completed"),
        (Stage.ACTION_PLAN, "O8", "action plan agreed"),
        (Stage.PUBLISHED, "O10", "overview report published"),
    ],
)
def test_para_1_8_subject_phrases(stage: Stage, obligation_id: str, phrase: str) -> None:
    assert (
        _only(stage, obligation_id).subject
        == f"OFFICIAL-SENSITIVE – Serious Case Review – LSCB-2026-014 – {phrase}"
    )


def test_marking_is_a_setting() -> None:
    result = record_event(
        new_review(), ReviewOpened(), USER, at(DAY), BOOK, ReviewSettings(marking="OFFICIAL")
    )
    assert result.notifications[0].subject.startswith("OFFICIAL – Serious Case Review – ")


def test_body_says_what_happened_what_to_do_why_and_which_review() -> None:
    notification = _only(Stage.REFERRAL, "O1", board_name="Bright & O'Hare LSCB")
    for text in (
        "What we ask of you:",
        "Why:",
        "para 1.1",
        "LSCB-2026-014",
        "Bright & O'Hare LSCB",
        "Local Safeguarding Children Board",
        "UK Visas and Immigration",
        "England",
    ):
        assert text in notification.body_text
    assert "Bright &amp; O&#x27;Hare LSCB" in notification.body_html
    assert "Bright & O'Hare" not in notification.body_html
    assert "1.8" in notification.paragraphs.refs


def test_keys_are_stable_per_event_and_distinct_between_events() -> None:
    review = new_review()
    first = record_event(review, ReviewOpened(representative=REP), USER, at(DAY), BOOK).notifications[0]
    again = record_event(review, ReviewOpened(representative=REP), USER, at(DAY), BOOK).notifications[0]
    assert first.key == again.key == f"{review.id}:O1:1"
    _, results = play(review, *events_to(Stage.PUBLISHED))
    keys = [n.key for r in results for n in r.notifications]
    assert len(keys) == len(set(keys)) == 4


def test_sent_notification_is_logged_and_cannot_be_sent_twice() -> None:
    review, [result] = play(new_review(), ReviewOpened())
    key = result.notifications[0].key
    assert review.notifications[0].sent_at is None
    sent = record_event(review, NotificationSent(key=key), "outbox-service", at(DAY), BOOK).review
    assert sent.notifications[0].sent_at == at(DAY)
    with pytest.raises(ReviewRuleError, match="already recorded as sent"):
        record_event(sent, NotificationSent(key=key), "outbox-service", at(DAY), BOOK)
    with pytest.raises(ReviewRuleError, match="no notification"):
        record_event(sent, NotificationSent(key="nope"), "outbox-service", at(DAY), BOOK)


@pytest.mark.parametrize(
    ("key", "review_id"),
    [
        ("4b7cf9b0-04d1-4e96-9802-460cfeead015:O1:1", "4b7cf9b0-04d1-4e96-9802-460cfeead015"),
        ("reminders:escalation:4b7cf9b0-04d1-4e96-9802-460cfeead015:O1-1", None),
        ("reminders:agenda:2026-11-24:abc", None),
        ("4b7cf9b0-04d1-4e96-9802-460cfeead015", None),
        ("", None),
    ],
)
def test_para_1_8_a_notification_key_names_its_review_and_nothing_else_does(key: str, review_id: str | None) -> None:
    assert review_id_of(key) == review_id


@pytest.mark.parametrize(
    ("kind", "cited", "not_cited"),
    [
        pytest.param(ReviewKind.STATUTORY, ("1.3", "5.1"), ("6.2", "6.3"), id="para_1_3_5_1_statutory"),
        pytest.param(ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW, ("6.2", "6.3"), ("1.3", "5.1"),
                     id="para_6_2_6_3_independent_management_review"),
    ],
)
def test_the_opening_email_cites_why_psu_writes_the_imr_for_this_kind_of_review(
    kind: ReviewKind, cited: tuple[str, ...], not_cited: tuple[str, ...]
) -> None:
    email = _only(Stage.REFERRAL, "O1", kind=kind)
    assert f"PSU will write the IMR ({', '.join(cited)})" in email.body_text
    assert set(cited) <= set(email.paragraphs.refs)
    assert not set(not_cited) & set(email.paragraphs.refs)


def test_para_1_7_a_copy_by_link_is_written_as_a_link_and_replies_go_to_the_representative() -> None:
    notification = _only(Stage.PUBLISHED, "O10")
    assert notification.document == replace(REPORT_LINK, name="LSCB-2026-014 published report")
    email = email_for(notification)
    assert f"Documents to open:\n- LSCB-2026-014 published report: <{REPORT_LINK.url}>" in email.text_body
    assert f'<a href="{REPORT_LINK.url}">' in email.html_body
    assert "Attached" not in email.text_body
    assert email.reply_to == ("rep@example.gov.uk",)


def test_no_email_says_attached_unless_it_carries_the_document() -> None:
    _, results = play(new_review(), *events_to(Stage.CLOSED))
    for notification in (n for result in results for n in result.notifications):
        carries_file = notification.document is not None and not notification.document.is_link
        assert ("Attached" in email_for(notification).text_body) is carries_file
