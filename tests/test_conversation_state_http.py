"""A conversation keeps state only while it holds something (issue 12, bounded memory): a one-off
command stores none, an open form is stored, and a finished form's state is removed again."""

from bot.config import Settings
from bot.storage.factory import STATE_FILE
from tests.conftest import RunningBot, bot_store
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient


def _stored_states(settings: Settings) -> list[str]:
    with bot_store(settings, STATE_FILE) as store, store.transaction() as session:
        return [record.key for record in session.all("bot_state")]


async def test_state_is_kept_only_while_a_form_is_open(running_bot: RunningBot, connector: FakeConnector) -> None:
    teams = TeamsClient(running_bot, connector)

    await teams.say("help")
    await teams.say("my reviews")
    assert _stored_states(running_bot.settings) == []

    await teams.say("open review")
    assert _stored_states(running_bot.settings) == [f"msteams/conversations/{teams.conversation_id}"]

    await teams.say("cancel")
    assert _stored_states(running_bot.settings) == []
