import contextlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from botframework.connector.auth import PasswordServiceClientCredentialFactory

from app import PARTS, AppParts, create_app
from bot.config import Settings
from bot.mail.queue import MailQueue, OutboxItem
from bot.review import Notification, Review
from bot.review_service import email_for
from bot.storage import Store, TinyDBStore
from bot.storage.factory import MAIN_FILE
from bot.storage.postgres_store import PostgresStore
from bot.storage.reviews import ReviewRepository
from tests.fakes.fake_connector import FakeConnector
from tests.fakes.fake_graph import FakeGraph
from tests.postgres_cluster import MISSING, Cluster, running_cluster
from tests.teams_client import TeamsClient
from tests.waiting import eventually


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()
    assert fake.card_problems == [], "cards Teams would not render well"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = await FakeGraph().start()
    yield fake
    await fake.stop()


class RunningBot:
    """The real aiohttp app on a loopback port, restartable on the same data directory."""

    def __init__(self, settings: Settings, **app_options: Any) -> None:
        """`app_options` go to create_app (a clock, a mail sender)."""
        self.settings = settings
        self.app_options = app_options
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> "RunningBot":
        self._runner = web.AppRunner(create_app(self.settings, **self.app_options))
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/"
        return self

    @property
    def parts(self) -> AppParts:
        assert self._runner, "the bot is not running"
        return self._runner.app[PARTS]

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tinydb_only(reason): the test is about TinyDB's files, so runs on it alone")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test of the app's store runs on each adapter in turn: `storage_env` is TinyDB's, then
    PostgreSQL's; a test marked tinydb_only (with its reason) runs on TinyDB alone."""
    if "storage_env" in metafunc.fixturenames:
        tinydb_only = metafunc.definition.get_closest_marker("tinydb_only")
        assert tinydb_only is None or tinydb_only.kwargs.get("reason"), "tinydb_only needs reason=..."
        metafunc.parametrize("storage_env", ["tinydb"] if tinydb_only else ["tinydb", "postgresql"], indirect=True)


@pytest.fixture
def storage_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The settings that choose the adapter under test."""
    return {"DATABASE_URL": request.getfixturevalue("database_url")} if request.param == "postgresql" else {}


@pytest.fixture
def make_settings(tmp_path: Path, storage_env: dict[str, str]) -> Callable[..., Settings]:
    def make(**env: str) -> Settings:
        return Settings.from_env({"DATA_DIR": str(tmp_path / "data"), **storage_env, **env})

    return make


def open_bot_store(settings: Settings, file: str = MAIN_FILE) -> Store:
    """Another handle on the store a bot with `settings` uses (as another process would open it):
    its database, or its TinyDB `file` (the main one, or STATE_FILE for Bot Framework state)."""
    return store_at(settings.env.get("DATABASE_URL", "") or str(Path(settings.data_dir) / file))


@contextlib.contextmanager
def bot_store(settings: Settings, file: str = MAIN_FILE) -> Iterator[Store]:
    """`open_bot_store`, closed again after use."""
    store = open_bot_store(settings, file)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
async def running_bot(make_settings: Callable[..., Settings]) -> AsyncIterator[RunningBot]:
    bot = await RunningBot(make_settings()).start()
    yield bot
    await bot.stop()


@pytest.fixture
def teams(running_bot: RunningBot, connector: FakeConnector) -> TeamsClient:
    return TeamsClient(running_bot, connector)


@pytest.fixture
def authenticated_env() -> dict[str, str]:
    """More settings for `authenticated_bot`; a test module overrides this fixture to add some."""
    return {}


@pytest.fixture
async def authenticated_bot(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch, authenticated_env: dict[str, str]
) -> AsyncIterator[RunningBot]:
    """A bot configured as in production (an app id, so not local mode), whose token check alone
    is switched off so tests can reach it without Entra: everything after the check is production's.
    (tests/test_http_auth.py proves the check itself.)"""

    async def disabled(_: PasswordServiceClientCredentialFactory) -> bool:
        return True

    monkeypatch.setattr(PasswordServiceClientCredentialFactory, "is_authentication_disabled", disabled)
    bot = await RunningBot(make_settings(MicrosoftAppId="11111111-2222-3333-4444-555555555555",
                                         MicrosoftAppPassword="not-a-real-secret", **authenticated_env)).start()
    yield bot
    await bot.stop()


def stored_review(bot: RunningBot, person: str) -> tuple[Review, list[OutboxItem]]:
    """The one review `person` is on, read from the bot's store, and its emails in the outbox."""
    with bot_store(bot.settings) as store:
        [review] = ReviewRepository(store).for_user(person)
        return review, MailQueue(store).status_for_review(review.id)


def put_review(store: Store, review: Review, notifications: Iterable[Notification]) -> None:
    """A review played in the domain (tests/review/helpers.py) stored with the emails it queued, as
    opening it through the ReviewService would: for tests that start part-way through a review."""
    with store.transaction():
        ReviewRepository(store).add(review)
        queue = MailQueue(store)
        for notification in notifications:
            queue.enqueue(email_for(notification))


async def emails_settled(bot: RunningBot) -> None:
    """Waits until the bot's mail worker has sent every email in the outbox and recorded it in its
    review's history: before a test takes a "before" picture that the sending would change."""
    def settled() -> bool:
        with bot_store(bot.settings) as store, store.transaction() as session:
            return all(record.document["reported"] for record in session.all("outbox"))

    await eventually(settled, what="the outbox settling")


def stored_tables(bot: RunningBot) -> dict[str, Any]:
    """Everything in the bot's store file, table by table, to show a request changed nothing."""
    with bot_store(bot.settings) as store, store.transaction() as session:
        return {name: {record.key: record.document for record in session.all(name)}
                for name in session.collections()}


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    with running_cluster() as cluster:
        if cluster is None:
            pytest.skip(MISSING)
        yield cluster


@pytest.fixture
def database_url(postgres_cluster: Cluster) -> Iterator[str]:
    """A fresh, empty database on the throw-away server."""
    url = postgres_cluster.new_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture(params=["tinydb", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the adapter under test keeps its data (see `store_at`): each adapter in turn."""
    return str(tmp_path / "store.json") if request.param == "tinydb" else request.getfixturevalue("database_url")


def store_at(location: str) -> Store:
    """The store at `location`: a PostgreSQL database's URL, or a TinyDB file's path."""
    return PostgresStore(location) if location.startswith("postgresql:") else TinyDBStore(Path(location))


@pytest.fixture
def open_store(store_location: str) -> Iterator[Callable[[], Store]]:
    """Opens the adapter under test; each call is another Store object on the same data, as another
    app instance would have."""
    opened: list[Store] = []

    def make() -> Store:
        opened.append(store_at(store_location))
        return opened[-1]

    yield make
    for store in opened:
        store.close()
