"""The local adapter: standard .eml files, one per key, written atomically."""

import asyncio
import email
import email.policy
from dataclasses import replace
from pathlib import Path

import pytest

from bot.documents import DocumentStore
from bot.mail import EmlOutboxSender, PermanentMailError
from bot.mail.message import Link
from tests.mail.conftest import LARGE_SIZE, SMALL_SIZE, document_bytes, make_email, make_email_with_documents


def _parse(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


async def test_an_email_becomes_a_standard_eml_file_with_plain_and_html_parts(tmp_path: Path) -> None:
    sender = EmlOutboxSender(tmp_path / "outbox", "scr-notifications@homeoffice.example")
    sent = make_email(to=("scs.lead@homeoffice.example", "team@homeoffice.example"))

    await sender.send(sent)

    (path,) = (tmp_path / "outbox").iterdir()
    assert path == sender.path_for(sent.key) and path.suffix == ".eml"
    message = _parse(path)
    assert message["Subject"] == sent.subject and "Serious Case Review" in message["Subject"]
    assert message["To"].addresses[0].addr_spec == "scs.lead@homeoffice.example"
    assert [a.addr_spec for a in message["To"].addresses] == list(sent.to)
    assert message["From"].addresses[0].display_name == "SCR Assistant"
    assert message["From"].addresses[0].addr_spec == "scr-notifications@homeoffice.example"
    assert message["Reply-To"] is None
    assert message["X-SCR-Notification-Key"] == "R1:O1:1"
    assert message["Date"] and message["Message-ID"].endswith("@homeoffice.example>")
    assert message.get_body(("plain",)).get_content().strip() == sent.text
    assert message.get_body(("html",)).get_content().strip() == sent.html
    assert (path.stat().st_mode & 0o077) == 0


async def test_the_same_key_never_makes_a_second_file(tmp_path: Path) -> None:
    sender = EmlOutboxSender(tmp_path / "outbox", "scr-assistant@localhost")

    await sender.send(make_email("R1:O1:1"))
    first = sender.path_for("R1:O1:1").read_bytes()
    await asyncio.gather(*(sender.send(make_email("R1:O1:1")) for _ in range(5)))
    await sender.send(make_email("R1:O1:2"))

    assert len(list((tmp_path / "outbox").iterdir())) == 2
    assert sender.path_for("R1:O1:1").read_bytes() == first


async def test_racing_writers_of_one_key_leave_one_complete_file_and_no_temporaries(tmp_path: Path) -> None:
    senders = [EmlOutboxSender(tmp_path / "outbox", "scr-assistant@localhost") for _ in range(4)]

    await asyncio.gather(*(sender.send(make_email("R9:O1:1")) for sender in senders))

    (path,) = (tmp_path / "outbox").iterdir()
    assert _parse(path)["X-SCR-Notification-Key"] == "R9:O1:1"


def test_similar_keys_get_different_files(tmp_path: Path) -> None:
    sender = EmlOutboxSender(tmp_path, "scr-assistant@localhost")
    assert sender.path_for("R1:O1:1") != sender.path_for("R1_O1_1")
    assert sender.path_for("R1:O1:1").name.startswith("R1_O1_1-")


async def test_documents_are_real_mime_attachments_read_back_byte_for_byte(
    tmp_path: Path, documents: DocumentStore
) -> None:
    sender = EmlOutboxSender(tmp_path / "outbox", "scr-notifications@homeoffice.example", documents)
    sent = make_email_with_documents(documents)

    await sender.send(sent)

    message = _parse(sender.path_for(sent.key))
    assert message.get_content_type() == "multipart/mixed"
    assert message["Reply-To"].addresses[0].addr_spec == "representative@homeoffice.example"
    assert str(message["From"]) == "SCR Assistant <scr-notifications@homeoffice.example>"
    attachments = list(message.iter_attachments())
    described = [(p.get_filename(), p.get_content_type(), p["Content-Transfer-Encoding"]) for p in attachments]
    assert described == [
        ("IMR-204800.pdf", "application/pdf", "base64"),
        ("IMR-5242880.pdf", "application/pdf", "base64"),
    ]
    assert [part.get_content() for part in attachments] == [document_bytes(SMALL_SIZE), document_bytes(LARGE_SIZE)]
    assert "IMR-5242880.pdf (5.0 MB)" in message.get_body(("plain",)).get_content()


async def test_a_link_is_a_link_in_both_bodies(tmp_path: Path) -> None:
    sender = EmlOutboxSender(tmp_path / "outbox", "scr-assistant@localhost")
    url = "https://homeoffice.sharepoint.com/sites/scr/Shared%20Documents/report.pdf"
    sent = replace(make_email(), links=(Link("Published overview report", url),))

    await sender.send(sent)

    message = _parse(sender.path_for(sent.key))
    assert f"- Published overview report: <{url}>" in message.get_body(("plain",)).get_content()
    assert f'<a href="{url}">Published overview report</a>' in message.get_body(("html",)).get_content()
    assert list(message.iter_attachments()) == []


async def test_a_document_gone_from_the_store_fails_and_writes_no_file(
    tmp_path: Path, documents: DocumentStore
) -> None:
    sender = EmlOutboxSender(tmp_path / "outbox", "scr-assistant@localhost", documents)
    sent = make_email_with_documents(documents, sizes=(SMALL_SIZE,))
    documents.delete(sent.attachments[0])

    with pytest.raises(PermanentMailError, match="attachment 1: The document is no longer stored"):
        await sender.send(sent)

    assert not sender.path_for(sent.key).exists()
