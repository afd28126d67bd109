"""Opening a review over real HTTP: it follows the framework in force for its nation and date, or
another chosen with a reason kept in its history; the confirm card says which and why."""

from datetime import date

from bot.review.frameworks import SCR_2016
from bot.review.model import Review
from bot.storage.reviews import ReviewRepository
from tests.cards import fill_by_label, forward_button, press, texts
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import IN_FORCE, answer, details, only_card, walk_to_confirmation
from tests.teams_client import TeamsClient


def _stored(running_bot: RunningBot, teams: TeamsClient) -> list[Review]:
    with bot_store(running_bot.settings) as store:
        return ReviewRepository(store).for_user(teams.person)


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


async def test_an_england_review_today_follows_the_cspr_pack_in_force(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    confirm = await walk_to_confirmation(teams, **IN_FORCE)

    facts = _facts(confirm)
    assert facts["Framework"] == "Child Safeguarding Practice Review (england-cspr-2023, version 3)"
    assert facts["Why this framework"] == "In force in England for a case from that date."
    timescales = facts["Its timescales"]
    assert "notification: 5 working days (the local authority's, to watch)" in timescales
    assert "rapid review: 15 working days (the safeguarding partners', to watch)" in timescales
    assert "agency summary: not set (yours)" in timescales
    assert facts["When it applies"].startswith("Abuse or neglect of a child is known or suspected")
    assert "(Children Act 2004 s16C(1))" in facts["When it applies"]
    assert "OFFICIAL-SENSITIVE – Child Safeguarding Practice Review – LSCB-2026-014 – review opened" in texts(confirm)

    await teams.submit(press(confirm, forward_button(confirm)))
    [review] = _stored(running_bot, teams)
    assert (review.framework, review.framework_version) == ("england-cspr-2023", 3)
    assert review.stage.label == "Serious incident notified – rapid review to begin"


async def test_choosing_the_source_guidance_instead_needs_a_reason_kept_in_the_history(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    first = only_card(await teams.say("open review"))
    refused = only_card(await answer(teams, first, fill_by_label(first, details(**{"why not the one in force": ""}))))
    assert "Say why the review follows Serious Case Review rather than Child Safeguarding Practice Review" in (
        texts(refused))

    confirm = await walk_to_confirmation(teams)
    why = _facts(confirm)["Why this framework"]
    assert why.startswith("Chosen rather than Child Safeguarding Practice Review (england-cspr-2023)")
    assert why.endswith("because the board or safeguarding partners running it say this framework applies.")
    await teams.submit(press(confirm, forward_button(confirm)))
    [review] = _stored(running_bot, teams)
    assert review.framework == SCR_2016
    assert "; framework scr-2016 (version 1) rather than england-cspr-2023, in force for its nation and date, " \
           "because the board" in review.history[0].detail


async def test_a_cspr_is_opened_at_its_beginning(teams: TeamsClient) -> None:
    first = only_card(await teams.say("open review"))
    answers = details(**IN_FORCE, **{"decided to hold": date.today().isoformat()})
    refused = only_card(await answer(teams, first, fill_by_label(first, answers)))
    assert "A Child Safeguarding Practice Review is recorded here from its beginning" in texts(refused)


async def test_a_review_under_the_pack_in_force_says_so(teams: TeamsClient) -> None:
    confirm = await walk_to_confirmation(teams, nation="wales", **{"chair's attention": "2016-03-01"})
    facts = _facts(confirm)
    assert facts["Framework"].startswith("Serious Case Review (scr-2016")
    assert facts["Why this framework"] == "In force in Wales for a case from that date."
