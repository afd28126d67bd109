"""When a turn fails, the user gets plain words and an incident reference, never a stack trace."""

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from botbuilder.core import ConversationState, MemoryStorage, MessageFactory, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    DialogSet,
    DialogTurnResult,
    DialogTurnStatus,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions, TextPrompt
from botbuilder.integration.aiohttp import CloudAdapter

from bot.config import Settings
from bot.storage import Store
from bot.storage.bot_state import StoreBotStorage
from bot.teams.adapter import create_adapter


async def test_on_turn_error_apologises_without_details_and_logs_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = ConversationState(MemoryStorage())
    adapter = create_adapter(Settings.from_env({"DATA_DIR": str(tmp_path)}), state)
    sent: list[str] = []

    async def failing_turn(context: TurnContext) -> None:
        context.on_send_activities(lambda ctx, activities, nxt: _capture(sent, activities, nxt))
        try:
            raise ValueError("secret internal detail at line 42")
        except ValueError as error:
            await adapter.on_turn_error(context, error)

    with caplog.at_level(logging.ERROR):
        await TestAdapter(failing_turn).send("open review")
        await TestAdapter(failing_turn).send("open review")

    assert len(sent) == 2
    assert "went wrong" in sent[0]
    assert "secret internal detail" not in sent[0]
    assert "Traceback" not in sent[0]
    # The reply names an incident reference, and the log line with the detail carries the same one.
    references = [_reference(reply) for reply in sent]
    failures = [record for record in caplog.records if record.getMessage().startswith("Turn failed")]
    assert [record.getMessage() for record in failures] == [
        f"Turn failed (incident {reference}, activity type message)" for reference in references
    ]
    # The detail goes to the log instead.
    assert all(record.exc_info and "secret internal detail" in str(record.exc_info[1]) for record in failures)
    assert references[0] != references[1], "each incident has its own reference"


def _reference(reply: str) -> str:
    found = re.search(r"quote this reference to the service desk: ([0-9a-f]{8})\.$", reply)
    assert found, f"no incident reference in {reply!r}"
    return found.group(1)


async def _capture(sent: list[str], activities: list, next_send):  # type: ignore[no-untyped-def]
    sent.extend(activity.text for activity in activities)
    return await next_send()


class _TwoQuestionForm:
    """A real botbuilder waterfall that fails when told "boom", as a turn failing on bad input would."""

    def __init__(self, state: ConversationState) -> None:
        self.state = state
        self.dialogs = DialogSet(state.create_property("DialogState"))
        self.dialogs.add(TextPrompt("text"))
        self.dialogs.add(WaterfallDialog("form", [self._ask_reference, self._ask_board, self._finish]))

    async def turn(self, context: TurnContext, adapter: CloudAdapter) -> None:
        try:
            dialog_context = await self.dialogs.create_context(context)
            if (await dialog_context.continue_dialog()).status == DialogTurnStatus.Empty:
                await dialog_context.begin_dialog("form")
            await self.state.save_changes(context)
        except ValueError as error:
            await adapter.on_turn_error(context, error)

    @staticmethod
    async def _ask_reference(step: WaterfallStepContext) -> DialogTurnResult:
        return await step.prompt("text", PromptOptions(prompt=MessageFactory.text("reference?")))

    @staticmethod
    async def _ask_board(step: WaterfallStepContext) -> DialogTurnResult:
        step.values["reference"] = step.result
        return await step.prompt("text", PromptOptions(prompt=MessageFactory.text("board?")))

    @staticmethod
    async def _finish(step: WaterfallStepContext) -> DialogTurnResult:
        if step.result == "boom":
            raise ValueError("the bad input broke this step")
        await step.context.send_activity(f"done {step.values['reference']} {step.result}")
        return await step.end_dialog()


async def test_a_failed_turn_keeps_the_half_filled_form_then_closes_it_if_it_fails_there_again(
    tmp_path: Path, open_store: Callable[[], Store]
) -> None:
    # The app's own state storage, on each adapter: MemoryStorage hands out its stored objects, so
    # a failed turn's changes would reach it unsaved.
    state = ConversationState(StoreBotStorage(open_store()))
    cloud_adapter = create_adapter(Settings.from_env({"DATA_DIR": str(tmp_path)}), state)
    form = _TwoQuestionForm(state)
    chat = TestAdapter(lambda context: form.turn(context, cloud_adapter))

    def apology(says: str):  # type: ignore[no-untyped-def]
        def check(activity, description) -> None:  # type: ignore[no-untyped-def]
            assert activity.text.startswith("Sorry, something went wrong"), activity.text
            assert says in activity.text, activity.text
            _reference(activity.text)
        return check

    await chat.test("hello", "reference?")
    await chat.test("REF-1", "board?")
    await chat.test("boom", apology("still open with your answers"))
    # The answer given before the failure is still there.
    await chat.test("Exampleshire", "done REF-1 Exampleshire")

    await chat.test("hello", "reference?")
    await chat.test("REF-2", "board?")
    await chat.test("boom", apology("still open with your answers"))
    await chat.test("boom", apology("I have closed the form"))
    # Closed: the next message starts afresh instead of failing a third time.
    await chat.test("hello", "reference?")
