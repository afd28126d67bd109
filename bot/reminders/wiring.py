"""Building the reminder pieces for the app, so app.py needs three lines (see README, "Reminders")."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from botbuilder.core import BotAdapter

from bot.config import Settings
from bot.mail.failure_notice import EmailFailureNotifier
from bot.review_service import ReviewService
from bot.storage import Store
from bot.teams.conversations import ConversationDirectory
from bot.teams.proactive import Backoff, ProactiveSender, Sleep

from .scheduler import ReminderScheduler
from .settings import ReminderSettings


@dataclass(frozen=True)
class Reminders:
    settings: ReminderSettings
    directory: ConversationDirectory
    sender: ProactiveSender
    scheduler: ReminderScheduler
    email_failures: EmailFailureNotifier

    def attach(self, app: web.Application) -> None:
        """Run the scheduler while the web app runs."""
        app.on_startup.append(self.scheduler.start)
        app.on_cleanup.append(self.scheduler.stop)


def create_reminders(
    settings: Settings,
    store: Store,
    service: ReviewService,
    adapter: BotAdapter,
    clock: Callable[[], datetime] | None = None,
    *,
    sleep: Sleep = asyncio.sleep,
    owner: str | None = None,
    wake_mail: Callable[[], None] = lambda: None,
) -> Reminders:
    """`wake_mail` (the mail worker's `wake`) sends escalation and agenda emails without waiting
    for the worker's next poll."""
    reminder_settings = ReminderSettings.from_env(settings.env)
    directory = ConversationDirectory(store)
    sender = ProactiveSender(
        adapter, settings.app_id or None, directory,
        backoff=Backoff(attempts=reminder_settings.send_attempts,
                        max_seconds=reminder_settings.max_retry_after_seconds),
        sleep=sleep,
    )
    scheduler = ReminderScheduler(store, service, sender, reminder_settings, clock=clock, owner=owner,
                                  wake_mail=wake_mail)
    return Reminders(reminder_settings, directory, sender, scheduler, EmailFailureNotifier(service, sender))
