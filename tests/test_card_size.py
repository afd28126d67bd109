"""A review that has run for years still fits Teams' message limit (about 28 KB): its card shows
the latest entries of long lists, and the history export holds them all."""

import json
from datetime import UTC, date, datetime, timedelta

from bot.review import EventType
from bot.review.model import HistoryEntry
from cards import render_card
from dialogs.event_catalogue import available
from dialogs.review_replies import EVENT_TITLES
from tests.card_rules import LARGEST_CARD_BYTES, card_problems
from tests.cards import texts
from tests.review.helpers import new_review
from views.review import review_card_data


def test_a_review_with_200_history_entries_makes_a_card_under_the_teams_limit() -> None:
    review = new_review()
    start = datetime(2026, 1, 5, 10, tzinfo=UTC)
    review.history.extend(
        HistoryEntry(seq=n, at=start + timedelta(days=n), on=(start + timedelta(days=n)).date(), actor="aad:x",
                     action=EventType.LESSON_IDENTIFIED, detail=f"Lesson {n}: " + "words of the lesson " * 10)
        for n in range(1, 201))

    card = render_card("review", review_card_data(review, [], date(2026, 8, 1), 3, available(review), EVENT_TITLES))

    assert card_problems(card) == []
    assert len(json.dumps(card, ensure_ascii=False).encode()) < LARGEST_CARD_BYTES
    shown = texts(card)
    assert "Lesson 200:" in shown and "Lesson 191:" in shown and "Lesson 190:" not in shown
    assert "the latest 10 of 200 entries" in shown
