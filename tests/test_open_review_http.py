"""Install → open a review → confirm, over real HTTP, and the O1 emails it queues."""

import asyncio
from datetime import date, timedelta

from bot.mail.queue import MailQueue, OutboxItem
from bot.review import Review
from bot.storage.reviews import ReviewRepository
from tests.cards import any_button, fill_by_label, forward_button, inputs, press, texts, walk
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import (
    ALL_NO,
    INDEPENDENT,
    answer,
    details,
    only_card,
    open_and_show,
    walk_to_confirmation,
)
from tests.teams_client import TeamsClient
from views.dates import long_day


def _stored(bot: RunningBot, user_id: str) -> tuple[list[Review], list[OutboxItem]]:
    """The person's reviews, and the emails they queued."""
    with bot_store(bot.settings) as store:
        reviews = ReviewRepository(store).for_user(user_id)
        return reviews, [item for review in reviews for item in MailQueue(store).status_for_review(review.id)]


async def test_from_install_to_a_confirmed_review_with_its_o1_emails_queued_once(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await teams.post(teams.activity("installationUpdate", action="add"))
    assert "Open a review" in texts(only_card(teams.connector.take()))

    confirm = await walk_to_confirmation(teams, **{"business areas": "ukvi,border_force"})

    shown = texts(confirm)
    assert "a Serious Case Review must be held" in shown
    assert "3.1.1" in shown
    assert "independence confirmed" in shown
    assert "OFFICIAL-SENSITIVE – Serious Case Review – LSCB-2026-014 – review opened" in shown
    assert "psu.mailbox@example.gov.uk" in shown
    reviews, _ = _stored(running_bot, teams.person)
    assert reviews == [], "nothing is saved before confirming"

    opened = only_card(await teams.submit(press(confirm, forward_button(confirm))))

    assert "Review LSCB-2026-014 opened" in texts(opened)
    assert "You are recorded as the Home Office representative" in texts(opened)
    [review], queued = _stored(running_bot, teams.person)
    assert review.representative is not None
    assert review.representative.member.email == "rep@example.gov.uk"
    assert len(queued) == 1
    assert queued[0].key.startswith(review.id + ":O1:")
    assert "Serious Case Review" in queued[0].subject
    assert set(queued[0].to) == {
        "ukvi.scs.lead@example.gov.uk", "bf.scs.lead@example.gov.uk", "bf.childrens.lead@example.gov.uk",
        "psu.mailbox@example.gov.uk", "occ.mailbox@example.gov.uk",
    }

    # Pressing confirm again (a double click, a replay) opens nothing more.
    again = await teams.submit(press(confirm, forward_button(confirm)))
    assert "already recorded" in again[0].text
    reviews, queued = _stored(running_bot, teams.person)
    assert len(reviews) == 1
    assert len(queued) == 1


async def test_a_failed_independence_check_opens_the_review_without_recording_the_representative(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    confirm = await walk_to_confirmation(teams, independence={"I4": "no"})

    shown = texts(confirm)
    assert "I4 not met" in shown
    assert "nominate another representative" in shown
    assert "You will not be recorded as the representative" in shown

    await teams.submit(press(confirm, forward_button(confirm)))
    [review], _ = _stored(running_bot, teams.person)
    assert review.representative is None


async def test_criteria_not_met_says_so_and_names_the_alternative(teams: TeamsClient) -> None:
    confirm = await walk_to_confirmation(teams, eligibility={"E1": "no", "H1": "yes", "C1": "no"})

    shown = texts(confirm)
    assert "are not met" in shown
    assert "smaller-scale audit of the case (para 6.1)" in shown
    assert "Management Review" not in shown.split("Eligibility:")[1].split("Representative:")[0]


async def test_two_people_opening_reviews_at_the_same_time_do_not_mix_them_up(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    other = TeamsClient(running_bot, teams.connector, user_id="29:user-2",
                        aad_object_id="00000000-0000-0000-0000-000000000002",
                        conversation_id="a:personal-chat-2")
    async def both(mine, theirs):  # type: ignore[no-untyped-def]
        """One step for each person, sent at the same moment."""
        return [only_card(r) for r in await asyncio.gather(mine, theirs)]

    first, second = await both(teams.say("open review"), other.say("open review"))
    first, second = await both(
        answer(teams, first, fill_by_label(first, details(reference="LSCB-2026-101"))),
        answer(other, second, fill_by_label(second, details(reference="LSCB-2026-202"))),
    )
    first, second = await both(answer(teams, first, {**ALL_NO, "E1": "yes"}),
                               answer(other, second, {**ALL_NO, "H2": "yes"}))
    second = only_card(await answer(other, second, {"C1": "yes"}))
    first, second = await both(answer(teams, first, INDEPENDENT), answer(other, second, INDEPENDENT))
    assert "LSCB-2026-101" in texts(first) and "must be held" in texts(first)
    assert "LSCB-2026-202" in texts(second) and "should be considered" in texts(second)

    await asyncio.gather(teams.submit(press(first, forward_button(first))),
                         other.submit(press(second, forward_button(second))))

    mine, _ = _stored(running_bot, teams.person)
    theirs, _ = _stored(running_bot, other.person)
    assert [r.reference for r in mine] == ["LSCB-2026-101"]
    assert [r.reference for r in theirs] == ["LSCB-2026-202"]


async def test_para_1_2_strategic_understanding_is_a_should_warned_about_and_the_representative_is_recorded(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    confirm = await walk_to_confirmation(teams, independence={"I2": "no"})

    shown = texts(confirm)
    assert "independence confirmed, with a warning" in shown
    assert "Warning \u2014 I2 not met: The representative should have a strategic understanding" in shown
    await teams.submit(press(confirm, forward_button(confirm)))
    [review], _ = _stored(running_bot, teams.person)
    assert review.representative is not None
    assert "warned: I2 not met" in review.history[0].detail


async def test_para_5_1_an_imr_author_failing_only_a_should_is_recorded_with_the_warning(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    form = only_card(await teams.submit(press(card, any_button(card, "terms of reference"))))
    card = only_card((await teams.submit(press(form, forward_button(form))))[1:])
    form = only_card(await teams.submit(press(card, any_button(card, "IMR completed"))))

    replies = await teams.submit(press(form, forward_button(form), {"A1": "yes", "A2": "yes", "A3": "no", "A4": "no"}))

    assert replies[0].text.startswith("Recorded on LSCB-2026-014: IMR completed")
    assert "Warning \u2014 A3 not met" in replies[0].text and "Warning \u2014 A4 not met" in replies[0].text
    [review], _ = _stored(running_bot, teams.person)
    assert review.imr_author is not None and review.key_dates.imr_completed == date.today()


async def test_c1_is_asked_only_after_a_yes_to_a_serious_harm(teams: TeamsClient) -> None:
    details_card = only_card(await teams.say("open review"))
    eligibility = only_card(await answer(teams, details_card, fill_by_label(details_card, details())))
    assert "C1" not in inputs(eligibility)

    # No harm: straight on to independence, the criteria not met without C1 ever being asked.
    independence = only_card(await answer(teams, eligibility, ALL_NO))
    assert "Can you sit on the panel" in texts(independence)
    assert "are not met" in texts(independence)

    await teams.say("cancel")
    details_card = only_card(await teams.say("open review"))
    eligibility = only_card(await answer(teams, details_card, fill_by_label(details_card, details())))
    follow_up = only_card(await answer(teams, eligibility, {**ALL_NO, "H4": "yes"}))
    assert list(inputs(follow_up)) == ["C1"]
    assert "worked together" in texts(follow_up) and "3.1.1" in texts(follow_up)

    independence = only_card(await answer(teams, follow_up, {"C1": "yes"}))
    assert "The criteria for considering a Serious Case Review are met" in texts(independence)


async def test_c1_is_not_asked_when_a_death_means_a_review_must_be_held(teams: TeamsClient) -> None:
    details_card = only_card(await teams.say("open review"))
    eligibility = only_card(await answer(teams, details_card, fill_by_label(details_card, details())))

    independence = only_card(await answer(teams, eligibility, {**ALL_NO, "E1": "yes", "H1": "yes"}))

    assert "Can you sit on the panel" in texts(independence)
    assert "must always be held" in texts(independence)


async def test_a_stage_the_decision_date_contradicts_is_stated_on_the_check_card(teams: TeamsClient) -> None:
    decided = date.today() - timedelta(days=1)
    confirm = await walk_to_confirmation(teams, **{"how far": "referral", "decided to hold": decided.isoformat()})

    facts = {fact["title"]: fact["value"] for node in walk(confirm) for fact in node.get("facts", [])}
    assert facts["Opens at"].startswith("Board decided")
    assert f"not referred: a date of the board's decision was given ({long_day(decided)})" in facts["Opens at"]
