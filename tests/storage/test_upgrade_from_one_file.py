"""A data file written before the storage port (TinyDB rows without keys, ids before namespacing)
is upgraded when the app starts, losing nothing: reviews are found by member again, emails by
state, reminders already sent stay sent, snoozes keep working, and half-filled forms move to the
state file."""

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.mail.queue import MailQueue
from bot.reminders.ledger import ReminderLedger
from bot.reminders.snoozes import SnoozeBook
from bot.review import review_to_dict
from bot.storage import TinyDBStore
from bot.storage.factory import MAIN_FILE, STATE_FILE
from bot.storage.reviews import ReviewRepository
from tests.conftest import RunningBot
from tests.mail.conftest import make_email
from tests.review.helpers import USER, Stage, review_at

GUID = USER.removeprefix("aad:")
SENT_KEY = f"reminder:R:O13#1:overdue:2026-03-03:{GUID}"


def _first_format_rows(tmp_path: Path) -> dict[str, dict[str, dict]]:
    """Rows exactly as the release before the port stored them (the outbox row made by today's
    queue, whose rows have kept that shape)."""
    review = review_at(Stage.DECISION)
    scratch = TinyDBStore(tmp_path / "scratch.json")
    MailQueue(scratch, lambda: datetime(2026, 3, 2, 9, tzinfo=UTC)).enqueue(make_email(f"{review.id}:O1:1"))
    with scratch.transaction() as session:
        [outbox] = [record.document for record in session.all("outbox")]
    return {
        "reviews": {"1": {"id": review.id, "members": [USER], "review": review_to_dict(review)}},
        "outbox": {"1": outbox},
        "reminder_ledger": {"1": {"key": SENT_KEY, "state": "sent", "token": None, "owner": None,
                                  "expires_at": "2026-03-03T10:00:00+00:00", "at": "2026-03-03T10:00:00+00:00",
                                  "attempts": 1}},
        "reminder_snoozes": {"1": {"review_id": review.id, "instance_id": "O13#1", "user_id": GUID,
                                   "until": "2026-03-20"}},
        "conversation_references": {"1": {"user_id": GUID, "reference": {"conversation": {"id": "a:1"}}}},
        "bot_state": {"1": {"key": "msteams/conversations/a:1", "e_tag": "e1", "item": {"step": 2}}},
    }


@pytest.mark.tinydb_only(reason="it upgrades a TinyDB file written before the storage port")
async def test_a_file_from_before_the_port_is_upgraded_at_start_up_losing_nothing(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(REMINDERS_ENABLED="false")
    settings.data_dir.mkdir(parents=True)
    rows = _first_format_rows(tmp_path)
    (settings.data_dir / MAIN_FILE).write_text(json.dumps(rows))

    bot = await RunningBot(settings).start()
    await bot.stop()

    store = TinyDBStore(settings.data_dir / MAIN_FILE)
    [review] = ReviewRepository(store).for_user(USER)
    assert review.id == rows["reviews"]["1"]["id"]
    assert [item.key for item in MailQueue(store).status_for_review(review.id)] == [f"{review.id}:O1:1"]
    namespaced = SENT_KEY.replace(GUID, USER)
    assert ReminderLedger(store).claim(namespaced, datetime(2026, 3, 3, 11, tzinfo=UTC), timedelta(minutes=5),
                                       "x") is None, "a reminder sent before the upgrade is not sent again"
    assert SnoozeBook(store).active(date(2026, 3, 10)) == {(review.id, "O13#1", USER): date(2026, 3, 20)}
    with store.transaction() as session:
        assert [record.key for record in session.all("conversation_references")] == [USER]
        assert session.all("bot_state") == []
    with TinyDBStore(settings.data_dir / STATE_FILE).transaction() as session:
        [state] = session.all("bot_state")
    assert state.document["item"] == {"step": 2}
