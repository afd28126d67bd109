"""LOG_FORMAT=json: one JSON object a line, the incident reference as a field, and never what a
person typed (here standing in the exception's own text)."""

import io
import json
import logging
import re
from pathlib import Path

import pytest
from botbuilder.core import ConversationState, MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.config import Settings, SettingsError
from bot.operations.json_logs import JsonLinesFormatter, configure_logging
from bot.teams.adapter import create_adapter

TYPED = "Jane Smith, 14 Acacia Avenue"


async def test_a_failed_turn_logs_one_json_line_with_its_incident_and_no_typed_text(tmp_path: Path) -> None:
    adapter = create_adapter(Settings.from_env({"DATA_DIR": str(tmp_path)}), ConversationState(MemoryStorage()))
    replies: list[str] = []

    async def failing_turn(context: TurnContext) -> None:
        async def capture(_ctx: TurnContext, activities: list, next_send):  # type: ignore[no-untyped-def]
            replies.extend(activity.text for activity in activities)
            return await next_send()

        context.on_send_activities(capture)
        try:
            raise ValueError(f"could not parse {context.activity.text}")
        except ValueError as error:
            await adapter.on_turn_error(context, error)

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("bot.teams.adapter")
    logger.addHandler(handler)
    try:
        await TestAdapter(failing_turn).send(TYPED)
    finally:
        logger.removeHandler(handler)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    reference = re.search(r"service desk: ([0-9a-f]{8})\.", replies[0])
    assert reference is not None
    failure = next(line for line in lines if line["message"].startswith("Turn failed"))
    assert failure["incident"] == reference.group(1)
    assert failure["level"] == "ERROR" and failure["logger"] == "bot.teams.adapter"
    assert failure["error"] == "ValueError" and "failing_turn" in failure["stack"]
    assert "Jane Smith" not in stream.getvalue()


def test_an_unknown_log_format_is_a_configuration_error() -> None:
    with pytest.raises(SettingsError, match="LOG_FORMAT must be plain or json, not 'xml'"):
        configure_logging({"LOG_FORMAT": "xml"})
