"""The root of every conversation: routes commands and handles interruptions.

`cancel` and `help` work at any point, even half-way through a form, and any other command closes
a form left half-way and runs, because a user who has just been told of a child's death must never
feel trapped in a conversation.
"""

from botbuilder.core import TurnContext
from botbuilder.dialogs import ComponentDialog, DialogContext, DialogTurnResult, DialogTurnStatus
from botbuilder.schema import Activity

from bot.review_service import AlreadyRecorded, ReviewService
from bot.teams.colleagues import Colleagues
from bot.teams.exports import ReviewExports
from bot.teams.files import sent_file
from bot.teams.replies import card_message
from cards import render_card
from dialogs.card_form import open_form_id
from dialogs.commands import (
    AGENDA,
    CANCEL,
    EXPORT_REVIEW,
    HELP,
    MY_REVIEWS,
    NEXT_STEPS,
    OBLIGATION_DONE,
    OPEN_REVIEW,
    OUTSTANDING,
    RECORD_EVENT,
    RETRY_EMAIL,
    SHOW_REVIEW,
    SNOOZE,
    Command,
    find_command,
    help_card_data,
)
from dialogs.open_review import OpenReviewDialog
from dialogs.record_event import RecordEventDialog
from dialogs.reminder_replies import ReminderCommands
from dialogs.review_replies import ReviewCommands

# The user's text is not echoed back: it may hold exactly what must not be repeated (8.1).
NOT_UNDERSTOOD = "Sorry, I didn't understand that. Type **help** to see what I can do."
NOTHING_TO_CANCEL = "There is nothing to cancel. Type **help** to see what I can do."
CANCELLED = "Cancelled. Nothing from that form was saved."
SET_ASIDE = "I've closed the form you had open (nothing from it was saved) to do what you asked."
SHOWN_AGAIN = "You are already part-way through that: here is the card you were on. Type **cancel** to start again."
OLD_CANCEL = ("That card is from a form already submitted or closed, so nothing was cancelled. The form you "
              "have open now is still open with your answers: use its card, or type **cancel** to stop it.")
ALREADY_OPEN = "That form is already open: please use the latest card above, or type **cancel** to start again."
# A file is kept only for the email it is a copy for: with no form asking, it is not kept at all.
FILE_WITHOUT_FORM = (
    "I can take a document only while a form asks for it, so I have not kept that file. Open the review "
    "(for example **show LSCB-2026-014**), press the button for the copy (such as **Record the IMR completed** "
    "or **Add the document to send**), then send the file."
)
STALE_SUBMIT = (
    "This form was already submitted (or closed), so nothing was changed. Type **help** to start again."
)


