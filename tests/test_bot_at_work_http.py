"""What the cards say while the bot itself is sending an email: it is shown as the bot's work,
never as the person's to-do or as a retry."""

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from bot.config import Settings
from bot.mail.message import OutgoingEmail
from bot.mail.queue import SENDING, MailQueue
from tests.cards import inputs, texts
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import only_card, open_review
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient
from tests.waiting import eventually


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
    with bot_store(bot.settings) as store:
        queue = MailQueue(store)
        await eventually(lambda: [item.state for item in queue.status_for_keys("")] == [SENDING],
                         what="the mail worker taking the email")


async def test_an_email_taken_by_the_worker_a_moment_ago_reads_sending(
    rep: TeamsClient, held_bot: RunningBot
) -> None:
    await open_review(rep)
    await _until_sending(held_bot)

    shown = texts(only_card(await rep.say("show LSCB-2026-014")))

    assert "\nSending\n" in shown
    assert "retrying" not in shown and "attempt" not in shown


async def test_an_email_being_sent_is_shown_as_the_bots_work_on_every_card_not_as_a_to_do(
    rep: TeamsClient, held_bot: RunningBot
) -> None:
    opened = texts(await open_review(rep))
    await _until_sending(held_bot)
    review_card = only_card(await rep.say("show LSCB-2026-014"))
    next_card = texts(only_card(await rep.say("next LSCB-2026-014")))
    owed = texts(only_card(await rep.say("outstanding")))

    for shown in (opened, next_card):
        assert "Due today: Notify the SCS lead" not in shown
        assert "Being sent by the bot, nothing for you to do unless it fails: Notify the SCS lead" in shown
    assert "Notify the SCS lead" in texts(review_card) and "O1 Notify" not in texts(review_card)
    assert "Being sent by the bot" in texts(review_card)
    done_choices = [c["title"] for c in inputs(review_card)["instance_id"]["choices"]]
    assert done_choices and not any(title.startswith("O1 ") for title in done_choices)
    assert "Notify the SCS lead" in owed and "1 being sent by the bot." in owed
