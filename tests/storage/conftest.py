from collections.abc import Callable

import pytest

from bot.storage import Store


@pytest.fixture
def store(open_store: Callable[[], Store]) -> Store:
    return open_store()
