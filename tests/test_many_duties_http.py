"""A review with many open duties (60 lessons identified, each a duty to act on it: 3.3.8) still
makes a review card under Teams' 28 KB, over HTTP as Teams sends it: the to-do list and its Mark-done
choices come a page at a time, and each choice can be told from the others."""

import json
from datetime import date
from typing import Any

from tests.card_rules import LARGEST_CARD_BYTES
from tests.cards import any_button, forward_button, inputs, press, texts, walk
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import only_card, open_and_show
from tests.teams_client import TeamsClient

LESSONS = 60



def size(card: dict[str, Any]) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode())


def done_choices(card: dict[str, Any]) -> list[dict[str, str]]:
    return inputs(card)["instance_id"]["choices"]


async def test_sixty_lessons_make_a_review_card_under_the_teams_limit_a_page_at_a_time(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    await open_and_show(teams, **{"decided to hold": date.today().isoformat()})
    review, _ = stored_review(running_bot, teams.person)
    record = {"verb": "record_event", "event": "lesson_identified", "review_id": review.id}
    for _ in range(LESSONS):
        form = only_card(await teams.submit(record))
        await teams.submit(press(form, forward_button(form)))

    card = await _card(teams, {"verb": "show_review", "review_id": review.id})

    assert size(card) < LARGEST_CARD_BYTES, size(card)
    assert "To do (" in texts(card) and "1 to 10 shown" in texts(card)
    choices = done_choices(card)
    assert 0 < len(choices) <= 10
    assert len({choice["title"] for choice in choices}) == len(choices), "each choice can be told apart"
    assert any_button(card, "Next 10 to do")["data"]["page"] == 2
    pages = [card]
    while _next(pages[-1]):
        pages.append(await _card(teams, press(pages[-1], _next(pages[-1]))))
    assert all(size(page) < LARGEST_CARD_BYTES for page in pages)
    lessons = [c["title"] for page in pages for c in done_choices(page) if c["title"].startswith("Act on")]
    assert len(lessons) == LESSONS and len(set(lessons)) == LESSONS, "every lesson can be chosen, once"
    assert "(no. 60)" in " ".join(lessons)

    # Marking one done from a later page works, and it leaves the list.
    last = pages[-1]
    chosen = next(c for c in done_choices(last) if c["title"].startswith("Act on"))
    await _card(teams, press(last, any_button(last, "Mark done"), {"instance_id": chosen["value"]}))
    review, _ = stored_review(running_bot, teams.person)
    assert review.obligation(chosen["value"]).state.value == "done"


def _next(card: dict[str, Any]) -> dict[str, Any] | None:
    return next((node for node in walk(card) if node.get("type") == "Action.Execute"
                 and node.get("title", "").startswith("Next ")), None)


async def _card(teams: TeamsClient, data: dict[str, Any]) -> dict[str, Any]:
    return (await teams.press_card(data))[0]
