from collections.abc import AsyncIterator

import pytest

from tests.fakes.fake_identity import FakeIdentityEndpoint


@pytest.fixture
async def identity() -> AsyncIterator[FakeIdentityEndpoint]:
    fake = await FakeIdentityEndpoint().start()
    yield fake
    await fake.stop()
