"""The organisation's directory, as the Teams shell asks it whether an Entra object id is a real
person (bot.graph_people answers through Microsoft Graph). Kept apart from that adapter so a bot
without Graph never loads msgraph-sdk."""

from typing import Protocol


class DirectoryUnavailable(Exception):
    """The directory could not say: it refused the bot (`refused`: no permission, or the bot could
    not sign in) or did not answer."""

    def __init__(self, refused: bool) -> None:
        super().__init__("refused" if refused else "no answer")
        self.refused = refused


class PeopleDirectory(Protocol):
    async def is_person(self, object_id: str) -> bool:
        """Whether a user with this object id exists; DirectoryUnavailable when it cannot tell."""
        ...

    async def close(self) -> None: ...
