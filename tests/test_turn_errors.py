"""When a turn fails, the user gets plain words and an incident reference, never a stack trace."""

import logging
from pathlib import Path

import pytest
from botbuilder.core import ConversationState, MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.config import Settings
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

    assert len(sent) == 1
    assert "went wrong" in sent[0]
    assert "secret internal detail" not in sent[0]
    assert "Traceback" not in sent[0]
    assert "secret internal detail" in caplog.text  # the detail goes to the log instead


async def _capture(sent: list[str], activities: list, next_send):  # type: ignore[no-untyped-def]
    sent.extend(activity.text for activity in activities)
    return await next_send()
