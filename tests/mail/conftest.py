import random
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.documents import DocumentRef, DocumentStore
from bot.documents.store import MEGABYTE
from bot.mail import MailQueue, MailWorker, OutgoingEmail
from bot.mail.graph_sender import GraphMailSender
from bot.storage import Store
from tests.clock import FakeClock
from tests.fakes.fake_graph import FakeGraph, StaticTokenCredential

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def run_until_idle(worker: MailWorker) -> None:
    """Attempt every row due now, one after another, as the worker's own loop does between naps."""
    while await worker.run_once():
        pass


def make_email(
    key: str = "R1:O1:1", *, to: tuple[str, ...] = ("scs.lead@homeoffice.example",)
) -> OutgoingEmail:
    return OutgoingEmail(
        key=key,
        to=to,
        subject=f"Serious Case Review {key.split(':')[0]}: you have been named",
        text="Dear colleague, a review concerning Child A names your team.",
        html="<p>Dear colleague, a review concerning <b>Child A</b> names your team.</p>",
    )


# Under Graph's 3 MB line (one fileAttachment POST), and over it (an upload session in chunks).
SMALL_SIZE = 200 * 1024
LARGE_SIZE = 5 * MEGABYTE


def document_bytes(size: int) -> bytes:
    """The same bytes for the same size in every process (the crash tests' child stores them too)."""
    return random.Random(size).randbytes(size)


def store_document(documents: DocumentStore, size: int, name: str | None = None) -> DocumentRef:
    return documents.put(document_bytes(size), name or f"IMR-{size}.pdf", "application/pdf")


def make_email_with_documents(
    documents: DocumentStore, key: str = "R1:O6:1", sizes: tuple[int, ...] = (SMALL_SIZE, LARGE_SIZE)
) -> OutgoingEmail:
    return replace(
        make_email(key),
        reply_to=("representative@homeoffice.example",),
        attachments=tuple(store_document(documents, size) for size in sizes),
    )


def arrived(*sizes: int) -> list[tuple[str, str, bytes]]:
    """What the fake Graph should hold for the documents `make_email_with_documents` stores."""
    return [(f"IMR-{size}.pdf", "application/pdf", document_bytes(size)) for size in sizes]


def documents_at(data_dir: Path) -> DocumentStore:
    return DocumentStore(data_dir / "documents", 150 * MEGABYTE)


@pytest.fixture
def documents(tmp_path: Path) -> DocumentStore:
    return documents_at(tmp_path / "data")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def store(open_store: Callable[[], Store]) -> Store:
    """Each adapter in turn (tests/conftest.py: open_store)."""
    return open_store()


@pytest.fixture
def queue(store: Store, clock: FakeClock) -> MailQueue:
    return MailQueue(store, clock)


@pytest.fixture
async def make_graph_sender(
    graph: FakeGraph, documents: DocumentStore
) -> AsyncIterator[Callable[..., GraphMailSender]]:
    made: list[GraphMailSender] = []

    def make(**options: Any) -> GraphMailSender:
        options.setdefault("request_timeout", 5.0)
        options.setdefault("documents", documents)
        sender = GraphMailSender(graph.mailbox, StaticTokenCredential(), base_url=graph.base_url, **options)
        made.append(sender)
        return sender

    yield make
    for sender in made:
        await sender.close()


@pytest.fixture
def graph_sender(make_graph_sender: Callable[..., GraphMailSender]) -> GraphMailSender:
    return make_graph_sender()

