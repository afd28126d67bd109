"""Who may use the bot: checked once, at the start of every incoming turn, before anything is
read or stored.

- A person is their Entra object id (`from.aadObjectId`, a GUID), namespaced as `aad:<guid>`.
  Authentication proves that Teams sent the activity, not who typed it, so `from.id` (a chat id)
  never stands in for a missing object id. Only local mode (no MicrosoftAppId, the Agents
  Playground, localhost) falls back to it, in a `local:` namespace no object id can equal.
- With `ALLOWED_TENANT_IDS` set, the activity's tenant must be one of them: a multi-tenant bot
  can otherwise be reached by any organisation's users. Teams sends it in `channelData.tenant.id`;
  the conversation's tenant is checked too where botbuilder reads one (its key is `tenantID`;
  Teams' `conversation.tenantId` is dropped by the SDK's deserialiser).
"""

from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.review.people import ENTRA, entra_person, local_person

NO_IDENTITY = (
    "Sorry, I can't tell who you are from this message, so I can't help with it. "
    "SCR Assistant works only for signed-in Home Office staff in Microsoft Teams."
)
OTHER_TENANT = "Sorry, SCR Assistant is only available to Home Office staff in its own organisation."


def person_of(activity: Activity) -> str | None:
    """The sender's namespaced id: `aad:` for a valid object id, else `local:` for their chat id;
    None when neither is usable. Admission decides which of the two may be used."""
    sender = activity.from_property
    if sender is None:
        return None
    return entra_person(sender.aad_object_id) or local_person(sender.id)


def user_id_of(context: TurnContext) -> str:
    """The person's namespaced id, for code that runs after admission: ScrBot refuses, before any
    dialog runs, an activity without one, or with only a chat id when authentication is on."""
    person = person_of(context.activity)
    if person is None:
        raise PermissionError("an activity without a person's id reached a dialog")
    return person


def tenants_of(activity: Activity) -> set[str]:
    """Every tenant id the activity names, lower-cased; values that are not strings are kept as
    text so they are refused by the allow-list rather than ignored."""
    named: list[Any] = []
    if isinstance(activity.channel_data, dict) and isinstance(activity.channel_data.get("tenant"), dict):
        named.append(activity.channel_data["tenant"].get("id"))
    if activity.conversation is not None:
        named.append(activity.conversation.tenant_id)
    return {str(tenant).lower() for tenant in named if tenant is not None}


@dataclass(frozen=True)
class Admission:
    local: bool
    allowed_tenants: frozenset[str] = frozenset()

    def refusal(self, activity: Activity) -> str | None:
        """Why this activity may not be served (the words to say), or None if it may."""
        if self.allowed_tenants:
            tenants = tenants_of(activity)
            if not tenants or not tenants <= self.allowed_tenants:
                return OTHER_TENANT
        person = person_of(activity)
        if person is None or not (self.local or person.startswith(ENTRA)):
            return NO_IDENTITY
        return None
