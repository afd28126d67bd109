"""Nothing lost silently (issue 12): with the .eml outbox, "sent" means the .eml file exists.
When the outbox path is a file, each email fails with a reason instead of being marked sent."""

from pathlib import Path
from typing import Any

from tests.cards import forward_button, press, texts
from tests.conftest import RunningBot, stored_tables
from tests.dialogs_flow import walk_to_confirmation
from tests.teams_client import TeamsClient
from tests.waiting import eventually


async def _outbox_once_settled(bot: RunningBot) -> list[dict[str, Any]]:
    def settled() -> list[dict[str, Any]]:
        rows = list(stored_tables(bot).get("outbox", {}).values())
        return rows if rows and all(row["reported"] for row in rows) else []

    return await eventually(settled, what="the mail worker settling")


async def test_an_outbox_path_that_is_a_file_fails_the_email_rather_than_marking_it_sent(
    running_bot: RunningBot, teams: TeamsClient
) -> None:
    outbox = Path(running_bot.settings.data_dir) / "outbox"
    outbox.parent.mkdir(parents=True, exist_ok=True)
    outbox.write_text("not a folder")

    confirm = await walk_to_confirmation(teams)
    await teams.submit(press(confirm, forward_button(confirm)))  # the "Email not sent" cards may follow
    rows = await _outbox_once_settled(running_bot)

    assert {row["state"] for row in rows} == {"failed"}
    assert all("outbox folder" in row["last_error"] for row in rows)
    teams.connector.take()
    review_card = texts((await teams.say("show LSCB-2026-014"))[0].cards[0])
    assert "Cannot write to the outbox folder" in review_card
