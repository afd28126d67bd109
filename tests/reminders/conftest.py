from collections.abc import AsyncIterator
from datetime import date, time
from pathlib import Path

import pytest

from tests.clock import FakeClock, london
from tests.fakes.fake_connector import FakeConnector
from tests.reminders.harness import Harness

# A Monday: 2 November 2026.
OPENED = date(2026, 11, 2)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(london(OPENED, time(8, 0)))


@pytest.fixture
def reminder_env() -> dict[str, str]:
    return {}


@pytest.fixture
async def harness(tmp_path: Path, connector: FakeConnector, clock: FakeClock,
                  reminder_env: dict[str, str], storage_env: dict[str, str]) -> AsyncIterator[Harness]:
    running = await Harness(tmp_path / "data", connector, clock, **reminder_env, **storage_env).start()
    yield running
    await running.stop()
