"""The organisation's directory, as the Teams shell asks it whether an Entra object id is a real
person (bot.graph_people answers through Microsoft Graph), and which one the settings choose.
Kept apart from that adapter so a bot without Graph never loads msgraph-sdk."""

from typing import Protocol

from bot.mail.settings import GraphSettings


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


def build_people_directory(graph: GraphSettings | None) -> PeopleDirectory | None:
    """The directory through Graph, when Graph is configured: the same app registration and
    credential kind as mail, with User.Read.All granted as well."""
    if graph is None:
        return None
    # Imported here, as the mail factory does, so a bot without Graph never loads msgraph-sdk.
    from bot.graph_client import build_credential
    from bot.graph_people import GraphPeople

    return GraphPeople(build_credential(graph), base_url=graph.base_url)
