"""Opening a review over real HTTP: it follows the framework in force for its nation and date, or
another chosen with a reason kept in its history; the confirm card says which and why."""

from datetime import date, timedelta

import pytest

from bot.review.date_words import long_day, short_day
from bot.review.frameworks import SCR_2016
from bot.review.model import Review
from bot.storage.reviews import ReviewRepository
from tests.cards import any_button, fill_by_label, forward_button, inputs, press, texts
from tests.conftest import RunningBot, bot_store
from tests.dialogs_flow import (
    ALL_NO,
    IN_FORCE,
    INDEPENDENT,
    answer,
    answer_eligibility,
    details,
    only_card,
    open_and_show,
    walk_to_confirmation,
)
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
    assert facts["Framework"] == "Child Safeguarding Practice Review (england-cspr-2023, version 5)"
    assert facts["Why this framework"] == "In force in England for a case from that date."
    timescales = facts["Its timescales"]
    assert ("Notify the Child Safeguarding Practice Review Panel and the safeguarding partners: 5 working days (the "
            "local authority's, to watch)") in timescales
    assert ("Complete the rapid review and send it to the Panel: 15 working days (the safeguarding partners', to "
            "watch)") in timescales
    assert "Send the Home Office agency summary to the safeguarding partners: not set (yours)" in timescales
    assert facts["When it applies"].startswith("Abuse or neglect of a child is known or suspected")
    assert "(Children Act 2004 s16C(1))" in facts["When it applies"]
    assert "OFFICIAL-SENSITIVE – Child Safeguarding Practice Review – LSCB-2026-014 – review opened" in texts(confirm)

    await teams.submit(press(confirm, forward_button(confirm)))
    [review] = _stored(running_bot, teams)
    assert (review.framework, review.framework_version) == ("england-cspr-2023", 5)
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


