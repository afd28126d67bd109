"""A copy sent as a file in the 1:1 chat (1.6): Teams' file.download.info attachment, fetched over
real HTTP from a local file server, shown on the form, attached to the email byte for byte, then
deleted once sent, with the deletion in the review's history. Bad files change nothing."""

import io
import json
import zipfile
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from aiohttp import web

from bot.config import Settings
from bot.documents import DocumentRef, DocumentStore
from bot.mail.graph_sender import GraphMailSender
from bot.mail.message import OutgoingEmail
from bot.mail.queue import MailQueue
from bot.review import AddressBook, ReviewSettings
from bot.review_service import ReviewService
from bot.storage import Store
from bot.teams.files import FILE_DOWNLOAD_INFO
from tests.cards import any_button, forward_button, press, texts
from tests.conftest import RunningBot, emails_settled, stored_review
from tests.dialogs_flow import imr_form, only_card
from tests.fakes.fake_connector import FakeConnector
from tests.fakes.fake_graph import FakeGraph, StaticTokenCredential
from tests.teams_client import TeamsClient
from tests.waiting import eventually

LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/ErEpOrTsHaReD000000005"
EXAMPLE_BOOK = Path(__file__).parents[1] / "config" / "address_book.example.json"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
YES = {"A1": "yes", "A2": "yes", "A3": "yes", "A4": "yes"}


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class FileServer:
    """Serves files as Teams' download URLs do; a name it does not hold answers 404 (expired)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> "FileServer":
        app = web.Application()
        app.router.add_get("/download/{name}", self._get)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/download/"
        return self

    async def _get(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["name"])
        return web.Response(body=content) if content is not None else web.Response(status=404)

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()


@pytest.fixture
async def files() -> AsyncIterator[FileServer]:
    server = await FileServer().start()
    yield server
    await server.stop()


@pytest.fixture
async def small_limit_bot(make_settings: Callable[..., Settings]) -> AsyncIterator[RunningBot]:
    bot = await RunningBot(make_settings(MAIL_MAX_ATTACHMENT_MB="1")).start()
    yield bot
    await bot.stop()


async def _send_file(teams: TeamsClient, files: FileServer, name: str, content: bytes | None) -> list:
    """What Teams posts when a person sends a file in the chat with the bot."""
    if content is not None:
        files.files[name] = content
    attachment = {"contentType": FILE_DOWNLOAD_INFO, "name": name,
                  "content": {"downloadUrl": files.url + name, "uniqueId": "1", "fileType": name.rsplit(".")[-1]}}
    status = await teams.post(teams.activity(text="", attachments=[attachment]))
    assert status in (200, 201)
    return teams.connector.take(teams.conversation_id)


async def test_para_1_6_a_file_sent_in_the_chat_goes_with_the_email_byte_for_byte_then_is_deleted(
    teams: TeamsClient, running_bot: RunningBot, files: FileServer
) -> None:
    await imr_form(teams)

    # A file's name can carry a child's name (8.1): it goes no further than the form it was sent to.
    form = only_card(await _send_file(teams, files, "Jane Smith IMR.pdf", PDF))

    assert "Attached: Jane Smith IMR.pdf (10 KB)" in texts(form)
    replies = await teams.submit(press(form, forward_button(form), YES))
    assert replies[0].text.startswith("Recorded on LSCB-2026-014: IMR completed")
    outbox = Path(running_bot.settings.data_dir) / "outbox"

    def imr_sent_and_deleted() -> list:  # type: ignore[type-arg]
        written = [message_from_bytes(p.read_bytes(), policy=default) for p in outbox.glob("*.eml")]
        imr = [m for m in written if "IMR completed" in str(m["Subject"])]
        history = stored_review(running_bot, teams.person)[0].history
        deleted = any(entry.detail.startswith("Document LSCB-2026-014 IMR.pdf deleted") for entry in history)
        return imr if deleted else []

    [email] = await eventually(imr_sent_and_deleted, what="the IMR email written and its document deleted")
    [attached] = list(email.iter_attachments())  # type: ignore[attr-defined]
    assert attached.get_filename() == "LSCB-2026-014 IMR.pdf"
    assert "Smith" not in email.as_string() and "Attached to this email:\n- LSCB-2026-014 IMR.pdf" in str(
        email.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert attached.get_content() == PDF
    assert str(email["Reply-To"]) == "rep@example.gov.uk"
    documents = Path(running_bot.settings.data_dir) / "documents"
    assert not [path for path in documents.iterdir() if path.is_file()], "deleted once every email carrying it went"
    history = [entry.detail for entry in stored_review(running_bot, teams.person)[0].history]
    assert any(detail.startswith("Document LSCB-2026-014 IMR.pdf deleted from the bot") for detail in history)
    assert not any("Smith" in detail for detail in history), "the history, shown to every member, names no file"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        pytest.param("notes.txt", b"just text", "Only PDF, Word", id="not_a_document"),
        pytest.param("IMR.pdf", b"MZ\x90\x00 an executable renamed", "Only PDF, Word", id="renamed_file"),
        pytest.param("IMR.pdf", b"", "empty", id="empty_file"),
        pytest.param("gone.pdf", None, "Send it again", id="download_failed_or_expired"),
    ],
)
async def test_a_bad_file_is_refused_on_the_form_and_nothing_is_kept(
    teams: TeamsClient, running_bot: RunningBot, files: FileServer, name: str, content: bytes | None, words: str
) -> None:
    await imr_form(teams)
    await emails_settled(running_bot)
    before = stored_review(running_bot, teams.person)[0]

    form = only_card(await _send_file(teams, files, name, content))

    assert words in texts(form)
    assert "Attached:" not in texts(form)
    documents = Path(running_bot.settings.data_dir) / "documents"
    assert not documents.exists() or not [p for p in documents.iterdir() if p.is_file()]
    assert len(stored_review(running_bot, teams.person)[0].history) == len(before.history)
    retry = only_card(await _send_file(teams, files, "IMR.docx", _docx()))
    assert "Attached: IMR.docx" in texts(retry), "sending a good file then works"


async def test_a_file_over_the_size_limit_is_refused_naming_the_limit(
    small_limit_bot: RunningBot, connector: FakeConnector, files: FileServer
) -> None:
    teams = TeamsClient(small_limit_bot, connector)
    await imr_form(teams)

    form = only_card(await _send_file(teams, files, "IMR.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024)))

    assert "larger than 1 MB" in texts(form)


async def test_a_file_sent_when_no_form_asks_for_one_is_refused_and_not_kept(
    teams: TeamsClient, running_bot: RunningBot, files: FileServer
) -> None:
    replies = await _send_file(teams, files, "IMR.pdf", PDF)

    assert "only while a form asks for it" in replies[0].text
    assert not (Path(running_bot.settings.data_dir) / "documents").exists()


@pytest.fixture
async def graph_bot(make_settings: Callable[..., Settings], graph: FakeGraph) -> AsyncIterator[RunningBot]:
    settings = make_settings()
    documents = DocumentStore(Path(settings.data_dir) / "documents", 25 * 1024 * 1024)
    sender = GraphMailSender(graph.mailbox, StaticTokenCredential(), base_url=graph.base_url, request_timeout=5,
                             documents=documents)
    bot = await RunningBot(settings, mail_sender=sender).start()
    yield bot
    await bot.stop()


async def test_through_graph_the_imr_file_and_the_published_link_reach_their_recipients(
    graph_bot: RunningBot, graph: FakeGraph, connector: FakeConnector, files: FileServer
) -> None:
    teams = TeamsClient(graph_bot, connector)
    await imr_form(teams)
    form = only_card(await _send_file(teams, files, "IMR.pdf", PDF))
    card = only_card((await teams.submit(press(form, forward_button(form), YES)))[1:])
    for step, answers in (("overview report", {}), ("action plan", {"no_area": "true"}), ("approval", {}),
                          ("published", {"document_link": LINK})):
        form = only_card(await teams.submit(press(card, any_button(card, step))))
        card = only_card((await teams.submit(press(form, forward_button(form), answers)))[1:])

    def delivered(phrase: str) -> list:
        return [m for m in graph.delivered if phrase in m.body["subject"]]

    await eventually(lambda: delivered("IMR completed") and delivered("overview report published"),
                     what="both copies delivered through Graph")
    [imr] = delivered("IMR completed")
    assert "lessons.learned@example.gov.uk" in {r["emailAddress"]["address"] for r in imr.body["toRecipients"]}
    assert [(a.name, a.content) for a in imr.attachments] == [("LSCB-2026-014 IMR.pdf", PDF)]
    [report] = delivered("overview report published")
    assert {r["emailAddress"]["address"] for r in report.body["toRecipients"]} == {
        "psu.mailbox@example.gov.uk", "occ.mailbox@example.gov.uk", "lessons.learned@example.gov.uk"}
    assert f'href="{LINK}"' in report.body["body"]["content"]
    assert not report.attachments


async def test_a_document_no_email_carries_is_swept_after_a_week_and_one_still_to_go_is_kept(
    tmp_path: Path, open_store: Callable[[], Store]
) -> None:
    store = open_store()
    documents = DocumentStore(tmp_path / "documents", 1024 * 1024)
    now = [datetime.now(UTC)]
    queue = MailQueue(store, lambda: now[0])
    service = ReviewService(store, queue, AddressBook.from_dict(json.loads(EXAMPLE_BOOK.read_text())),
                            ReviewSettings(), lambda: now[0], documents=documents)
    orphan = await service.receive_document(PDF, "cancelled.pdf")
    waiting = await service.receive_document(_docx(), "IMR.docx")
    carried = DocumentRef(waiting.sha256 or "", waiting.name, waiting.content_type or "", waiting.size or 0)
    queue.enqueue(OutgoingEmail(key="r:O6:1", to=("ll@example.gov.uk",), subject="Serious Case Review – x",
                                text="t", html="<p>t</p>", attachments=(carried,)))

    assert await service.sweep_documents() == 0, "nothing is swept within the week"
    now[0] += timedelta(days=8)
    assert await service.sweep_documents() == 1
    assert sorted(path.name for path in (tmp_path / "documents").iterdir()) == [waiting.sha256]
    assert orphan.sha256 != waiting.sha256
