"""The eligibility headline over HTTP states what the criteria say of a statutory review (3.1.1),
how the kind chosen stands to it (6.1), and outside England that the nation's process is only
similar (2.1); the opening email reads "an Independent …"."""

from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from tests.cards import forward_button, press, walk
from tests.conftest import RunningBot
from tests.dialogs_flow import only_card, walk_to_confirmation
from tests.teams_client import TeamsClient
from tests.waiting import eventually


def _headline(card: dict) -> str:
    [line] = [node["text"] for node in walk(card) if str(node.get("text", "")).startswith("Eligibility: ")]
    return line


@pytest.mark.parametrize(("answers", "overrides", "expected"), [
    ({}, {"kind of review": "smaller_scale_audit"},
     "Eligibility: a Serious Case Review must be held; a smaller-scale audit is for a case that does not meet the "
     "criteria (para 6.1), and this one does"),
    ({"E1": "no"}, {"kind of review": "smaller_scale_audit"},
     "Eligibility: the criteria for a Serious Case Review are not met; the board may still hold a smaller-scale "
     "audit (para 6.1)"),
    ({}, {"kind of review": "independent_management_review"},
     "Eligibility: a Serious Case Review must be held; the board may hold an Independent (inter-agency) Management "
     "Review rather than a full review (para 6.1)"),
    ({}, {"nation": "wales", "local board": "Cardiff and Vale Regional Safeguarding Board"},
     "Eligibility: under England's criteria, a Serious Case Review must be held \u2014 Wales's own process is "
     "similar (para 2.1)"),
    ({}, {"nation": "scotland", "local board": "Highland CPC"},
     "Eligibility: under England's criteria, a Significant Case Review must be held \u2014 Scotland's own process "
     "is similar (para 2.1)"),
], ids=["audit-when-criteria-met", "audit-when-not-met", "independent-review", "wales", "scotland"])
async def test_the_headline_states_the_rule_and_how_the_kind_chosen_relates(
    teams: TeamsClient, answers: dict[str, str], overrides: dict[str, str], expected: str
) -> None:
    confirm = await walk_to_confirmation(teams, eligibility=answers, **overrides)

    assert _headline(confirm) == expected


async def test_the_opening_email_says_an_independent_management_review(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    confirm = await walk_to_confirmation(teams, **{"kind of review": "independent_management_review"})
    only_card(await teams.submit(press(confirm, forward_button(confirm))))
    outbox = Path(running_bot.settings.data_dir) / "outbox"

    [written] = await eventually(lambda: sorted(outbox.glob("*.eml")), what="the opening email written")
    message = message_from_bytes(written.read_bytes(), policy=default)
    body = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    assert "involved in an Independent (inter-agency) Management Review that is beginning" in body
    assert " a Independent" not in body
