"""Copies over HTTP (1.6, 1.7): the form asks for the document, a link must be on an allowed host,
and without the document the email waits, the duty stays open and adding it sends it."""


from tests.cards import fill_by_label, forward_button, press, texts
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import imr_form, only_card
from tests.teams_client import TeamsClient

YES = {"A1": "yes", "A2": "yes", "A3": "yes", "A4": "yes"}
LINK = "https://homeoffice.sharepoint.com/:b:/s/scr/EiMrShArEdLiNk00000004"


async def test_para_1_6_an_imr_recorded_without_its_copy_waits_and_goes_when_the_document_is_added(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    form = await imr_form(teams)
    assert "Link to the completed IMR in SharePoint or OneDrive" in texts(form)
    assert "send the file in this chat" in texts(form)

    replies = await teams.submit(press(form, forward_button(form), YES))

    assert "has not been sent: its email waits for the document" in replies[0].text
    card = only_card(replies[1:])
    assert forward_button(card)["title"] == "Add the document to send"
    _, emails = stored_review(running_bot, teams.person)
    assert "O6" not in [item.key.split(":")[1] for item in emails]

    form = only_card(await teams.submit(press(card, forward_button(card))))
    refused = only_card(await teams.submit(press(form, forward_button(form),
                                                 fill_by_label(form, {"Link to": "https://files.example.com/IMR.pdf"}))))
    assert "Links to files.example.com are not accepted" in texts(refused)
    # A link goes into the email as it is: folders naming a family are refused (8.1).
    named = "https://homeoffice.sharepoint.com/sites/scr/Shared%20Documents/Smith%20Family/IMR.pdf"
    refused = only_card(await teams.submit(press(refused, forward_button(refused),
                                                 fill_by_label(refused, {"Link to": named}))))
    assert "describe a person or family (\u201cfamily\u201d)" in texts(refused) and "Copy link" in texts(refused)
    replies = await teams.submit(press(refused, forward_button(refused), fill_by_label(refused, {"Link to": LINK})))

    assert replies[0].text.startswith("Recorded on LSCB-2026-014: The copy to send")
    review, emails = stored_review(running_bot, teams.person)
    assert [item.key.split(":")[1] for item in emails].count("O6") == 1
    assert any("Document added" in entry.detail and "IMR" in entry.detail for entry in review.history)


async def test_a_form_that_must_have_its_document_says_so_and_changes_nothing(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    form = await imr_form(teams)
    card = only_card((await teams.submit(press(form, forward_button(form), YES)))[1:])
    form = only_card(await teams.submit(press(card, forward_button(card))))
    before, _ = stored_review(running_bot, teams.person)

    again = only_card(await teams.submit(press(form, forward_button(form))))

    assert "Paste a link to the document, or send the file in this chat first." in texts(again)
    assert len(stored_review(running_bot, teams.person)[0].history) == len(before.history)
