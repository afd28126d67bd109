"""What the cards say while the bot itself is sending an email: it is shown as the bot's work,
never as the person's to-do or as a retry."""

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.config import Settings
from bot.mail.message import OutgoingEmail
from bot.mail.queue import SENDING, MailQueue
from bot.storage import Store
from tests.cards import texts
from tests.conftest import RunningBot
from tests.dialogs_flow import only_card, open_review
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient


class HeldSender:
    """A mail sender that takes each email and holds it until released: the email is "sending"."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def send(self, email: OutgoingEmail) -> None:
        await self.release.wait()

    async def close(self) -> None:
        self.release.set()


@pytest.fixture
def held() -> HeldSender:
    return HeldSender()


@pytest.fixture
async def held_bot(make_settings: Callable[..., Settings], held: HeldSender) -> AsyncIterator[RunningBot]:
    bot = await RunningBot(make_settings(), mail_sender=held).start()
    yield bot
    held.release.set()
    await bot.stop()


@pytest.fixture
def rep(held_bot: RunningBot, connector: FakeConnector) -> TeamsClient:
    return TeamsClient(held_bot, connector)


async def _until_sending(bot: RunningBot) -> None:
    queue = MailQueue(Store(Path(bot.settings.data_dir) / "scr-assistant.json"))
    for _ in range(200):
        if [item.state for item in queue.status_for_keys("")] == [SENDING]:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the mail worker never took the email")


async def test_an_email_taken_by_the_worker_a_moment_ago_reads_sending(
    rep: TeamsClient, held_bot: RunningBot
) -> None:
    await open_review(rep)
    await _until_sending(held_bot)

    shown = texts(only_card(await rep.say("show LSCB-2026-014")))

    assert "\nSending\n" in shown
    assert "retrying" not in shown and "attempt" not in shown
