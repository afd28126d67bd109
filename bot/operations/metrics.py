"""The bot's own metrics. Instruments come from OpenTelemetry's global meter: until telemetry is
configured (bot/operations/telemetry.py) they record nothing, so code can count unconditionally.
Names follow OpenTelemetry's dotted style; Application Insights shows them as custom metrics."""

from collections.abc import Callable, Iterable
from datetime import datetime

from opentelemetry import metrics, trace

_meter = metrics.get_meter("scr_assistant")
tracer = trace.get_tracer("scr_assistant")

turns = _meter.create_counter("scr.turns", unit="{activity}", description="Activities the bot handled")
emails_queued = _meter.create_counter("scr.emails.queued", unit="{email}", description="Emails put in the outbox")
emails_sent = _meter.create_counter("scr.emails.sent", unit="{email}", description="Emails delivered")
emails_failed = _meter.create_counter("scr.emails.failed", unit="{email}",
                                      description="Emails given up on, each with a reason shown in Teams")
reminders_sent = _meter.create_counter("scr.reminders.sent", unit="{reminder}",
                                       description="Reminder and digest cards posted in Teams")


def observe_outbox_age(oldest_waiting: Callable[[], datetime | None], clock: Callable[[], datetime]) -> None:
    """`scr.outbox.age`: seconds the oldest unsent email has waited (0 when none waits). A rising
    value means mail is stuck: Graph refusing, or no worker running."""

    def observe(_options: metrics.CallbackOptions) -> Iterable[metrics.Observation]:
        since = oldest_waiting()
        yield metrics.Observation(0.0 if since is None else max(0.0, (clock() - since).total_seconds()))

    _meter.create_observable_gauge("scr.outbox.age", callbacks=[observe], unit="s",
                                   description="How long the oldest unsent email has waited")
