"""Documents on Graph emails: the real msgraph-sdk attaches them to the draft over HTTP, and the
fake Graph keeps the bytes that arrived, which must be the document's, once each."""

import logging
from collections.abc import Callable
from dataclasses import replace

import pytest

from bot.documents import DocumentRef, DocumentStore
from bot.documents.store import MEGABYTE
from bot.mail import PermanentMailError, TransientMailError
from bot.mail.graph_sender import SMALL_ATTACHMENT_BYTES, GraphMailSender
from bot.mail.message import SENDER_NAME
from tests.fakes.fake_graph import FakeGraph
from tests.mail.conftest import LARGE_SIZE, SMALL_SIZE, arrived, document_bytes, make_email_with_documents


async def test_a_small_document_is_a_file_attachment_on_the_draft_and_arrives_byte_for_byte(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore
) -> None:
    email = make_email_with_documents(documents, sizes=(SMALL_SIZE,))

    await graph_sender.send(email)

    assert graph.routes() == ["lookup", "create", "list-attachments", "attach", "send"]
    listing, attach = graph.requests[2], graph.requests[3]
    assert listing.path.endswith("/messages/draft-1/attachments") and listing.query["$select"] == "name"
    assert attach.body is not None and attach.body["@odata.type"] == "#microsoft.graph.fileAttachment"
    assert graph.delivered_attachments() == [arrived(SMALL_SIZE)]


async def test_a_large_document_goes_through_an_upload_session_in_chunks_and_arrives_byte_for_byte(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore
) -> None:
    email = make_email_with_documents(documents, sizes=(LARGE_SIZE,))

    await graph_sender.send(email)

    chunks = [request for request in graph.requests if request.route == "upload-chunk"]
    assert graph.routes() == ["lookup", "create", "list-attachments", "upload-session", *["upload-chunk"] * 2, "send"]
    (session,) = graph.uploads.values()
    assert session.chunks == [(0, 3 * MEGABYTE - 1), (3 * MEGABYTE, LARGE_SIZE - 1)]
    # The upload URL carries its own token: the Graph bearer token never goes with the bytes.
    assert all("Authorization" not in chunk.headers for chunk in chunks)
    assert graph.delivered_attachments() == [arrived(LARGE_SIZE)]


@pytest.mark.parametrize(
    ("size", "routes"),
    [(SMALL_ATTACHMENT_BYTES - 1, ["attach"]), (SMALL_ATTACHMENT_BYTES, ["upload-session", "upload-chunk"])],
)
async def test_the_largest_single_post_still_fits_graphs_4_mb_request_limit(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore, size: int, routes: list[str]
) -> None:
    await graph_sender.send(make_email_with_documents(documents, sizes=(size,)))

    assert graph.routes()[3:-1] == routes
    assert graph.delivered_attachments()[0][0][2] == document_bytes(size)


async def test_the_chunk_size_is_the_senders_to_choose(
    graph: FakeGraph, make_graph_sender: Callable[..., GraphMailSender], documents: DocumentStore
) -> None:
    sender = make_graph_sender(upload_chunk_bytes=MEGABYTE)

    await sender.send(make_email_with_documents(documents, sizes=(LARGE_SIZE,)))

    assert graph.routes().count("upload-chunk") == 5
    assert graph.delivered_attachments()[0][0][2] == document_bytes(LARGE_SIZE)


async def test_the_draft_has_reply_to_the_sender_name_and_lists_what_it_carries(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore
) -> None:
    email = make_email_with_documents(documents)

    await graph_sender.send(email)

    create = graph.requests[1].body
    assert create is not None
    assert create["replyTo"] == [{"emailAddress": {"address": "representative@homeoffice.example"}}]
    assert create["from"] == {"emailAddress": {"address": graph.mailbox, "name": SENDER_NAME}}
    assert create["body"]["content"] == email.html_body
    assert "IMR-204800.pdf" in email.html_body and "IMR-5242880.pdf" in email.html_body
    (attachments,) = graph.delivered_attachments()
    assert [name for name, _, _ in attachments] == ["IMR-204800.pdf", "IMR-5242880.pdf"]


