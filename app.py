"""Entry point: wires settings, storage, the bot and the web server together. No logic here."""

import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web
from botbuilder.core import ConversationState, UserState

from bot.config import Settings, SettingsError, load_settings
from bot.mail.queue import MailQueue
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


def create_app(settings: Settings, clock: Callable[[], datetime] = utc_now) -> web.Application:
    store = Store(settings.data_dir / "scr-assistant.json")
    bot_storage = StoreBotStorage(store)
    conversation_state = ConversationState(bot_storage)
    user_state = UserState(bot_storage)
    service = ReviewService(store, MailQueue(store, clock), settings.address_book(),
                            settings.review_settings(), clock)
    adapter = create_adapter(settings, conversation_state)
    bot = ScrBot(conversation_state, user_state, RootDialog(service))
    return create_web_app(adapter, bot, secured=not settings.is_local)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except SettingsError as error:
        sys.exit(f"Configuration error: {error}")
    if settings.is_local:
        log.info("No MicrosoftAppId set: running for local use only (Agents Playground, no auth).")
    log.info("Data directory: %s", settings.data_dir.resolve())
    if settings.uses_example_address_book:
        log.info("No ADDRESS_BOOK_FILE set: using the example address book (example.gov.uk mailboxes).")
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None)


if __name__ == "__main__":
    main()
