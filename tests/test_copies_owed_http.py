"""A copy owed (1.6, 1.7) stays owed over HTTP until its email carries the document: adding the IMR
does not send the published report's copy, the forward button keeps asking for the document, and
the review cannot be closed while a copy waits."""

from datetime import date, timedelta
from typing import Any

from bot.review import ObligationState, Stage
from tests.cards import any_button, forward_button, press, texts
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import only_card
from tests.teams_client import TeamsClient
from tests.test_review_lifecycle_http import _open

IMR_LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/EiMrShArEdLiNk00000004"
REPORT_LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/ErEpOrTsHaReD000000005"


async def _opened_after_publication_owing_both_copies(teams: TeamsClient) -> dict[str, Any]:
    day = date.today() - timedelta(days=3)
    milestones = {label: day.isoformat() for label in ("terms of reference", "IMR step ended", "overview report was",
                                                       "action plan and", "approved", "report was published")}
    return await _open(teams, {**milestones, "What happened to the Home Office IMR": "completed",
                               "If it names none": "true"},
                       **{"how far": "published", "decided to hold": day.isoformat()})


async def _add_document(teams: TeamsClient, card: dict[str, Any], link: str) -> tuple[str, dict[str, Any]]:
    assert forward_button(card)["title"] == "Add the document to send"
    form = only_card(await teams.submit(press(card, forward_button(card))))
    replies = await teams.submit(press(form, forward_button(form), {"document_link": link}))
    return replies[0].text, only_card(replies[1:])


async def test_para_1_7_the_report_copy_is_still_asked_for_after_the_imr_copy_is_added(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    card = await _opened_after_publication_owing_both_copies(teams)

    said, card = await _add_document(teams, card, IMR_LINK)
    assert said.startswith("Recorded on"), said
    said, card = await _add_document(teams, card, REPORT_LINK)
    assert said.startswith("Recorded on"), said

    assert forward_button(card)["title"] == "Record actions confirmed complete"
    _, emails = stored_review(running_bot, teams.person)
    assert sorted(item.key.split(":")[1] for item in emails) == ["O1", "O10", "O6"]


async def test_para_1_7_a_review_owing_a_copy_cannot_be_closed(teams: TeamsClient, running_bot: RunningBot) -> None:
    card = await _opened_after_publication_owing_both_copies(teams)
    _, card = await _add_document(teams, card, IMR_LINK)
    # Actions confirmed complete is offered among the other events: record it, the copy still owed.
    form = only_card(await teams.submit(press(card, any_button(card, "actions confirmed complete"))))
    card = only_card((await teams.submit(press(form, forward_button(form))))[1:])
    assert forward_button(card)["title"] == "Add the document to send"
    assert "Record the review closed" not in texts(card)
    review, _ = stored_review(running_bot, teams.person)
    assert review.stage is Stage.IMPLEMENTATION

    # A close pressed anyway (an old or tampered card) is refused, saying why and what to press.
    replies = await teams.submit({"verb": "record_event", "event": "closed", "review_id": review.id})

    said = " ".join(reply.text or texts(card) for reply in replies for card in [*reply.cards, {}][:1])
    assert "cannot be closed yet" in said and "Add the document to send" in said and "1.7" in said, said
    review, emails = stored_review(running_bot, teams.person)
    assert review.stage is Stage.IMPLEMENTATION
    o10 = [record for record in review.obligations if record.obligation_id == "O10"]
    assert [record.state for record in o10] == [ObligationState.OPEN]
    assert "O10" not in [item.key.split(":")[1] for item in emails]
