"""Answering "what do I do next?" for a review, most urgent first, each step with its paragraphs."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from .date_words import short_day
from .frameworks import SCR_2016
from .model import Review
from .obligations import DueKind, DueStatus, ObligationStatus, outstanding, waiting_on_the_bot
from .paragraphs import Citation, cite
from .settings import ReviewSettings
from .stages import Stage, stages_of


class NextStep(NamedTuple):
    text: str
    paragraphs: Citation


class Owed(NamedTuple):
    """A review's open obligations, most urgent first: the person's to-do, and those whose email the
    bot is sending (shown as such, so nobody sends a second email by hand)."""

    to_do: list[ObligationStatus]
    being_sent: list[ObligationStatus]


BEING_SENT = "Being sent by the bot"
# A framework pack's timescale its sources do not fix: no date is invented (frameworks.md).
TIMESCALE_NOT_SET = ("No date: the timescale is not set by its sources or your organisation. If a date was asked "
                     "for on this review, set it with Set a due date")


def owed_on(review: Review, today: date, due_soon_working_days: int, failed_emails: Collection[str]) -> Owed:
    """`failed_emails`: outbox keys whose sending failed (their obligations are the person's to retry)."""
    bots = waiting_on_the_bot(review, failed_emails)
    statuses = outstanding(review, today, due_soon_working_days)
    return Owed([s for s in statuses if s.instance_id not in bots], [s for s in statuses if s.instance_id in bots])


# What to record when the next milestone happens, per stage (flow chart 4.1).
_STAGE_STEPS: dict[Stage, NextStep] = {
    Stage.REFERRAL: NextStep(
        "When the board decides whether to hold a review, record its decision.", cite("3.3.3", "4.1")
    ),
    Stage.DECISION: NextStep(
        "Use the panel meetings to shape the terms of reference; record when they are agreed.",
        cite("7.2", "3.3.4"),
    ),
    Stage.TERMS_OF_REFERENCE: NextStep(
        "PSU writes the IMR: consult every business area it refers to before it is submitted, then "
        "record the IMR as completed. If the panel asks no IMR of the Home Office, record that instead.",
        cite("5.1", "1.5", "9.1", "3.3.4"),
    ),
    Stage.IMRS: NextStep("Record when the overview report has been produced.", cite("4.1")),
    Stage.OVERVIEW_REPORT: NextStep(
        "Record when the panel agrees the action plan and executive summary, naming the business areas "
        "it refers to.",
        cite("4.1", "7.3.7"),
    ),
    Stage.ACTION_PLAN: NextStep("Record when the board approves the final report.", cite("4.1")),
    Stage.APPROVED: NextStep("Record when the board publishes the report.", cite("4.1", "8.1")),
    Stage.PUBLISHED: NextStep(
        "Before any action is recorded as complete, confirm it with the business areas referred to, "
        "record that on CID, then record the actions as confirmed complete.",
        cite("7.3.7", "9.1"),
    ),
    Stage.IMPLEMENTATION: NextStep("Record when the board formally closes the review.", cite("4.1")),
}


def _when(status: ObligationStatus, settings: ReviewSettings) -> str:
    day = short_day(status.due) if status.due else ""
    rule = status.obligation.due
    return {
        DueStatus.OVERDUE: f"Overdue{' since ' + day if day else ''}",
        DueStatus.DUE_TODAY: "Due today",
        DueStatus.DUE_SOON: f"Due by {day}",
        DueStatus.UPCOMING: f"Due by {day}",
        DueStatus.OPEN: TIMESCALE_NOT_SET if rule.is_unset(settings)
        else "Ongoing" if rule.kind is DueKind.ONGOING else f"Due {rule.describe(settings)}",
    }[status.status]


def next_steps(
    review: Review, today: date, settings: ReviewSettings | None = None, failed_emails: Collection[str] = ()
) -> list[NextStep]:
    """Outstanding obligations (most urgent first), then the next milestone to record, then what
    the bot is sending itself. `failed_emails` as for `owed_on`."""
    settings = settings or ReviewSettings()
    owed = owed_on(review, today, settings.due_soon_working_days, failed_emails)
    steps = [NextStep(f"{_when(status, settings)}: {status.obligation.title}.", status.paragraphs)
             for status in owed.to_do]
    if review.stage in _STAGE_STEPS:
        steps.append(_STAGE_STEPS[review.stage])
    if review.framework != SCR_2016 and not review.stage.is_terminal:
        pack = review.pack
        steps += [NextStep(f"When it happens, record: {event.label}.", pack.citation(event.sources))
                  for event in pack.events if review.stage.value in event.from_stages]
    if review.stage == stages_of(review.framework)[0]:
        steps.append(
            NextStep(
                "New to reviews? Talk to the Office of the Children's Champion (OCC) or a colleague with "
                "recent experience; the OCC holds contacts and copies of completed reviews.",
                cite("7.4.1"),
            )
        )
    steps += [NextStep(f"{BEING_SENT}, nothing for you to do unless it fails: {status.obligation.title}.",
                       status.paragraphs) for status in owed.being_sent]
    return steps


def recipients_of(review: Review) -> tuple[str, ...]:
    """Who is told what a review needs (reminders, an email that failed): the representative if
    recorded (and still a member), else every member."""
    representative = review.representative
    if representative is not None and representative.member.user_id in review.members:
        return (representative.member.user_id,)
    return tuple(dict.fromkeys(review.members))
