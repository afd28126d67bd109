"""Stopping for a SIGTERM (drain) lets the email being sent finish instead of cutting it short."""

import asyncio

from bot.mail import MailQueue, MailWorker
from bot.mail.graph_sender import GraphMailSender
from bot.mail.worker import RetryPolicy
from tests.fakes.fake_graph import FakeGraph
from tests.mail.conftest import make_email
from tests.waiting import eventually


async def test_draining_mid_send_finishes_the_send_and_then_stops(
    queue: MailQueue, graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.delay_next(1.5, route="send")
    worker = MailWorker(queue, graph_sender, policy=RetryPolicy(poll_interval=600))
    await worker.start()
    worker.submit(make_email("R1:O1:1"))
    await eventually(lambda: "create" in graph.routes(), what="the draft created")

    await worker.stop(drain=True)

    item = queue.get("R1:O1:1")
    assert item is not None and item.state == "sent" and item.last_error is None
    assert graph.delivered_keys() == ["R1:O1:1"]
    assert not worker.running


async def test_draining_an_idle_worker_stops_at_once(queue: MailQueue, graph_sender: GraphMailSender) -> None:
    worker = MailWorker(queue, graph_sender, policy=RetryPolicy(poll_interval=600))
    await worker.start()
    await asyncio.sleep(0.05)

    async with asyncio.timeout(2):
        await worker.stop(drain=True)

    assert not worker.running
