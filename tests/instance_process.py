"""One app instance in a process of its own, for tests/test_two_instances.py: the real app
(`create_app`) on 127.0.0.1:$PORT with settings from the environment, and a clock that starts at
$START_AT and runs at real speed, so reminders run in working hours whatever day the tests run.
Telemetry is exported as app.py does it, when APPLICATIONINSIGHTS_CONNECTION_STRING is set."""

import os
import time
from datetime import datetime, timedelta

from aiohttp import web

from app import create_app, export_telemetry
from bot.config import Settings

start_at, began = datetime.fromisoformat(os.environ["START_AT"]), time.monotonic()


def clock() -> datetime:
    return start_at + timedelta(seconds=time.monotonic() - began)


app = create_app(Settings.from_env(dict(os.environ)), clock=clock)
export_telemetry(app, os.environ, clock)
web.run_app(app, host="127.0.0.1", port=int(os.environ["PORT"]), print=None)
