"""Entry point, and the one composition root: builds every part of the app and hands each what it
needs. No logic here."""

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web
from botbuilder.core import BotAdapter, ConversationState, UserState
from botbuilder.integration.aiohttp import CloudAdapter

from bot.config import Settings, SettingsError, load_settings
from bot.directory import PeopleDirectory, build_people_directory
from bot.listening import listening_sockets
from bot.mail import MailQueue, MailSender, MailSettings, MailWorker, RetryPolicy, build_mail_sender
from bot.mail.factory import build_document_store
from bot.mail.failure_notice import EmailFailureNotifier
from bot.operations.json_logs import configure_logging
from bot.operations.metrics import observe_outbox_age
from bot.operations.readiness import store_check, task_check
from bot.operations.telemetry import configure_telemetry
from bot.reminders.emails import ReminderMail
from bot.reminders.scheduler import ReminderScheduler
from bot.reminders.settings import ReminderSettings
from bot.review.frameworks import catalogue
from bot.review.pack_schema import PackError
from bot.review_service import ReviewService
from bot.storage import Store
from bot.storage.bot_state import StoreBotStorage
from bot.storage.factory import InstanceRunning, open_stores
from bot.storage.postgres_store import DatabaseUnavailable
from bot.storage.presses import prune as prune_presses
from bot.teams.adapter import create_adapter
from bot.teams.admission import Admission
from bot.teams.bot import ScrBot
from bot.teams.colleagues import Colleagues
from bot.teams.conversations import ConversationDirectory
from bot.teams.exports import ReviewExports
from bot.teams.proactive import Backoff, ProactiveSender, Sleep
from bot.web import create_web_app
from dialogs.reminder_replies import ReminderCommands
from dialogs.root_dialog import RootDialog, welcome_message

log = logging.getLogger("scr_assistant")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AppParts:
    """What create_app built, for tests and tools that drive the app's own pieces."""

    store: Store
    service: ReviewService
    adapter: CloudAdapter
    directory: ConversationDirectory
    scheduler: ReminderScheduler
    mail_worker: MailWorker
    reminder_commands: ReminderCommands
    root_dialog: RootDialog


PARTS = web.AppKey("parts", AppParts)


