"""One app instance in a process of its own, for tests/test_two_instances.py: the real app
(`create_app`) on 127.0.0.1:$PORT with settings from the environment, and a clock that read
$START_AT at the moment $START_EPOCH (a `time.time()`) and runs at real speed, so reminders run in
working hours whatever day the tests run, and instances started at different moments agree on
the time. With $FAKE_GRAPH_URL its emails go to that fake Graph (tests/fakes/fake_graph.py).
Telemetry is exported as app.py does it, when APPLICATIONINSIGHTS_CONNECTION_STRING is set."""

import os
import time
from datetime import datetime, timedelta

from aiohttp import web

from app import create_app, export_telemetry
from bot.config import Settings
from bot.mail.graph_sender import GraphMailSender
from tests.fakes.fake_graph import MAILBOX, StaticTokenCredential

start_at, started = datetime.fromisoformat(os.environ["START_AT"]), float(os.environ["START_EPOCH"])


def clock() -> datetime:
    return start_at + timedelta(seconds=time.time() - started)


graph = os.environ.get("FAKE_GRAPH_URL")
sender = GraphMailSender(MAILBOX, StaticTokenCredential(), base_url=graph) if graph else None
app = create_app(Settings.from_env(dict(os.environ)), clock=clock, mail_sender=sender)
export_telemetry(app, os.environ, clock)
web.run_app(app, host="127.0.0.1", port=int(os.environ["PORT"]), print=None)
