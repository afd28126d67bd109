"""What an incoming body must be before the SDK sees it: JSON that is an activity.

The SDK deserialises leniently (a number where text belongs becomes text) and then fails deep in
a turn, or answers 500, on what it let through: JSON nested about 1,000 levels deep exhausts
Python's recursion, a lone surrogate cannot be written to any UTF-8 reply or file, a NUL
character (U+0000) cannot be kept by PostgreSQL (in a JSON document or a text column) though
TinyDB would keep it, and an activity without its channel or conversation cannot be answered at
all. Each of those is the sender's error, so it gets a 400 naming the problem (never echoing the
input).
"""

from typing import Any

# Teams' deepest activities (a card submit inside channelData) nest under ten levels.
MAX_DEPTH = 32
# Fields every activity Teams sends carries, as text (Bot Framework activity schema).
_REQUIRED_TEXT = ("type", "channelId", "serviceUrl")
# Fields whose JSON type botbuilder relies on when they are present.
_OPTIONAL_TYPES: dict[str, type] = {
    "text": str, "name": str, "locale": str, "action": str, "textFormat": str, "replyToId": str,
    "channelData": dict,
}
# Lists of objects (attachments, mentions, accounts).
_OBJECT_LISTS = ("attachments", "entities", "membersAdded", "membersRemoved")


def problem_with(body: Any) -> str | None:
    """Why a parsed body cannot be an activity, or None."""
    return _unsafe_value(body) or _not_an_activity(body)


def _unsafe_value(body: Any) -> str | None:
    """Iterative, so no depth can crash the check itself."""
    pending = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return "The body is nested too deeply."
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:  # refused on both adapters alike; no text a person types needs one
                return "The body holds a NUL character (U+0000), which no text needs."
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return "The body holds text that is not valid Unicode."
    return None


def _not_an_activity(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "The body is not an activity."
    if not all(isinstance(body.get(name), str) and body[name] for name in _REQUIRED_TEXT):
        return "The activity lacks its type, channel or service URL."
    if not body["serviceUrl"].startswith(("https://", "http://")):
        return "The activity's service URL is not a web address."  # replies could not be sent
    if not all(isinstance(body.get(name), dict) for name in ("from", "recipient", "conversation")):
        return "The activity lacks its sender, recipient or conversation."
    if not isinstance(body["conversation"].get("id"), str) or not body["conversation"]["id"]:
        return "The activity's conversation has no id."
    wrong = [name for name, kind in _OPTIONAL_TYPES.items() if body.get(name) is not None
             and not isinstance(body[name], kind)]
    wrong += [name for name in _OBJECT_LISTS if body.get(name) is not None
              and not (isinstance(body[name], list) and all(isinstance(item, dict) for item in body[name]))]
    return f"The activity's {wrong[0]} has the wrong type." if wrong else None
