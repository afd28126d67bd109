"""A dialog that shows one Adaptive Card form and waits until it is submitted correctly.

Each card it sends carries a fresh form id in its submit data, so a submit from an older card
(pressed again after the conversation moved on, or replayed) is recognised and changes nothing.
An invalid submit re-shows the same card with what was typed and each problem marked.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogInstance, DialogTurnResult
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
    "That card is no longer active, so nothing was changed. Please use the latest card "
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


class CardForm(Dialog):
    def __init__(self, spec: FormSpec, take_file: FileTaker | None = None) -> None:
        super().__init__(spec.verb)
        self.spec = spec
        self._take_file = take_file

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        state["context"] = dict(options) if isinstance(options, dict) else {}
        state["values"] = {}
        state["errors"] = {}
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
        if value.get("form") != state["form_id"] or value.get("verb") != self.spec.verb:
            await dialog_context.context.send_activity(OLD_CARD.format(title=self.spec.title))
            return Dialog.end_of_turn
        submitted = Submitted(value)
        try:
            result = self.spec.parse(submitted, state["context"])
        except FormErrors as problems:
            state["values"] = {name: submitted.raw(name) for name in self.spec.fields}
            state["errors"] = {name: message for name, message in problems.errors.items()
                               if name in self.spec.fields}
            state["banner"] = error_banner([problems.labels.get(name, "") for name in self.spec.fields
                                            if name in state["errors"]])
            await self._show(dialog_context.context, state)
            return Dialog.end_of_turn
        # The change this press leads to consumes the form id with it (ReviewService).
        pressing(state["form_id"])
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
        state["form_id"] = uuid.uuid4().hex
        values = {name: state["values"].get(name, "") for name in self.spec.fields}
        errors = {name: state["errors"].get(name, "") for name in self.spec.fields}
        data = {
            **self.spec.data(state["context"], values, errors),
            "verb": self.spec.verb,
            "form": state["form_id"],
            "values": values,
            "errors": errors,
            "has_errors": bool(state["errors"]),
            "error_banner": state.get("banner", ""),
        }
        await context.send_activity(card_message(render_card(self.spec.template, data), self.spec.title))


def error_banner(labels: list[str]) -> str:
    """The line above a re-shown form, naming the fields that need correcting (and only those)."""
    named = [label[:1].lower() + label[1:] for label in labels if label]
    if not named:
        return "Some answers need correcting: see the notes below."
    if len(named) == 1:
        return f"Please check {named[0]}: see the note below it."
    return f"Please check {', '.join(named[:-1])} and {named[-1]}: see the notes below them."
