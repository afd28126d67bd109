"""No internal code in what people read (issue 9): history lines, the confirm card's reasons and
the answers to a press say what happened in the duty's own words and the guidance's paragraph
numbers; duty ids stay in the cards' data."""

import re
from datetime import date, timedelta
from typing import Any

from bot.review.date_words import long_day
from tests.cards import any_button, forward_button, press, texts, walk
from tests.dialogs_flow import only_card, open_and_show, walk_to_confirmation
from tests.teams_client import TeamsClient

# A duty id (O2, O11-3), a person's id, or an enum's code value.
CODES = re.compile(r"\bO\d+(-\d+)?\b|aad:|local:|must_hold|should_consider|not_met")


def history(card: dict[str, Any]) -> list[str]:
    shown = next(node for node in walk(card) if node.get("id") == "history")
    return [node["text"] for node in shown["items"]][1:]


def read(card: dict[str, Any]) -> str:
    """What a person reads on a card: its text, not its buttons' data or choice values."""
    return "\n".join(str(node[key]) for node in walk(card) for key in ("text", "title", "label")
                     if isinstance(node.get(key), str) and node.get("type") != "Input.ChoiceSet")


async def test_the_confirm_card_and_the_history_read_without_codes(teams: TeamsClient) -> None:
    confirm = await walk_to_confirmation(teams)
    assert "Why: para 1.1" in texts(confirm)
    assert not CODES.search(read(confirm)), CODES.search(read(confirm))

    opened = only_card(await teams.submit(press(confirm, forward_button(confirm))))
    card = only_card(await teams.submit(press(opened, any_button(opened, "Show the review"))))
    replies = await teams.submit(press(card, any_button(card, "Mark done"), {"instance_id": "O2-1"}))
    card = only_card(replies[1:])
    meeting = date.today() + timedelta(days=30)
    form = only_card(await teams.submit(press(card, any_button(card, "Record the board's decision"))))
    replies = await teams.submit(press(form, forward_button(form), {"decision": "statutory"}))
    card = only_card(replies[1:])
    form = only_card(await teams.submit(press(card, any_button(card, "first panel meeting"))))
    replies = await teams.submit(press(form, forward_button(form), {"date": meeting.isoformat()}))
    card = only_card(replies[1:])

    lines = "\n".join(history(card))
    assert not CODES.search(lines), lines
    assert "the answers point to: a review must be held" in lines
    assert "Representative recorded" in lines
    assert "Marked done: Secure all available case records" in lines
    assert f"First panel meeting on {long_day(meeting)}" in lines
    assert not CODES.search(read(card)), CODES.search(read(card))


async def test_a_snooze_names_the_duty_in_words(teams: TeamsClient) -> None:
    card = await open_and_show(teams)
    press_data = {"verb": "snooze", "review_id": forward_button(card)["data"]["review_id"], "instance_id": "O2-1"}

    [reply] = await teams.submit(press_data)

    assert reply.text.startswith("Snoozed: no reminder about \u201cSecure all available case records")
    assert not CODES.search(reply.text), reply.text