def create_app(
    settings: Settings,
    clock: Callable[[], datetime] = utc_now,
    mail_sender: MailSender | None = None,
    people: PeopleDirectory | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> web.Application:
    """`mail_sender` and `people` (the directory colleagues are checked in) replace those the
    settings choose (tests point real ones at a fake Graph); `clock` and `sleep` let tests run
    months of reminders, and their backoffs, in a second."""
    catalogue()  # the framework packs, checked now: a broken one stops the app before it serves
    stores = open_stores(settings.data_dir, settings.env)
    store = stores.main
    bot_storage = StoreBotStorage(stores.state, clock)
    conversation_state = ConversationState(bot_storage)
    user_state = UserState(bot_storage)
    reminder_settings = ReminderSettings.from_env(settings.env)
    address_book, review_settings = settings.address_book(), settings.review_settings()
    mail_settings = MailSettings.from_env(settings.env, settings.data_dir)
    sender = mail_sender or build_mail_sender(mail_settings)
    directory_of_people = people or build_people_directory(mail_settings.graph)
    queue = MailQueue(store, clock)
    # Set after a transaction that queued emails commits: the worker then sends them at once.
    mail_waiting = asyncio.Event()
    service = ReviewService(store, queue, address_book, review_settings, clock,
                            after_queueing=mail_waiting.set, documents=build_document_store(mail_settings))
    adapter = create_adapter(settings, conversation_state)
    directory = ConversationDirectory(store)
    proactive = proactive_sender(settings, reminder_settings, adapter, directory, sleep)
    worker = MailWorker(queue, sender, on_sent=service.email_sent,
                        on_failed=EmailFailureNotifier(service, proactive), clock=clock, wake=mail_waiting,
                        policy=RetryPolicy.with_lease(mail_settings.lease_seconds))
    reminder_mail = ReminderMail(queue, address_book, review_settings, mail_waiting.set)
    scheduler = ReminderScheduler(store, service, proactive, reminder_settings, reminder_mail, clock=clock)
    reminder_commands = ReminderCommands(service, scheduler.snoozes, reminder_settings, reminder_mail)
    # With no Teams to upload to (local mode), exported histories are written to the data directory.
    exports = ReviewExports(service, settings.data_dir / "exports" if settings.is_local else None,
                            settings.file_upload_hosts)
    root_dialog = RootDialog(service, reminder_commands, exports, Colleagues(directory_of_people))
    bot = ScrBot(conversation_state, user_state, root_dialog, directory,
                 Admission(settings.is_local, settings.allowed_tenant_ids), welcome_message, exports,
                 root_dialog.refresh)
    directory.namespace_saved_ids()
    readiness = {"store": store_check(store), "mail_worker": task_check(lambda: worker.running),
                 "reminder_scheduler": task_check(lambda: scheduler.running)}
    app = create_web_app(adapter, bot, secured=not settings.is_local, readiness=readiness)
    app[PARTS] = AppParts(store, service, adapter, directory, scheduler, worker, reminder_commands, root_dialog)

    async def start_workers(_: web.Application) -> None:
        # Rows an older release wrote are brought up to date before the first turn can query them.
        await service.upgrade_stored()
        for upgrade in (queue.reindex, scheduler.ledger.upgrade_stored, scheduler.snoozes.upgrade_stored):
            await asyncio.to_thread(upgrade)
        await service.remove_ended_reviews()
        await service.sweep_documents()
        # Forgotten: the state of people silent for 90 days, and card presses as long past.
        await asyncio.to_thread(bot_storage.prune)
        await asyncio.to_thread(prune_presses, store)
        await worker.start()
        await scheduler.start()

    async def stop_workers(_: web.Application) -> None:
        await scheduler.stop()
        await worker.stop(drain=True)  # a SIGTERM lets the email being sent finish
        await sender.close()
        if directory_of_people:
            await directory_of_people.close()
        stores.close()

    app.on_startup.append(start_workers)
    app.on_cleanup.append(stop_workers)
    return app


def proactive_sender(settings: Settings, reminder_settings: ReminderSettings, adapter: BotAdapter,
                     directory: ConversationDirectory, sleep: Sleep) -> ProactiveSender:
    """Posts reminders and the "Email not sent" card to the conversation saved for each person,
    backing off when Teams throttles."""
    backoff = Backoff(attempts=reminder_settings.send_attempts, max_seconds=reminder_settings.max_retry_after_seconds)
    return ProactiveSender(adapter, settings.app_id or None, directory, backoff=backoff, sleep=sleep)


def export_telemetry(app: web.Application, env: Mapping[str, str], clock: Callable[[], datetime] = utc_now) -> None:
    """Traces and metrics to Application Insights, when the environment names it (see
    bot/operations/telemetry.py), the outbox age among them."""
    if configure_telemetry(env):
        observe_outbox_age(app[PARTS].mail_worker.queue.oldest_unsent_since, clock)


def main() -> None:
    try:
        settings = load_settings()
        configure_logging(settings.env)
    except SettingsError as error:
        sys.exit(f"Configuration error: {error}")
    try:
        catalogue()  # before anything is bound or opened: a broken framework pack starts nothing
    except PackError as error:
        sys.exit(f"Framework pack error: {error}")
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
    except (SettingsError, InstanceRunning, DatabaseUnavailable) as error:
        sys.exit(f"Configuration error: {error}")
    except OSError as error:  # DATA_DIR cannot be created or written
        sys.exit(f"Configuration error: DATA_DIR: {error.strerror or error} ({error.filename})")
    export_telemetry(app, settings.env)
    log.info("Data directory: %s", settings.data_dir.resolve())
    if settings.uses_example_address_book:
        log.info("No ADDRESS_BOOK_FILE set: using the example address book (example.gov.uk mailboxes).")
    web.run_app(app, sock=sockets, print=None)


if __name__ == "__main__":
    main()
