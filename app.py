"""Entry point: wires settings, storage, the bot and the web server together. No logic here."""

import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web
from botbuilder.core import ConversationState, UserState

from bot.config import Settings, SettingsError, load_settings
from bot.mail import MailQueue, MailSender, MailSettings, MailWorker, build_mail_sender
from bot.review_service import ReviewService
from bot.storage import Store
from bot.storage.bot_state import StoreBotStorage
from bot.teams.adapter import create_adapter
from bot.teams.bot import ScrBot
from bot.web import create_web_app
from dialogs.root_dialog import RootDialog

log = logging.getLogger("scr_assistant")


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings, clock: Callable[[], datetime] = utc_now, mail_sender: MailSender | None = None
) -> web.Application:
    """`mail_sender` replaces the one the settings choose (tests point a real one at a fake Graph)."""
    store = Store(settings.data_dir / "scr-assistant.json")
    bot_storage = StoreBotStorage(store)
    conversation_state = ConversationState(bot_storage)
    user_state = UserState(bot_storage)
    sender = mail_sender or build_mail_sender(MailSettings.from_env(settings.env, settings.data_dir))
    queue = MailQueue(store, clock)
    worker = MailWorker(queue, sender, on_sent=lambda item: service.email_sent(item.key), clock=clock)
    service = ReviewService(store, queue, settings.address_book(), settings.review_settings(), clock,
                            after_queueing=worker.wake)
    adapter = create_adapter(settings, conversation_state)
    bot = ScrBot(conversation_state, user_state, RootDialog(service))
    app = create_web_app(adapter, bot, secured=not settings.is_local)

    async def start_workers(_: web.Application) -> None:
        await worker.start()

    async def stop_workers(_: web.Application) -> None:
        await worker.stop()
        await sender.close()

    app.on_startup.append(start_workers)
    app.on_cleanup.append(stop_workers)
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Request URLs name the sender mailbox; keep them out of the INFO log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings()
        app = create_app(settings)
    except SettingsError as error:
        sys.exit(f"Configuration error: {error}")
    if settings.is_local:
        log.info("No MicrosoftAppId set: running for local use only (Agents Playground, no auth).")
    log.info("Data directory: %s", settings.data_dir.resolve())
    if settings.uses_example_address_book:
        log.info("No ADDRESS_BOOK_FILE set: using the example address book (example.gov.uk mailboxes).")
    web.run_app(app, host=settings.host, port=settings.port, print=None)


if __name__ == "__main__":
    main()
