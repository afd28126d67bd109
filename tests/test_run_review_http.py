"""A review run from the review card over HTTP, event by event, to closed."""

import asyncio
from datetime import date, timedelta

import pytest

from bot.mail.queue import MailQueue
from bot.review import Stage
from bot.storage.reviews import ReviewRepository
from tests.cards import any_button, fill_by_label, forward_button, press, texts
from tests.conftest import RunningBot, bot_store, stored_review
from tests.dialogs_flow import details, only_card, open_and_show, open_review
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient
from tests.waiting import eventually

YES = {"A1": "yes", "A2": "yes", "A3": "yes", "A4": "yes"}
LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/EcOpYsHaReDlInK0000001"


async def _record(teams: TeamsClient, review_card: dict, button_title: str, answers: dict[str, str]) -> dict:
    """Press a button on the review card, fill the event form, and return the new review card."""
    form = only_card(await teams.submit(press(review_card, any_button(review_card, button_title))))
    replies = await teams.submit(press(form, forward_button(form), fill_by_label(form, answers)))
    assert replies[0].text.startswith("Recorded on LSCB-2026-014"), replies[0].text
    return only_card(replies[1:])


async def test_every_event_from_decision_to_closed_is_recorded_from_the_review_card(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await open_review(teams)
    listing = only_card(await teams.say("my reviews"))
    assert "LSCB-2026-014" in texts(listing)
    card = only_card(await teams.submit(press(listing, any_button(listing, "Show LSCB-2026-014"))))
    assert forward_button(card)["title"] == "Record the board's decision"

    card = await _record(teams, card, "board's decision", {"What did the board decide": "statutory"})
    assert forward_button(card)["title"] == "Record the terms of reference agreed"
    card = await _record(teams, card, "terms of reference", {})
    replies = await teams.submit(press(card, any_button(card, "Mark done"), {"instance_id": "O2-1"}))
    assert replies[0].text == "Marked done on LSCB-2026-014."
    card = only_card(replies[1:])
    assert "Secure all available case records" not in texts(card).split("History")[0]
    card = await _record(teams, card, "business areas consulted",
                         {"business areas referred to": "border_force", "Other addresses": "ie.team@example.gov.uk"})
    card = await _record(teams, card, "consultation confirmed on CID", {})
    form = only_card(await teams.submit(press(card, any_button(card, "IMR completed"))))
    replies = await teams.submit(press(form, forward_button(form), {**YES, **fill_by_label(form, {"Link to": LINK})}))
    card = only_card(replies[1:])
    for step, answers in [("overview report", {}),
                          ("action plan", {"business areas named": "ukvi"}),
                          ("approval", {}), ("published", {"Link to": LINK}), ("actions confirmed", {}),
                          ("closed", {})]:
        card = await _record(teams, card, step, answers)

    review, emails = stored_review(running_bot, teams.person)
    assert review.stage is Stage.CLOSED
    assert sorted(key.split(":")[1] for key in (e.key for e in emails)) == ["O1", "O10", "O4", "O6", "O8"]
    assert "Nothing outstanding." in texts(card)


async def test_an_imr_author_who_is_not_independent_is_refused_with_what_to_do(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    card = await _record(teams, card, "terms of reference", {})
    form = only_card(await teams.submit(press(card, any_button(card, "IMR completed"))))

    replies = await teams.submit(press(form, forward_button(form), {**YES, "A2": "no"}))

    shown = texts(only_card(replies))
    assert "Not recorded as complete" in shown and "A2" in shown and "PSU" in shown
    review, _ = stored_review(running_bot, teams.person)
    assert review.stage is Stage.TERMS_OF_REFERENCE


async def test_an_event_the_stage_does_not_allow_is_refused_even_from_a_tampered_card(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await open_review(teams)
    review, _ = stored_review(running_bot, teams.person)

    replies = await teams.submit({"verb": "record_event", "event": "published", "review_id": review.id})

    assert "can't be recorded now: the review is at" in texts(only_card(replies))
    assert stored_review(running_bot, teams.person)[0].stage is Stage.REFERRAL


async def test_nobody_sees_or_changes_a_review_they_are_not_on(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await open_review(teams)
    review, _ = stored_review(running_bot, teams.person)
    stranger = TeamsClient(running_bot, teams.connector, user_id="29:other",
                           aad_object_id="00000000-0000-0000-0000-0000000000ff",
                           conversation_id="a:personal-chat-2")

    shown = await stranger.submit({"verb": "show_review", "review_id": review.id})
    recorded = await stranger.submit({"verb": "record_event", "event": "board_decision", "review_id": review.id})
    listing = only_card(await stranger.say("my reviews"))

    assert "can't find" in shown[0].text and not shown[0].cards
    assert "can't find" in recorded[0].text
    assert "LSCB-2026-014" not in texts(listing)
    assert stored_review(running_bot, teams.person)[0].stage is Stage.REFERRAL


async def test_a_double_press_records_an_event_once(teams: TeamsClient, running_bot: RunningBot) -> None:
    card = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    card = await _record(teams, card, "terms of reference", {})
    form = only_card(await teams.submit(press(card, any_button(card, "business areas consulted"))))
    submit = press(form, forward_button(form), fill_by_label(form, {"business areas referred to": "border_force"}))

    statuses = await asyncio.gather(teams.post(teams.activity(value=submit)), teams.post(teams.activity(value=submit)))

    assert statuses == [201, 201]
    replies = teams.connector.take()
    assert sum(r.text.startswith("Recorded on") for r in replies) == 1
    assert sum("already recorded" in r.text for r in replies) == 1
    _, emails = stored_review(running_bot, teams.person)
    assert [e.key.split(":")[1] for e in emails].count("O4") == 1


async def test_the_representative_can_be_recorded_later_from_the_review_card(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await open_and_show(teams, independence={"I3": "no"})
    assert "not recorded yet" in texts(card)

    form = only_card(await teams.submit(press(card, any_button(card, "Record the representative"))))
    assert forward_button(form)["title"] == "Record me as the representative"
    assert "step 3 of 4" not in texts(form)
    replies = await teams.submit(press(form, forward_button(form), {q: "yes" for q in ("I1", "I2", "I3", "I4")}))

    assert replies[0].text.startswith("Recorded on LSCB-2026-014: You as the Home Office representative")
    assert "rep@example.gov.uk" in texts(only_card(replies[1:]))
    review, _ = stored_review(running_bot, teams.person)
    assert review.representative is not None


async def _representative_form_after_a_failed_opening(teams: TeamsClient) -> dict:
    """A review opened by someone who failed I3, and its "Record the representative" form."""
    card = await open_and_show(teams, independence={"I3": "no"})
    return only_card(await teams.submit(press(card, any_button(card, "Record the representative"))))


async def test_failed_independence_checks_are_kept_in_the_review_history(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    form = await _representative_form_after_a_failed_opening(teams)

    replies = await teams.submit(press(form, forward_button(form), {"I1": "no", "I2": "yes", "I3": "yes", "I4": "yes"}))

    again = texts(only_card(replies))
    assert "Not recorded as the representative" in again and "I1" in again
    review, _ = stored_review(running_bot, teams.person)
    assert review.representative is None
    failures = [entry.detail for entry in review.history if entry.action.value == "representative_check_failed"]
    assert failures == ["Representative independence check failed (I3 not met); not recorded",
                        "Representative independence check failed (I1 not met); not recorded"]
    people = [entry.actor for entry in review.history if entry.action.value != "notification_sent"]
    assert set(people) == {teams.person}


async def test_another_update_button_switches_forms_but_the_same_one_does_not(teams: TeamsClient) -> None:
    card = await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    tor = any_button(card, "terms of reference")
    await teams.submit(press(card, tor))

    same = await teams.submit(press(card, tor))
    other = await teams.submit(press(card, any_button(card, "lesson identified")))

    assert "already open" in same[0].text
    assert "closed the form" in other[0].text
    assert "Lesson identified" in texts(only_card(other[1:]))


async def test_a_colleague_field_holding_anything_but_a_person_id_is_refused_without_saying_choose_from_a_list(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await open_and_show(teams, independence={"I1": "no"})
    form = only_card(await teams.submit(press(card, any_button(card, "Add a colleague"))))
    assert "Colleague to add" in texts(form)

    refused = only_card(await teams.submit(press(form, forward_button(form), {"colleague": "Jane Smith"})))

    assert "not a person's id from your organisation's directory, so nobody was added" in texts(refused)
    assert "from the list" not in texts(refused)
    review, _ = stored_review(running_bot, teams.person)
    assert "Jane Smith" not in str(review.history)


async def test_in_the_playground_a_colleague_picked_by_its_member_id_is_added_and_sees_the_review(
    running_bot: RunningBot, connector: FakeConnector
) -> None:
    # The Agents Playground sends no Entra object id, and its people picker sends its member ids.
    me = TeamsClient(running_bot, connector, user_id="user-id-0", aad_object_id="")
    colleague = TeamsClient(running_bot, connector, user_id="user-id-1", aad_object_id="",
                            conversation_id="a:personal-chat-colleague")
    card = await open_and_show(me)
    form = only_card(await me.submit(press(card, any_button(card, "Add a colleague"))))

    replies = await me.submit(press(form, forward_button(form), {"colleague": "user-id-1"}))

    assert replies[0].text.startswith("Recorded on LSCB-2026-014: Colleague on this review")
    assert "LSCB-2026-014" in texts(only_card(await colleague.say("show LSCB-2026-014")))
    review, _ = stored_review(running_bot, "local:user-id-0")
    assert review.members == ["local:user-id-0", "local:user-id-1"]


async def test_retrying_an_email_that_has_gone_says_so_and_sends_nothing_more(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await open_review(teams)
    def o1_sent() -> list:  # type: ignore[type-arg]
        _, emails = stored_review(running_bot, teams.person)
        return emails if emails and emails[0].state == "sent" else []

    [email] = await eventually(o1_sent, what="the app's own mail worker delivering the O1 email")

    replies = await teams.submit({"verb": "retry_email", "key": email.key})

    assert replies[0].text.startswith("That email has already been sent")
    assert stored_review(running_bot, teams.person)[1][0].attempts == email.attempts


async def test_opening_the_same_review_twice_is_refused_and_queues_nothing_more(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await open_review(teams)

    first = only_card(await teams.say("open review"))
    replies = await teams.submit(press(first, forward_button(first), fill_by_label(first, details())))

    assert "You already have review LSCB-2026-014" in texts(only_card(replies)), "refused where it is typed"
    with bot_store(running_bot.settings) as store:
        assert len(ReviewRepository(store).for_user(teams.person)) == 1
        assert len(MailQueue(store).status_for_keys("")) == 1


@pytest.mark.parametrize("command", ["show", "next"])
async def test_a_command_without_a_reference_gives_an_example_of_that_command(
    teams: TeamsClient, command: str
) -> None:
    await open_review(teams)
    await open_review(teams, reference="LSCB-2026-015")

    replies = await teams.say(command)

    assert f"e.g. **{command} LSCB-2026-01" in replies[0].text
    assert "Show LSCB-2026-015" in texts(only_card(replies[1:]))


async def test_after_a_failed_check_the_representative_form_stays_usable_and_answers_on_the_card(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    form = await _representative_form_after_a_failed_opening(teams)

    first = await teams.submit(press(form, forward_button(form), {"I1": "no", "I2": "yes", "I3": "yes", "I4": "yes"}))
    second = await teams.submit(press(only_card(first), forward_button(only_card(first)),
                                      {"I1": "yes", "I2": "yes", "I3": "yes", "I4": "no"}))

    for replies, rule in ((first, "I1 not met"), (second, "I4 not met")):
        shown = texts(only_card(replies))
        assert rule in shown and "kept in the review's history" in shown and "(para 1.2, 7.2)" in shown
        assert "Nothing was changed" not in shown + "".join(reply.text or "" for reply in replies)
        assert forward_button(only_card(replies))["title"] == "Record me as the representative"
    form = only_card(second)
    replies = await teams.submit(press(form, forward_button(form), {q: "yes" for q in ("I1", "I2", "I3", "I4")}))
    assert replies[0].text.startswith("Recorded on LSCB-2026-014: You as the Home Office representative")
    review, _ = stored_review(running_bot, teams.person)
    assert review.representative is not None
    assert [e.action.value for e in review.history].count("representative_check_failed") == 3


async def test_o3_reads_the_same_everywhere_and_is_reminded_when_the_first_meeting_is_recorded(
    teams: TeamsClient,
) -> None:
    card = await open_and_show(teams, independence={"I3": "no"}, **{"decided to hold": date.today().isoformat()})
    o3 = "Record a panel representative who meets the independence rules"
    assert f"{o3}\nOn track \u00b7 Due before the first panel meeting" in texts(card)
    assert f"Due before the first panel meeting: {o3}." in texts(only_card(await teams.say("next")))
    outstanding = texts(only_card(await teams.say("outstanding")))
    assert f"{o3}\nOn track \u00b7 Due before the first panel meeting" in outstanding

    meeting = date.today() + timedelta(days=30)
    form = only_card(await teams.submit(press(card, any_button(card, "first panel meeting"))))
    replies = await teams.submit(press(form, forward_button(form), {"date": meeting.isoformat()}))

    assert (f"Still to do by the first panel meeting on {meeting:%A} {meeting.day} {meeting:%B %Y}: {o3} "
            "(para 1.2, 7.2).") in replies[0].text


async def test_marking_done_twice_names_no_internal_id_or_unrelated_paragraph(teams: TeamsClient) -> None:
    card = await open_and_show(teams)
    press_done = press(card, any_button(card, "Mark done"), {"instance_id": "O2-1"})
    await teams.submit(press_done)

    again = await teams.submit(press_done)
    missing = await teams.submit({**press_done, "instance_id": "O99-1"})

    assert again[0].text == "Nothing was changed: \u201cSecure all available case records, and deal with PSU " \
        "requests as a priority\u201d is already done."
    assert missing[0].text.startswith("That obligation is not on this review")
    said = again[0].text + missing[0].text
    assert "O2-1" not in said and "O99-1" not in said and "4.1" not in said
