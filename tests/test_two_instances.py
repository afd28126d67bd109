"""Two app processes on one PostgreSQL: the same card press sent to both records once; with one
instance killed while its Graph send is in flight, the other sends that email once its claim
lapses (MAIL_LEASE_SECONDS), so it goes once; and with one killed in the middle of a reminder
sweep every reminder still arrives, once (but for the one send the kill may cut, see below).

The instances are real processes (tests/instance_process.py) sharing only the database; the test
talks to both over HTTP, receives their posts on one fake Teams connector and their emails on one
fake Graph."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

import aiohttp

from bot.mail.queue import MailQueue
from bot.review import review_to_dict
from bot.storage.postgres_store import PostgresStore
from bot.storage.reviews import COLLECTION, ReviewRepository, _record
from tests.cards import forward_button, press
from tests.clock import latest_working_morning
from tests.dialogs_flow import walk_to_confirmation
from tests.fakes.fake_connector import FakeConnector
from tests.fakes.fake_graph import FakeGraph
from tests.review.helpers import Stage, review_at
from tests.teams_client import TeamsClient
from tests.waiting import eventually

ROOT = Path(__file__).resolve().parents[1]
SWEPT_REVIEWS = 40
# How long a dead instance's claim on an email holds it. Each attempt gets 40% of it (12 s): an
# attempt that times out (a first send on a busy machine) waits minutes before it is tried again.
MAIL_LEASE_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Instance:
    def __init__(self, name: str, tmp_path: Path, database_url: str, clock: tuple[datetime, float],
                 graph: FakeGraph) -> None:
        """`clock`: the time all instances agree it was at a moment of time.time()."""
        self.url = f"http://127.0.0.1:{_free_port()}/"
        env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / name),
               "HOST": "127.0.0.1", "PORT": self.url.rsplit(":", 1)[1].strip("/"),
               "START_AT": clock[0].isoformat(), "START_EPOCH": repr(clock[1]), "FAKE_GRAPH_URL": graph.base_url,
               "MAIL_LEASE_SECONDS": str(MAIL_LEASE_SECONDS), "REMINDER_INTERVAL_SECONDS": "0.5",
               "REMINDER_CLAIM_SECONDS": "3", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "tests.instance_process"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    async def ready(self) -> "Instance":
        deadline = time.monotonic() + 60
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                assert self.process.poll() is None, self.process.stderr.read() if self.process.stderr else ""
                try:
                    async with session.get(self.url + "healthz") as response:
                        if response.status == 200:
                            return self
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        raise AssertionError("the instance did not start")

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


def _seed_overdue_reviews(database_url: str, person: str) -> set[str]:
    """Open reviews each owing the person one reminder; their references."""
    template, references = review_to_dict(review_at(Stage.DECISION)), set()
    store = PostgresStore(database_url)
    with store.transaction() as session:
        for number in range(SWEPT_REVIEWS):
            review_id, reference = str(uuid.uuid4()), f"SWEPT-{number:03d}"
            data = {**template, "id": review_id, "reference": reference, "members": [person],
                    "representative": {**template["representative"], "user_id": person}}
            session.put(COLLECTION, _record({"id": review_id, "members": [person], "review": data}))
            references.add(reference)
    store.close()
    return references


def _reminder_cards(connector: FakeConnector) -> Counter[str]:
    """Each reminder card received, by its content: a reminder sent twice is the same card twice
    (a review may owe several reminders, each a card of its own)."""
    return Counter(str(card) for activity in connector.received for card in activity.cards
                   if str(card["body"][0].get("text", "")).startswith("Reminder"))


def _reminded(connector: FakeConnector, references: set[str]) -> set[str]:
    return {reference for card in _reminder_cards(connector) for reference in references if reference in card}


def _sending_instance(store: PostgresStore, key: str) -> int:
    """The process id of the instance whose mail worker holds the claim on email `key`."""
    with store.transaction() as session:
        record = session.get("outbox", key)
    assert record is not None and record.document["state"] == "sending"
    return int(record.document["claim"]["worker"].split(":")[1])  # host:pid:random (bot/mail/worker.py)


async def test_two_instances_record_each_press_once_and_send_each_email_and_reminder_when_one_dies(
    tmp_path: Path, database_url: str, connector: FakeConnector, graph: FakeGraph
) -> None:
    clock = (latest_working_morning(), time.time())
    # Reminders wait until the presses are done: the seeded reviews come after them.
    instances = {name: Instance(name, tmp_path, database_url, clock, graph) for name in ("a", "b")}
    try:
        await asyncio.gather(*(instance.ready() for instance in instances.values()))
        on_first, on_second = (TeamsClient(instance, connector) for instance in instances.values())
        confirm = await walk_to_confirmation(on_first)
        pressed = press(confirm, forward_button(confirm))
        in_flight = graph.hold_next("send")  # the review's email: its send will never be answered
        store = PostgresStore(database_url)

        await asyncio.gather(*(client.post(client.activity(value=pressed)) for client in (on_first, on_second)))
        await asyncio.wait_for(in_flight.wait(), 60)
        [email] = MailQueue(store).status_for_keys("")
        # The instance sending it dies with its request to Graph in flight (a draft made, not sent).
        [sending] = [name for name, instance in instances.items()
                     if instance.pid == _sending_instance(store, email.key)]
        instances[sending].kill()

        replies = " ".join(activity.text for activity in connector.take())
        assert replies.count("already recorded") == 1, replies
        assert [review.reference for review in ReviewRepository(store).for_user(on_first.person)] == ["LSCB-2026-014"]
        # The other takes the email over once the dead one's claim lapses, and sends that draft.
        await eventually(lambda: MailQueue(store).get(email.key).state == "sent",  # type: ignore[union-attr]
                         MAIL_LEASE_SECONDS + 30, "the email sent by the other instance")
        assert graph.delivered_keys() == [email.key], "sent once: not lost, not twice"
        store.close()

        instances[sending] = await Instance(sending, tmp_path, database_url, clock, graph).ready()
        references = _seed_overdue_reviews(database_url, on_first.person)
        await eventually(lambda: len(_reminded(connector, references)) >= 5, 60, "the sweep starting")
        instances["a"].kill()  # in the middle of the sweep: some reminders sent, some claimed, some not yet
        await eventually(lambda: _reminded(connector, references) == references, 60, "every reminder")
        await asyncio.sleep(5)  # a duplicate would arrive by now: the killed claims (3 s) have lapsed

        assert _reminded(connector, references) == references
        # The one send the kill may cut between Teams taking it and the ledger's "sent" mark is the
        # only duplicate possible (bot/reminders/ledger.py); any other would be a claim gone wrong.
        duplicates = {card: count for card, count in _reminder_cards(connector).items() if count > 1}
        assert sum(count - 1 for count in duplicates.values()) <= 1, list(duplicates.values())
        assert graph.delivered_keys() == [email.key], "no email went again"
    finally:
        for instance in instances.values():
            instance.kill()
