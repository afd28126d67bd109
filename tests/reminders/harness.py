"""The app as app.create_app builds it — CloudAdapter, ScrBot, the real scheduler and proactive
sender — posting to the local fake connector. Only the clock and the backoff's sleep are
injected, so months pass in a second and no test waits for real. The scheduler's own loop is
off (REMINDERS_ENABLED=false): tests call tick() themselves."""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from app import PARTS, create_app, proactive_sender
from bot.config import Settings
from bot.mail.queue import MailQueue
from bot.reminders.emails import ReminderMail
from bot.reminders.scheduler import CLAIM_BATCH, ReminderScheduler, TickReport
from bot.reminders.settings import ReminderSettings
from bot.review import Event, MemberAdded, Review
from bot.review_service import ReviewService
from bot.storage import Store
from bot.teams.conversations import ConversationDirectory
from dialogs.opening_answers import opening_request
from tests.clock import FakeClock
from tests.conftest import open_bot_store
from tests.fakes.fake_connector import FakeConnector, ReceivedActivity
from tests.teams_client import TeamsClient

_references = itertools.count(1)


@dataclass
class RecordedSleep:
    """Waits no real time, but moves the fake clock on as a real wait would."""

    clock: FakeClock
    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.now += timedelta(seconds=seconds)


class Harness:
    def __init__(self, data_dir: Path, connector: FakeConnector, clock: FakeClock, **env: str) -> None:
        self.settings = Settings.from_env({"DATA_DIR": str(data_dir), "REMINDERS_ENABLED": "false", **env})
        self.connector = connector
        self.clock = clock
        self.sleep = RecordedSleep(clock)
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._owners = itertools.count(2)
        self._other_stores: list[Store] = []

    async def start(self) -> "Harness":
        app = create_app(self.settings, clock=self.clock, sleep=self.sleep)
        parts = app[PARTS]
        self.store, self.service, self.adapter, self.directory, self.scheduler, self.commands = (
            parts.store, parts.service, parts.adapter, parts.directory, parts.scheduler, parts.reminder_commands)
        # The test's own look at the outbox, on the same store.
        self.mail = MailQueue(self.store, self.clock)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        # No email is sent: each one fails (see `fail_emails`), as when Graph refuses it, so the
        # obligations they serve stay the person's to-do and each test decides when they are met.
        await parts.mail_worker.stop()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/"
        self.teams = TeamsClient(self, self.connector)
        return self

    async def stop(self) -> None:
        await self.scheduler.stop()
        if self._runner:
            await self._runner.cleanup()
        for store in self._other_stores:
            store.close()

    def new_service(self, store: Store) -> ReviewService:
        return ReviewService(store, MailQueue(store, self.clock), self.settings.address_book(),
                             self.settings.review_settings(), self.clock)

    def another_instance(self, claim_batch: int = CLAIM_BATCH) -> ReminderScheduler:
        """A second app instance's scheduler (or this one's after a restart): its own Store object on
        the same file, its own directory, sender and service; nothing shared in memory but the adapter."""
        store = open_bot_store(self.settings)
        self._other_stores.append(store)
        service, reminder_settings = self.new_service(store), ReminderSettings.from_env(self.settings.env)
        sender = proactive_sender(self.settings, reminder_settings, self.adapter, ConversationDirectory(store),
                                  self.sleep)
        mail = ReminderMail(MailQueue(store, self.clock), self.settings.address_book(), self.settings.review_settings())
        return ReminderScheduler(store, service, sender, reminder_settings, mail, clock=self.clock,
                                 owner=f"instance-{next(self._owners)}", claim_batch=claim_batch)

    @property
    def user_id(self) -> str:
        return self.teams.person

    async def install(self) -> None:
        status = await self.teams.post(self.teams.activity("installationUpdate", action="add"))
        assert status in (200, 201)
        self.connector.take()  # the welcome card

    async def open_review(self, *, came_to_chair_attention: date, representative: bool = True,
                    areas: tuple[str, ...] = ("ukvi",), members: tuple[str, ...] = (),
                    emails_fail: bool = True) -> Review:
        """With `emails_fail=False` the review's emails stay queued: the bot is still sending them."""
        details = {
            "reference": f"LSCB-2026-{next(_references):03d}", "nation": "england", "kind": "statutory",
            "board_name": "Exampleshire LSCB", "business_areas": list(areas),
            "came_to_chair_attention": came_to_chair_attention.isoformat(), "decision_to_proceed": "",
            # Reminders of the source guidance's duties: its process, chosen over the pack in force.
            "framework": "scr-2016", "framework_reason": "board_says",
        }
        eligibility = {key: key == "E1" for key in ("E1", "E2", "E3", "H1", "H2", "H3", "H4", "C1")}
        answers: dict[str, Any] = {key: representative for key in ("I1", "I2", "I3", "I4")}
        request = opening_request(details, eligibility, {**answers, "email": "rep@example.gov.uk"})
        review = (await self.service.open_review(self.user_id, request)).review
        for member in members:
            review = (await self.service.record(self.user_id, review.id, MemberAdded(user_id=member))).review
        if emails_fail:
            await self.fail_emails()
        return review

    async def record(self, review: Review, event: Event) -> None:
        await self.service.record(self.user_id, review.id, event)
        await self.fail_emails()

    async def fail_emails(self) -> None:
        """Every queued email fails: an email the bot is still sending is never reminded about."""
        queue = self.mail
        while (claim := queue.claim_next("harness", timedelta(minutes=5))) is not None:
            queue.mark_failed(claim, "Graph refused the message")

    async def tick(self, scheduler: ReminderScheduler | None = None) -> tuple[TickReport, list[ReceivedActivity]]:
        report = await (scheduler or self.scheduler).tick()
        return report, self.connector.take()


def reminder_cards(received: list[ReceivedActivity]) -> list[dict[str, Any]]:
    return [card for activity in received for card in activity.cards
            if card["body"][0]["text"].startswith("Reminder")]


def digest_cards(received: list[ReceivedActivity]) -> list[dict[str, Any]]:
    return [card for activity in received for card in activity.cards
            if card["body"][0]["text"].startswith("Weekly summary")]


def fact(card: dict[str, Any], title: str) -> str:
    facts = next(node for node in card["body"] if node["type"] == "FactSet")["facts"]
    return next(f["value"] for f in facts if f["title"] == title)


def duty(card: dict[str, Any]) -> str:
    """The obligation a reminder card is about ("O1"), from its buttons' data: the card itself
    names the duty in words, never by its id."""
    snooze = next(action for action in card["actions"] if action["verb"] == "snooze")
    return str(snooze["data"]["instance_id"]).rsplit("-", 1)[0]


def kind_of(card: dict[str, Any]) -> str:
    """"overdue" / "due_today" / "due_soon", read from what the person sees."""
    headline = card["body"][2]["items"][0]["text"]
    for prefix, kind in (("Overdue", "overdue"), ("Due today", "due_today"), ("Due soon", "due_soon")):
        if headline.startswith(prefix):
            return kind
    raise AssertionError(headline)


def seen(received: list[ReceivedActivity]) -> list[tuple[str, str]]:
    """(obligation id, kind) of each reminder card received."""
    return [(duty(card), kind_of(card)) for card in reminder_cards(received)]
