"""A review from opening to closed over HTTP, pressing only the buttons the bot offers, on every
branch a review can really take: each milestone is recorded, no offered button is refused, and the
emails of 1.1, 1.5, 1.6, 1.7 and 7.3.7 each go exactly once."""

import re
from datetime import date, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from bot.mail.eml_outbox import NOTIFICATION_KEY_HEADER
from bot.review import EventType, Stage
from tests.cards import any_button, fill_by_label, forward_button, inputs, press, texts, walk
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import ALL_NO, INDEPENDENT, answer, details, only_card
from tests.teams_client import TeamsClient
from tests.waiting import eventually
from views.dates import long_day

DOCUMENT_LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/EcOpYsHaReDlInK0000002"
REFUSALS = ("can't be recorded", "Not recorded", "cannot be recorded", "Nothing was changed")
# The paragraph behind each email the guidance requires, by the obligation it serves.
EMAIL_PARAGRAPHS = {"O1": "1.1", "O4": "1.5", "O6": "1.6", "O8": "7.3.7", "O10": "1.7"}


def _answers(form: dict[str, Any], plan_names_area: bool) -> dict[str, str]:
    """What a person fills in on an event form: the offered defaults, plus a choice where one is asked."""
    fields = inputs(form)
    filled = {qid: "yes" for qid in ("A1", "A2", "A3", "A4") if qid in fields}
    if "decision" in fields:
        filled["decision"] = "statutory"
    if "reason" in fields:
        filled["reason"] = "limited_involvement"
    if "document_link" in fields:
        filled["document_link"] = DOCUMENT_LINK
    if "areas" in fields:
        if "no_area" in fields and not plan_names_area:
            filled["no_area"] = "true"
        else:
            filled["areas"] = fields["areas"]["choices"][0]["value"]
    return filled


