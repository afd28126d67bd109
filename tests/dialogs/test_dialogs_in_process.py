"""The root dialog driven in process with botbuilder-testing's DialogTestClient, over the same
service create_app builds: the paths of opening a review, turn by turn."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botbuilder.schema import Activity, ActivityTypes
from botbuilder.testing import DialogTestClient

from app import PARTS, create_app
from bot.config import Settings
from tests.card_rules import CardCheck
from tests.cards import fill_by_label, forward_button, inputs, press, texts
from tests.dialogs_flow import ALL_NO, INDEPENDENT, details


@pytest.fixture
def client(make_settings: Callable[..., Settings]) -> Iterator[DialogTestClient]:
    """Every card the dialogs send is checked as the fake connector checks the HTTP tests' cards."""
    parts = create_app(make_settings())[PARTS]
    cards = CardCheck()
    yield DialogTestClient("msteams", parts.root_dialog, middlewares=[cards])
    parts.store.close()
    assert cards.problems == [], "cards Teams would not render well"


def _card(reply: Activity) -> dict[str, Any]:
    return reply.attachments[0].content


async def _submit(client: DialogTestClient, value: dict[str, Any]) -> Activity:
    return await client.send_activity(Activity(type=ActivityTypes.message, value=value))


async def test_with_no_teams_profile_the_email_must_be_typed_and_is_checked(client: DialogTestClient) -> None:
    card = _card(await client.send_activity("open review"))
    card = _card(await _submit(client, press(card, forward_button(card), fill_by_label(card, details()))))
    card = _card(await _submit(client, press(card, forward_button(card), {**ALL_NO, "E1": "yes"})))
    assert inputs(card)["email"]["value"] == ""  # TeamsInfo is not available here

    again = _card(await _submit(client, press(card, forward_button(card), {**INDEPENDENT, "email": "not-an-email"})))
    assert "is not an email address" in texts(again)

    confirm = _card(await _submit(client, press(again, forward_button(again),
                                                {**INDEPENDENT, "email": "me@example.gov.uk"})))
    assert "Check and confirm" in texts(confirm)


async def test_criteria_not_met_and_independence_failed_both_show_on_the_confirm_card(
    client: DialogTestClient,
) -> None:
    card = _card(await client.send_activity("open review"))
    card = _card(await _submit(client, press(card, forward_button(card), fill_by_label(card, details()))))
    card = _card(await _submit(client, press(card, forward_button(card), ALL_NO)))
    confirm = _card(await _submit(client, press(card, forward_button(card),
                                                {**INDEPENDENT, "I1": "no", "email": "me@example.gov.uk"})))

    shown = texts(confirm)
    assert "the criteria for a Serious Case Review are not met" in shown
    assert "I1 not met" in shown and "Grade 7" in shown


async def test_cancel_mid_form_then_an_old_submit_changes_nothing(client: DialogTestClient) -> None:
    card = _card(await client.send_activity("open review"))
    cancelled = await client.send_activity("cancel")
    stale = await _submit(client, press(card, forward_button(card), fill_by_label(card, details())))

    assert cancelled.text.startswith("Cancelled")
    assert "already submitted (or closed)" in stale.text


async def test_unknown_text_with_nothing_under_way_points_to_help(client: DialogTestClient) -> None:
    reply = await client.send_activity("what is this")
    assert "help" in reply.text