async def test_a_cspr_asks_its_own_criteria_and_the_cards_say_what_they_point_to(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    first = only_card(await teams.say("open review"))
    criteria = only_card(await answer(teams, first, fill_by_label(first, details(**IN_FORCE))))
    shown = texts(criteria)
    assert "Does the case meet the framework's criteria?" in shown
    assert "S1. Is abuse or neglect of a child known or suspected? (Children Act 2004 s16C(1))" in shown
    assert "These are the Child Safeguarding Practice Review's own criteria." in shown
    assert "E1" not in inputs(criteria)

    representative = only_card(await answer(teams, criteria, {"S1": "yes", "S2": "no", "S3": "no"}))
    assert "Your answers about the criteria point to: Not a serious child safeguarding case" in texts(representative)
    confirm = only_card(await answer(teams, representative, INDEPENDENT))
    assert "not a serious child safeguarding case \u2014 the Panel need not be notified" in texts(confirm)
    assert "a guide only" not in texts(confirm)
    await teams.submit(press(confirm, forward_button(confirm)))
    [review] = _stored(running_bot, teams)
    assert (review.criteria_answers, review.eligibility) == ({"S1": True, "S2": False, "S3": False}, None)


async def test_choosing_another_framework_after_its_criteria_asks_that_ones_instead(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    first = only_card(await teams.say("open review"))
    criteria = only_card(await answer(teams, first, fill_by_label(first, details(**IN_FORCE))))
    representative = only_card(await answer(teams, criteria, {"S1": "yes", "S2": "yes", "S3": "no"}))
    # Back twice, to the first card, and the source guidance's process chosen instead.
    criteria = only_card(await teams.submit(press(representative, any_button(representative, "Back"))))
    first = only_card(await teams.submit(press(criteria, any_button(criteria, "Back"))))
    eligibility = only_card(await answer(teams, first, fill_by_label(first, details())))
    assert "E1" in inputs(eligibility) and "S1" not in inputs(eligibility)
    representative = await answer_eligibility(teams, eligibility, {**ALL_NO, "E1": "yes"})
    confirm = only_card(await answer(teams, representative, INDEPENDENT))
    await teams.submit(press(confirm, forward_button(confirm)))
    [review] = _stored(running_bot, teams)
    assert review.framework == SCR_2016 and review.criteria_answers is None and review.eligibility is not None


async def test_a_review_opened_under_the_wrong_framework_is_changed_before_its_first_step(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await open_and_show(teams)
    form = only_card(await teams.submit(press(card, any_button(card, "Change the framework"))))
    assert {"framework", "framework_reason"} <= set(inputs(form))
    choices = [choice["value"] for choice in inputs(form)["framework"]["choices"]]
    assert choices == ["england-cspr-2023"]  # the ones the bot guides in England, but its own
    # It cannot have begun under the framework in force before a newer one applied.
    reasons = [choice["value"] for choice in inputs(form)["framework_reason"]["choices"]]
    assert reasons == ["board_says", "opened_under_wrong_one"]
    replies = await teams.submit(press(form, forward_button(form), {
        "framework": "england-cspr-2023", "framework_reason": "opened_under_wrong_one"}))
    said = " ".join(reply.text or "" for reply in replies)
    assert "Recorded on LSCB-2026-014: Framework changed" in said
    card = only_card([reply for reply in replies if reply.cards][-1:])
    shown = texts(card)
    assert "Serious incident notified – rapid review to begin" in shown
    assert "Waiting on the local authority: Notify the Child Safeguarding Practice Review Panel" in shown
    assert forward_button(card)["title"] == "Record: Rapid review started"
    [review] = _stored(running_bot, teams)
    assert review.framework == "england-cspr-2023"
    assert review.history[-1].detail.startswith("Framework changed from Serious Case Review (scr-2016, version 1) to "
                                                "Child Safeguarding Practice Review")

    # After its first step the button is gone.
    started = only_card(await teams.submit(press(card, forward_button(card))))
    replies = await teams.submit(press(started, forward_button(started), {"date": date.today().isoformat()}))
    card = only_card(replies[1:])
    assert "Rapid review under way" in texts(card)
    assert "Change the framework" not in texts(card)


async def test_a_welsh_case_today_is_told_the_framework_in_force_only_informs_and_the_way_on(
    teams: TeamsClient,
) -> None:
    first = only_card(await teams.say("open review"))
    refused = only_card(await answer(teams, first, fill_by_label(first, details(nation="wales", **IN_FORCE))))
    assert ("Child Practice Review is the framework in force in Wales for a case from that date, but the bot cannot "
            "guide a review through it yet: choose another framework and say why.") in texts(refused)
    chosen = {"framework": "wales-susr", "why not the one in force": "board_says"}
    criteria = only_card(await answer(teams, refused, fill_by_label(refused, details(nation="wales", **chosen))))
    assert "E1" in inputs(criteria)  # the SUSR has no criteria of its own: the source guidance's, as a guide


async def test_the_date_the_partners_ask_for_the_agency_summary_by_is_set_on_the_review(teams: TeamsClient) -> None:
    card = await open_and_show(teams, **IN_FORCE)
    assert "No date: the timescale is not set by its sources or your organisation" in texts(card)
    form = only_card(await teams.submit(press(card, any_button(card, "Set a due date"))))
    [duty] = inputs(form)["duty"]["choices"]
    assert duty["title"] == "Send the Home Office agency summary to the safeguarding partners"
    slip = only_card(await teams.submit(press(form, forward_button(form), {"duty": duty["value"],
                                                                           "date": "9999-12-31"})))
    assert "The date it is due cannot be more than 5 years ahead: check the year." in texts(slip)
    due = date.today() + timedelta(days=9)
    replies = await teams.submit(press(form, forward_button(form), {"duty": duty["value"], "date": due.isoformat()}))
    card = only_card(replies[1:])
    assert "Send the Home Office agency summary to the safeguarding partners" in texts(card)
    assert long_day(due) in texts(card) or short_day(due) in texts(card)
    assert "No date: the timescale is not set" not in texts(card)


async def test_a_cspr_under_way_records_its_steps_late_and_a_copy_already_sent_is_not_sent_again(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await open_and_show(teams, **IN_FORCE)
    days_ago = (date.today() - timedelta(days=3)).isoformat()
    started = only_card(await teams.submit(press(card, forward_button(card))))
    card = only_card((await teams.submit(press(started, forward_button(started), {"date": days_ago})))[1:])
    for step in ("Record business areas consulted", "Record consultation confirmed on CID"):
        form = only_card(await teams.submit(press(card, any_button(card, step))))
        answers = {"date": days_ago, **({"areas": "border_force"} if "areas" in inputs(form) else {})}
        card = only_card((await teams.submit(press(form, forward_button(form), answers)))[1:])
    # The history says each step once, in this framework's words.
    assert texts(card).count("Business areas consulted on the Home Office's report: ") == 1
    assert "on the IMR" not in texts(card)
    form = only_card(await teams.submit(press(card, forward_button(card))))
    assert "I sent this copy myself before recording this step here: the bot sends none" in texts(form)
    both = await teams.submit(press(form, forward_button(form), {
        "date": days_ago, "copy_sent_before": "true",
        "document_link": "https://example.sharepoint.com/:w:/s/cspr/EaGeNcYsUmMaRy00000003"}))
    assert "choose one" in texts(only_card(both))
    replies = await teams.submit(press(form, forward_button(form), {"date": days_ago, "copy_sent_before": "true"}))
    assert "Home Office agency summary sent" in " ".join(reply.text or "" for reply in replies)
    [review] = _stored(running_bot, teams)
    assert review.history[-1].on.isoformat() == days_ago
    assert "its copy was sent outside the bot before this step was recorded here" in review.history[-1].detail
    assert not any(record.obligation_id == "O6" for record in review.obligations)
    assert not any("agency summary sent" in note.subject for note in review.notifications)


async def test_a_scottish_learning_review_chosen_by_hand_asks_its_criteria_and_is_guided(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    chosen = {"nation": "scotland", "framework": "scotland-learning-review-2021",
              "why not the one in force": "board_says"}
    first = only_card(await teams.say("open review"))
    criteria = only_card(await answer(teams, first, fill_by_label(first, details(**chosen))))
    assert {"L1", "L2", "L3"} <= set(inputs(criteria)) and "E1" not in inputs(criteria)
    representative = only_card(await answer(teams, criteria, {"L1": "no", "L2": "yes", "L3": "no"}))
    confirm = only_card(await answer(teams, representative, INDEPENDENT))
    shown = texts(confirm)
    assert "the criteria for a Learning Review are met \u2014 the Child Protection Committee decides" in shown
    assert "OFFICIAL-SENSITIVE \u2013 Learning Review \u2013 LSCB-2026-014 \u2013 review opened" in shown
    opened = only_card(await teams.submit(press(confirm, forward_button(confirm))))
    card = only_card(await teams.submit(press(opened, any_button(opened, "Show the review"))))
    assert "Notified to the Child Protection Committee \u2013 decision awaited" in texts(card)
    assert forward_button(card)["title"] == "Record: The committee decided to hold a Learning Review"
    [review] = _stored(running_bot, teams)
    assert (review.framework, review.criteria_answers) == ("scotland-learning-review-2021",
                                                           {"L1": False, "L2": True, "L3": False})


async def test_changing_a_cspr_s_answers_from_the_confirm_card_shows_its_own_criteria_as_left(
    teams: TeamsClient,
) -> None:
    confirm = await walk_to_confirmation(teams, **IN_FORCE, eligibility={"S2": "no"})
    assert "not a serious child safeguarding case" in texts(confirm)
    criteria = only_card(await teams.submit(press(confirm, any_button(confirm, "Change the eligibility answers"))))
    assert "S1" in inputs(criteria) and "E1" not in inputs(criteria)
    assert (inputs(criteria)["S1"].get("value"), inputs(criteria)["S2"].get("value")) == ("yes", "no")
    confirm = only_card(await answer(teams, criteria, {"S1": "yes", "S2": "yes", "S3": "no"}))
    assert "Check and confirm" in texts(confirm)
    assert "a serious child safeguarding case \u2014 the local authority must notify the Panel" in texts(confirm)


@pytest.mark.parametrize("target", ["representative", "eligibility", "working_together", "confirm"])
async def test_a_tampered_back_to_a_step_not_asked_yet_or_not_this_frameworks_goes_back_one_step(
    teams: TeamsClient, target: str
) -> None:
    first = only_card(await teams.say("open review"))
    criteria = only_card(await answer(teams, first, fill_by_label(first, details(**IN_FORCE))))
    back = any_button(criteria, "Back")
    tampered = {**back, "data": {**back["data"], "step": target}}
    shown = only_card(await teams.submit(press(criteria, tampered)))
    assert "About the review" in texts(shown) and "reference" in " ".join(inputs(shown))
    criteria = only_card(await answer(teams, shown, {}))
    assert "S1" in inputs(criteria) and "E1" not in inputs(criteria)


async def test_a_button_of_the_framework_left_behind_says_so_and_changes_nothing(teams: TeamsClient) -> None:
    card = await open_and_show(teams, **IN_FORCE)
    old_card = card
    form = only_card(await teams.submit(press(card, any_button(card, "Change the framework"))))
    await teams.submit(press(form, forward_button(form), {"framework": "scr-2016",
                                                          "framework_reason": "opened_under_wrong_one"}))
    replies = await teams.submit(press(old_card, any_button(old_card, "Set a due date")))
    said = " ".join(reply.text or "" for reply in replies)
    assert "Nothing was changed: LSCB-2026-014 now follows the Serious Case Review framework" in said
    assert "Type **show LSCB-2026-014** for its latest card." in said
