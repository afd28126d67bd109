"""Turning cards into the activities Teams shows."""

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity


def card_message(card: dict[str, Any], summary: str = "") -> Activity:
    """`summary` is what a notification or a screen reader shows instead of the card."""
    return MessageFactory.attachment(CardFactory.adaptive_card(card), text=None, speak=summary or None)
