"""A dialog that shows one Adaptive Card form and waits until it is submitted correctly.

Each form carries its own id in every button's data (its submit, Back, Cancel), so a press on a
card of an earlier form (pressed again after the conversation moved on, or replayed) is recognised
and changes nothing. The same form shown again (with its problems marked, after help, or with a
file received) keeps its id: the card shown before it still works, and is never told it was
submitted when it was not.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import ComponentDialog, Dialog, DialogContext, DialogInstance, DialogTurnResult
from botbuilder.schema import Activity, ActivityTypes

from bot.review_service import pressing
from bot.teams.files import sent_file
from bot.teams.replies import card_message
from cards import render_card
from dialogs.submitted import FormErrors, Submitted

Context = dict[str, Any]

USE_THE_CARD = (
    "Please answer using the card above (**{title}**), or type **cancel** to stop. "
    "Type **help** for help."
)
OLD_CARD = (
    "This form was already submitted (or closed), so nothing was changed. Please use the latest card "
    "(**{title}**), or type **cancel** to stop."
)


@dataclass(frozen=True)
class FormSpec:
    """What a form shows and how its answers are read.

    `fields` names every input, so templates can refer to `${values.x}` and `${errors.x}`
    for each of them; `data` adds what else the template shows, given the context the form
    was started with and the values and errors of this showing. `parse` reads a submit
    (raising FormErrors through `Submitted.check`) and returns plain JSON-safe data, because
    dialog results are kept in conversation state.
    """

    verb: str
    template: str
    title: str
    fields: tuple[str, ...]
    parse: Callable[[Submitted, Context], dict[str, Any]]
    data: Callable[[Context, dict[str, str], dict[str, str]], dict[str, Any]] = field(
        default=lambda context, values, errors: {}
    )


# Takes a file sent in the chat while the form is open: what it returns (JSON-safe) is kept in the
# form's context as "document", or a message in words for the person, shown on DOCUMENT_FIELD.
FileTaker = Callable[[TurnContext], Awaitable[dict[str, Any] | str]]
DOCUMENT_FIELD = "document_link"
# A check of a valid submit that needs I/O, which `FormSpec.parse` cannot do (is this person real?):
# it raises FormErrors to show the form again with the problem marked, as parse does.
FormCheck = Callable[[TurnContext, dict[str, Any]], Awaitable[None]]


# A form started with these options shows a Back button, and starts filled in with those answers.
CAN_GO_BACK = "can_go_back"
PREFILLED = "prefilled"
# The verb of Back (and of the change links on a summary): the form ends with {BACK: step}.
BACK = "back"
FORM_ID = "form_id"


def open_form_id(dialog_context: DialogContext) -> str | None:
    """The id of the form open now, however deep it is in the dialogs (a component dialog keeps
    its own stack in its state), or None."""
    active = dialog_context.active_dialog
    while active is not None and FORM_ID not in active.state:
        inner = getattr(active.state.get(ComponentDialog.persisted_dialog_state), "dialog_stack", None)
        active = inner[0] if inner else None
    return active.state[FORM_ID] if active is not None else None


class CardForm(Dialog):
    def __init__(self, spec: FormSpec, take_file: FileTaker | None = None, check: FormCheck | None = None) -> None:
        super().__init__(spec.verb)
        self.spec = spec
        self._take_file = take_file
        self._check = check

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        state["context"] = dict(options) if isinstance(options, dict) else {}
        state["values"] = dict(state["context"].pop(PREFILLED, None) or {})
        state["errors"] = {}
        state[FORM_ID] = uuid.uuid4().hex
        await self._show(dialog_context.context, state)
        return Dialog.end_of_turn

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        value = dialog_context.context.activity.value
        if not isinstance(value, dict):
            if self._take_file and sent_file(dialog_context.context.activity):
                await self._file_received(dialog_context.context, state, self._take_file)
                return Dialog.end_of_turn
            await dialog_context.context.send_activity(USE_THE_CARD.format(title=self.spec.title))
            return Dialog.end_of_turn
        if value.get("form") == state[FORM_ID] and value.get("verb") == BACK:
            # Back carries what was typed on this card, unchecked (a form with Back leaves its inputs
            # unrequired, so Teams sends them as they are), for the step to be shown as it was left.
            typed = Submitted(value)
            dialog_context.context.turn_state[_SUBMITTED_VALUES] = {
                name: typed.raw(name) for name in self.spec.fields if name in value}
            step = value.get("step")
            return await dialog_context.end_dialog({BACK: step if isinstance(step, str) else ""})
        if value.get("form") != state[FORM_ID] or value.get("verb") != self.spec.verb:
            await dialog_context.context.send_activity(OLD_CARD.format(title=self.spec.title))
            return Dialog.end_of_turn
        submitted = Submitted(value)
        try:
            result = self.spec.parse(submitted, state["context"])
            if self._check:
                await self._check(dialog_context.context, result)
        except FormErrors as problems:
            state["values"] = {name: submitted.raw(name) for name in self.spec.fields}
            state["errors"] = {name: message for name, message in problems.errors.items()
                               if name in self.spec.fields}
            state["banner"] = error_banner([problems.labels.get(name, "") for name in self.spec.fields
                                            if name in state["errors"]])
            await self._show(dialog_context.context, state)
            return Dialog.end_of_turn
        # The change this press leads to consumes the form id with it (ReviewService).
        pressing(state[FORM_ID])
        state["values"], state["errors"], state["banner"] = (
            {name: submitted.raw(name) for name in self.spec.fields}, {}, "")
        dialog_context.context.turn_state[_SUBMITTED] = self._card(state)
        dialog_context.context.turn_state[_SUBMITTED_VALUES] = state["values"]
        return await dialog_context.end_dialog(result)

    async def _file_received(self, context: TurnContext, state: dict[str, Any], take_file: FileTaker) -> None:
        """The form again, showing the file's name and size (or why it was refused), so the person
        sees what will go before pressing the button; their answers so far are kept on the card."""
        await context.send_activities([Activity(type=ActivityTypes.typing)])
        taken = await take_file(context)
        if isinstance(taken, dict):
            state["context"]["document"] = taken
            state["errors"], state["banner"] = {}, ""
        else:
            state["errors"], state["banner"] = {DOCUMENT_FIELD: taken}, error_banner(["the document"])
        await self._show(context, state)

    async def reprompt_dialog(self, context: TurnContext, instance: DialogInstance) -> None:
        await self._show(context, instance.state)

    async def _show(self, context: TurnContext, state: dict[str, Any]) -> None:
        await context.send_activity(card_message(self._card(state), self.spec.title))

    def _card(self, state: dict[str, Any]) -> dict[str, Any]:
        values = {name: state["values"].get(name, "") for name in self.spec.fields}
        errors = {name: state["errors"].get(name, "") for name in self.spec.fields}
        data = {
            **self.spec.data(state["context"], values, errors),
            "verb": self.spec.verb,
            "form": state[FORM_ID],
            "values": values,
            "errors": errors,
            "has_errors": bool(state["errors"]),
            "error_banner": state.get("banner", ""),
            CAN_GO_BACK: bool(state["context"].get(CAN_GO_BACK)),
        }
        return render_card(self.spec.template, data)


_SUBMITTED = "scr.submitted_form"
_SUBMITTED_VALUES = "scr.submitted_values"


def submitted_values(context: TurnContext) -> dict[str, str]:
    """The answers of the form this turn's press submitted (or left with Back), as typed (to fill
    it in again)."""
    values = context.turn_state.get(_SUBMITTED_VALUES)
    return dict(values) if isinstance(values, dict) else {}


def submitted_form(context: TurnContext) -> dict[str, Any] | None:
    """The form this turn's press submitted, as it was filled in (for its read-only summary)."""
    card = context.turn_state.get(_SUBMITTED)
    return card if isinstance(card, dict) else None


def error_banner(labels: list[str]) -> str:
    """The line above a re-shown form, naming the fields that need correcting (and only those)."""
    named = [label[:1].lower() + label[1:] for label in labels if label]
    if not named:
        return "Some answers need correcting: see the notes below."
    if len(named) == 1:
        return f"Please check {named[0]}: see the note below it."
    return f"Please check {', '.join(named[:-1])} and {named[-1]}: see the notes below them."
