"""Entry point: wires settings, storage, the bot and the web server together. No logic here."""

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web
from botbuilder.core import ConversationState, UserState
from botbuilder.integration.aiohttp import CloudAdapter

from bot.config import Settings, SettingsError, load_settings
from bot.listening import listening_sockets
from bot.mail import MailQueue, MailSender, MailSettings, MailWorker, OutboxItem, build_mail_sender
from bot.mail.factory import build_document_store
from bot.operations.json_logs import configure_logging
from bot.operations.metrics import observe_outbox_age
from bot.operations.readiness import store_check, task_check
from bot.operations.telemetry import configure_telemetry
from bot.reminders.wiring import Reminders, create_reminders
from bot.review_service import ReviewService
from bot.storage import Store
from bot.storage.bot_state import StoreBotStorage
from bot.teams.adapter import create_adapter
from bot.teams.admission import Admission
from bot.teams.bot import ScrBot
from bot.web import create_web_app
from dialogs.root_dialog import RootDialog

log = logging.getLogger("scr_assistant")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AppParts:
    """What create_app built, for tests and tools that drive the app's own pieces."""

    store: Store
    service: ReviewService
    adapter: CloudAdapter
    reminders: Reminders
    mail_worker: MailWorker


PARTS = web.AppKey("parts", AppParts)


def create_app(
    settings: Settings,
    clock: Callable[[], datetime] = utc_now,
    mail_sender: MailSender | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> web.Application:
    """`mail_sender` replaces the one the settings choose (tests point a real one at a fake Graph);
    `clock` and `sleep` let tests run months of reminders, and their backoffs, in a second."""
    store = Store(settings.data_dir / "scr-assistant.json")
    bot_storage = StoreBotStorage(store)
    conversation_state = ConversationState(bot_storage)
    user_state = UserState(bot_storage)
    mail_settings = MailSettings.from_env(settings.env, settings.data_dir)
    sender = mail_sender or build_mail_sender(mail_settings)
    queue = MailQueue(store, clock)

    def on_sent(item: OutboxItem) -> None:
        service.email_sent(item)

    async def on_failed(item: OutboxItem) -> None:
        await reminders.email_failures(item)

    worker = MailWorker(queue, sender, on_sent=on_sent, on_failed=on_failed, clock=clock)
    service = ReviewService(store, queue, settings.address_book(), settings.review_settings(), clock,
                            after_queueing=worker.wake, documents=build_document_store(mail_settings))
    adapter = create_adapter(settings, conversation_state)
    reminders = create_reminders(settings, store, service, adapter, clock, sleep=sleep, wake_mail=worker.wake)
    bot = ScrBot(conversation_state, user_state, RootDialog(service, reminders.commands), reminders.directory,
                 Admission(settings.is_local, settings.allowed_tenant_ids))
    # Rows an older release wrote are brought up to date before the first turn can query them.
    service.reviews.upgrade_stored()
    reminders.directory.namespace_saved_ids()
    readiness = {"store": store_check(store), "mail_worker": task_check(lambda: worker.running),
                 "reminder_scheduler": task_check(lambda: reminders.scheduler.running)}
    app = create_web_app(adapter, bot, secured=not settings.is_local, readiness=readiness)
    reminders.attach(app)
    app[PARTS] = AppParts(store, service, adapter, reminders, worker)

    async def start_workers(_: web.Application) -> None:
        service.remove_ended_reviews()
        service.sweep_documents()
        await worker.start()

    async def stop_workers(_: web.Application) -> None:
        await worker.stop(drain=True)  # a SIGTERM lets the email being sent finish
        await sender.close()

    app.on_startup.append(start_workers)
    app.on_cleanup.append(stop_workers)
    return app


def main() -> None:
    try:
        settings = load_settings()
        configure_logging(settings.env)
    except SettingsError as error:
        sys.exit(f"Configuration error: {error}")
    if settings.is_local:
        log.info("No MicrosoftAppId set: running for local use only (Agents Playground, no auth).")
    elif not settings.allowed_tenant_ids:
        log.warning("ALLOWED_TENANT_IDS is not set: users of any Microsoft 365 organisation that can reach "
                    "this bot are served. Set it to your tenant id in production.")
    try:
        # Bound first, so a copy that cannot listen starts no background work at all.
        sockets = listening_sockets(settings.host, settings.port)
    except OSError as error:  # the port is taken, or HOST is not an address of this machine
        sys.exit(f"Configuration error: cannot listen on HOST={settings.host} PORT={settings.port} "
                 f"({error.strerror or error})")
    try:
        app = create_app(settings)
    except SettingsError as error:
        sys.exit(f"Configuration error: {error}")
    except OSError as error:  # DATA_DIR cannot be created or written
        sys.exit(f"Configuration error: DATA_DIR: {error.strerror or error} ({error.filename})")
    if configure_telemetry(settings.env):
        observe_outbox_age(app[PARTS].mail_worker.queue.oldest_unsent_since, utc_now)
    log.info("Data directory: %s", settings.data_dir.resolve())
    if settings.uses_example_address_book:
        log.info("No ADDRESS_BOOK_FILE set: using the example address book (example.gov.uk mailboxes).")
    web.run_app(app, sock=sockets, print=None)


if __name__ == "__main__":
    main()