@pytest.mark.parametrize(
    ("failing", "retry"),
    [
        # The small one is attached, then the upload session cannot be opened.
        ("upload-session", ["list-attachments", "upload-session", "upload-chunk", "upload-chunk", "send"]),
        # Both are on the draft. Graph lists their sizes with bytes of its own added: matching
        # by name still finds them.
        ("send", ["list-attachments", "send"]),
    ],
)
async def test_a_retry_attaches_only_what_is_missing(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore, failing: str, retry: list[str]
) -> None:
    email = make_email_with_documents(documents)
    graph.fail_next(503, route=failing)
    with pytest.raises(TransientMailError):
        await graph_sender.send(email)
    graph.requests.clear()

    await graph_sender.send(email)

    assert graph.routes() == ["lookup", *retry]
    assert graph.delivered_attachments() == [arrived(SMALL_SIZE, LARGE_SIZE)]


async def test_a_refused_chunk_is_transient_and_the_retry_uploads_it_whole_once(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore
) -> None:
    email = make_email_with_documents(documents, sizes=(LARGE_SIZE,))
    graph.fail_next(503, route="upload-chunk", headers={"Retry-After": "7"})

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(email)
    assert raised.value.retry_after == 7 and "503" in raised.value.reason

    await graph_sender.send(email)
    assert graph.delivered_attachments() == [arrived(LARGE_SIZE)]


async def test_a_document_over_graphs_150_mb_is_refused_before_anything_is_made(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore
) -> None:
    email = make_email_with_documents(documents, sizes=(SMALL_SIZE,))
    huge = replace(email.attachments[0], size=150 * MEGABYTE + 1)

    with pytest.raises(PermanentMailError, match="at most 150 MB"):
        await graph_sender.send(replace(email, attachments=(huge,)))

    assert graph.requests == []


async def test_a_document_gone_from_the_store_is_permanent_and_not_named(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    email = make_email_with_documents(documents, sizes=(SMALL_SIZE,))
    documents.delete(email.attachments[0])

    with pytest.raises(PermanentMailError) as raised:
        await graph_sender.send(email)

    assert raised.value.reason == (
        "Cannot attach attachment 1 of 1: The document is no longer stored (it may have been deleted)"
    )
    assert "IMR-204800" not in caplog.text
    assert graph.delivered == []


async def test_a_sender_without_a_documents_store_cannot_send_an_attachment(
    graph: FakeGraph, make_graph_sender: Callable[..., GraphMailSender], documents: DocumentStore
) -> None:
    email = make_email_with_documents(documents, sizes=(SMALL_SIZE,))
    sender = make_graph_sender(documents=None)

    with pytest.raises(PermanentMailError, match="no documents store"):
        await sender.send(email)


@pytest.mark.parametrize(
    ("status", "code", "route", "size", "reason"),
    [
        (
            413, "ErrorMessageSizeExceeded", "attach", SMALL_SIZE,
            "Graph refused an attachment as too large (413 ErrorMessageSizeExceeded): Exchange limits a message "
            "to 35 MB unless an administrator raises the sender mailbox's limit",
        ),
        (400, "InvalidRange", "upload-chunk", LARGE_SIZE, "Graph refused an attachment (400 InvalidRange)"),
    ],
)
async def test_an_attachment_graph_refuses_is_permanent_saying_why(
    graph: FakeGraph,
    graph_sender: GraphMailSender,
    documents: DocumentStore,
    status: int,
    code: str,
    route: str,
    size: int,
    reason: str,
) -> None:
    graph.fail_next(status, route=route, code=code)

    with pytest.raises(PermanentMailError) as raised:
        await graph_sender.send(make_email_with_documents(documents, sizes=(size,)))

    assert raised.value.reason == reason


async def test_neither_the_document_nor_its_name_is_logged(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ref = documents.put(b"%PDF-1.7 Child A's IMR", "Child A - IMR.pdf", "application/pdf")
    email = replace(make_email_with_documents(documents, sizes=()), attachments=(ref,))

    await graph_sender.send(email)

    assert graph.delivered_attachments() == [[("Child A - IMR.pdf", "application/pdf", b"%PDF-1.7 Child A's IMR")]]
    assert "Child A" not in caplog.text
    assert "attachment 1 of 1 added" in caplog.text


def test_a_reference_is_not_the_document() -> None:
    assert "content" not in DocumentRef.__dataclass_fields__


async def test_a_document_is_never_uploaded_over_plain_http_to_another_host(
    graph: FakeGraph, graph_sender: GraphMailSender, documents: DocumentStore
) -> None:
    graph.upload_base = "http://uploads.example"

    with pytest.raises(TransientMailError, match="no usable upload URL for attachment 1 of 1"):
        await graph_sender.send(make_email_with_documents(documents, sizes=(LARGE_SIZE,)))

    assert "upload-chunk" not in graph.routes()
