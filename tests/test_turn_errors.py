"""When a turn fails, the user gets plain words and an incident reference, never a stack trace."""

import logging
import re
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
