"""Copies are real copies (1.6, 1.7, 7.3.5, 7.3.6): the duty is met only when the email with the
document (or its link) was sent; recorded without it, the duty stays open until it is added."""

import pytest

from bot.review import (
    DocumentAdded,
    DocumentCopy,
    EventType,
    ImrCompleted,
    NotificationSent,
    ObligationDone,
    ObligationState,
    Published,
    ReviewRuleError,
    Stage,
    allowed_events,
    forward_event,
    record_event,
)
from bot.review.documents import link_copy, named_for
from tests.review.helpers import (
    BOOK,
    DAY,
    IMR_COPY,
    INDEPENDENT_AUTHOR,
    REPORT_LINK,
    USER,
    at,
    events_to,
    new_review,
    play,
)


def _o(review, obligation_id: str):  # type: ignore[no-untyped-def]
    [record] = [r for r in review.obligations if r.obligation_id == obligation_id]
    return record


@pytest.mark.parametrize(
    ("stage", "event", "obligation_id", "document"),
    [
        pytest.param(Stage.TERMS_OF_REFERENCE, ImrCompleted(author=INDEPENDENT_AUTHOR), "O6", IMR_COPY,
                     id="para_1_6_imr"),
        pytest.param(Stage.APPROVED, Published(), "O10", REPORT_LINK, id="para_1_7_published_report"),
    ],
)
def test_a_copy_recorded_without_its_document_waits_and_goes_when_it_is_added(
    stage: Stage, event: object, obligation_id: str, document: DocumentCopy
) -> None:
    review, results = play(new_review(), *events_to(stage), event)  # type: ignore[arg-type]
    assert results[-1].notifications == (), "no email says 'attached' without the document"
    assert "no copy yet" in results[-1].history_entry.detail
    assert _o(review, obligation_id).state is ObligationState.OPEN
    assert forward_event(review) is EventType.DOCUMENT_ADDED, "adding the copy comes before the next milestone"
    with pytest.raises(ReviewRuleError, match="cannot be marked done by hand"):
        record_event(review, ObligationDone(instance_id=_o(review, obligation_id).instance_id), USER, at(DAY), BOOK)

    added = record_event(review, DocumentAdded(document=document), USER, at(DAY), BOOK)

    [email] = added.notifications
    # Named by the reference and what it is, never by the name the file came with (8.1).
    what = {"O6": "IMR", "O10": "published report"}[obligation_id]
    assert (email.obligation_id, email.document) == (obligation_id, named_for(document, review.reference, what))
    assert email.instance_id == _o(review, obligation_id).instance_id
    assert EventType.DOCUMENT_ADDED not in allowed_events(added.review)
    done, _ = play(added.review, NotificationSent(key=email.key))
    assert _o(done, obligation_id).state is ObligationState.DONE


def test_adding_a_document_when_no_copy_waits_for_one_is_refused() -> None:
    review, _ = play(new_review(), *events_to(Stage.IMRS))
    with pytest.raises(ReviewRuleError, match="No copy is waiting"):
        record_event(review, DocumentAdded(document=IMR_COPY), USER, at(DAY), BOOK)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"name": "IMR.pdf", "url": "http://example.com/x"}, "https"),
        ({"name": "IMR.pdf", "url": "https://example.com/x", "size": 3}, "either a file or a link"),
        ({"name": "../IMR.pdf", "sha256": "a" * 64, "size": 3, "content_type": "application/pdf"}, "no path"),
        ({"name": "IMR.pdf", "sha256": "a" * 64, "size": 0, "content_type": "application/pdf"}, "not empty"),
        ({"name": "IMR.pdf", "sha256": "xyz", "size": 3, "content_type": "application/pdf"}, "SHA-256"),
    ],
)
def test_a_document_description_is_either_a_stored_file_or_an_https_link(fields: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        DocumentCopy(**fields)


@pytest.mark.parametrize(
    ("stage", "event", "obligation_id"),
    [
        pytest.param(Stage.TERMS_OF_REFERENCE, ImrCompleted(author=None, copy_sent_before=True), "O6", id="imr"),
        pytest.param(Stage.APPROVED, Published(copy_sent_before=True), "O10", id="published_report"),
    ],
)
def test_a_review_opened_part_way_records_a_copy_already_sent_and_owes_none(
    stage: Stage, event: object, obligation_id: str
) -> None:
    review, results = play(new_review(), *events_to(stage), event)  # type: ignore[arg-type]
    assert results[-1].notifications == ()
    assert not [r for r in review.obligations if r.obligation_id == obligation_id]
    assert "its copy was sent before the review was recorded here" in results[-1].history_entry.detail
    assert forward_event(review) is not EventType.DOCUMENT_ADDED


@pytest.mark.parametrize("url", [
    "https://homeoffice.sharepoint.com/:b:/s/scr/EaBcDeFgHiJkLmNoPqRsTu",
    "https://homeoffice.sharepoint.com/sites/scr/Shared%20Documents/IMR.pdf",
])
def test_a_link_on_an_allowed_host_is_accepted_as_typed(url: str) -> None:
    assert link_copy(url, "IMR", ("sharepoint.com",)).url == url


@pytest.mark.parametrize("url", [
    "https://homeoffice.sharepoint.com/sites/scr/Smith%20Family/IMR.pdf",
    "https://homeoffice.sharepoint.com/sites/scr/baby-report.pdf",
])
def test_para_8_1_a_link_whose_path_describes_a_person_or_family_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="describe a person or family"):
        link_copy(url, "IMR", ("sharepoint.com",))