def _offered(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every record button on the review card, the forward one included."""
    return [node for node in walk(card) if node.get("type") == "Action.Execute"
            and node.get("data", {}).get("verb") == "record_event"]


async def _every_offered_button_opens_its_form(teams: TeamsClient, card: dict[str, Any]) -> None:
    for button in _offered(card):
        replies = await teams.submit(press(card, button))
        assert not any(word in reply.text for reply in replies for word in REFUSALS), (button["title"], replies)
        assert only_card(replies)["actions"], button["title"]
        assert (await teams.say("cancel"))[0].text.startswith("Cancelled")


async def _forward_to_the_end(teams: TeamsClient, card: dict[str, Any], *, plan_names_area: bool = True,
                              check_every_button: bool = False, until: str = "") -> tuple[dict[str, Any], list[str]]:
    """Press the review card's forward button and fill its form, again and again, until none is left
    (or until the step titled `until` is recorded)."""
    recorded: list[str] = []
    while any(node.get("style") == "positive" for node in walk(card)) and (
            not until or until not in recorded):
        if check_every_button:
            await _every_offered_button_opens_its_form(teams, card)
        step = forward_button(card)
        form = only_card(await teams.submit(press(card, step)))
        replies = await teams.submit(press(form, forward_button(form), _answers(form, plan_names_area)))
        assert replies[0].text.startswith("Recorded on"), (step["title"], replies[0].text)
        recorded.append(step["title"])
        card = only_card(replies[1:])
    return card, recorded


async def _open(teams: TeamsClient, milestones: dict[str, str] | None = None, **detail_overrides: str) -> dict:
    card = only_card(await teams.say("open review"))
    card = only_card(await answer(teams, card, fill_by_label(card, details(**detail_overrides))))
    if milestones is not None:
        assert "Milestones so far" in texts(card)
        card = only_card(await answer(teams, card, fill_by_label(card, milestones)))
    card = only_card(await answer(teams, card, {**ALL_NO, "E1": "yes"}))
    card = only_card(await answer(teams, card, INDEPENDENT))
    opened = only_card(await teams.submit(press(card, forward_button(card))))
    return only_card(await teams.submit(press(opened, any_button(opened, "Show the review"))))


def _emails_once_each(emails: list, expected: set[str]) -> None:
    serving = [item.key.split(":")[1] for item in emails]
    assert sorted(serving) == sorted(expected), serving
    for item in emails:
        assert "Serious Case Review" in item.subject


async def _emails_as_written(bot: RunningBot, count: int) -> dict[str, EmailMessage]:
    """The .eml files the local outbox wrote, by the obligation each serves, once all have gone."""
    outbox = Path(bot.settings.data_dir) / "outbox"

    def all_written() -> list[Path]:
        files = sorted(outbox.glob("*.eml")) if outbox.exists() else []
        return files if len(files) >= count else []

    files = await eventually(all_written, what=f"{count} emails in the outbox")
    written = [message_from_bytes(path.read_bytes(), policy=default) for path in files]
    return {message[NOTIFICATION_KEY_HEADER].split(":")[1]: message for message in written}  # type: ignore[misc]


async def test_the_full_process_by_the_bots_own_buttons(teams: TeamsClient, running_bot: RunningBot) -> None:
    card = await _open(teams)

    card, recorded = await _forward_to_the_end(teams, card, check_every_button=True)

    assert recorded == [
        "Record the board's decision", "Record the terms of reference agreed", "Record business areas consulted",
        "Record consultation confirmed on CID", "Record the IMR completed", "Record the overview report produced",
        "Record the action plan agreed", "Record the board's approval", "Record the report published",
        "Record actions confirmed complete", "Record the review closed",
    ]
    review, emails = stored_review(running_bot, teams.person)
    assert review.stage is Stage.CLOSED
    _emails_once_each(emails, set(EMAIL_PARAGRAPHS))
    assert "Nothing outstanding." in texts(card)
    written = await _emails_as_written(running_bot, len(EMAIL_PARAGRAPHS))
    assert set(written) == set(EMAIL_PARAGRAPHS)
    for obligation, paragraph in EMAIL_PARAGRAPHS.items():
        body = written[obligation].get_body(("plain",)).get_content()  # type: ignore[union-attr]
        why = next(line for line in body.splitlines() if line.startswith("Why:"))
        assert paragraph in re.findall(r"\d+(?:\.\d+)+", why), (obligation, why)


async def test_an_action_plan_naming_no_area_still_reaches_publication_and_closure(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await _open(teams)

    card, recorded = await _forward_to_the_end(teams, card, plan_names_area=False)

    assert "Record the report published" in recorded and recorded[-1] == "Record the review closed"
    review, emails = stored_review(running_bot, teams.person)
    assert review.stage is Stage.CLOSED
    _emails_once_each(emails, {"O1", "O4", "O6", "O10"})
    assert any("names no Home Office business area" in entry.detail for entry in review.history)


async def test_no_imr_from_the_home_office(teams: TeamsClient, running_bot: RunningBot) -> None:
    card = await _open(teams)
    card, _ = await _forward_to_the_end(teams, card, until="Record the terms of reference agreed")
    form = only_card(await teams.submit(press(card, any_button(card, "no IMR is asked"))))
    replies = await teams.submit(press(form, forward_button(form), _answers(form, True)))
    card = only_card(replies[1:])
    assert "No longer required: No IMR from the Home Office (" in texts(card)

    card, recorded = await _forward_to_the_end(teams, card)

    assert not any("IMR" in title or "consult" in title for title in recorded)
    review, emails = stored_review(running_bot, teams.person)
    assert review.stage is Stage.CLOSED
    _emails_once_each(emails, {"O1", "O8", "O10"})


async def test_opened_part_way_at_its_real_stage_with_past_milestones(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    day = date.today() - timedelta(days=3)
    card = await _open(teams, {"terms of reference": day.isoformat()},
                       **{"how far": "terms_of_reference", "decided to hold": day.isoformat()})

    assert "Terms of reference agreed \u2013 IMRs being undertaken" in texts(card)
    facts = {fact["title"]: fact["value"] for node in walk(card) for fact in node.get("facts", [])}
    assert facts["Terms of reference agreed"] == long_day(day), "the past milestone is shown with its date"
    assert forward_button(card)["title"] == "Record business areas consulted"
    review, _ = stored_review(running_bot, teams.person)
    milestones = [(entry.action, entry.on) for entry in review.history
                  if entry.action in (EventType.BOARD_DECISION, EventType.TERMS_OF_REFERENCE_AGREED)]
    assert milestones == [(EventType.BOARD_DECISION, day), (EventType.TERMS_OF_REFERENCE_AGREED, day)]
    card, recorded = await _forward_to_the_end(teams, card)

    assert recorded[0] == "Record business areas consulted" and recorded[-1] == "Record the review closed"
    _, emails = stored_review(running_bot, teams.person)
    _emails_once_each(emails, set(EMAIL_PARAGRAPHS))


async def test_a_business_area_added_later_is_told_once(teams: TeamsClient, running_bot: RunningBot) -> None:
    card = await _open(teams)
    form = only_card(await teams.submit(press(card, any_button(card, "Add a business area"))))
    replies = await teams.submit(press(form, forward_button(form), {"areas": "border_force"}))
    assert replies[0].text.startswith("Recorded on")
    card = only_card(replies[1:])
    assert "Add a business area" in texts(card), "another area can still be added"

    card, _ = await _forward_to_the_end(teams, card)

    review, emails = stored_review(running_bot, teams.person)
    added = [item for item in emails if "business area now involved" in item.subject]
    assert [item.to for item in added] == [("bf.scs.lead@example.gov.uk", "bf.childrens.lead@example.gov.uk")]
    assert review.stage is Stage.CLOSED


async def test_opened_after_publication_the_copies_already_sent_are_not_owed_again(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    day = date.today() - timedelta(days=3)
    milestones = {label: day.isoformat() for label in ("terms of reference", "IMR step ended", "overview report was",
                                                       "action plan and", "approved", "report was published")}
    card = await _open(teams, {**milestones, "What happened to the Home Office IMR": "completed",
                               "If it names none": "true", "copy of the completed IMR": "true",
                               "copy of the published": "true"},
                       **{"how far": "published", "decided to hold": day.isoformat()})

    assert forward_button(card)["title"] == "Record actions confirmed complete"
    review, emails = stored_review(running_bot, teams.person)
    assert [item.key.split(":")[1] for item in emails] == ["O1"], "no copy is sent twice"
    assert sum("its copy was sent before the review was recorded here" in e.detail for e in review.history) == 2


async def test_opened_after_publication_a_copy_not_yet_sent_is_asked_for(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    day = date.today() - timedelta(days=3)
    card = await _open(teams, {"terms of reference": day.isoformat(), "IMR step ended": day.isoformat(),
                               "What happened to the Home Office IMR": "completed"},
                       **{"how far": "imrs", "decided to hold": day.isoformat()})

    assert forward_button(card)["title"] == "Add the document to send"
    assert "Send a copy of the completed IMR" in texts(card)
