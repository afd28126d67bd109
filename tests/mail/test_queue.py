"""The durable outbox table: idempotent enqueue, states, claims and the review card's queries."""

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.documents import DocumentStore
from bot.mail import MailQueue
from bot.mail.message import Link
from bot.storage import Store
from tests.mail.conftest import START, FakeClock, make_email, make_email_with_documents

LEASE = timedelta(minutes=5)


def test_enqueue_stores_the_email_as_queued_and_due_now(queue: MailQueue) -> None:
    item = queue.enqueue(make_email())

    assert (item.key, item.state, item.attempts) == ("R1:O1:1", "queued", 0)
    assert item.queued_at == item.next_attempt_at == START
    assert item.sent_at is None and item.last_attempt_at is None and item.last_error is None
    assert queue.get("R1:O1:1") == item


def test_enqueueing_a_key_again_returns_the_first_row_and_adds_none(
    queue: MailQueue, store: Store, clock: FakeClock, open_store: Callable[[], Store]
) -> None:
    first = queue.enqueue(make_email())
    clock.advance(60)

    again = queue.enqueue(make_email())
    other_store_same_file = MailQueue(open_store(), clock).enqueue(make_email())

    assert again == first == other_store_same_file
    with store.transaction() as session:
        assert len(session.all("outbox")) == 1


def test_a_claim_is_exclusive_until_its_lease_runs_out(queue: MailQueue, clock: FakeClock) -> None:
    queue.enqueue(make_email())

    claim = queue.claim_next("instance-a", LEASE)
    assert claim is not None and claim.item.state == "sending" and claim.item.attempts == 1
    assert claim.email == make_email()
    assert queue.claim_next("instance-b", LEASE) is None

    clock.advance(LEASE.total_seconds())
    taken_over = queue.claim_next("instance-b", LEASE)
    assert taken_over is not None and taken_over.item.attempts == 2
    assert "did not finish" in (taken_over.item.last_error or "")
    # The first claimant's late verdict must not overwrite the new owner's row…
    assert queue.mark_retry(claim, "late", timedelta(seconds=1)) is None
    assert queue.mark_failed(claim, "late") is None
    assert queue.get("R1:O1:1").state == "sending"  # type: ignore[union-attr]
    # …but "sent" is the truth, whoever reports it.
    assert queue.mark_sent(claim).state == "sent"


def test_rows_are_claimed_oldest_due_first(queue: MailQueue, clock: FakeClock) -> None:
    for n in (1, 2, 3):
        queue.enqueue(make_email(f"R1:O1:{n}"))
        clock.advance(1)

    keys = [claim.item.key for _ in range(3) if (claim := queue.claim_next("w", LEASE))]

    assert keys == ["R1:O1:1", "R1:O1:2", "R1:O1:3"]


def test_a_retry_waits_until_its_time(queue: MailQueue, clock: FakeClock) -> None:
    queue.enqueue(make_email())
    claim = queue.claim_next("w", LEASE)
    assert claim is not None

    item = queue.mark_retry(claim, "Graph is unavailable (503)", timedelta(seconds=30))

    assert item is not None and item.state == "queued" and item.last_error == "Graph is unavailable (503)"
    assert item.next_attempt_at == START + timedelta(seconds=30) == queue.next_due_at()
    assert queue.claim_next("w", LEASE) is None
    clock.advance(30)
    assert queue.claim_next("w", LEASE) is not None


def test_sent_records_when(queue: MailQueue, clock: FakeClock) -> None:
    queue.enqueue(make_email())
    claim = queue.claim_next("w", LEASE)
    assert claim is not None
    clock.advance(2)

    item = queue.mark_sent(claim)

    assert item.state == "sent" and item.sent_at == START + timedelta(seconds=2)
    assert item.last_attempt_at == START and item.next_attempt_at is None
    assert queue.next_due_at() is None


def test_the_review_card_sees_its_own_review_only(queue: MailQueue) -> None:
    for key in ("R1:O1:1", "R1:O2:1", "R10:O1:1", "R2:O1:1"):
        queue.enqueue(make_email(key))

    assert [item.key for item in queue.status_for_review("R1")] == ["R1:O1:1", "R1:O2:1"]
    assert [item.key for item in queue.status_for_keys("R1:O2:")] == ["R1:O2:1"]


def test_failed_rows_are_listed_and_retry_makes_them_due_now(queue: MailQueue, clock: FakeClock) -> None:
    queue.enqueue(make_email())
    claim = queue.claim_next("w", LEASE)
    assert claim is not None
    queue.mark_failed(claim, "Graph refused the message (400 ErrorInvalidRecipients)")
    assert [item.key for item in queue.failed()] == ["R1:O1:1"]
    clock.advance(600)

    item = queue.retry("R1:O1:1")

    assert (item.state, item.attempts, item.next_attempt_at) == ("queued", 0, clock.now)
    assert queue.failed() == []
    assert queue.claim_next("w", LEASE) is not None


def test_retry_leaves_a_sent_row_alone_and_refuses_an_unknown_key(queue: MailQueue) -> None:
    queue.enqueue(make_email())
    claim = queue.claim_next("w", LEASE)
    assert claim is not None
    queue.mark_sent(claim)

    assert queue.retry("R1:O1:1").state == "sent"
    with pytest.raises(KeyError):
        queue.retry("R1:O1:404")


def test_items_for_display_carry_no_body(queue: MailQueue) -> None:
    item = queue.enqueue(make_email())
    assert "Child A" not in repr(item)


def test_reply_to_attachments_and_links_survive_a_restart(
    queue: MailQueue, store: Store, clock: FakeClock, documents: DocumentStore, open_store: Callable[[], Store]
) -> None:
    email = replace(
        make_email_with_documents(documents, sizes=(1000,)),
        links=(Link("Overview report", "https://homeoffice.sharepoint.com/sites/scr/report.pdf"),),
    )
    queue.enqueue(email)

    claim = MailQueue(open_store(), clock).claim_next("instance-b", LEASE)

    assert claim is not None and claim.email == email
    assert claim.item.attachments == email.attachments and claim.item.links == email.links
    with store.transaction() as session:
        (row,) = (record.document for record in session.all("outbox"))
    # The row holds a reference to the document, never its bytes.
    assert row["email"]["attachments"] == [
        {"sha256": email.attachments[0].sha256, "name": "IMR-1000.pdf", "content_type": "application/pdf", "size": 1000}
    ]


def test_a_row_stored_before_emails_had_attachments_reads_back_with_none(
    queue: MailQueue, store: Store
) -> None:
    queue.enqueue(make_email())
    with store.transaction() as session:
        (record,) = session.all("outbox")
        legacy = {name: record.document["email"][name] for name in ("to", "subject", "text", "html")}
        session.put("outbox", replace(record, document={**record.document, "email": legacy}))

    claim = queue.claim_next("instance-a", LEASE)

    assert claim is not None and claim.email == make_email()
    assert claim.email.reply_to == () and claim.email.attachments == () and claim.email.links == ()
    assert claim.item.attachments == ()