class RootDialog(ComponentDialog):
    def __init__(self, service: ReviewService, reminders: ReminderCommands, exports: ReviewExports,
                 colleagues: Colleagues) -> None:
        super().__init__(RootDialog.__name__)
        commands = ReviewCommands(service, exports)
        self._service = service
        self.add_dialog(OpenReviewDialog(service))
        self.add_dialog(RecordEventDialog(service, commands, colleagues))
        # Commands that start a form; the card's data (the review and event) are its options.
        self._forms = {OPEN_REVIEW: OpenReviewDialog.__name__, RECORD_EVENT: RecordEventDialog.__name__}
        self._one_turn = {
            MY_REVIEWS: commands.my_reviews,
            SHOW_REVIEW: commands.show,
            NEXT_STEPS: commands.next_steps,
            OBLIGATION_DONE: commands.mark_done,
            RETRY_EMAIL: commands.retry_email,
            EXPORT_REVIEW: commands.export,
            OUTSTANDING: reminders.outstanding,
            AGENDA: reminders.agenda,
            SNOOZE: reminders.snooze,
        }

    async def refresh(self, context: TurnContext) -> None:
        """A card as it is now, for Teams' automatic refresh of an old card being opened: only a
        command that reads (the review card) runs, and no form is opened or closed."""
        if find_command(None, context.activity.value)[0] is SHOW_REVIEW:
            await self._one_turn[SHOW_REVIEW](context, context.activity.value, "")
        else:
            await context.send_activity(STALE_SUBMIT)

    async def on_begin_dialog(self, inner_dc: DialogContext, options: object) -> DialogTurnResult:
        activity = inner_dc.context.activity
        command, typed = find_command(activity.text, activity.value)
        if command in self._forms:
            inner_dc.parent.active_dialog.state[_STARTED_BY] = _start_of(command, activity.value)
            return await inner_dc.begin_dialog(self._forms[command], activity.value)
        if command in self._one_turn:
            await self._one_turn[command](inner_dc.context, activity.value, typed)
        elif command is HELP:
            await send_help(inner_dc)
        elif command is CANCEL:
            await inner_dc.context.send_activity(NOTHING_TO_CANCEL)
        elif activity.value is not None:
            form = activity.value.get("form") if isinstance(activity.value, dict) else None
            pressed_before = isinstance(form, str) and await self._service.was_pressed(form[:64])
            await inner_dc.context.send_activity(str(AlreadyRecorded()) if pressed_before else STALE_SUBMIT)
        elif sent_file(activity):
            await inner_dc.context.send_activity(FILE_WITHOUT_FORM)
        else:
            await inner_dc.context.send_activity(NOT_UNDERSTOOD)
        return DialogTurnResult(DialogTurnStatus.Complete)

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        activity = inner_dc.context.activity
        command, _ = find_command(activity.text, activity.value)
        if command is CANCEL and isinstance(activity.value, dict) and not _of_open_form(inner_dc, activity.value):
            # Cancel on the card of a form already closed: the form open now is someone's work.
            await inner_dc.context.send_activity(OLD_CANCEL)
            return DialogTurnResult(DialogTurnStatus.Waiting)
        if command is CANCEL:
            await inner_dc.cancel_all_dialogs()
            await inner_dc.context.send_activity(CANCELLED)
            return DialogTurnResult(DialogTurnStatus.Cancelled)
        if command is HELP:
            await send_help(inner_dc)
            await inner_dc.reprompt_dialog()
            return DialogTurnResult(DialogTurnStatus.Waiting)
        if command is None or _meant_for_the_form(activity.text, activity.value):
            # The form's own submits, and anything else typed: the form points back to its card.
            return await super().on_continue_dialog(inner_dc)
        if _start_of(command, activity.value) == inner_dc.parent.active_dialog.state.get(_STARTED_BY):
            if isinstance(activity.value, dict):
                # The button that opened this form, pressed again (a double press, or an older card).
                await inner_dc.context.send_activity(ALREADY_OPEN)
            else:
                # Typed: the card may have scrolled out of sight, so show where they were.
                await inner_dc.context.send_activity(SHOWN_AGAIN)
                await inner_dc.reprompt_dialog()
            return DialogTurnResult(DialogTurnStatus.Waiting)
        # Any other command, typed or a button on another card (a reminder, the review card): a
        # form left half-way must not stand in the way, even days later.
        await inner_dc.cancel_all_dialogs()
        await inner_dc.context.send_activity(SET_ASIDE)
        return await self.on_begin_dialog(inner_dc, None)


# Typed alone in the middle of a form, these words more likely mean the card's own button
# ("Next: …", "Record …") than the command of that name: they go to the form, which points back
# to its card, so they never throw answers away.
_FORM_WORDS = frozenset({"next", "record", "update"})


def _meant_for_the_form(text: str | None, value: object) -> bool:
    return value is None and " ".join((text or "").lower().split()).rstrip("?!. ") in _FORM_WORDS


_STARTED_BY = "started_by"


def _of_open_form(dc: DialogContext, value: dict[str, object]) -> bool:
    """Whether a press came from the card of the form open now (every form button carries its id)."""
    form = value.get("form")
    return isinstance(form, str) and form == open_form_id(dc)


def _start_of(command: Command, value: object) -> list[object]:
    """What a button asks to start: the same verb, event and review mean the same form."""
    fields = value if isinstance(value, dict) else {}
    return [command.verb, fields.get("event"), fields.get("review_id")]


def help_message(summary: str = "SCR Assistant help") -> Activity:
    return card_message(render_card("help", help_card_data()), summary)


def welcome_message() -> Activity:
    """The first message to someone who has just installed the bot (ScrBot sends it)."""
    return help_message("Welcome to SCR Assistant")


async def send_help(dc: DialogContext) -> None:
    await dc.context.send_activity(help_message())

