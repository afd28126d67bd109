"""Whether a colleague picked in Teams' people picker is a real person, before they are added to
a review (and so may see it).

The picker sends an Entra object id. First the conversation's roster (the Bot Framework's
`GET /v3/conversations/{id}/members/{memberId}`, which takes an object id): it needs no
permission, but a 1:1 chat with the bot holds only the person and the bot, so there it finds no
colleague. Then the organisation's directory through Graph (bot.graph_people), when Graph is
configured: that is what answers for a 1:1 chat. A person neither of them knows is not added,
and the form says why in words; nothing about the person (their name included) is logged or kept.

A `local:` id (the Agents Playground, local mode only: no sign-in, no directory) is not checked:
the form accepts one only from a person who is local too.
"""

import asyncio
import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.directory import DirectoryUnavailable, PeopleDirectory
from bot.review.people import ENTRA

log = logging.getLogger(__name__)

NOT_IN_DIRECTORY = "That person isn't in your organisation's directory, so they were not added."
NO_DIRECTORY = (
    "That person could not be checked, so they were not added: they are not in this chat, and this bot "
    "has no access to your organisation's directory to look them up. Whoever runs the bot can give it "
    "that access (Microsoft Graph, User.Read.All).")
DIRECTORY_REFUSED = (
    "That person could not be checked, so they were not added: your organisation's directory refused "
    "this bot. Whoever runs the bot can give it access (Microsoft Graph, User.Read.All).")
DIRECTORY_DOWN = (
    "That person could not be checked, so they were not added: your organisation's directory did not "
    "answer. Please try again in a few minutes.")
# A form is waiting: never keep the person long.
ROSTER_TIMEOUT_SECONDS = 5


class Colleagues:
    def __init__(self, directory: PeopleDirectory | None) -> None:
        """`directory` None: Graph is not configured, so only the conversation's roster is asked."""
        self._directory = directory

    async def problem(self, context: TurnContext, person: str) -> str | None:
        """None when `person` (a namespaced id, bot.review.people) may be added; otherwise what
        went wrong, for the form."""
        if not person.startswith(ENTRA):
            return None
        object_id = person.removeprefix(ENTRA)
        if await _in_this_chat(context, object_id):
            return None
        if self._directory is None:
            return NO_DIRECTORY
        try:
            return None if await self._directory.is_person(object_id) else NOT_IN_DIRECTORY
        except DirectoryUnavailable as unavailable:
            return DIRECTORY_REFUSED if unavailable.refused else DIRECTORY_DOWN


async def _in_this_chat(context: TurnContext, object_id: str) -> bool:
    try:
        member = await asyncio.wait_for(TeamsInfo.get_member(context, object_id), ROSTER_TIMEOUT_SECONDS)
    except HttpOperationError as error:  # ErrorResponseException, and any other answer it cannot read
        status = getattr(error.response, "status_code", 0)
        if status != 404:  # 404: not a member of this conversation, the usual answer in a 1:1 chat
            log.warning("Roster look-up failed: Teams answered %s", status)
        return False
    except (TimeoutError, ClientRequestError) as error:
        log.warning("Roster look-up failed: %s", type(error).__name__)
        return False
    return member is not None and (member.aad_object_id or "").lower() == object_id
