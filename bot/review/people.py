"""Who a person is: one namespaced id per person, so that no other kind of id can equal it.

A person is their Microsoft Entra object id, stored as ``aad:<guid in lower case>``. The chat id
Teams also sends (``from.id``) is chosen by the channel, not by Entra, and a forged one could be
any string, including somebody's object id: it therefore lives in its own ``local:`` namespace,
used only in local mode (no authentication, the Agents Playground), and can never match an
``aad:`` id.
"""

import re

# History names whoever acted; the bot confirming a delivery or a deletion is not a person.
SYSTEM = "scr-assistant"
ENTRA = "aad:"
LOCAL = "local:"
# Exactly a GUID's 8-4-4-4-12 hex digits; fullmatch, so no trailing newline slips through.
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MAX_LOCAL_ID = 200


def is_guid(value: object) -> bool:
    return isinstance(value, str) and _GUID.fullmatch(value) is not None


def entra_person(object_id: object) -> str | None:
    """``aad:<guid>`` for an Entra object id given as a GUID string; None for anything else
    (a number, a list, an object, a GUID with spaces…), which must never become an id."""
    return ENTRA + object_id.lower() if is_guid(object_id) else None


def local_person(chat_id: object) -> str | None:
    """The local-mode id for a chat id, or None if it is not a usable string."""
    if not isinstance(chat_id, str) or not 0 < len(chat_id) <= _MAX_LOCAL_ID or any(c.isspace() for c in chat_id):
        return None
    return LOCAL + chat_id


def migrate_person(user_id: str) -> str:
    """A member id stored before ids were namespaced: a GUID was an Entra object id; anything
    else was a chat id, which only ever identified anyone in local mode."""
    if user_id.startswith((ENTRA, LOCAL)):
        return user_id
    return entra_person(user_id) or LOCAL + user_id
