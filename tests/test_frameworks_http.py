"""Opening a review over real HTTP records its framework, and names the framework in force when
the bot does not guide that one's steps yet."""


from bot.review.frameworks import SCR_2016
from bot.storage.reviews import ReviewRepository
from tests.cards import forward_button, press, texts
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import walk_to_confirmation
from tests.teams_client import TeamsClient


def _facts(card: dict) -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for fact in node.get("facts", []):
                found[fact["title"]] = fact["value"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


async def test_an_england_review_today_names_the_cspr_timescales_and_is_guided_as_scr_2016(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    confirm = await walk_to_confirmation(teams)

    facts = _facts(confirm)
    assert facts["Framework"] == "Serious Case Review (scr-2016, version 1)"
    in_force = facts["Framework in force"]
    assert in_force.startswith("Child Safeguarding Practice Review (england-cspr-2023)")
    assert "notification: 5 working days (the local authority's, to watch)" in in_force
    assert "rapid review: 15 working days (the safeguarding partners', to watch)" in in_force
    assert "agency summary: not set (yours)" in in_force
    assert "OFFICIAL-SENSITIVE – Serious Case Review – LSCB-2026-014 – review opened" in texts(confirm)

    await teams.submit(press(confirm, forward_button(confirm)))
    with bot_store(running_bot.settings) as store:
        [review] = ReviewRepository(store).for_user(teams.person)
    assert (review.framework, review.framework_version) == (SCR_2016, 1)


async def test_a_review_under_the_pack_in_force_says_nothing_more(teams: TeamsClient) -> None:
    confirm = await walk_to_confirmation(teams, nation="wales", **{"chair's attention": "2016-03-01"})
    facts = _facts(confirm)
    assert facts["Framework"].startswith("Serious Case Review (scr-2016")
    assert "Framework in force" not in facts
